"""Threshold sweeps, threshold selection and temperature scaling written into a bundle.

* :func:`sweep_system` -- full sweep tables of the termination threshold (on the policy's
  *effective* score: crisis override and rules applied) and of the crisis threshold, plus the
  thresholds the configured strategies choose (:func:`convguard.evaluation.choose_thresholds`,
  the same code the quickstart uses);
* :func:`write_sweep` -- the ``convguard sweep`` job: score every user-turn prefix once, sweep,
  write tables/plots/a Markdown page (:func:`sweep_markdown`), optionally write the chosen
  thresholds (and rules) into the bundle's ``policy.yaml`` with the strategy and the data they
  were chosen on, re-hash the manifest, and log an MLflow run;
* :func:`fit_bundle_temperature` -- temperature scaling per head fitted on (validation) data and
  stored in the policy's ``temperature`` (``Guard`` divides the logits by it).  The thresholds are
  rescaled so every decision stays exactly what it was; only the probabilities get calibrated.

Rows are user-turn prefixes labelled as of that turn (:meth:`Conversation.prefix`), as in the
quickstart's selection: ending a termination-worthy chat before ``terminate_from_turn`` counts as
a false termination.  Positives are termination-worthy prefixes; negatives every other non-crisis
prefix; the *benign* false-termination rate is over benign-edgy prefixes only.
"""

from __future__ import annotations

import dataclasses

import datetime as _dt
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from . import metric_names as N
from .config import CATEGORY_MIN_EXAMPLES, TERMINATE_STRATEGIES, ThresholdConfig
from .evaluation import (MAIN, ScoreTable, choose_category_thresholds, choose_thresholds,
                         policy_thresholds, score_bundle)
from .formatting import fmt, fmt_threshold, md_table
from .io import write_csv, write_json
from .policy import Policy, Rules, Thresholds, apply_policy, crisis_scores
from .replay import REPLAY_HEADERS, replay, replay_rows, replay_scores, user_prefixes
from .replay import headline as replay_headline
from .schema import Conversation
from .threshold_choice import log_spread, terminate_threshold_spread
from .thresholds import SweepTable, ThresholdChoice, sweep
from .tracking import metric_key, tracked_run

log = logging.getLogger(__name__)

__all__ = ["SweepResult", "sweep_system", "sweep_records", "sweep_markdown", "write_thresholds", "write_sweep",
           "fit_bundle_temperature", "TERMINATE_STRATEGIES"]


@dataclass
class SweepResult:
    """Sweep of one system on one table.

    ``terminate_table``: termination threshold on the effective score (under the chosen crisis
    threshold and the rules), ``fpr`` over all non-crisis negatives; ``benign_table`` the same
    thresholds with ``fpr`` over benign-edgy rows only (None without benign-edgy rows);
    ``crisis_table``: crisis threshold on the crisis score the policy compares (:func:`convguard.policy.crisis_scores`).  ``terminate``/``crisis`` are the
    configured strategies' choices; ``alternatives`` what every termination strategy would pick;
    ``by_category`` the per-category termination thresholds
    (:func:`convguard.evaluation.choose_category_thresholds`: category -> record, ``threshold``
    None where the category keeps the global one)."""

    system: str
    rules: Rules
    terminate: ThresholdChoice
    crisis: ThresholdChoice
    terminate_table: SweepTable
    benign_table: SweepTable | None
    crisis_table: SweepTable
    alternatives: dict[str, ThresholdChoice] = field(default_factory=dict)
    cfg: ThresholdConfig = field(default_factory=ThresholdConfig)
    by_category: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def thresholds(self) -> Thresholds:
        th = policy_thresholds(self.terminate.threshold, self.crisis, self.cfg, self.rules)
        th.terminate_by_category = {k: float(v["threshold"]) for k, v in self.by_category.items()
                                    if v.get("threshold") is not None}
        return th


def _cfg_for(cfg: ThresholdConfig, strategy: str) -> ThresholdConfig:
    return dataclasses.replace(cfg, terminate_strategy=strategy)


