"""The main job: ``convguard quickstart --out DIR``.

1. generate the embedded default corpus (or read the configured files);
2. train the harm-and-persistence detector, the crisis detector and the TF-IDF baselines
   (nested MLflow runs under one parent run);
3. choose thresholds on validation (prefixes included, so early ends count as false
   terminations) with the configured strategies, for the detectors and the baselines alike, and
   write ``DIR/bundle`` (policy.yaml with the thresholds and how they were chosen; manifest) --
   :func:`convguard.assemble.assemble_bundle`, which ``convguard bundle`` runs on any detectors;
4. evaluate on test -- in-family and held-out families reported separately -- with the
   evaluation harness, and print the summary table.
"""

from __future__ import annotations

import json
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from .config import QuickstartConfig, save_config, to_dict
from .dataset import fingerprint, load_challenge, load_splits
from .evaluation import MAIN, headline
from .metric_names import family_f1
from .tracking import Tracker

log = logging.getLogger(__name__)


#: the summary table's columns: (headline name, :mod:`convguard.metric_names`; column title)
SUMMARY_COLUMNS = (("term_precision", "term P"), ("term_recall", "term R"), ("term_f1", "term F1"),
                   ("benign_ftr", "benign FTR"), ("benign_crisis_rate", "benign->CS"), ("term_pr_auc", "PR-AUC"),
                   (family_f1("in_family"), "F1 in-fam"), (family_f1("heldout_family"), "F1 held-out"),
                   ("crisis_recall", "crisis R"), ("crisis_routed", "crisis->CS"), ("crisis_ended", "crisis ended"))


def format_summary(reports: dict[str, Any], timings: dict[str, float],
                   replays: dict[str, Any] | None = None, title: str | None = None) -> str:
    rows = {name: headline(r, intervals=False) for name, r in reports.items()}
    w = max(len(n) for n in rows) + 2
    lines = [f"== {title} ==" ] if title else []
    lines.append("system".ljust(w) + " ".join(h.rjust(12) for _, h in SUMMARY_COLUMNS))
    for name, h in rows.items():
        cells = []
        for k, _ in SUMMARY_COLUMNS:
            v = h.get(k)
            cells.append(("-" if v is None else (f"{int(v)}" if k == "crisis_ended" else f"{v:.3f}")).rjust(12))
        lines.append(name.ljust(w) + " ".join(cells))
    lines.append("")
    lines.append("term P/R/F1: precision/recall of end_conversation on termination-worthy vs benign-edgy "
                 "conversations; benign FTR: benign-edgy conversations ended; benign->CS: benign-edgy and ordinary "
                 "conversations sent to crisis support; crisis R: crisis detector recall; crisis->CS: crisis conversations routed "
                 "to support by the policy; crisis ended must be 0.")
    first = next(iter(reports.values()), {}) if reports else {}
    for other, d in (first.get("paired_differences") or {}).items():
        f = d["delta_f1"]
        if not d["n_boot"]:
            continue
        lines.append(f"paired bootstrap vs {other}: F1 {f['value']:+.3f} [{f['low']:+.3f}, {f['high']:+.3f}] "
                     f"(95% CI), not higher in {100 * d['p_not_better']:.1f}% of {d['n_boot']} resamples")
    for name, rep in (replays or {}).items():
        t = rep.get("termination") or {}
        fe = rep.get("false_ends") or {}
        cr = rep.get("crisis") or {}
        lines.append(f"replay {name} (scored after every user turn): {t.get('n_on_time', 0)} on time, "
                     f"{t.get('n_premature', 0)} premature, {t.get('n_late', 0)} late, {t.get('n_missed', 0)} missed "
                     f"of {t.get('n', 0)} termination-worthy; {fe.get('n_false_end', 0)} benign chats ended and "
                     f"{fe.get('n_false_crisis_support', 0)} non-crisis chats sent to crisis support at some turn; "
                     f"crisis chats ended at any turn: {cr.get('n_crisis_ended', 0)}")
    if timings:
        lines.append("timings (s): " + ", ".join(f"{k} {v:.0f}" for k, v in timings.items()))
    return "\n".join(lines)


