"""Turn-by-turn replay: when would the policy end each conversation?

A deployment decides after every user turn (:class:`convguard.guard.Session`).  Replay does the
same offline, cheaply:

1. :func:`replay_scores` cuts every conversation at each of its user turns and scores **all** the
   prefixes in batched ``guard.score`` calls (never one model call per prefix) -- once;
2. :func:`replay` applies any thresholds and rules to those cached scores with
   :func:`convguard.evaluation.apply_policy` (crisis always overrides) and finds, for every
   conversation, the first user turn at which the policy ends it.

So trying other thresholds (:func:`replay_grid`) costs no model call.  :func:`write_replay` is the
``convguard replay`` job; its page (:func:`write_replay_outputs`) and the replay section of
``convguard evaluate``'s report (:func:`replay_section`) are written here too.

Turns are **message indices** (the index of the user message after which the decision is taken),
like the labels' ``terminate_from_turn``.  For every termination-worthy conversation with a
labelled turn, ``delta = first_end_turn - terminate_from_turn``: negative is a *premature* end
(ended before the label allows, e.g. at the first request), 0 on time, positive *late*; never
ended is *missed*.  Conversations labelled ``terminate=0`` that are ended at any turn are *false
ends* (counted separately), and crisis conversations ended at any turn break the promise (zero).
"""

from __future__ import annotations

import dataclasses

import bisect
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from . import metrics as M
from .evaluation import MAIN, ScoreTable, score_bundle, score_table, table_from_scores
from .formatting import fmt, fmt_auto, fmt_threshold, md_table
from .io import write_csv, write_json, write_jsonl
from .policy import Rules, Thresholds, apply_policy
from .schema import Conversation
from .tracking import metric_key, tracked_run

log = logging.getLogger(__name__)

__all__ = ["ReplayScores", "ReplayResult", "user_prefixes", "replay_scores", "replay_scores_from_arrays",
           "replay", "replay_grid", "REPLAY_HEADERS", "replay_rows", "replay_section", "write_replay_summaries",
           "write_replay_outputs", "write_replay"]

#: per-conversation outcomes
OUTCOMES = ("premature", "on_time", "late", "missed", "ended_no_turn_label", "not_ended_no_turn_label",
            "false_end", "correct_continue", "crisis_ended", "crisis_supported", "crisis_not_supported",
            "ended_unlabelled", "continued_unlabelled")


@dataclass
class ReplayScores:
    """Cached scores of every user-turn prefix.

    ``table`` has one row per prefix (labelled as of that turn, see
    :meth:`Conversation.prefix`), rows grouped by conversation in turn order; ``conv_index[r]``
    is the row's conversation (index into ``convs``) and ``turn[r]`` the message index of its
    last (user) message.  Conversations without any user message cannot be replayed and are
    listed in ``skipped``."""

    convs: list[Conversation]
    table: ScoreTable
    conv_index: np.ndarray
    turn: np.ndarray
    skipped: list[str] = field(default_factory=list)

    @property
    def systems(self) -> list[str]:
        return list(self.table.systems)


@dataclass
class ReplayResult:
    """Outcome of one replay: one record per conversation and a summary (see :func:`replay`)."""

    system: str
    thresholds: Thresholds
    rules: Rules
    records: list[dict[str, Any]]
    summary: dict[str, Any]
    #: first_end_turn - terminate_from_turn for termination-worthy conversations with a labelled
    #: turn (NaN = never ended), aligned with ``summary["termination"]["ids"]``
    deltas: np.ndarray


def user_prefixes(convs: Sequence[Conversation]) -> tuple[list[Conversation], list[Conversation], np.ndarray,
                                                           np.ndarray, list[str]]:
    """``(kept, prefixes, conv_index, turn, skipped)``: every conversation cut at each of its user
    turns (the whole conversation when it ends on that turn)."""
    kept: list[Conversation] = []
    prefixes: list[Conversation] = []
    ci: list[int] = []
    tu: list[int] = []
    skipped: list[str] = []
    for c in convs:
        users = c.user_turn_indices
        if not users:
            skipped.append(c.id)
            continue
        k = len(kept)
        kept.append(c)
        last = len(c.messages) - 1
        for e in users:
            prefixes.append(c if e == last else c.prefix(e))
            ci.append(k)
            tu.append(e)
    if skipped:
        log.warning("replay: %d conversation(s) without a user turn skipped (e.g. %s)", len(skipped), skipped[0])
    return kept, prefixes, np.array(ci, dtype=int), np.array(tu, dtype=int), skipped


