"""Evaluation reports: the folder ``convguard evaluate`` (and the quickstart) writes.

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

The pieces it uses live with their concern: loading and scoring each bundle
(:func:`convguard.evaluation.score_bundle`), the figures (:func:`convguard.plots.evaluation_plots`),
the error pages (:mod:`convguard.error_analysis`), the replay section (:mod:`convguard.replay`),
number and table formatting (:mod:`convguard.formatting`), the MLflow run and run comparison
(:mod:`convguard.tracking`).  The names this module used to define -- the sweep page
(:func:`convguard.sweeping.sweep_markdown`) among them -- can still be imported from it.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from . import metric_names as N
from . import metrics as M
from .error_analysis import ERROR_KINDS, error_cases, error_markdown, write_error_pages  # noqa: F401 - re-exported
from .evaluation import (BASELINE, MAIN, ScoreTable, complete_policies, evaluate_table,  # noqa: F401
                         score_bundle, score_table, table_from_scores, turn_detector_report)
from .evaluation import PAIRED_METRICS, headline
from .evaluation import headline as eval_headline  # noqa: F401 - the name this module gave it
from .formatting import (fmt, fmt_auto, fmt_ci, fmt_threshold, format_table, is_number, md_table,  # noqa: F401
                         slug)
from .io import write_csv, write_json, write_jsonl  # noqa: F401 - re-exported
from .policy import Rules, Thresholds
from .replay import REPLAY_HEADERS, replay_rows, replay_section, write_replay_outputs  # noqa: F401 - re-exported
from .replay import headline as replay_headline
from .replay import replay as do_replay
from .replay import replay_scores, write_replay_summaries
from .schema import Conversation
from .sweeping import fit_bundle_temperature, sweep_markdown  # noqa: F401 - re-exported
from .taxonomy import ACTIONS
from .tracking import (DEFAULT_COMPARE_METRICS, JOBS, bundle_info, compare_runs, metric_key,  # noqa: F401
                       tracked_run)

log = logging.getLogger(__name__)

__all__ = ["write_evaluation", "eval_headline", "comparison_rows", "error_cases", "write_error_pages",
           "tracked_run", "bundle_info", "compare_runs", "format_table", "md_table"]


def _rel(p: Path, base: Path) -> str:
    try:
        return str(Path(p).relative_to(base)).replace("\\", "/")
    except ValueError:
        return str(p)


# ------------------------------------------------------------------------------------------
# headline figures and the side-by-side table
# ------------------------------------------------------------------------------------------

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
            name, f"{fmt_threshold(th['terminate']) if th.get('terminate') is not None else '-'} / "
            f"{fmt_threshold(th['crisis']) if th.get('crisis') is not None else '-'}",
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
# the evaluation report
# ------------------------------------------------------------------------------------------

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
    return table_from_scores(convs, {s: {k: v[idx] for k, v in d.items()} for s, d in rs.table.systems.items()},
                             rs.table.taxonomy)


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
        calibration = fit_bundle_temperature(bdirs[0], calibrate_on, data_name=calibrate_name, batch_size=batch_size)

    labels = _labels(bdirs)
    multi = len(bdirs) > 1
    table: ScoreTable | None = None
    policies: dict[str, tuple[Thresholds, Rules]] = {}
    notes: list[str] = []
    bundle_systems: list[str] = []
    meta: list[dict[str, Any]] = []
    rs_by_bundle: dict[str, Any] = {}
    for k, (b, lab) in enumerate(zip(bdirs, labels)):
        main_name = f"{MAIN}:{lab}" if multi else MAIN
        # with replay, score every user-turn prefix once; the whole conversations are among them
        sb = score_bundle(b, convs, baselines=k == 0 and baselines, scorer=replay_scores if replay else score_table,
                          batch_size=batch_size, progress=progress)
        guard, t = sb.guard, sb.scores
        if replay:
            rs_by_bundle[main_name] = sb.scores
            t = _whole_conversations(sb.scores, convs)
            if t is None:
                t = score_table(guard, convs, sb.baselines or None, batch_size=batch_size, progress=progress)
        notes += sb.notes
        rename = {MAIN: main_name, BASELINE: BASELINE}
        systems = {rename.get(s, s): d for s, d in t.systems.items()}
        for s, p in sb.policies.items():
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
    # bundles first (in the order given), then baselines
    order = bundle_systems + [s for s in table.systems if s not in bundle_systems]
    policies = {s: policies[s] for s in order if s in policies and s in table.systems}
    reports = evaluate_table(table, policies, n_boot=n_boot, seed=seed)
    by_id = {c.id: c for c in convs}
    for name in bundle_systems:  # the turn detector on the labelled turns, where the data has them
        sysd = table.systems.get(name, {})
        if "turns" in sysd and name in policies:
            tr = turn_detector_report(list(sysd["turns"]), [by_id[i] for i in table.ids],
                                      policies[name][0].evidence, policies[name][1].harmful_ask_is_push)
            if tr:
                reports[name]["turn_detector"] = tr
    heads = {s: headline(r) for s, r in reports.items()}

    # -- replay --------------------------------------------------------------------------------
    replay_summaries: dict[str, Any] = {}
    replay_results: dict[str, Any] = {}
    if replay:
        for name in bundle_systems:
            rs = rs_by_bundle[name]
            for s in rs.systems:
                sname = name if s == MAIN else s
                if sname in policies:
                    th, rl = policies[sname]
                    replay_results[sname] = do_replay(rs, th, rl, s)
        replay_results = {s: replay_results[s] for s in policies if s in replay_results}
        replay_summaries = {k: v.summary for k, v in replay_results.items()}
        for k, v in replay_results.items():
            heads.setdefault(k, {}).update(replay_headline(v.summary))

    # -- files ---------------------------------------------------------------------------------
    from .plots import evaluation_plots  # matplotlib: only when a report is drawn

    files: list[Path] = []
    plot_files = evaluation_plots(table, policies, plots)
    for v in plot_files.values():
        files += v
    hist = None
    if replay_results:
        replay_files, hist = write_replay_summaries(out, replay_results)
        files += replay_files
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
                    tracker.log_metrics({f"paired/{metric_key(other)}/delta_{N.TERMINATION[k]}": d[f"delta_{k}"]["value"]
                                         for k in PAIRED_METRICS}
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
                            f"{fmt_threshold(m['thresholds']['terminate'])} / "
                            f"{fmt_threshold(m['thresholds']['crisis'])}",
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
    prows = [[s_, part, f"`{e['score']}`", fmt(e["pr_auc"]), fmt(e["roc_auc"]), fmt(e["recall"]), fmt(e["fpr"])]
             for s_, r in reports.items() for part, e in (r.get("harm_score_parts") or {}).items()]
    if prows:
        lines += ["### Harm score parts, each alone", "",
                  "The two parts `rules.harm_score` combines, each measured alone on the same termination-worthy vs "
                  "benign-edgy rows (recall and benign FTR at 0.5, before the refused-push rule). A part whose "
                  "figures drop from generated test to other data is the one that does not transfer.", "",
                  md_table(["system", "part", "score", "PR-AUC", "ROC-AUC", "recall at 0.5", "benign FTR at 0.5"],
                           prows), ""]
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
        crows.append([s, fmt_threshold(c["threshold"]), c["n_crisis"], fmt_ci(c["recall"]), fmt_ci(c["precision"]),
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
