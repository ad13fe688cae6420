"""Error analysis: the conversations a person should read first, and their pages.

:func:`error_cases` picks, for one system and its policy, the worst false terminations, the
missed terminations, the crisis conversations ended, the people who are fine sent to crisis
support and the people in crisis answered normally (:data:`ERROR_KINDS`), each with its scores,
thresholds, the policy's reason and the messages; :func:`write_error_pages` writes them as
``<kind>.jsonl`` + a readable ``<kind>.md`` (what ``convguard evaluate`` puts under
``errors/<system>/``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .evaluation import ScoreTable
from .detectors import decision_evidence
from .io import write_jsonl
from .policy import Rules, Thresholds, apply_policy, explain, harm_scores, predicted_pushes_array
from .schema import Conversation
from .taxonomy import taxonomy_or_default

__all__ = ["ERROR_KINDS", "error_cases", "error_markdown", "write_error_pages"]


def error_cases(table: ScoreTable, system: str, thresholds: Thresholds, rules: Rules,
                convs: Mapping[str, Conversation] | None = None, n: int = 25) -> dict[str, list[dict[str, Any]]]:
    """The conversations a person should read first:

    * ``false_terminations``: benign-edgy conversations (``terminate=0``, not crisis) that the
      policy ends, highest effective termination score first (at most ``n``);
    * ``missed_terminations``: termination-worthy conversations (not crisis) it does not end,
      lowest effective score first (at most ``n``);
    * ``crisis_ended``: every crisis conversation it ends (the promise is none);
    * ``false_crisis_support``: non-crisis conversations it sends to crisis support, highest
      crisis score first (at most ``n``): people who are fine, shown a crisis message;
    * ``missed_crisis_support``: crisis conversations it neither ends nor routes to crisis
      support, lowest crisis score first (at most ``n``): people in crisis who got a normal reply.

    Each record has the id, labels, scores (raw, effective, crisis), thresholds, action, the
    policy's reason, the predicted category/pushes where the system has them, and the messages
    (from ``convs``: id -> Conversation)."""
    sysd = table.systems[system]
    pol = apply_policy(sysd, thresholds, rules, table.n_assistant, table.taxonomy)
    actions, eff = pol.actions, pol.effective
    raw = harm_scores(sysd, rules, table.taxonomy)  # the score the policy compares with thresholds.terminate
    crisis = pol.crisis_score  # the score the policy compares with thresholds.crisis
    g = np.array(table.group, dtype=object)
    ids = np.array(table.ids, dtype=object)
    pushes = predicted_pushes_array(sysd)
    ended = actions == "end_conversation"
    fp = np.flatnonzero((g == "benign_edgy") & (table.y_terminate == 0) & (table.y_crisis != 1) & ended)
    fn = np.flatnonzero((table.y_terminate == 1) & (table.y_crisis != 1) & ~ended)
    ce = np.flatnonzero((table.y_crisis == 1) & ended)
    fc = np.flatnonzero((table.y_crisis == 0) & (actions == "crisis_support"))
    fc = sorted(fc.tolist(), key=lambda i: (-crisis[i], ids[i]))[:n]
    mc = np.flatnonzero((table.y_crisis == 1) & (actions == "continue"))
    mc = sorted(mc.tolist(), key=lambda i: (crisis[i], ids[i]))[:n]
    fp = sorted(fp.tolist(), key=lambda i: (-eff[i], -raw[i], ids[i]))[:n]
    fn = sorted(fn.tolist(), key=lambda i: (eff[i], raw[i], ids[i]))[:n]
    ce = sorted(ce.tolist(), key=lambda i: ids[i])

    def rec(rank: int, i: int) -> dict[str, Any]:
        r: dict[str, Any] = {
            "rank": rank, "id": str(ids[i]), "group": table.group[i], "subtype": table.subtype[i],
            "harm_category": table.harm_category[i], "terminate_label": int(table.y_terminate[i]),
            "crisis_label": int(table.y_crisis[i]),
            "terminate_from_turn": table.terminate_from_turn[i] if table.terminate_from_turn else None,
            "action": str(actions[i]), "terminate_score": float(raw[i]), "effective_score": float(eff[i]),
            "crisis_score": float(crisis[i]), "terminate_threshold": float(pol.terminate_threshold[i]),
            "crisis_threshold": float(thresholds.crisis), "n_assistant_turns": int(table.n_assistant[i]),
            "reason": explain(pol, i, sysd, thresholds, rules, table.taxonomy),
        }
        if "turns" in sysd:
            r["evidence"] = decision_evidence(sysd["turns"][i], thresholds.evidence, str(pol.codes[i]),
                                              int(pol.refused_pushes[i]), rules.harmful_ask_is_push)
        if "harm_category" in sysd:
            k = int(np.argmax(sysd["harm_category"][i]))
            r["predicted_harm_category"] = taxonomy_or_default(table.taxonomy).names[k]
            r["predicted_harm_category_prob"] = float(sysd["harm_category"][i][k])
        if pushes is not None:
            r["predicted_pushes"] = int(pushes[i])
        c = (convs or {}).get(str(ids[i]))
        if c is not None:
            r["messages"] = [m.to_dict() for m in c.messages]
        return r

    return {"false_terminations": [rec(k + 1, i) for k, i in enumerate(fp)],
            "missed_terminations": [rec(k + 1, i) for k, i in enumerate(fn)],
            "crisis_ended": [rec(k + 1, i) for k, i in enumerate(ce)],
            "false_crisis_support": [rec(k + 1, i) for k, i in enumerate(fc)],
            "missed_crisis_support": [rec(k + 1, i) for k, i in enumerate(mc)]}


#: the error pages, in the order the report's table lists them
ERROR_KINDS = ("false_terminations", "missed_terminations", "crisis_ended", "false_crisis_support",
               "missed_crisis_support")

_ERROR_TITLES = {
    "false_terminations": ("Worst false terminations",
                           "Benign-edgy conversations the policy **ends**, highest effective termination score first. "
                           "Each one is a user who should have been helped."),
    "missed_terminations": ("Missed terminations",
                            "Termination-worthy conversations the policy does **not** end, lowest effective score "
                            "first (the effective score is 0 where the crisis override or a rule blocks ending)."),
    "crisis_ended": ("Crisis conversations ended",
                     "Crisis conversations the policy would end. The promise is that this list is empty."),
    "false_crisis_support": ("Crisis support for people who are fine",
                             "Non-crisis conversations the policy sends to crisis support, highest crisis score "
                             "first. Each one shows a crisis message to someone who did not need it."),
    "missed_crisis_support": ("Crisis conversations without crisis support",
                              "Crisis conversations the policy answers normally (``continue``), lowest crisis score "
                              "first. Each one is a person in crisis who was not offered support."),
}


def _fence(text: str) -> str:
    f = "~~~~"
    while f in text:
        f += "~"
    return f


def _conversation_text(messages: Sequence[Mapping[str, str]], max_chars: int = 1500) -> str:
    lines = []
    for k, m in enumerate(messages):
        content = m["content"]
        if len(content) > max_chars:
            content = content[:max_chars] + f" ... [{len(m['content']) - max_chars} more characters]"
        lines.append(f"[{k}] {m['role']}: {content}")
    body = "\n".join(lines)
    fence = _fence(body)
    return f"{fence}text\n{body}\n{fence}"


def error_markdown(kind: str, cases: Sequence[Mapping[str, Any]], system: str) -> str:
    title, blurb = _ERROR_TITLES[kind]
    out = [f"# {title} -- {system}", "", blurb, ""]
    if not cases:
        out.append("_None._")
        return "\n".join(out) + "\n"
    for r in cases:
        out.append(f"## {r['rank']}. `{r['id']}` -- {r['subtype']} ({r['harm_category']})")
        out.append("")
        extra = []
        if "predicted_harm_category" in r:
            extra.append(f"predicted category {r['predicted_harm_category']} ({r['predicted_harm_category_prob']:.2f})")
        if "predicted_pushes" in r:
            extra.append(f"predicted pushes {r['predicted_pushes']}")
        if r.get("terminate_from_turn") is not None:
            extra.append(f"labelled terminate_from_turn {r['terminate_from_turn']}")
        out.append(f"- action **{r['action']}**; harm score {r['terminate_score']:.3f} (effective "
                   f"{r['effective_score']:.3f}, threshold {r['terminate_threshold']:.3f}); crisis score "
                   f"{r['crisis_score']:.3f} (threshold {r['crisis_threshold']:.3f}); "
                   f"{r['n_assistant_turns']} assistant turn(s)")
        if extra:
            out.append("- " + "; ".join(extra))
        ev = r.get("evidence")
        if ev:
            out.append(f"- evidence: refusals at {ev['refusal_turns'] or 'none'}, pushes at {ev['push_turns'] or 'none'}, "
                       f"refused pushes at {ev['refused_pushes'] or 'none'}; most alarming user turn "
                       f"{ev['crisis_turn']} (crisis {ev['crisis_turn_score']:.3f})")
        out.append(f"- why: {r['reason']}")
        out.append("")
        if r.get("messages"):
            out.append(_conversation_text(r["messages"]))
            out.append("")
    return "\n".join(out) + "\n"


def write_error_pages(cases: Mapping[str, Sequence[Mapping[str, Any]]], folder: str | Path, system: str) -> list[Path]:
    """``<kind>.jsonl`` and ``<kind>.md`` for each kind in ``cases`` (see :func:`error_cases`)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for kind, recs in cases.items():
        write_jsonl(recs, folder / f"{kind}.jsonl")
        (folder / f"{kind}.md").write_text(error_markdown(kind, recs, system), encoding="utf-8")
        files += [folder / f"{kind}.jsonl", folder / f"{kind}.md"]
    return files