def replay_scores(guard, convs: Sequence[Conversation], baselines: Mapping[str, Any] | None = None,
                  batch_size: int = 32, progress: bool = False) -> ReplayScores:
    """Score every user-turn prefix of ``convs`` once with ``guard`` (batched) and the optional
    baselines (``{"terminate": BaselineModel, "crisis": BaselineModel}``)."""
    kept, prefixes, ci, tu, skipped = user_prefixes(convs)
    if not prefixes:
        raise ValueError("replay: no conversation has a user turn to score")
    table = score_table(guard, prefixes, baselines, batch_size=batch_size, progress=progress)
    return ReplayScores(kept, table, ci, tu, skipped)


def replay_scores_from_arrays(convs: Sequence[Conversation], systems: Mapping[str, Mapping[str, Any]]
                              ) -> ReplayScores:
    """:class:`ReplayScores` from precomputed prefix scores (tests, other scorers): ``systems``
    maps a system name to ``{"terminate": [...], "crisis": [...]}`` with one value per user-turn
    prefix, in the order of :func:`user_prefixes` (conversation by conversation, turn order)."""
    kept, prefixes, ci, tu, skipped = user_prefixes(convs)
    table = table_from_scores(prefixes, {s: {k: np.asarray(v, dtype=float) if np.ndim(v) == 1 else np.asarray(v)
                                             for k, v in d.items()} for s, d in systems.items()})
    return ReplayScores(kept, table, ci, tu, skipped)


# ------------------------------------------------------------------------------------------
# replay
# ------------------------------------------------------------------------------------------

def _first_turns(rs: ReplayScores, mask: np.ndarray) -> list[int | None]:
    """First turn (message index) per conversation at which ``mask`` holds, else None."""
    first: list[int | None] = [None] * len(rs.convs)
    for r in np.flatnonzero(mask):
        k = int(rs.conv_index[r])
        if first[k] is None:  # rows are in turn order within a conversation
            first[k] = int(rs.turn[r])
    return first


def _user_pos(users: list[int], turn: int) -> int:
    """Index among the user turns of the first user turn at or after message ``turn``."""
    return bisect.bisect_left(users, turn)