def run_quickstart(cfg: QuickstartConfig) -> dict[str, Any]:
    from .assemble import assemble_bundle
    from .bundle import write_manifest
    from .recipes import run_baseline, run_detector
    from .report import write_evaluation

    t0 = time.time()
    timings: dict[str, float] = {}
    out = Path(cfg.out)
    out.mkdir(parents=True, exist_ok=True)
    save_config(cfg, out / "quickstart.config.yaml")
    if cfg.data.generated_dir == "data/generated" and not (cfg.data.train and cfg.data.validation):
        cfg.data.generated_dir = str(out / "data")
    tracker = Tracker(cfg.tracking)
    splits = load_splits(cfg.data)
    timings["data"] = time.time() - t0
    log.info("data: %d train, %d validation, %d test conversations", len(splits.train), len(splits.validation),
             len(splits.test))

    with tracker.run(cfg.tracking.run_name or "quickstart", tags={"convguard.job": "quickstart"}):
        parent = tracker.run_id
        tracker.log_params({"quickstart": to_dict(cfg)})
        fps = {s: fingerprint(splits[s]) for s in ("train", "validation", "test")}
        tracker.log_json_artifact(fps, "data_fingerprint.json")
        for s, fp in fps.items():
            tracker.log_data(fp, s, s, splits.paths.get(s))
        results = {}
        for name in ("harm", "crisis"):
            t = time.time()
            results[name] = run_detector(cfg.recipe(name), splits, tracker, parent_run_id=parent)
            timings[f"train_{name}"] = time.time() - t
        t = time.time()
        results["baseline"] = run_baseline(cfg.recipe("baseline"), splits, tracker, parent_run_id=parent)
        timings["train_baseline"] = time.time() - t

        # thresholds chosen on validation prefixes, then the final bundle (convguard.assemble)
        t = time.time()
        bundle_dir = out / "bundle"
        policy = assemble_bundle(bundle_dir, harm_dir=results["harm"]["model_dir"],
                                 crisis_dir=results["crisis"]["model_dir"], baselines_dir=results["baseline"]["folder"],
                                 validation=splits.validation, thresholds=cfg.thresholds, rules=cfg.rules,
                                 seed=cfg.seed, precision=cfg.precision, data_fingerprint=fps["train"],
                                 extra={"training_runs": {k: v.get("run_id") for k, v in results.items()},
                                        "quickstart_run": parent})
        timings["thresholds"] = time.time() - t

        # evaluate on test with the harness: whole conversations (the decision after the last user
        # turn) and a turn-by-turn replay; report folder with plots and error pages
        t = time.time()
        ev = write_evaluation(bundle_dir, splits.test, out / "eval" / "test", n_boot=cfg.n_boot, tracker=tracker,
                              seed=cfg.seed, data_name="test", replay=True, progress=True)
        reports = ev["reports"]
        timings["evaluate"] = time.time() - t
        challenge = None
        convs_ch = load_challenge(cfg.challenge, cfg.data.taxonomy)
        if convs_ch:
            tracker.log_data(fingerprint(convs_ch), "challenge", "challenge", cfg.challenge)
            t = time.time()
            challenge = write_evaluation(bundle_dir, convs_ch, out / "eval" / "challenge", n_boot=cfg.n_boot,
                                         tracker=tracker, seed=cfg.seed, data_name="challenge", replay=True,
                                         progress=True)
            from .checklist import write_checklist

            challenge["checklist"] = write_checklist(bundle_dir, convs_ch, out / "eval" / "challenge" / "checklist",
                                                     tracker=tracker, seed=cfg.seed, data_name="challenge")
            timings["evaluate_challenge"] = time.time() - t
        # the manifest records the point figures (no bootstrap bounds): test_<name>, challenge_<name>
        metrics = {f"test_{k}": v for k, v in headline(reports[MAIN], intervals=False).items()}
        if challenge:
            metrics.update({f"challenge_{k}": v for k, v in headline(challenge["reports"][MAIN], intervals=False).items()})
        metrics.update({f"test_{k}": v for k, v in (ev.get("headline", {}).get(MAIN) or {}).items()
                        if k.startswith("replay_")})
        write_manifest(bundle_dir, metrics=metrics)
        timings["total"] = time.time() - t0

        (out / "test_report.json").write_text(json.dumps(reports, indent=1, default=_json_default))
        summary = format_summary(reports, timings, ev.get("replay"), title="generated test split")
        if challenge:
            (out / "challenge_report.json").write_text(json.dumps(challenge["reports"], indent=1,
                                                                  default=_json_default))
            from .checklist import format_checklist

            summary += "\n\n" + format_summary(challenge["reports"], {}, challenge.get("replay"),
                                               title=f"hand-written challenge set ({len(convs_ch)} conversations, "
                                                     f"never trained or tuned on)")
            summary += "\n" + format_checklist(challenge["checklist"])
        elif cfg.challenge:
            summary += f"\n\nchallenge set: nothing found at {cfg.challenge} (skipped)"
        (out / "summary.txt").write_text(summary + "\n")
        for name, rep in reports.items():
            tracker.log_metrics({f"test/{name}/{k}": v for k, v in headline(rep, intervals=False).items()})
        for name, rep in (challenge or {}).get("reports", {}).items():
            tracker.log_metrics({f"challenge/{name}/{k}": v for k, v in headline(rep, intervals=False).items()})
        tracker.log_metrics({f"time/{k}": v for k, v in timings.items()})
        tracker.log_artifact(out / "test_report.json")
        tracker.log_artifact(out / "summary.txt")
        tracker.log_artifact(bundle_dir / "policy.yaml")
        # the bundle as the pyfunc model export builds: mlflow.pyfunc.load_model("models:/convguard-bundle/N")
        if tracker.enabled:
            from .export import pyfunc_model

            tracker.log_bundle_model(pyfunc_model(bundle_dir), cfg.tracking.register_as or "convguard-bundle",
                                     description=f"convguard quickstart bundle (run {parent})")
    print(summary)
    print(f"\nbundle: {bundle_dir}\nMLflow: mlflow ui --backend-store-uri {tracker.uri}" if tracker.enabled
          else f"\nbundle: {bundle_dir}")
    print(f"report: {ev['report']}")
    if challenge:
        print(f"challenge report: {challenge['report']}")
    return {"bundle": str(bundle_dir), "reports": reports, "timings": timings, "policy": policy,
            "run_id": parent, "summary": summary, "evaluation": ev, "challenge": challenge}


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)