def sweep_system(table: ScoreTable, cfg: ThresholdConfig, rules: Rules, system: str = MAIN, *,
                 category_min_examples: int = CATEGORY_MIN_EXAMPLES) -> SweepResult:
    """Choose thresholds for ``system`` with ``cfg`` (per harm category too, where a category has
    ``category_min_examples`` termination-worthy and other rows; 0: off) and compute the full
    sweep tables (of the global threshold)."""
    sysd = table.systems[system]
    tc, cc = choose_thresholds(table, cfg, rules, system)
    known_c = table.y_crisis >= 0
    crisis_table = sweep(table.y_crisis[known_c], crisis_scores(sysd, rules, table.taxonomy)[known_c])
    pol = apply_policy(sysd, policy_thresholds(1.0, cc, cfg, rules), rules, table.n_assistant, table.taxonomy)
    eff = pol.effective
    rows = (table.y_terminate >= 0) & (table.y_crisis != 1)
    y = table.y_terminate[rows]
    s = eff[rows]
    term_table = sweep(y, s)
    benign = (np.array(table.group, dtype=object)[rows] == "benign_edgy") & (y == 0)
    benign_table = sweep(y, s, thresholds=term_table.thresholds, negatives_mask=benign) if benign.any() else None
    alternatives = {}
    for strat in TERMINATE_STRATEGIES:
        alternatives[strat] = tc if strat == cfg.terminate_strategy else \
            choose_thresholds(table, _cfg_for(cfg, strat), rules, system)[0]
    by_category = choose_category_thresholds(table, cfg, rules, cc, tc.threshold, system, category_min_examples)
    return SweepResult(system, rules, tc, cc, term_table, benign_table, crisis_table, alternatives, cfg, by_category)