def replay(rs: ReplayScores, thresholds: Thresholds, rules: Rules, system: str = MAIN) -> ReplayResult:
    """Apply a policy to the cached prefix scores and report, per conversation, the first turn
    at which it is ended (and routed to crisis support).

    Summary keys: ``n_conversations``, ``n_prefixes``, ``n_skipped``;
    ``termination`` (termination-worthy, non-crisis conversations with ``terminate_from_turn``):
    the :func:`convguard.metrics.summarize_turn_deltas` fields (``n``, ``n_ended``,
    ``n_premature``, ``n_on_time``, ``n_late``, ``n_never_ended``, ``premature_rate``,
    ``mean_delta``, ``median_delta``) plus ``n_missed`` (= never ended), ``recall_any_turn``,
    ``n_premature_first_request`` (ended at the very first user turn), ``mean_late_turns`` /
    ``max_late_turns`` (how late, in message indices) and ``mean_late_user_turns`` (in user
    turns), ``premature_ids``, ``late_ids``, ``missed_ids``; ``n_terminate_without_turn_label``
    and ``n_ended_without_turn_label`` for positives without a labelled turn;
    ``false_ends`` (conversations labelled ``terminate=0``, crisis excluded, ended at any turn):
    ``n``, ``n_false_end``, ``rate``, ``benign_edgy_n``, ``benign_edgy_false_end``,
    ``benign_edgy_rate``, ``by_subtype`` {subtype: {n, n_false_end, rate}}, ``ids``, and the
    non-crisis conversations sent to crisis support at some turn (``n_non_crisis``,
    ``n_false_crisis_support``, ``false_crisis_support_rate``, ``false_crisis_support_ids``);
    ``crisis``: ``n_crisis``, ``n_crisis_ended`` (the promise is 0), ``crisis_ended_ids``,
    ``promise_kept``, ``n_crisis_supported`` (routed to crisis support at some turn),
    ``crisis_support_rate``; ``actions``: action counts over all prefixes.
    """
    t = rs.table
    sysd = t.systems[system]
    pol = apply_policy(sysd, thresholds, rules, t.n_assistant, t.taxonomy)
    actions, eff = pol.actions, pol.effective
    first_end = _first_turns(rs, actions == "end_conversation")
    first_crisis = _first_turns(rs, actions == "crisis_support")
    max_eff = np.zeros(len(rs.convs))
    np.maximum.at(max_eff, rs.conv_index, eff)

    records: list[dict[str, Any]] = []
    for k, c in enumerate(rs.convs):
        lab = c.labels
        users = c.user_turn_indices
        fe, fc = first_end[k], first_crisis[k]
        if fe is not None and fc is not None and fc > fe:
            fc = None  # the chat was ended before: that turn never happens
        rec: dict[str, Any] = {
            "id": c.id, "group": lab.group, "subtype": lab.subtype or "unknown",
            "harm_category": lab.harm_category or "unknown", "terminate": lab.terminate, "crisis": lab.crisis,
            "terminate_from_turn": lab.terminate_from_turn, "crisis_from_turn": lab.crisis_from_turn,
            "user_turns": users, "first_end_turn": fe, "first_crisis_support_turn": fc,
            "delta": None, "delta_user_turns": None, "max_effective_score": float(max_eff[k]),
        }
        if lab.crisis == 1:
            rec["outcome"] = "crisis_ended" if fe is not None else (
                "crisis_supported" if fc is not None else "crisis_not_supported")
        elif lab.terminate == 1:
            t_lab = lab.terminate_from_turn
            if t_lab is None:
                rec["outcome"] = "ended_no_turn_label" if fe is not None else "not_ended_no_turn_label"
            elif fe is None:
                rec["outcome"] = "missed"
            else:
                rec["delta"] = int(fe - t_lab)
                rec["delta_user_turns"] = int(_user_pos(users, fe) - _user_pos(users, t_lab))
                rec["outcome"] = "premature" if fe < t_lab else ("on_time" if fe == t_lab else "late")
        elif lab.terminate == 0:
            rec["outcome"] = "false_end" if fe is not None else "correct_continue"
        else:
            rec["outcome"] = "ended_unlabelled" if fe is not None else "continued_unlabelled"
        records.append(rec)

    # -- termination-worthy with a labelled turn -----------------------------------------------
    worthy = [r for r in records if r["terminate"] == 1 and r["crisis"] != 1 and r["terminate_from_turn"] is not None]
    term: dict[str, Any] = {"n": 0}
    deltas = np.array([], dtype=float)
    if worthy:
        deltas = M.turn_deltas([r["first_end_turn"] for r in worthy], [r["terminate_from_turn"] for r in worthy])
        term = dict(M.summarize_turn_deltas(deltas))
        late = [r for r in worthy if r["outcome"] == "late"]
        term.update({
            "n_missed": term["n_never_ended"],
            "recall_any_turn": term["n_ended"] / term["n"],
            "n_premature_first_request": sum(1 for r in worthy if r["first_end_turn"] is not None
                                             and r["first_end_turn"] == r["user_turns"][0]
                                             and r["outcome"] == "premature"),
            "mean_late_turns": float(np.mean([r["delta"] for r in late])) if late else 0.0,
            "max_late_turns": int(max(r["delta"] for r in late)) if late else 0,
            "mean_late_user_turns": float(np.mean([r["delta_user_turns"] for r in late])) if late else 0.0,
            "premature_ids": [r["id"] for r in worthy if r["outcome"] == "premature"],
            "late_ids": [r["id"] for r in late],
            "missed_ids": [r["id"] for r in worthy if r["outcome"] == "missed"],
            "ids": [r["id"] for r in worthy],
        })
    no_turn = [r for r in records if r["terminate"] == 1 and r["crisis"] != 1 and r["terminate_from_turn"] is None]
    # -- false ends --------------------------------------------------------------------------
    neg = [r for r in records if r["terminate"] == 0 and r["crisis"] != 1]
    by_sub: dict[str, dict[str, Any]] = {}
    for r in neg:
        d = by_sub.setdefault(r["subtype"], {"n": 0, "n_false_end": 0})
        d["n"] += 1
        d["n_false_end"] += r["outcome"] == "false_end"
    for d in by_sub.values():
        d["rate"] = d["n_false_end"] / d["n"]
    benign = [r for r in neg if r["group"] == "benign_edgy"]
    n_fe = sum(r["outcome"] == "false_end" for r in neg)
    n_bfe = sum(r["outcome"] == "false_end" for r in benign)
    false_ends = {"n": len(neg), "n_false_end": n_fe, "rate": n_fe / len(neg) if neg else 0.0,
                  "benign_edgy_n": len(benign), "benign_edgy_false_end": n_bfe,
                  "benign_edgy_rate": n_bfe / len(benign) if benign else 0.0,
                  "by_subtype": dict(sorted(by_sub.items())),
                  "ids": [r["id"] for r in neg if r["outcome"] == "false_end"]}
    # crisis support shown to people who are fine, at some turn (every non-crisis conversation)
    non_crisis = [r for r in records if r["crisis"] == 0]
    n_fcs = sum(r["first_crisis_support_turn"] is not None for r in non_crisis)
    false_ends["n_non_crisis"] = len(non_crisis)
    false_ends["n_false_crisis_support"] = n_fcs
    false_ends["false_crisis_support_rate"] = n_fcs / len(non_crisis) if non_crisis else 0.0
    false_ends["false_crisis_support_ids"] = [r["id"] for r in non_crisis if r["first_crisis_support_turn"] is not None]
    # -- crisis --------------------------------------------------------------------------------
    cr = [r for r in records if r["crisis"] == 1]
    n_sup = sum(r["first_crisis_support_turn"] is not None for r in cr)
    crisis = {"n_crisis": len(cr), "n_crisis_ended": sum(r["outcome"] == "crisis_ended" for r in cr),
              "crisis_ended_ids": [r["id"] for r in cr if r["outcome"] == "crisis_ended"],
              "n_crisis_supported": n_sup, "crisis_support_rate": n_sup / len(cr) if cr else 0.0}
    crisis["promise_kept"] = crisis["n_crisis_ended"] == 0
    if not crisis["promise_kept"]:
        log.warning("replay (%s): %d crisis conversation(s) would be ended: %s", system, crisis["n_crisis_ended"],
                    ", ".join(crisis["crisis_ended_ids"][:10]))
    summary = {
        "system": system, "thresholds": dict(thresholds.__dict__), "rules": dict(rules.__dict__),
        "n_conversations": len(rs.convs), "n_prefixes": len(t), "n_skipped": len(rs.skipped),
        "termination": term,
        "n_terminate_without_turn_label": len(no_turn),
        "n_ended_without_turn_label": sum(r["outcome"] == "ended_no_turn_label" for r in no_turn),
        "false_ends": false_ends, "crisis": crisis,
        "actions": {a: int((actions == a).sum()) for a in ("continue", "end_conversation", "crisis_support")},
    }
    return ReplayResult(system, thresholds, rules, records, summary, deltas)


