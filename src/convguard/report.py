"""Evaluation reports: the folder ``convguard evaluate`` (and the quickstart) writes, error-analysis
pages, the Markdown of the sweep and replay jobs, MLflow run bookkeeping and run comparison.

:func:`write_evaluation` is the one call that produces a complete report folder::

    out/
      report.md                 readable report: side-by-side table, per-category/subtype table
                                with bootstrap CIs, crisis, calibration, replay, links to everything
      report.json               every figure (evaluation.system_report per system, replay summaries)
      comparison.md|.csv        the side-by-side table alone
      plots/*.png               PR curves, threshold trade-offs, confusion matrices, reliability
                                diagrams, turns-to-termination histogram
      errors/<system>/false_terminations.jsonl|.md   worst benign-edgy conversations that were ended
      errors/<system>/missed_terminations.jsonl|.md  termination-worthy conversations scored lowest
      errors/<system>/crisis_ended.jsonl|.md         crisis conversations ended (the promise is none)
      errors/<system>/false_crisis_support.jsonl|.md non-crisis conversations sent to crisis support
      errors/<system>/missed_crisis_support.jsonl|.md crisis conversations answered normally
      replay.json, replay_conversations.jsonl, replay_grid.csv
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import json
import logging
import math
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

import numpy as np

from . import metrics as M
from .evaluation import (MAIN, ScoreTable, _termination_rows, evaluate_table, policies_from,
                         score_table, table_from_scores, turn_detector_report)
from .guard import decision_evidence
from .policy import Policy, Rules, Thresholds, apply_policy, explain, harm_scores, predicted_pushes_array
from .schema import Conversation
from .taxonomy import ACTIONS, HARM_CATEGORIES

log = logging.getLogger(__name__)

__all__ = ["write_evaluation", "eval_headline", "comparison_rows", "error_cases", "write_error_pages",
           "tracked_run", "bundle_info", "compare_runs", "format_table", "md_table"]

BASELINE = "tfidf_baseline"


# ------------------------------------------------------------------------------------------
# small formatting helpers
# ------------------------------------------------------------------------------------------

def _isnum(v: Any) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def fmt(v: Any, digits: int = 3) -> str:
    """A number for a table: '-' for None/NaN, integers as integers."""
    if v is None:
        return "-"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if _isnum(v):
        f = float(v)
        if math.isnan(f):
            return "-"
        if float(f).is_integer() and isinstance(v, (int, np.integer)):
            return str(int(f))
        return f"{f:.{digits}f}"
    return str(v)


def fmt_auto(v: Any, digits: int = 3) -> str:
    """Like :func:`fmt`, but integral floats (counts logged as floats) print as integers."""
    if _isnum(v) and not math.isnan(float(v)) and float(v).is_integer() and abs(float(v)) < 1e12:
        return str(int(float(v)))
    return fmt(v, digits)


def fmt_ci(entry: Mapping[str, Any] | None, digits: int = 3) -> str:
    """``value [low, high]`` from a metrics entry (bounds left out when undefined)."""
    if not entry:
        return "-"
    v, lo, hi = entry.get("value"), entry.get("low"), entry.get("high")
    s = fmt(v, digits)
    if lo is not None and hi is not None and not (math.isnan(float(lo)) or math.isnan(float(hi))):
        s += f" [{float(lo):.{digits}f}, {float(hi):.{digits}f}]"
    return s


def _cell(x: Any) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def md_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table."""
    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with aligned columns (for the terminal)."""
    cells = [[str(h) for h in headers]] + [[fmt_auto(c) if not isinstance(c, str) else c for c in r] for r in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)


def metric_key(name: str) -> str:
    """MLflow-safe metric key fragment."""
    return M._metric_key(name)


def slug(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(name)).strip("_") or "system"


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "__dict__"):
        return o.__dict__
    return str(o)


def write_json(obj: Any, path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(obj, indent=1, default=_json_default, allow_nan=True), encoding="utf-8")
    return p


def write_csv(rows: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()})
    return p


def _rel(p: Path, base: Path) -> str:
    try:
        return str(Path(p).relative_to(base)).replace("\\", "/")
    except ValueError:
        return str(p)


# ------------------------------------------------------------------------------------------
# MLflow bookkeeping
# ------------------------------------------------------------------------------------------

def bundle_info(bundle_dir: str | Path) -> dict[str, Any]:
    """Path, manifest hash (``sha``: sha256 of manifest.json) and training run ids of a bundle."""
    root = Path(bundle_dir)
    mpath = root / "manifest.json"
    info: dict[str, Any] = {"path": str(root.resolve()), "sha": None, "quickstart_run": None, "training_runs": None}
    if mpath.exists():
        raw = mpath.read_bytes()
        info["sha"] = hashlib.sha256(raw).hexdigest()
        try:
            m = json.loads(raw)
            info["quickstart_run"] = m.get("quickstart_run")
            info["training_runs"] = m.get("training_runs")
        except ValueError:
            pass
    return info


def _run_exists(run_id: str) -> bool:
    import mlflow

    try:
        mlflow.MlflowClient().get_run(run_id)
        return True
    except Exception:  # noqa: BLE001 - MlflowException for unknown ids, anything else: treat as absent
        return False


@contextlib.contextmanager
def tracked_run(tracker, job: str, bundle_dirs: Sequence[str | Path], *, data_name: str = "data",
                convs: Sequence[Conversation] | None = None, run_name: str | None = None) -> Iterator[str | None]:
    """An MLflow run for an evaluation job (``job`` = evaluate | sweep | replay), or nothing when
    ``tracker`` is None/disabled (yields None).

    Tags: ``convguard.job``, ``convguard.bundle`` / ``convguard.bundle_sha`` (sha256 of the first
    bundle's manifest.json; all bundles in ``convguard.bundles``), ``convguard.data`` /
    ``convguard.data_sha256``, ``convguard.training_run`` (the bundle's ``quickstart_run``) and
    ``convguard.training_runs``; the data (``convs``) is also the run's MLflow dataset input
    ``data_name``, context ``job`` (:meth:`convguard.tracking.Tracker.log_data`).  Inside an
    active run (e.g. the quickstart's) the run is nested under it; otherwise it is nested under
    the bundle's ``quickstart_run`` when that run exists in the same store."""
    if tracker is None or not getattr(tracker, "enabled", False):
        yield None
        return
    import mlflow

    infos = [bundle_info(b) for b in bundle_dirs]
    first = infos[0]
    tags = {"convguard.job": job, "convguard.bundle": first["path"], "convguard.bundle_sha": first["sha"] or "",
            "convguard.data": data_name}
    if len(infos) > 1:
        tags["convguard.bundles"] = json.dumps([{"path": i["path"], "sha": i["sha"]} for i in infos])
    fp = None
    if convs is not None:
        from .dataset import fingerprint

        fp = fingerprint(list(convs))
        tags["convguard.data_sha256"] = fp["sha256"]
    if first["quickstart_run"]:
        tags["convguard.training_run"] = first["quickstart_run"]
    if first["training_runs"]:
        tags["convguard.training_runs"] = json.dumps(first["training_runs"])
    active = mlflow.active_run() is not None
    parent = None
    if not active and first["quickstart_run"] and _run_exists(first["quickstart_run"]):
        parent = first["quickstart_run"]
    with tracker.run(run_name or job, nested=active, tags=tags, parent_run_id=parent):
        if fp is not None:  # the data as an MLflow dataset input (tracking.data_input), context: the job
            tracker.log_data(fp, data_name, job)
        yield tracker.run_id


# ------------------------------------------------------------------------------------------
# headline figures and the side-by-side table
# ------------------------------------------------------------------------------------------

def eval_headline(rep: Mapping[str, Any]) -> dict[str, float]:
    """Flat headline numbers of one :func:`convguard.evaluation.system_report` under the names
    MLflow runs and ``convguard compare`` use."""
    out: dict[str, float] = {}
    t = rep.get("termination")
    if t:
        for k, name in (("precision", "term_precision"), ("recall", "term_recall"), ("f1", "term_f1"),
                        ("fpr", "benign_ftr"), ("pr_auc", "term_pr_auc"), ("roc_auc", "term_roc_auc")):
            out[name] = t[k]["value"]
            out[f"{name}_low"] = t[k]["low"]
            out[f"{name}_high"] = t[k]["high"]
    c = rep.get("crisis")
    if c:
        out["crisis_recall"] = c["recall"]["value"]
        out["crisis_precision"] = c["precision"]["value"]
        out["crisis_ended"] = c["n_crisis_ended"]
        if c.get("figurative"):
            out["fig_crisis_false_alarm"] = c["figurative"]["false_alarm_rate"]["value"]
    for k, v in (rep.get("calibration") or {}).items():
        out[{"terminate_ece": "ece_terminate", "crisis_ece": "ece_crisis"}.get(k, k)] = v
    if rep.get("ordinary_false_termination_rate") is not None:
        out["ordinary_ftr"] = rep["ordinary_false_termination_rate"]
    # crisis support shown to people who are fine, beside benign chats ended
    for k in ("benign_crisis_rate", "benign_edgy_crisis_rate", "non_crisis_crisis_rate"):
        if rep.get(k) is not None:
            out[k] = rep[k]
    if c:
        out["crisis_routed"] = c["crisis_support_rate"]
    for head, r in (rep.get("turn_detector") or {}).items():
        if isinstance(r, dict):
            out.update({f"turn_{head}_{k}": r[k] for k in ("precision", "recall", "f1", "pr_auc") if r.get(k) is not None})
    return {k: float(v) for k, v in out.items() if _isnum(v)}


COMPARISON_HEADERS = ("system", "thresholds t / c", "term precision", "term recall", "term F1", "benign FTR",
                      "benign crisis", "PR-AUC", "ROC-AUC", "crisis recall", "crisis precision", "crisis ended",
                      "fig. crisis FA",
                      "ECE term", "ECE crisis")


def comparison_rows(reports: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    """One row per system for the side-by-side table (:data:`COMPARISON_HEADERS`)."""
    rows = []
    for name, rep in reports.items():
        t = rep.get("termination") or {}
        c = rep.get("crisis") or {}
        cal = rep.get("calibration") or {}
        th = rep.get("thresholds") or {}
        fig = (c.get("figurative") or {}) if c else {}
        rows.append([
            name, f"{_thr(th['terminate']) if th.get('terminate') is not None else '-'} / "
            f"{_thr(th['crisis']) if th.get('crisis') is not None else '-'}",
            fmt_ci(t.get("precision")), fmt_ci(t.get("recall")), fmt_ci(t.get("f1")), fmt_ci(t.get("fpr")),
            fmt(rep.get("benign_crisis_rate")),
            fmt_ci(t.get("pr_auc")), fmt_ci(t.get("roc_auc")),
            fmt_ci(c.get("recall")), fmt_ci(c.get("precision")),
            fmt(c.get("n_crisis_ended")) if c else "-",
            fmt_ci(fig.get("false_alarm_rate")) if fig else "-",
            fmt(cal.get("terminate_ece")), fmt(cal.get("crisis_ece")),
        ])
    return rows


def _group_table(reports: Mapping[str, Mapping[str, Any]]) -> str:
    """Rows: harm categories (recall) and benign-edgy subtypes (false-termination rate);
    columns: systems; cells with bootstrap 95% CIs."""
    names = [n for n, r in reports.items() if r.get("termination")]
    if not names:
        return "_No termination-worthy vs benign-edgy conversations with both classes in this data._"
    groups: dict[str, int] = {}
    for n in names:
        for g, e in reports[n]["termination"]["by_group"].items():
            groups[str(g)] = e["n"]
    keys = sorted(groups, key=lambda g: (g.startswith("benign:"), g))
    rows = []
    for g in keys:
        is_benign = g.startswith("benign:")
        label = f"benign-edgy: {g.split(':', 1)[1]}" if is_benign else f"harm: {g}"
        row = [label, "FTR" if is_benign else "recall", groups[g]]
        for n in names:
            e = reports[n]["termination"]["by_group"].get(g)
            row.append(fmt_ci(e.get("fpr" if is_benign else "recall")) if e else "-")
        rows.append(row)
    return md_table(["group", "metric", "n"] + names, rows)


# ------------------------------------------------------------------------------------------
# error analysis
# ------------------------------------------------------------------------------------------

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
    pol = apply_policy(sysd, thresholds, rules, table.n_assistant)
    actions, eff = pol.actions, pol.effective
    raw = harm_scores(sysd, rules)  # the score the policy compares with thresholds.terminate
    crisis = np.asarray(sysd["crisis"], dtype=float)
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
            "crisis_score": float(crisis[i]), "terminate_threshold": float(thresholds.terminate),
            "crisis_threshold": float(thresholds.crisis), "n_assistant_turns": int(table.n_assistant[i]),
            "reason": explain(pol, i, sysd, thresholds, rules),
        }
        if "turns" in sysd:
            r["evidence"] = decision_evidence(sysd["turns"][i], thresholds.evidence, str(pol.codes[i]),
                                              int(pol.refused_pushes[i]))
        if "harm_category" in sysd:
            k = int(np.argmax(sysd["harm_category"][i]))
            r["predicted_harm_category"] = HARM_CATEGORIES[k]
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
    from .io import write_jsonl

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for kind, recs in cases.items():
        write_jsonl(recs, folder / f"{kind}.jsonl")
        (folder / f"{kind}.md").write_text(error_markdown(kind, recs, system), encoding="utf-8")
        files += [folder / f"{kind}.jsonl", folder / f"{kind}.md"]
    return files


# ------------------------------------------------------------------------------------------
# plots for one evaluation
# ------------------------------------------------------------------------------------------

def _both(y: np.ndarray) -> bool:
    return len(y) > 0 and 0 < int(np.sum(y == 1)) < len(y)


def _expected_actions(table: ScoreTable) -> tuple[np.ndarray, np.ndarray]:
    """(rows with a known expected action, the expected action): crisis -> crisis_support,
    termination-worthy -> end_conversation, else continue."""
    rows = (table.y_crisis == 1) | (table.y_terminate >= 0)
    exp = np.where(table.y_crisis == 1, "crisis_support",
                   np.where(table.y_terminate == 1, "end_conversation", "continue")).astype(object)
    return rows, exp


def _evaluation_plots(table: ScoreTable, policies: Mapping[str, tuple[Thresholds, Rules]], plots: Path
                      ) -> dict[str, list[Path]]:
    from . import plots as P
    from .thresholds import sweep

    out: dict[str, list[Path]] = {"pr": [], "tradeoff": [], "confusion": [], "reliability": []}
    rows = _termination_rows(table)
    y = table.y_terminate[rows]
    known_c = table.y_crisis >= 0
    yc = table.y_crisis[known_c]
    names = [n for n in policies if n in table.systems]
    if _both(y):
        out["pr"].append(P.plot_pr_curves({n: (y, np.asarray(table.systems[n]["terminate"])[rows]) for n in names},
                                          plots / "pr_terminate.png",
                                          title="Termination: termination-worthy vs benign-edgy (raw score)"))
    if _both(yc):
        out["pr"].append(P.plot_pr_curves({n: (yc, np.asarray(table.systems[n]["crisis"])[known_c]) for n in names},
                                          plots / "pr_crisis.png", title="Crisis detector"))
    erows, expected = _expected_actions(table)
    g = np.array(table.group, dtype=object)[rows]
    for n in names:
        th, rules = policies[n]
        sysd = table.systems[n]
        pol = apply_policy(sysd, th, rules, table.n_assistant)
        actions, eff = pol.actions, pol.effective
        s = slug(n)
        if _both(y):
            benign = (g == "benign_edgy") & (y == 0)
            st = sweep(y, eff[rows], negatives_mask=benign if benign.any() else None)
            out["tradeoff"].append(P.plot_threshold_tradeoff(st, plots / f"tradeoff_{s}.png", th.terminate,
                                                             title=f"{n}: termination threshold on this data"))
            out["reliability"].append(P.plot_reliability(y, np.asarray(sysd["terminate"])[rows],
                                                         plots / f"reliability_terminate_{s}.png",
                                                         title=f"{n}: termination"))
        if _both(yc):
            out["reliability"].append(P.plot_reliability(yc, np.asarray(sysd["crisis"])[known_c],
                                                         plots / f"reliability_crisis_{s}.png", title=f"{n}: crisis"))
        if erows.any():
            cm = M.confusion_matrix(expected[erows], actions[erows], labels=ACTIONS)
            out["confusion"].append(P.plot_confusion(cm, ACTIONS, plots / f"confusion_{s}.png",
                                                     title=f"{n}: expected (rows) vs policy action"))
    return out


# ------------------------------------------------------------------------------------------
# replay outputs (shared by write_evaluation and convguard replay)
# ------------------------------------------------------------------------------------------

REPLAY_HEADERS = ("system", "thresholds t / c", "worthy", "ended", "premature", "at 1st request", "on time", "late",
                  "mean late (msgs)", "missed", "false ends (benign)", "non-crisis -> crisis support",
                  "crisis ended")


def replay_rows(summaries: Mapping[str, Mapping[str, Any]]) -> list[list[str]]:
    rows = []
    for name, s in summaries.items():
        t = s.get("termination") or {}
        fe = s["false_ends"]
        th = s["thresholds"]
        rows.append([name, f"{_thr(th['terminate'])} / {_thr(th['crisis'])}", fmt(t.get("n", 0)), fmt(t.get("n_ended")),
                     fmt(t.get("n_premature")), fmt(t.get("n_premature_first_request")), fmt(t.get("n_on_time")),
                     fmt(t.get("n_late")), fmt(t.get("mean_late_turns"), 2), fmt(t.get("n_missed")),
                     f"{fe['n_false_end']}/{fe['n']} ({fe['benign_edgy_false_end']}/{fe['benign_edgy_n']})",
                     f"{fe.get('n_false_crisis_support', '-')}/{fe.get('n_non_crisis', '-')}",
                     fmt(s["crisis"]["n_crisis_ended"])])
    return rows


def replay_section(summaries: Mapping[str, Mapping[str, Any]], hist: str | None, level: int = 2) -> str:
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


def write_replay_outputs(out: Path, results: Mapping[str, Any], grid: Sequence[Mapping[str, Any]] | None,
                         *, data_name: str = "data") -> list[Path]:
    """replay.md, replay.json, replay_grid.csv, plots/turns_to_termination.png for
    ``results`` (system -> :class:`convguard.replay.ReplayResult`)."""
    from . import plots as P

    out = Path(out)
    files: list[Path] = []
    summaries = {k: v.summary for k, v in results.items()}
    series = {k: v.deltas for k, v in results.items() if len(v.deltas)}
    hist = None
    if series:
        files.append(P.plot_turns_histogram(series, out / "plots" / "turns_to_termination.png"))
        hist = "plots/turns_to_termination.png"
    files.append(write_json(summaries, out / "replay.json"))
    md = [f"# convguard replay -- {data_name}", "", replay_section(summaries, hist, level=2)]
    if grid:
        files.append(write_csv(grid, out / "replay_grid.csv"))
        cols = ["terminate_threshold", "replay_n_premature", "replay_n_on_time", "replay_n_late", "replay_n_missed",
                "replay_false_end_rate", "replay_benign_false_end_rate", "replay_crisis_ended"]
        md += ["## Other termination thresholds (same cached scores, no model call)", "",
               md_table(["t", "premature", "on time", "late", "missed", "false-end rate", "benign false-end rate",
                         "crisis ended"], [[_thr(r[cols[0]])] + [fmt_auto(r.get(c)) for c in cols[1:]]
                                           for r in grid]), ""]
    md += ["Per-conversation outcomes: `replay_conversations.jsonl`.", ""]
    (out / "replay.md").write_text("\n".join(md), encoding="utf-8")
    files.append(out / "replay.md")
    return files


# ------------------------------------------------------------------------------------------
# sweep page
# ------------------------------------------------------------------------------------------

def _thr(t: float) -> str:
    """A threshold with enough digits to tell clustered scores apart."""
    return f"{float(t):.6g}"


def sweep_markdown(results: Mapping[str, Any], replays: Mapping[str, Any], selection: Mapping[str, Any],
                   old_policy: Policy, *, write: bool, data_name: str) -> str:
    """The readable page of ``convguard sweep`` (results: system -> SweepResult)."""
    main = results[MAIN]
    d = selection["data"]
    out = [f"# convguard sweep -- {data_name}", "",
           f"Rows: {d['n_rows']} user-turn prefixes of {d['n_conversations']} conversations (data sha256 "
           f"`{d['sha256'][:12]}`), labelled as of each turn. Termination threshold swept on the *effective* "
           f"score (crisis override and rules applied: min_refused_pushes={main.rules.min_refused_pushes}, "
           f"min_pushes={main.rules.min_pushes}).", "",
           "## Chosen thresholds", ""]
    rows = []
    for s, r in results.items():
        for head, ch in (("terminate", r.terminate), ("crisis", r.crisis)):
            a = ch.achieved
            rows.append([s, head, ch.strategy, ", ".join(f"{k}={v}" for k, v in ch.params.items()) or "-",
                         _thr(ch.threshold), fmt(a["precision"]), fmt(a["recall"]), fmt(a["fpr"]),
                         "yes" if ch.feasible else "**NO**", ch.message])
    out += [md_table(["system", "head", "strategy", "params", "threshold", "precision", "recall", "FPR", "feasible",
                      "note"], rows), ""]
    out += ["## What each termination strategy would pick (" + MAIN + ")", ""]
    out += [md_table(["strategy", "params", "threshold", "precision", "recall", "F1", "FPR", "feasible"],
                     [[k, ", ".join(f"{p}={v}" for p, v in c.params.items()) or "-", _thr(c.threshold),
                       fmt(c.achieved["precision"]), fmt(c.achieved["recall"]), fmt(c.achieved["f1"]),
                       fmt(c.achieved["fpr"]), "yes" if c.feasible else "no"]
                      for k, c in main.alternatives.items()]), ""]
    old = old_policy.thresholds
    out += ["## Replay: current policy vs chosen", "",
            f"Current: terminate {old.terminate:.4f}, crisis {old.crisis:.4f}, rules "
            f"{old_policy.rules.__dict__}. Chosen: terminate {main.terminate.threshold:.4f}, crisis "
            f"{main.crisis.threshold:.4f}, rules {main.rules.__dict__}.", "",
            md_table(REPLAY_HEADERS, replay_rows({k: v.summary for k, v in replays.items()})), "",
            "![turns to termination](plots/turns_to_termination.png)", ""]
    # coarse view of the full table
    from .sweeping import sweep_records

    term, crisis = sweep_records(main)

    def coarse(recs: list[dict[str, Any]], chosen: float, k: int = 16) -> list[dict[str, Any]]:
        """About ``k`` rows evenly spaced over the table (scores cluster, so not over [0, 1]),
        plus the chosen threshold's row."""
        th = np.array([r["threshold"] for r in recs])
        pick = set(np.unique(np.linspace(0, len(recs) - 1, min(k, len(recs))).round().astype(int)).tolist())
        pick.add(int(np.clip(np.searchsorted(th, chosen, side="right") - 1, 0, len(th) - 1)))
        return [dict(recs[i], chosen="<-- chosen" if th[i] == chosen else "") for i in sorted(pick)]

    out += ["## Termination sweep (coarse; full table in `sweep_terminate.csv`)", "",
            "![termination trade-off](plots/tradeoff_terminate.png)", "",
            md_table(["threshold", "precision", "recall", "F1", "FTR (all negatives)", "benign FTR", "ended", ""],
                     [[_thr(r["threshold"]), fmt(r["precision"]), fmt(r["recall"]), fmt(r["f1"]),
                       fmt(r["false_termination_rate"]), fmt(r["benign_false_termination_rate"]), r["n_predicted"],
                       r["chosen"]] for r in coarse(term, main.terminate.threshold)]), "",
            "## Crisis sweep (coarse; full table in `sweep_crisis.csv`)", "",
            "![crisis trade-off](plots/tradeoff_crisis.png)", "",
            md_table(["threshold", "precision", "recall", "false-alarm rate", "flagged", ""],
                     [[_thr(r["threshold"]), fmt(r["precision"]), fmt(r["recall"]), fmt(r["false_alarm_rate"]),
                       r["n_predicted"], r["chosen"]] for r in coarse(crisis, main.crisis.threshold)]), ""]
    out.append(("**Written** into the bundle's `policy.yaml` (selection records the strategy and data); manifest "
                "re-hashed." if write else "Not written (pass `--write` to store these thresholds in the bundle)."))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------
# the evaluation report
# ------------------------------------------------------------------------------------------

def complete_policies(policies: dict[str, tuple[Thresholds, Rules]], systems: Sequence[str], main: str) -> list[str]:
    """Give the baseline a policy when the bundle's ``selection.baselines`` has none (a bundle
    not made by the quickstart): default thresholds (0.5 / 0.5) and the main system's rules.
    Returns notes for the report."""
    notes = []
    if BASELINE in systems and BASELINE not in policies and main in policies:
        policies[BASELINE] = (Thresholds(), policies[main][1])
        notes.append(f"{BASELINE}: the bundle's policy stores no thresholds for it (selection.baselines); "
                     "evaluated at the default 0.5 / 0.5 -- compare its PR-AUC/ROC-AUC, or run `convguard sweep "
                     "--write` to choose them.")
    return notes


def _labels(bundle_dirs: Sequence[Path]) -> list[str]:
    labels = []
    for b in bundle_dirs:
        b = Path(b).resolve()
        lab = b.parent.name if b.name == "bundle" and b.parent.name else b.name
        base, k = lab, 2
        while lab in labels:
            lab, k = f"{base}-{k}", k + 1
        labels.append(lab)
    return labels


def _whole_conversations(rs, convs: Sequence[Conversation]) -> ScoreTable | None:
    """The conversation-level table taken from replay scores: a conversation that ends on a user
    turn is its own last prefix, so its row is already scored.  None when some conversation does
    not end on a user turn (then it is scored separately)."""
    rows: dict[str, int] = {}
    for r, cid in enumerate(rs.table.ids):
        if cid == rs.convs[int(rs.conv_index[r])].id:  # the prefix that is the whole conversation
            rows[cid] = r
    if len(rows) != len(convs) or any(c.id not in rows for c in convs):
        return None
    idx = np.array([rows[c.id] for c in convs])
    return table_from_scores(convs, {s: {k: v[idx] for k, v in d.items()} for s, d in rs.table.systems.items()})


def write_evaluation(bundle_dirs: str | Path | Sequence[str | Path], convs: Sequence[Conversation],
                     out_dir: str | Path, *, n_boot: int = 1000, tracker=None, baselines: bool = True,
                     errors: int = 25, seed: int = 0, data_name: str = "data", replay: bool = True,
                     calibrate_on: Sequence[Conversation] | None = None, calibrate_name: str = "calibration data",
                     batch_size: int = 32, progress: bool = False) -> dict[str, Any]:
    """Evaluate one or more bundles on ``convs`` and write the full report folder ``out_dir``
    (layout in the module docstring); log it as an MLflow run (``convguard.job=evaluate``) when
    ``tracker`` (a :class:`convguard.tracking.Tracker`) is enabled -- nested under the active
    run if there is one (the quickstart's), else under the bundle's ``quickstart_run``.

    Each bundle is scored once and judged with its own policy; the first bundle's TF-IDF
    baselines (``baselines=True``, thresholds from its policy's ``selection.baselines``) are
    added.  System names: ``convguard`` and ``tfidf_baseline`` for one bundle; with several,
    ``convguard:<label>`` per bundle (label = the bundle folder's name, or its parent's when the
    folder is called ``bundle``).  ``calibrate_on``: fit temperature scaling on these
    conversations first and store it in the first bundle
    (:func:`convguard.sweeping.fit_bundle_temperature`).  ``replay``: also replay every
    conversation turn by turn (turns-to-termination, premature/late/missed ends).

    Returns ``{"out_dir", "report" (report.md path), "reports" (system -> system_report, the
    structure :func:`convguard.evaluation.evaluate_table` returns, so
    :func:`convguard.quickstart.format_summary` takes it), "headline" (system -> flat numbers),
    "replay" (system -> replay summary), "errors" (system -> counts), "calibration", "systems",
    "run_id", "files"}``.
    """
    from .baselines import load_baselines
    from .guard import Guard
    from .io import write_jsonl

    bdirs = [Path(bundle_dirs)] if isinstance(bundle_dirs, (str, Path)) else [Path(b) for b in bundle_dirs]
    if not bdirs:
        raise ValueError("write_evaluation: no bundle given")
    convs = list(convs)
    if not convs:
        raise ValueError("write_evaluation: no conversations to evaluate")
    out = Path(out_dir)
    plots = out / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    calibration = None
    if calibrate_on is not None:
        from .sweeping import fit_bundle_temperature

        calibration = fit_bundle_temperature(bdirs[0], calibrate_on, data_name=calibrate_name, batch_size=batch_size)

    labels = _labels(bdirs)
    multi = len(bdirs) > 1
    table: ScoreTable | None = None
    policies: dict[str, tuple[Thresholds, Rules]] = {}
    bundle_systems: list[str] = []
    meta: list[dict[str, Any]] = []
    rs_by_bundle: dict[str, Any] = {}
    for k, (b, lab) in enumerate(zip(bdirs, labels)):
        guard = Guard.load(b, require_user_last=False)
        base = load_baselines(b / "baselines") if (k == 0 and baselines and (b / "baselines").exists()) else {}
        main_name = f"{MAIN}:{lab}" if multi else MAIN
        if replay:  # score every user-turn prefix once; the whole conversations are among them
            from .replay import replay_scores

            rs_by_bundle[main_name] = replay_scores(guard, convs, base or None, batch_size=batch_size,
                                                    progress=progress)
            t = _whole_conversations(rs_by_bundle[main_name], convs)
        else:
            t = None
        if t is None:
            t = score_table(guard, convs, base or None, batch_size=batch_size, progress=progress)
        pols = policies_from(guard.policy)
        rename = {MAIN: main_name, BASELINE: BASELINE}
        systems = {rename.get(s, s): d for s, d in t.systems.items()}
        for s, p in pols.items():
            if s in t.systems:
                policies[rename.get(s, s)] = p
        if table is None:
            table = t
            table.systems = systems
        else:
            table.systems.update(systems)
        bundle_systems.append(main_name)
        info = bundle_info(b)
        meta.append({"system": main_name, "path": info["path"], "sha": info["sha"], "label": lab,
                     "thresholds": dict(guard.policy.thresholds.__dict__), "rules": dict(guard.policy.rules.__dict__),
                     "temperature": dict(guard.policy.temperature),
                     "selection_data": (guard.policy.selection or {}).get("data"),
                     "quickstart_run": info["quickstart_run"]})
    assert table is not None
    notes = complete_policies(policies, table.systems, bundle_systems[0])
    # bundles first (in the order given), then baselines
    order = bundle_systems + [s for s in table.systems if s not in bundle_systems]
    policies = {s: policies[s] for s in order if s in policies and s in table.systems}
    reports = evaluate_table(table, policies, n_boot=n_boot, seed=seed)
    by_id = {c.id: c for c in convs}
    for name in bundle_systems:  # the turn detector on the labelled turns, where the data has them
        sysd = table.systems.get(name, {})
        if "turns" in sysd and name in policies:
            tr = turn_detector_report(list(sysd["turns"]), [by_id[i] for i in table.ids],
                                      policies[name][0].evidence)
            if tr:
                reports[name]["turn_detector"] = tr
    heads = {s: eval_headline(r) for s, r in reports.items()}

    # -- replay --------------------------------------------------------------------------------
    replay_summaries: dict[str, Any] = {}
    replay_results: dict[str, Any] = {}
    if replay:
        from .replay import replay as do_replay

        for name in bundle_systems:
            rs = rs_by_bundle[name]
            for s in rs.systems:
                sname = name if s == MAIN else s
                if sname in policies:
                    th, rl = policies[sname]
                    replay_results[sname] = do_replay(rs, th, rl, s)
        replay_results = {s: replay_results[s] for s in policies if s in replay_results}
        replay_summaries = {k: v.summary for k, v in replay_results.items()}
        from .replay import headline as rh

        for k, v in replay_results.items():
            heads.setdefault(k, {}).update(rh(v.summary))

    # -- files ---------------------------------------------------------------------------------
    files: list[Path] = []
    plot_files = _evaluation_plots(table, policies, plots)
    for v in plot_files.values():
        files += v
    hist = None
    if replay_results:
        from . import plots as P

        series = {k: v.deltas for k, v in replay_results.items() if len(v.deltas)}
        if series:
            files.append(P.plot_turns_histogram(series, plots / "turns_to_termination.png"))
            hist = "plots/turns_to_termination.png"
        files.append(write_json(replay_summaries, out / "replay.json"))
        first = replay_results.get(bundle_systems[0])
        if first is not None:
            write_jsonl(first.records, out / "replay_conversations.jsonl")
            files.append(out / "replay_conversations.jsonl")

    error_counts: dict[str, dict[str, int]] = {}
    error_links: dict[str, dict[str, str]] = {}
    for name in bundle_systems:
        if name not in policies:
            continue
        th, rl = policies[name]
        cases = error_cases(table, name, th, rl, by_id, n=errors)
        folder = out / "errors" / slug(name)
        files += write_error_pages(cases, folder, name)
        error_counts[name] = {k: len(v) for k, v in cases.items()}
        error_links[name] = {k: _rel(folder / f"{k}.md", out) for k in cases}

    comp_rows = comparison_rows(reports)
    comparison_md = md_table(COMPARISON_HEADERS, comp_rows)
    (out / "comparison.md").write_text(comparison_md + "\n", encoding="utf-8")
    files.append(out / "comparison.md")
    files.append(write_csv([{"system": s, **h} for s, h in heads.items()], out / "comparison.csv"))
    files.append(write_json({"data": {"name": data_name, "n": len(convs)}, "bundles": meta, "notes": notes,
                             "reports": reports,
                             "replay": replay_summaries, "calibration": calibration}, out / "report.json"))

    md = _report_markdown(data_name, convs, table, meta, reports, comparison_md, replay_summaries, hist, plot_files,
                          error_counts, error_links, calibration, n_boot, out, notes)
    (out / "report.md").write_text(md, encoding="utf-8")
    files.append(out / "report.md")

    # -- tracking ------------------------------------------------------------------------------
    run_id = None
    with tracked_run(tracker, "evaluate", bdirs, data_name=data_name, convs=convs) as run:
        if run:
            run_id = tracker.run_id
            main = bundle_systems[0]
            th, rl = policies.get(main, (Thresholds(), Rules()))
            tracker.log_params({"thresholds": th.__dict__, "rules": rl.__dict__, "data": data_name,
                                "n_conversations": len(convs), "n_boot": n_boot, "systems": ",".join(reports),
                                "temperature": meta[0]["temperature"] or "none"})
            tracker.log_metrics(heads.get(main, {}))
            for s, h in heads.items():
                tracker.log_metrics({f"{metric_key(s)}/{k}": v for k, v in h.items()})
            if reports.get(main):
                r = reports[main]
                for other, d in (r.get("paired_differences") or {}).items():
                    tracker.log_metrics({f"paired/{metric_key(other)}/delta_{k}": d[f"delta_{k}"]["value"]
                                         for k in ("f1", "recall", "fpr", "pr_auc")}
                                        | {f"paired/{metric_key(other)}/p_not_better": d["p_not_better"]})
                flat = {}
                if r.get("termination"):
                    flat.update(M.flatten_report(r["termination"], "detail/termination/"))
                if r.get("crisis"):
                    flat.update(M.flatten_report(r["crisis"], "detail/crisis/"))
                tracker.log_metrics(flat)
            tracker.log_artifact(out, "evaluation")
    return {"out_dir": str(out), "report": str(out / "report.md"), "reports": reports, "headline": heads,
            "replay": replay_summaries, "errors": error_counts, "calibration": calibration,
            "systems": list(reports), "run_id": run_id, "files": [str(f) for f in files]}


def paired_lines(reports: Mapping[str, Any]) -> list[str]:
    """Markdown lines for the first system's paired differences against the others."""
    out = []
    for other, d in (next(iter(reports.values()), {}).get("paired_differences") or {}).items():
        def ci(k: str) -> str:
            e = d[f"delta_{k}"]
            return f"{e['value']:+.3f}" + (f" [{e['low']:+.3f}, {e['high']:+.3f}]" if e["n_boot_valid"] else "")

        if not d["n_boot"]:
            out += [f"{d['reference']} minus {other} on the {d['n']} termination rows: F1 {ci('f1')}, recall "
                    f"{ci('recall')}, benign FTR {ci('fpr')}, PR-AUC {ci('pr_auc')} (no bootstrap).", ""]
            continue
        out += [f"Paired bootstrap, {d['reference']} minus {other} on the same {d['n_boot']} resamples of the "
                f"{d['n']} termination rows (95% CI): F1 {ci('f1')}, recall {ci('recall')}, benign FTR {ci('fpr')}, "
                f"PR-AUC {ci('pr_auc')}; F1 not higher in {100 * d['p_not_better']:.1f}% of resamples.", ""]
    return out


def _report_markdown(data_name: str, convs: Sequence[Conversation], table: ScoreTable, meta: list[dict[str, Any]],
                     reports: Mapping[str, Any], comparison_md: str, replay_summaries: Mapping[str, Any],
                     hist: str | None, plot_files: Mapping[str, list[Path]], error_counts: Mapping[str, Any],
                     error_links: Mapping[str, Mapping[str, str]], calibration: Mapping[str, Any] | None,
                     n_boot: int, out: Path, notes: Sequence[str] = ()) -> str:
    from collections import Counter

    from .dataset import fingerprint

    fp = fingerprint(list(convs))
    groups = Counter(table.group)
    lines = [f"# convguard evaluation -- {data_name}", "",
             f"{len(convs)} conversations (data sha256 `{fp['sha256'][:12]}`): "
             + ", ".join(f"{g} {n}" for g, n in sorted(groups.items())) + ".", ""]
    lines += ["## Bundles", ""]
    lines.append(md_table(["system", "bundle", "manifest sha256", "thresholds t / c", "rules", "temperature",
                           "thresholds chosen on"],
                          [[m["system"], m["path"], (m["sha"] or "-")[:12],
                            f"{_thr(m['thresholds']['terminate'])} / {_thr(m['thresholds']['crisis'])}",
                            ", ".join(f"{k}={v}" for k, v in m["rules"].items()),
                            ", ".join(f"{k}={v:.3f}" for k, v in m["temperature"].items()) or "none",
                            json.dumps(m["selection_data"]) if m["selection_data"] else "-"] for m in meta]))
    lines.append("")
    if calibration:
        lines += ["Temperature scaling was fitted before this evaluation and stored in the first bundle:", "",
                  md_table(["head", "T", "previous T", "n", "NLL before", "NLL after", "ECE before", "ECE after",
                            "decisions changed"],
                           [[h, fmt(v["temperature"]), fmt(v["previous"]), v["n"], fmt(v["nll_before"], 4),
                             fmt(v["nll_after"], 4), fmt(v["ece_before"], 4), fmt(v["ece_after"], 4),
                             v.get("decisions_changed", "-")]
                            for h, v in calibration.items() if h != "thresholds"]), "",
                  f"Thresholds rescaled so decisions are unchanged: {calibration['thresholds']['before']} -> "
                  f"{calibration['thresholds']['after']}.", ""]
    lines += ["## Summary", "",
              "Termination metrics are for the policy's decision (`end_conversation`) on termination-worthy vs "
              "benign-edgy conversations (crisis excluded); **benign FTR** is the share of benign-edgy conversations "
              f"ended. Brackets: bootstrap 95% CI ({n_boot} resamples). PR-/ROC-AUC rank the policy's effective "
              "score. Crisis: detector recall/precision; **crisis ended** is the number of crisis conversations the "
              "policy would end (the promise is 0); **benign crisis** is the share of benign-edgy and ordinary "
              "conversations the policy sends to crisis support (people who are fine, shown a crisis message); fig. "
              "crisis FA: crisis "
              "alarms on benign figurative/profane language. ECE: expected calibration error of the raw "
              "probabilities.", "", comparison_md, ""]
    lines += paired_lines(reports)
    lines += [f"Note: {n}" for n in notes] + ([""] if notes else [])
    lines += ["Actions the policies take on these conversations (decision after the last message):", "",
              md_table(["system", "continue", "end_conversation", "crisis_support"],
                       [[s] + [r.get("actions", {}).get(a, 0) for a in ACTIONS] for s, r in reports.items()]), ""]
    lines += ["## Termination by harm category and benign-edgy subtype", "",
              "Harm categories: recall (share ended); benign-edgy subtypes: false-termination rate (share ended).", "",
              _group_table(reports), ""]
    fam_rows = []
    for s, r in reports.items():
        for f, e in (r.get("termination_by_split_family") or {}).items():
            fam_rows.append([s, f, e["support"]["n"], fmt_ci(e["precision"]), fmt_ci(e["recall"]), fmt_ci(e["f1"]),
                             fmt_ci(e["fpr"])])
    if fam_rows and {r[1] for r in fam_rows} != {"unknown"}:
        lines += ["### By split family (in-family vs held-out)", "",
                  md_table(["system", "family", "n", "precision", "recall", "F1", "benign FTR"], fam_rows), ""]
    trows = []
    for s_, r in reports.items():
        for head, e in (r.get("turn_detector") or {}).items():
            if isinstance(e, dict):
                trows.append([s_, head, e["n"], e["n_pos"], fmt(e["precision"]), fmt(e["recall"]), fmt(e["f1"]),
                              fmt(e["pr_auc"])])
    if trows:
        lines += ["## Turn detector (evidence)", "",
                  "The refusal head on assistant turns, and refusal -> push pairs (a user turn right after an assistant "
                  "turn, scored min(p refusal of the reply, p push of the turn): what the policy counts), against the "
                  "turns labelled in `meta.refusal_turns` / `meta.push_turns`, at the policy's evidence threshold "
                  f"({next(iter(r['turn_detector']['threshold'] for r in reports.values() if r.get('turn_detector')))}). "
                  "An end needs at least `rules.min_refused_pushes` refusal -> push pairs.", "",
                  md_table(["system", "unit", "n", "positive", "precision", "recall", "F1", "PR-AUC"], trows), ""]
    lines += ["## Crisis", ""]
    crows = []
    for s, r in reports.items():
        c = r.get("crisis")
        if not c:
            continue
        fig = c.get("figurative") or {}
        crows.append([s, _thr(c["threshold"]), c["n_crisis"], fmt_ci(c["recall"]), fmt_ci(c["precision"]),
                      c["n_crisis_supported"], c["n_crisis_ended"], ", ".join(c["crisis_ended_ids"]) or "-",
                      f"{fig.get('n_false_alarm', '-')}/{fig.get('n', '-')}" if fig else "-",
                      ", ".join(fig.get("false_alarm_ids", [])[:10]) or "-" if fig else "-"])
    if crows:
        lines += [md_table(["system", "threshold", "crisis convs", "recall", "precision", "routed to support",
                            "ENDED (must be 0)", "ended ids", "figurative false alarms", "false-alarm ids"], crows), ""]
        for s, r in reports.items():
            c = r.get("crisis")
            if c and not c["promise_kept"]:
                lines += [f"**WARNING: {s} would end {c['n_crisis_ended']} crisis conversation(s).**", ""]
    else:
        lines += ["_No crisis labels in this data._", ""]

    def imgs(kind: str) -> list[str]:
        return [f"![{p.stem}]({_rel(p, out)})" for p in plot_files.get(kind, [])]

    lines += ["## Calibration", "",
              md_table(["system", "ECE termination", "ECE crisis"],
                       [[s, fmt((r.get("calibration") or {}).get("terminate_ece"), 4),
                         fmt((r.get("calibration") or {}).get("crisis_ece"), 4)] for s, r in reports.items()]), ""]
    lines += imgs("reliability") + [""]
    lines += ["## Precision-recall curves", ""] + imgs("pr") + [""]
    lines += ["## Threshold trade-off on this data", "",
              "Precision, recall and benign false-termination rate of each system's effective score; the dashed "
              "line is its policy's threshold.", ""] + imgs("tradeoff") + [""]
    lines += ["## Confusion matrices (expected action vs policy action)", ""] + imgs("confusion") + [""]
    if replay_summaries:
        lines += [replay_section(replay_summaries, hist, level=2), "",
                  "Per-conversation replay outcomes (first system): `replay_conversations.jsonl`.", ""]
    lines += ["## Error analysis", ""]
    erows = []
    for s, counts in error_counts.items():
        links = error_links[s]
        erows.append([s] + [f"[{counts[k]}]({links[k]})" for k in ERROR_KINDS])
    lines += [md_table(["system", "worst false terminations", "missed terminations", "crisis ended",
                        "crisis support for people who are fine", "crisis without support"], erows), "",
              "Each page shows the conversation text, the scores, the thresholds and the policy's reason; the "
              "`.jsonl` beside it holds the same records.", ""]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# comparing runs
# ------------------------------------------------------------------------------------------

DEFAULT_COMPARE_METRICS = ("term_precision", "term_recall", "term_f1", "benign_ftr", "term_pr_auc", "crisis_recall",
                           "crisis_ended", "chosen_precision", "chosen_recall", "chosen_fpr", "replay_n_premature",
                           "replay_n_late", "replay_n_missed", "replay_crisis_ended")
JOBS = ("evaluate", "sweep", "replay")


def compare_runs(tracking_uri: str, experiment: str = "convguard", run_ids: Sequence[str] | None = None,
                 last: int = 10, metrics: Sequence[str] | None = None, jobs: Sequence[str] = JOBS):
    """A pandas DataFrame with one row per MLflow run: ``run_id``, ``run_name``, ``job``,
    ``start_time``, ``bundle_sha``, ``data``, ``threshold_terminate``, ``threshold_crisis``,
    ``min_refused_pushes``, ``min_pushes``, then the metric columns (``metrics`` or the
    :data:`DEFAULT_COMPARE_METRICS` that any run has).

    ``run_ids`` (full ids or unique prefixes of runs in ``experiment``) picks runs, in that
    order; otherwise the ``last`` most recent runs of ``experiment`` whose ``convguard.job`` tag is
    in ``jobs``.  Reads through an :class:`mlflow.MlflowClient` on ``tracking_uri`` only (the
    global tracking URI is left alone)."""
    import datetime as dt

    import mlflow
    import pandas as pd

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    exp = client.get_experiment_by_name(experiment)

    def search(filter_string: str = "", max_results: int = 5000) -> list:
        if exp is None:
            return []
        return list(client.search_runs([exp.experiment_id], filter_string=filter_string,
                                       order_by=["attributes.start_time DESC"], max_results=max_results))

    if run_ids:
        picked = []
        pool = None
        for r in run_ids:
            if len(r) == 32:
                try:
                    picked.append(client.get_run(r))
                    continue
                except mlflow.exceptions.MlflowException:
                    raise ValueError(f"run {r} not found at {tracking_uri}") from None
            pool = search() if pool is None else pool
            hits = [x for x in pool if x.info.run_id.startswith(r)]
            if len(hits) != 1:
                raise ValueError(f"run id prefix {r!r} matches {len(hits)} runs in experiment {experiment!r}")
            picked.append(hits[0])
        found = picked
    else:
        if exp is None:
            raise ValueError(f"experiment {experiment!r} not found at {tracking_uri}")
        found = [r for r in search() if r.data.tags.get("convguard.job") in jobs][:last]

    def num(v: Any) -> float | None:
        try:
            return float(v)
        except (TypeError, ValueError):
            return None

    rows = []
    for r in found:
        t, p, m = r.data.tags, r.data.params, r.data.metrics
        rows.append({
            "run_id": r.info.run_id, "run_name": t.get("mlflow.runName", r.info.run_name),
            "job": t.get("convguard.job"),
            "start_time": dt.datetime.fromtimestamp(r.info.start_time / 1000).strftime("%Y-%m-%d %H:%M")
            if r.info.start_time else None,
            "bundle_sha": (t.get("convguard.bundle_sha") or "")[:12] or None, "data": t.get("convguard.data"),
            "threshold_terminate": num(p.get("thresholds.terminate")),
            "threshold_crisis": num(p.get("thresholds.crisis")),
            "min_refused_pushes": num(p.get("rules.min_refused_pushes")),
            "min_pushes": num(p.get("rules.min_pushes")),
            "_metrics": m,
        })
    names = list(metrics) if metrics else [k for k in DEFAULT_COMPARE_METRICS if any(k in r["_metrics"] for r in rows)]
    for r in rows:
        m = r.pop("_metrics")
        for k in names:
            r[k] = m.get(k)
    cols = ["run_id", "run_name", "job", "start_time", "bundle_sha", "data", "threshold_terminate", "threshold_crisis",
            "min_refused_pushes", "min_pushes"] + names
    return pd.DataFrame(rows, columns=cols)