def sweep_records(res: SweepResult) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(termination rows, crisis rows) of the sweep tables as dicts, for CSV/Markdown.
    Termination rows: threshold, precision, recall, f1, false_termination_rate (all non-crisis
    negatives), benign_false_termination_rate (benign-edgy only; NaN without any), n_predicted,
    tp, fp, fn, tn.  Crisis rows: threshold, precision, recall, f1, false_alarm_rate, ..."""
    term = []
    for i in range(len(res.terminate_table)):
        r = res.terminate_table.row(i)
        term.append({"threshold": r["threshold"], "precision": r["precision"], "recall": r["recall"], "f1": r["f1"],
                     "false_termination_rate": r["fpr"],
                     "benign_false_termination_rate": float(res.benign_table.fpr[i]) if res.benign_table else math.nan,
                     "n_predicted": r["n_predicted"], "tp": r["tp"], "fp": r["fp"], "fn": r["fn"], "tn": r["tn"]})
    crisis = []
    for r in res.crisis_table.to_records():
        r = dict(r)
        r["false_alarm_rate"] = r.pop("fpr")
        crisis.append(r)
    return term, crisis


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
                         fmt_threshold(ch.threshold), fmt(a["precision"]), fmt(a["recall"]), fmt(a["fpr"]),
                         "yes" if ch.feasible else "**NO**", ch.message])
    out += [md_table(["system", "head", "strategy", "params", "threshold", "precision", "recall", "FPR", "feasible",
                      "note"], rows), ""]
    sp = selection.get("terminate_spread")
    if sp:
        out += [f"Termination threshold on {sp['n_boot']} bootstrap redraws of these conversations: 5-95% "
                f"{sp['q05']:.3f}-{sp['q95']:.3f}, median {sp['median']:.3f}, {sp['within_0.1']:.0%} within 0.1 of "
                f"{sp['chosen']:.3f}" + (" -- **unstable**: another draw of the data would move it, and the ends with it"
                                         if sp["unstable"] else "") + ".", ""]
    out += ["## What each termination strategy would pick (" + MAIN + ")", ""]
    out += [md_table(["strategy", "params", "threshold", "precision", "recall", "F1", "FPR", "feasible"],
                     [[k, ", ".join(f"{p}={v}" for p, v in c.params.items()) or "-", fmt_threshold(c.threshold),
                       fmt(c.achieved["precision"]), fmt(c.achieved["recall"]), fmt(c.achieved["f1"]),
                       fmt(c.achieved["fpr"]), "yes" if c.feasible else "no"]
                      for k, c in main.alternatives.items()]), ""]
    if main.by_category:
        mn = (selection.get("terminate_by_category") or {}).get("min_examples", CATEGORY_MIN_EXAMPLES)
        out += ["## Per-category termination thresholds (" + MAIN + ")", "",
                f"A category gets its own threshold when the harm head reads at least {mn} termination-worthy and "
                f"{mn} other validation rows as it and the strategy finds a feasible threshold there; otherwise "
                f"it keeps the global threshold {fmt_threshold(main.terminate.threshold)}.", "",
                md_table(["category", "threshold", "termination-worthy rows", "other rows", "precision", "recall",
                          "FPR", "note"],
                         [[k, fmt_threshold(v["threshold"]) if v["threshold"] is not None else "global",
                           v["n_positive"], v["n_negative"], fmt((v.get("achieved") or {}).get("precision")),
                           fmt((v.get("achieved") or {}).get("recall")), fmt((v.get("achieved") or {}).get("fpr")),
                           v["message"]] for k, v in main.by_category.items()]), ""]
    old = old_policy.thresholds
    out += ["## Replay: current policy vs chosen", "",
            f"Current: terminate {old.terminate:.4f}, crisis {old.crisis:.4f}, rules "
            f"{old_policy.rules.__dict__}. Chosen: terminate {main.terminate.threshold:.4f}, crisis "
            f"{main.crisis.threshold:.4f}, rules {main.rules.__dict__}.", "",
            md_table(REPLAY_HEADERS, replay_rows({k: v.summary for k, v in replays.items()})), "",
            "![turns to termination](plots/turns_to_termination.png)", ""]
    # coarse view of the full table
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
                     [[fmt_threshold(r["threshold"]), fmt(r["precision"]), fmt(r["recall"]), fmt(r["f1"]),
                       fmt(r["false_termination_rate"]), fmt(r["benign_false_termination_rate"]), r["n_predicted"],
                       r["chosen"]] for r in coarse(term, main.terminate.threshold)]), "",
            "## Crisis sweep (coarse; full table in `sweep_crisis.csv`)", "",
            "![crisis trade-off](plots/tradeoff_crisis.png)", "",
            md_table(["threshold", "precision", "recall", "false-alarm rate", "flagged", ""],
                     [[fmt_threshold(r["threshold"]), fmt(r["precision"]), fmt(r["recall"]), fmt(r["false_alarm_rate"]),
                       r["n_predicted"], r["chosen"]] for r in coarse(crisis, main.crisis.threshold)]), ""]
    out.append(("**Written** into the bundle's `policy.yaml` (selection records the strategy and data); manifest "
                "re-hashed." if write else "Not written (pass `--write` to store these thresholds in the bundle)."))
    return "\n".join(out) + "\n"


# ------------------------------------------------------------------------------------------
# writing into the bundle
# ------------------------------------------------------------------------------------------

def _plain(obj: Any) -> Any:
    """YAML-safe copy (numpy scalars -> Python numbers, tuples -> lists)."""
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, np.generic):
        return obj.item()
    return obj


def write_thresholds(bundle_dir: str | Path, thresholds: Thresholds, rules: Rules, selection: dict[str, Any],
                     *, keep: Sequence[str] = ("calibration",)) -> Policy:
    """Write ``thresholds``, ``rules`` and ``selection`` (how they were chosen) into the bundle's
    ``policy.yaml`` -- keeping temperature, messages and the ``keep`` entries of the old
    selection (and its ``baselines`` unless ``selection`` has new ones) -- then re-hash the
    manifest so :func:`convguard.bundle.verify_bundle` still passes.  Returns the new policy."""
    from .bundle import write_manifest
    from .modeling import read_taxonomy

    root = Path(bundle_dir)
    pol = Policy.load(root / "policy.yaml", taxonomy=read_taxonomy(root / "harm"))
    old = dict(pol.selection or {})
    new = dict(selection)
    for k in keep:
        if k in old and k not in new:
            new[k] = old[k]
    if "baselines" in old and "baselines" not in new:
        new["baselines"] = old["baselines"]
    new["previous"] = {"thresholds": dict(pol.thresholds.__dict__), "rules": dict(pol.rules.__dict__),
                       "data": old.get("data")}
    for k in ("terminate", "crisis"):
        v = float(getattr(thresholds, k))
        if not 0.0 <= v <= 1.0:
            raise ValueError(f"threshold {k}={v} outside [0, 1]")
    pol.thresholds = Thresholds(terminate=float(thresholds.terminate), crisis=float(thresholds.crisis),
                                evidence=float(thresholds.evidence), crisis_hold=thresholds.crisis_hold,
                                terminate_by_category={str(k): float(v) for k, v in
                                                       (thresholds.terminate_by_category or {}).items()})
    pol.rules = dataclasses.replace(rules, min_refused_pushes=int(rules.min_refused_pushes),
                                    min_pushes=int(rules.min_pushes))
    pol.selection = _plain(new)
    pol.save(root / "policy.yaml")
    Policy.load(root / "policy.yaml")  # round-trips
    write_manifest(root, extra={"policy_updated": {"by": new.get("chosen_by", "convguard"),
                                                   "at": new.get("chosen_at"),
                                                   "thresholds": dict(pol.thresholds.__dict__)}})
    return pol


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")


def write_sweep(bundle_dir: str | Path, convs: Sequence[Conversation], out_dir: str | Path, *,
                cfg: ThresholdConfig | None = None, min_refused_pushes: int | None = None,
                min_pushes: int | None = None, write: bool = False, tracker=None, baselines: bool = True,
                data_name: str = "data", batch_size: int = 32, progress: bool = False,
                category_min_examples: int = CATEGORY_MIN_EXAMPLES) -> dict[str, Any]:
    """The ``convguard sweep`` job.

    Scores every user-turn prefix of ``convs`` once (the bundle's detectors and baselines),
    then for each system sweeps the termination and crisis thresholds and applies ``cfg``'s
    strategies (default :class:`ThresholdConfig`: max recall at benign false-termination rate
    <= 0.02, crisis recall >= 0.98) under the bundle's rules, with ``min_refused_pushes`` /
    ``min_pushes`` overriding them.  The chosen policy is also replayed turn by turn beside the
    bundle's current one (premature / late / missed ends, crisis conversations ended).
    Per harm category, a termination threshold of its own is chosen where validation has at least
    ``category_min_examples`` termination-worthy and as many other rows the harm head reads as
    that category (:func:`convguard.evaluation.choose_category_thresholds`; 0: off); the others
    keep the global threshold, and ``selection.terminate_by_category`` says which and why.

    Writes to ``out_dir``: ``sweep.md``, ``sweep_terminate.csv``, ``sweep_crisis.csv`` (the full
    tables of the bundle's detectors), ``selection.json``, ``plots/tradeoff_terminate.png``,
    ``plots/tradeoff_crisis.png``, ``plots/turns_to_termination.png``.  With ``write=True`` the
    chosen thresholds, rules, strategy and data fingerprint go into the bundle's ``policy.yaml``
    (baselines' thresholds into ``selection.baselines``) and the manifest is rewritten.
    Returns ``{"out_dir", "report", "results", "selection", "replay", "policy", "written", "run_id", "files"}``.
    """
    from . import plots as P
    from .dataset import fingerprint

    cfg = cfg or ThresholdConfig()
    root = Path(bundle_dir)
    out = Path(out_dir)
    (out / "plots").mkdir(parents=True, exist_ok=True)
    sb = score_bundle(root, convs, baselines=baselines, scorer=replay_scores, batch_size=batch_size,
                      progress=progress)
    rs, old = sb.scores, sb.guard.policy
    rules = dataclasses.replace(
        old.rules, min_refused_pushes=old.rules.min_refused_pushes if min_refused_pushes is None
        else int(min_refused_pushes), min_pushes=old.rules.min_pushes if min_pushes is None else int(min_pushes))
    t = rs.table
    if not ((t.y_terminate == 1).any() and (t.y_terminate == 0).any() and (t.y_crisis == 1).any()):
        raise ValueError(f"{data_name}: a sweep needs labelled data with termination-worthy and other conversations "
                         f"and crisis conversations (terminate=1: {int((t.y_terminate == 1).sum())}, terminate=0: "
                         f"{int((t.y_terminate == 0).sum())}, crisis=1: {int((t.y_crisis == 1).sum())} prefixes)")
    results = {s: sweep_system(rs.table, cfg, rules, s, category_min_examples=category_min_examples)
               for s in rs.systems}
    main = results[MAIN]
    data_info = {"source": data_name, "rows": "every user-turn prefix", "n_rows": len(rs.table),
                 "n_conversations": len(rs.convs), "sha256": fingerprint(list(convs))["sha256"]}
    selection: dict[str, Any] = {"chosen_by": "convguard sweep", "chosen_at": _now(), "data": data_info,
                                 "terminate": main.terminate.to_dict(), "crisis": main.crisis.to_dict()}
    if main.by_category:
        selection["terminate_by_category"] = {"min_examples": category_min_examples, "categories": main.by_category}
    selection["terminate_spread"] = terminate_threshold_spread(rs.table, cfg, rules, main.crisis,
                                                               main.terminate.threshold, MAIN)
    log_spread(selection["terminate_spread"])
    for s, r in results.items():
        if s != MAIN:
            selection.setdefault("baselines", {})[s] = {
                "terminate": r.terminate.threshold, "crisis": r.crisis.threshold,
                "selection": {"terminate": r.terminate.to_dict(), "crisis": r.crisis.to_dict()}}
    replays = {"current": replay(rs, old.thresholds, old.rules, MAIN), "chosen": replay(rs, main.thresholds, rules, MAIN)}

    # -- files -------------------------------------------------------------------------------
    term_rows, crisis_rows = sweep_records(main)
    files = [write_csv(term_rows, out / "sweep_terminate.csv"), write_csv(crisis_rows, out / "sweep_crisis.csv")]
    files.append(P.plot_threshold_tradeoff(main.benign_table or main.terminate_table, out / "plots/tradeoff_terminate.png",
                                           main.terminate, title="Termination threshold (effective score, "
                                           "user-turn prefixes)"))
    files.append(P.plot_threshold_tradeoff(main.crisis_table, out / "plots/tradeoff_crisis.png", main.crisis,
                                           title="Crisis threshold"))
    files.append(P.plot_turns_histogram({k: v.deltas for k, v in replays.items() if len(v.deltas)},
                                        out / "plots/turns_to_termination.png")
                 if any(len(v.deltas) for v in replays.values()) else None)
    files = [f for f in files if f is not None]
    run_id = None
    with tracked_run(tracker, "sweep", [root], data_name=data_name, convs=convs) as run:
        if run:
            run_id = tracker.run_id
            selection["mlflow_run"] = run_id
        md = sweep_markdown(results, replays, selection, old, write=write, data_name=data_name)
        (out / "sweep.md").write_text(md, encoding="utf-8")
        write_json(_plain(selection), out / "selection.json")
        files += [out / "sweep.md", out / "selection.json"]
        policy = None
        if write:
            policy = write_thresholds(root, main.thresholds, rules, selection)
            log.info("wrote thresholds terminate=%.4f crisis=%.4f into %s", main.terminate.threshold,
                     main.crisis.threshold, root / "policy.yaml")
        if run:
            tracker.log_params({"strategy": cfg.terminate_strategy, "min_precision": cfg.min_precision,
                                "max_fpr": cfg.max_fpr, "crisis_min_recall": cfg.crisis_min_recall,
                                "thresholds": main.thresholds.__dict__, "rules": rules.__dict__,
                                "data": data_name, "data_sha256": data_info["sha256"], "written": write})
            m = {"threshold_terminate": main.terminate.threshold, "threshold_crisis": main.crisis.threshold,
                 "feasible_terminate": float(main.terminate.feasible), "feasible_crisis": float(main.crisis.feasible)}
            # at the chosen termination threshold on the sweep rows, under the headline names
            # (chosen_term_f1, chosen_benign_ftr, ...; counts keep their own: chosen_tp, ...)
            m.update({f"chosen_{N.TERMINATION.get(k, k)}": v for k, v in main.terminate.achieved.items()
                      if k != "threshold"})
            m.update({f"chosen_crisis_{k}": v for k, v in main.crisis.achieved.items() if k != "threshold"})
            m.update(replay_headline(replays["chosen"].summary))
            for s, r in results.items():
                if s != MAIN:
                    m[f"{metric_key(s)}/threshold_terminate"] = r.terminate.threshold
                    m[f"{metric_key(s)}/threshold_crisis"] = r.crisis.threshold
            tracker.log_metrics(m)
            tracker.log_artifact(out, "sweep")
            if write:
                tracker.log_artifact(root / "policy.yaml", "bundle")
    return {"out_dir": str(out), "report": str(out / "sweep.md"), "results": results, "selection": selection,
            "replay": {k: v.summary for k, v in replays.items()}, "policy": policy, "written": write,
            "run_id": run_id, "files": [str(f) for f in files]}


# ------------------------------------------------------------------------------------------
# temperature scaling
# ------------------------------------------------------------------------------------------

def _logit(p: float) -> float:
    return math.log(p) - math.log1p(-p)


def rescale_threshold(t: float, t_old: float, t_new: float) -> float:
    """The threshold on ``sigmoid(z / t_new)`` that makes the decisions ``t`` made on
    ``sigmoid(z / t_old)``; 0 and 1 stay as they are.

    Chosen thresholds are usually a score itself (``score >= threshold`` keeps it positive) and
    the detectors compute probabilities in float32, so the boundary is moved down by a few float32
    ulps (in the logit and in the new probability): a score exactly on the old threshold stays
    positive; only scores within those few ulps below it could change side."""
    if t <= 0.0 or t >= 1.0:
        return float(t)
    from .calibration import sigmoid

    z = _logit(t) * t_old  # the raw logit on the boundary
    dz = 4.0 * (float(np.spacing(np.float32(t))) / (t * (1.0 - t)) * t_old + abs(z) * 2.0 ** -23)
    p = float(sigmoid((z - dz) / t_new))
    p -= 4.0 * float(np.spacing(np.float32(p)))
    return float(min(max(p, float(np.finfo(np.float32).tiny)), 1.0))


def fit_bundle_temperature(bundle_dir: str | Path, convs: Sequence[Conversation], *,
                           heads: Sequence[str] = ("terminate", "crisis"), data_name: str = "data",
                           rescale_thresholds: bool = True, batch_size: int = 32) -> dict[str, Any]:
    """Fit a temperature per binary head on ``convs`` (every user-turn prefix, labelled as of that
    turn; rows with an unknown label skipped) and store it in the bundle's policy
    (``temperature``), with the fit's data and before/after NLL and ECE in
    ``selection.calibration``.  With ``rescale_thresholds`` (default) the thresholds are mapped
    so decisions are unchanged (:func:`rescale_threshold`).  The manifest is rewritten.

    Returns ``{head: {"temperature", "previous", "n", "nll_before", "nll_after", "ece_before",
    "ece_after", "decisions_changed"}, "thresholds": {...}}``; ``decisions_changed`` counts the
    rows of ``convs`` whose decision differs after rescaling (0 unless float32 probabilities
    saturate, which a sharpening temperature T < 1 with thresholds near 0 or 1 can cause; a
    warning then suggests re-running the sweep on the calibrated scores)."""
    import torch

    from .bundle import write_manifest
    from .calibration import expected_calibration_error, fit_temperature, sigmoid
    from .dataset import fingerprint
    from .guard import Guard
    from .modeling import split_logits

    root = Path(bundle_dir)
    guard = Guard.load(root, require_user_last=False)
    pol = guard.policy
    _, prefixes, _, _, _ = user_prefixes(convs)
    msgs = [c.messages for c in prefixes]
    out: dict[str, Any] = {}
    new_t = dict(pol.temperature)
    for det in (guard.harm, guard.crisis):
        wanted = [h.name for h in det.heads if h.name in heads and h.kind == "binary"]
        if not wanted:
            continue
        lg = split_logits(torch.from_numpy(det.pooled_logits(msgs, batch_size)), det.heads)
        for head in wanted:
            z = lg[head].float().numpy().astype(np.float64)
            y = np.array([-1 if getattr(c.labels, head) is None else int(getattr(c.labels, head)) for c in prefixes])
            known = y >= 0
            if known.sum() == 0 or len(set(y[known].tolist())) < 2:
                log.warning("temperature %s: needs both classes in the data; skipped", head)
                continue
            zk, yk = z[known], y[known]
            t_old = float(pol.temperature.get(head, 1.0))
            t_new = fit_temperature(zk, yk)

            def nll(t: float) -> float:
                signed = np.where(yk == 1, zk, -zk) / t
                return float(np.mean(np.logaddexp(0.0, -signed)))

            out[head] = {"temperature": t_new, "previous": t_old, "n": int(known.sum()), "_logits": z,
                         "nll_before": nll(t_old), "nll_after": nll(t_new),
                         "ece_before": expected_calibration_error(yk, sigmoid(zk / t_old)),
                         "ece_after": expected_calibration_error(yk, sigmoid(zk / t_new))}
            new_t[head] = t_new
    th = dict(pol.thresholds.__dict__)
    if rescale_thresholds:
        for head in ("terminate", "crisis"):
            if head == "terminate" and pol.rules.harm_score != "terminate":
                # the termination threshold applies to another score: P(harmful) or the most harmful
                # turn, which no temperature changes, or their mean with this head, which it does
                if pol.rules.harm_score == "mean":
                    log.warning("temperature terminate: rules.harm_score is 'mean', half of which is the "
                                "termination head: its threshold cannot be rescaled; re-choose thresholds on "
                                "validation")
                continue
            if head == "crisis" and pol.rules.crisis_self_harm_weight > 0:
                # the support threshold applies to the mix with the harm head's self-harm probability,
                # which no single temperature maps; the hold reads this head alone and is rescaled
                log.warning("temperature crisis: rules.crisis_self_harm_weight mixes the harm head's self-harm "
                            "probability into the crisis score: thresholds.crisis cannot be rescaled (the hold, "
                            "on the turn detector's own score, is); re-choose thresholds on validation")
                if head in out and th.get("crisis_hold") is not None:
                    th["crisis_hold"] = rescale_threshold(th["crisis_hold"], out[head]["previous"],
                                                          out[head]["temperature"])
                continue
            if head in out:
                th[head] = rescale_threshold(th[head], out[head]["previous"], out[head]["temperature"])
                if head == "terminate" and th.get("terminate_by_category"):
                    th["terminate_by_category"] = {k: rescale_threshold(v, out[head]["previous"], out[head]["temperature"])
                                                   for k, v in th["terminate_by_category"].items()}
                if head == "crisis" and th.get("crisis_hold") is not None:
                    th["crisis_hold"] = rescale_threshold(th["crisis_hold"], out[head]["previous"],
                                                          out[head]["temperature"])
                # the detectors compute probabilities in float32: check the decisions on this data
                z = out[head].pop("_logits")
                zt = torch.from_numpy(z.astype(np.float32))
                before = torch.sigmoid(zt / out[head]["previous"]).numpy().astype(float) >= pol.thresholds.__dict__[head]
                after = torch.sigmoid(zt / out[head]["temperature"]).numpy().astype(float) >= th[head]
                out[head]["decisions_changed"] = int((before != after).sum())
                if out[head]["decisions_changed"]:
                    log.warning("temperature %s: %d of %d decisions on the calibration data change because float32 "
                                "probabilities saturate at the new temperature; re-run `convguard sweep` to choose "
                                "thresholds on the calibrated scores", head, out[head]["decisions_changed"], len(z))
    for head in ("terminate", "crisis"):
        if head in out:
            out[head].pop("_logits", None)
    out["thresholds"] = {"before": dict(pol.thresholds.__dict__), "after": th, "rescaled": rescale_thresholds}
    pol.temperature = new_t
    pol.thresholds = Thresholds(**th)
    sel = dict(pol.selection or {})
    sel["calibration"] = _plain({"method": "temperature scaling", "fitted_at": _now(),
                                 "data": {"source": data_name, "rows": "every user-turn prefix", "n_rows": len(prefixes),
                                          "sha256": fingerprint(list(convs))["sha256"]},
                                 "heads": {h: v for h, v in out.items() if h != "thresholds"},
                                 "thresholds": out["thresholds"]})
    pol.selection = sel
    pol.save(root / "policy.yaml")
    write_manifest(root)
    return out