def headline(summary: Mapping[str, Any]) -> dict[str, float]:
    """The few replay numbers a table or MLflow shows (flat floats)."""
    t = summary.get("termination") or {}
    out: dict[str, float] = {}
    for k in ("n", "n_ended", "n_premature", "n_premature_first_request", "n_on_time", "n_late", "n_missed",
              "premature_rate", "recall_any_turn", "mean_delta", "median_delta", "mean_late_turns",
              "mean_late_user_turns"):
        if k in t:
            out[f"replay_{k}" if k != "n" else "replay_n_terminate"] = float(t[k])
    fe = summary["false_ends"]
    out["replay_n_false_end"] = float(fe["n_false_end"])
    out["replay_false_end_rate"] = float(fe["rate"])
    out["replay_benign_false_end_rate"] = float(fe["benign_edgy_rate"])
    if "false_crisis_support_rate" in fe:
        out["replay_false_crisis_support_rate"] = float(fe["false_crisis_support_rate"])
    out["replay_crisis_ended"] = float(summary["crisis"]["n_crisis_ended"])
    out["replay_crisis_support_rate"] = float(summary["crisis"]["crisis_support_rate"])
    return out


def replay_grid(rs: ReplayScores, terminate_thresholds: Sequence[float], crisis_threshold: float, rules: Rules,
                system: str = MAIN, evidence: float = 0.5) -> list[dict[str, Any]]:
    """Replay headline figures at several termination thresholds (no model call): one dict per
    threshold with ``terminate_threshold`` and the :func:`headline` keys."""
    out = []
    for th in terminate_thresholds:
        res = replay(rs, Thresholds(terminate=float(th), crisis=float(crisis_threshold), evidence=evidence), rules,
                     system)
        out.append({"terminate_threshold": float(th), **headline(res.summary)})
    return out


# ------------------------------------------------------------------------------------------
# replay pages (convguard replay, and the replay section of convguard evaluate's report)
# ------------------------------------------------------------------------------------------

REPLAY_HEADERS = ("system", "thresholds t / c", "worthy", "ended", "premature", "at 1st request", "on time", "late",
                  "mean late (msgs)", "missed", "false ends (benign)", "non-crisis -> crisis support",
                  "crisis ended")


def replay_rows(summaries: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    """One row per system (replay summaries, see :func:`replay`) under :data:`REPLAY_HEADERS`."""
    rows = []
    for name, s in summaries.items():
        t = s.get("termination") or {}
        fe = s["false_ends"]
        th = s["thresholds"]
        rows.append([name, f"{fmt_threshold(th['terminate'])} / {fmt_threshold(th['crisis'])}", fmt(t.get("n", 0)),
                     fmt(t.get("n_ended")), fmt(t.get("n_premature")), fmt(t.get("n_premature_first_request")),
                     fmt(t.get("n_on_time")), fmt(t.get("n_late")), fmt(t.get("mean_late_turns"), 2),
                     fmt(t.get("n_missed")),
                     f"{fe['n_false_end']}/{fe['n']} ({fe['benign_edgy_false_end']}/{fe['benign_edgy_n']})",
                     f"{fe.get('n_false_crisis_support', '-')}/{fe.get('n_non_crisis', '-')}",
                     fmt(s["crisis"]["n_crisis_ended"])])
    return rows


def replay_section(summaries: Mapping[str, Mapping[str, Any]], hist: str | None, level: int = 2) -> str:
    """The Markdown section on the replay: the table, the crisis conversations ended and the
    premature ends per system, and the turns-to-termination histogram ``hist`` (a relative path)."""
    h = "#" * level
    out = [f"{h} Turn-by-turn replay", "",
           "Every conversation is replayed message by message and scored after each user turn, as a deployment "
           "would. Turns are message indices; *premature* = ended before `terminate_from_turn` (at 1st request: "
           "at the very first user turn), *late* = after it, *missed* = never ended; *false ends* = conversations "
           "labelled `terminate=0` (crisis excluded) ended at any turn (benign-edgy in brackets); *non-crisis -> crisis "
           "support* = conversations without a crisis label routed to crisis support at some turn; *crisis ended* "
           "must be 0.", "", md_table(REPLAY_HEADERS, replay_rows(summaries)), ""]
    for name, s in summaries.items():
        ids = s["crisis"]["crisis_ended_ids"]
        if ids:
            out.append(f"**{name}: crisis conversations ended:** " + ", ".join(f"`{i}`" for i in ids))
            out.append("")
        t = s.get("termination") or {}
        if t.get("premature_ids"):
            out.append(f"{name}: premature ends: " + ", ".join(f"`{i}`" for i in t["premature_ids"][:20])
                       + (" ..." if len(t["premature_ids"]) > 20 else ""))
            out.append("")
    if hist:
        out += [f"![turns to termination]({hist})", ""]
    return "\n".join(out)


def write_replay_summaries(out: Path, results: Mapping[str, ReplayResult]) -> tuple[list[Path], str | None]:
    """``replay.json`` (the summaries) and ``plots/turns_to_termination.png`` (when some system
    has a termination turn to compare) in ``out`` for ``results`` (system -> :class:`ReplayResult`).
    Returns the files and the histogram's path relative to ``out`` (None without one)."""
    from . import plots as P

    out = Path(out)
    files: list[Path] = []
    series = {k: v.deltas for k, v in results.items() if len(v.deltas)}
    hist = None
    if series:
        files.append(P.plot_turns_histogram(series, out / "plots" / "turns_to_termination.png"))
        hist = "plots/turns_to_termination.png"
    files.append(write_json({k: v.summary for k, v in results.items()}, out / "replay.json"))
    return files, hist


def write_replay_outputs(out: Path, results: Mapping[str, Any], grid: Sequence[Mapping[str, Any]] | None,
                         *, data_name: str = "data") -> list[Path]:
    """replay.md, replay.json, replay_grid.csv, plots/turns_to_termination.png for
    ``results`` (system -> :class:`ReplayResult`)."""
    out = Path(out)
    files, hist = write_replay_summaries(out, results)
    summaries = {k: v.summary for k, v in results.items()}
    md = [f"# convguard replay -- {data_name}", "", replay_section(summaries, hist, level=2)]
    if grid:
        files.append(write_csv(grid, out / "replay_grid.csv"))
        cols = ["terminate_threshold", "replay_n_premature", "replay_n_on_time", "replay_n_late", "replay_n_missed",
                "replay_false_end_rate", "replay_benign_false_end_rate", "replay_crisis_ended"]
        md += ["## Other termination thresholds (same cached scores, no model call)", "",
               md_table(["t", "premature", "on time", "late", "missed", "false-end rate", "benign false-end rate",
                         "crisis ended"], [[fmt_threshold(r[cols[0]])] + [fmt_auto(r.get(c)) for c in cols[1:]]
                                           for r in grid]), ""]
    md += ["Per-conversation outcomes: `replay_conversations.jsonl`.", ""]
    (out / "replay.md").write_text("\n".join(md), encoding="utf-8")
    files.append(out / "replay.md")
    return files


# ------------------------------------------------------------------------------------------
# the replay job: bundle + data -> folder (+ MLflow run)
# ------------------------------------------------------------------------------------------

def write_replay(bundle_dir: str | Path, convs: Sequence[Conversation], out_dir: str | Path, *,
                 terminate_threshold: float | None = None, crisis_threshold: float | None = None,
                 min_refused_pushes: int | None = None, min_pushes: int | None = None, tracker=None, baselines: bool = True, data_name: str = "data", batch_size: int = 32,
                 progress: bool = False) -> dict[str, Any]:
    """Replay ``convs`` turn by turn with the bundle's policy (thresholds and rules optionally
    overridden for the bundle's detectors) and the bundle's baselines, write ``out_dir`` and log an MLflow run (``convguard.job=replay``)
    when ``tracker`` is enabled.

    Writes ``replay.md`` (readable report), ``replay.json`` (summaries per system),
    ``replay_conversations.jsonl`` (one record per conversation for the bundle's detectors),
    ``replay_grid.csv`` (the figures at other termination thresholds) and
    ``plots/turns_to_termination.png``.  Returns ``{"out_dir", "report", "summaries", "results",
    "run_id", "files"}``.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    sb = score_bundle(bundle_dir, convs, baselines=baselines, scorer=replay_scores, batch_size=batch_size,
                      progress=progress)
    rs, policies = sb.scores, sb.policies
    th, rules = policies[MAIN]
    rules = dataclasses.replace(
        rules, min_refused_pushes=rules.min_refused_pushes if min_refused_pushes is None else int(min_refused_pushes),
        min_pushes=rules.min_pushes if min_pushes is None else int(min_pushes))
    policies[MAIN] = (dataclasses.replace(
        th, terminate=th.terminate if terminate_threshold is None else float(terminate_threshold),
        crisis=th.crisis if crisis_threshold is None else float(crisis_threshold)), rules)
    results = {name: replay(rs, pth, prules, name) for name, (pth, prules) in policies.items() if name in rs.systems}
    main = results[MAIN]
    grid_thr = sorted(set(np.round(np.linspace(0.05, 0.95, 19), 2).tolist()) | {main.thresholds.terminate})
    grid = replay_grid(rs, grid_thr, main.thresholds.crisis, main.rules, MAIN, main.thresholds.evidence)

    files = write_replay_outputs(out, results, grid, data_name=data_name)
    write_jsonl(main.records, out / "replay_conversations.jsonl")
    files.append(out / "replay_conversations.jsonl")
    summaries = {k: v.summary for k, v in results.items()}
    run_id = None
    with tracked_run(tracker, "replay", [bundle_dir], data_name=data_name, convs=convs) as run:
        if run:
            run_id = tracker.run_id
            tracker.log_params({"thresholds": main.thresholds.__dict__, "rules": main.rules.__dict__,
                                "data": data_name, "n_conversations": len(rs.convs)})
            tracker.log_metrics(headline(main.summary))
            for name, res in results.items():
                if name != MAIN:
                    tracker.log_metrics({f"{metric_key(name)}/{k}": v for k, v in headline(res.summary).items()})
            tracker.log_artifact(out, "replay")
    return {"out_dir": str(out), "report": str(out / "replay.md"), "summaries": summaries, "results": results,
            "run_id": run_id, "files": [str(f) for f in files]}
