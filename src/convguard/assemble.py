"""A bundle from trained detectors: ``convguard bundle`` and the quickstart's threshold step.

Given a harm detector, a turn (crisis) detector, optionally the TF-IDF baselines, and labelled
validation conversations:

1. write a provisional bundle (default thresholds) and load it as a :class:`~convguard.Guard`;
2. score every user-turn prefix of validation (an early end counts as a false termination);
3. fit a temperature per binary head (terminate, crisis) on those scores;
4. choose the thresholds with the configured strategies -- the baselines first, since the TF-IDF
   crisis baseline can be the detectors' backup crisis signal (``rules.crisis_backup``);
5. write the final bundle: ``policy.yaml`` with the thresholds, the temperatures and how they were
   chosen (``selection``), and the manifest.

Any training run can reach a bundle this way: ``convguard train configs/harm_minilm.yaml`` and
``configs/crisis_minilm.yaml`` on a GPU, then ``convguard bundle --config configs/bundle.yaml
harm=runs/harm/model crisis=runs/crisis/model validation=...``.
"""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path
from typing import Any

import numpy as np

from .config import BundleConfig, ConfigError, PolicyRulesConfig, ThresholdConfig, to_dict
from .dataset import expand_prefixes, fingerprint
from .evaluation import MAIN, choose_evidence, choose_thresholds, policy_thresholds, score_bundle
from .threshold_choice import log_spread, terminate_threshold_spread
from .policy import Policy, Rules
from .schema import Conversation

log = logging.getLogger(__name__)


def policy_rules(cfg: PolicyRulesConfig) -> Rules:
    """The policy's rules from their config (``crisis_backup`` is resolved during selection)."""
    return Rules(min_refused_pushes=cfg.min_refused_pushes, min_pushes=cfg.min_pushes,
                 self_harm_veto=cfg.self_harm_veto, crisis_response_hold=cfg.crisis_response_hold,
                 harm_score=cfg.harm_score, end_on_push=cfg.end_on_push,
                 harmful_ask_is_push=cfg.harmful_ask_is_push, crisis_self_harm_weight=cfg.crisis_self_harm_weight)


def assemble_bundle(bundle_dir: str | Path, *, harm_dir: str | Path, crisis_dir: str | Path,
                    baselines_dir: str | Path | None, validation: list[Conversation],
                    thresholds: ThresholdConfig, rules: PolicyRulesConfig, seed: int = 0, precision: str = "auto",
                    data_fingerprint: dict | None = None, extra: dict | None = None,
                    progress: bool = True) -> Policy:
    """Choose thresholds on ``validation`` and write the bundle at ``bundle_dir`` (see the module
    docstring); returns its policy."""
    from .bundle import write_bundle
    from .modeling import use_bf16

    bundle_dir = Path(bundle_dir)
    base = policy_rules(rules)
    scoring = {"precision": "bf16" if use_bf16(precision, "cpu") else "fp32"}
    write_bundle(bundle_dir, harm_dir=harm_dir, crisis_dir=crisis_dir, policy=Policy(rules=base),
                 baselines_dir=baselines_dir, data_fingerprint=data_fingerprint, extra={"scoring": scoring})
    rows = expand_prefixes(validation, max_extra=100, seed=seed)  # every user turn
    table = score_bundle(bundle_dir, rows, progress=progress).scores
    # temperature scaling first, so thresholds are read as probabilities; the selection runs on the
    # calibrated scores, and the guard applies the same temperatures
    temperature, calibration = calibrate_table(table, ("terminate", "crisis"))
    selection: dict[str, Any] = {"data": {"split": "validation", "rows": "every user-turn prefix",
                                          "n_rows": len(rows), "sha256": fingerprint(validation)["sha256"]}}
    # the evidence threshold first (with the termination threshold it implies): the detectors'
    # refused-push rule reads it; the baselines have no turn detector
    evidence, evidence_report = choose_evidence(table, thresholds, base, MAIN)
    if evidence_report:
        thresholds = dataclasses.replace(thresholds, evidence=evidence)
        selection["evidence"] = evidence_report
    chosen = {}
    main_rules = base
    # baselines first: the TF-IDF crisis baseline's threshold is the backup crisis signal the
    # detectors' policy uses (an OR of two crisis detectors), so it must be known before the
    # detectors' termination threshold is chosen under that policy
    for system in [s for s in table.systems if s != MAIN] + [MAIN]:
        if system == MAIN and rules.crisis_backup and "tfidf_baseline" in chosen:
            main_rules = dataclasses.replace(base, crisis_backup_threshold=chosen["tfidf_baseline"].crisis)
            table.systems[MAIN]["crisis_backup"] = table.systems["tfidf_baseline"]["crisis"]
        tc, cc = choose_thresholds(table, thresholds, main_rules if system == MAIN else base, system)
        chosen[system] = policy_thresholds(tc.threshold, cc, thresholds, main_rules if system == MAIN else None)
        entry = {"terminate": tc.to_dict(), "crisis": cc.to_dict()}
        if system == MAIN:
            selection.update(entry)
            spread = terminate_threshold_spread(table, thresholds, main_rules, cc, tc.threshold, MAIN, seed=seed)
            selection["terminate_spread"] = spread
            log_spread(spread)
        else:
            selection.setdefault("baselines", {})[system] = {"terminate": tc.threshold,
                                                             "crisis": chosen[system].crisis,
                                                             "crisis_hold": chosen[system].crisis_hold,
                                                             "selection": entry}
    selection["calibration"] = calibration
    policy = Policy(thresholds=chosen[MAIN], rules=main_rules, selection=selection, temperature=temperature)
    write_bundle(bundle_dir, harm_dir=harm_dir, crisis_dir=crisis_dir, policy=policy, baselines_dir=baselines_dir,
                 data_fingerprint=data_fingerprint, extra={**(extra or {}), "scoring": scoring})
    return policy


def calibrate_table(table, heads: tuple[str, ...], system: str = MAIN) -> tuple[dict[str, float], dict[str, Any]]:
    """Fit a temperature per binary head on the table's rows (crisis on whole conversations, the
    others on every row), rescale the table's scores in place and return ``(temperatures, report)``."""
    from .calibration import fit_temperature

    sysd = table.systems[system]
    temps: dict[str, float] = {}
    rep: dict[str, Any] = {"data": "validation, every user-turn prefix (crisis: whole conversations)"}
    for head in heads:
        y = table.y_crisis if head == "crisis" else table.y_terminate
        rows = (y >= 0) & (table.whole_mask if head == "crisis" else np.ones(len(y), dtype=bool))
        if rows.sum() == 0 or len(set(y[rows].tolist())) < 2:
            continue
        p = np.clip(np.asarray(sysd[head], dtype=np.float64), 1e-12, 1 - 1e-12)
        z = np.log(p / (1 - p))
        temp = float(fit_temperature(z[rows], y[rows]))
        sysd[head] = 1.0 / (1.0 + np.exp(-z / temp))
        temps[head] = temp
        rep[head] = {"temperature": temp, "n": int(rows.sum())}
    return temps, rep


def _model_dir(path: str, key: str, source: str) -> Path:
    """:func:`convguard.bundle.detector_dir`, its complaint a config error (``convguard bundle``)."""
    from .bundle import BundleError, detector_dir

    try:
        return detector_dir(path, key, source)
    except BundleError as e:
        raise ConfigError(str(e)) from None


def run_bundle(cfg: BundleConfig, *, source: str = "<config>", sign_key: Any = None) -> dict[str, Any]:
    """``convguard bundle``: the bundle from ``cfg``'s detectors, tracked in MLflow.  ``sign_key``
    (an Ed25519 private key or its PEM file): sign the finished bundle (``manifest.sig``) before
    it is registered, so ``Guard.load(..., verify=PUBLIC_KEY)`` accepts it."""
    from .io import read_conversations
    from .tracking import Tracker

    key = None
    if sign_key is not None:
        from .bundle import load_private_key

        key = load_private_key(sign_key)  # a bad key fails now, not after the scoring
    harm, crisis = _model_dir(cfg.harm, "harm", source), _model_dir(cfg.crisis, "crisis", source)
    baselines = None
    if cfg.baselines:
        baselines = Path(cfg.baselines)
        if (baselines / "baselines" / "baselines.json").exists():
            baselines = baselines / "baselines"
        if not (baselines / "baselines.json").exists():
            raise ConfigError(f"{source}: baselines: {cfg.baselines} holds no baselines.json "
                              f"(point it at a baseline run's output_dir or its baselines/ folder)")
    if not cfg.validation:
        raise ConfigError(f"{source}: validation: required (labelled JSONL to choose the thresholds on)")
    validation, _ = read_conversations(cfg.validation)
    if not validation:
        raise ConfigError(f"{source}: validation: {cfg.validation} holds no conversation")
    t = time.time()
    tracker = Tracker(cfg.tracking)
    with tracker.run(cfg.tracking.run_name or "bundle", tags={"convguard.job": "bundle"}):
        run_id = tracker.run_id  # the tracker forgets it when the run closes
        tracker.log_params({"bundle": to_dict(cfg)})
        tracker.log_data(fingerprint(validation), "validation", "validation", cfg.validation)
        policy = assemble_bundle(cfg.out, harm_dir=harm, crisis_dir=crisis, baselines_dir=baselines,
                                 validation=validation, thresholds=cfg.thresholds, rules=cfg.rules, seed=cfg.seed,
                                 precision=cfg.precision, extra={"bundle_run": run_id,
                                                                 "sources": {"harm": str(harm), "crisis": str(crisis),
                                                                             "baselines": str(baselines) if baselines else None,
                                                                             "validation": str(cfg.validation)}})
        th = policy.thresholds
        tracker.log_metrics({"threshold/terminate": th.terminate, "threshold/crisis": th.crisis,
                             **({"threshold/crisis_hold": th.crisis_hold} if th.crisis_hold is not None else {}),
                             "time/bundle": time.time() - t})
        tracker.log_artifact(Path(cfg.out) / "policy.yaml")
        signed_by = None
        if key is not None:
            from .bundle import key_fingerprint, sign_bundle

            sign_bundle(cfg.out, key)
            signed_by = key_fingerprint(key.public_key())
            tracker.log_params({"signed_by": signed_by})
        # the bundle as the pyfunc model export builds: mlflow.pyfunc.load_model("models:/convguard-bundle/N")
        if tracker.enabled:
            from .export import pyfunc_model

            tracker.log_bundle_model(pyfunc_model(cfg.out), cfg.tracking.register_as or "convguard-bundle",
                                     description=f"convguard bundle (run {run_id})")
    return {"bundle": str(cfg.out), "policy": policy, "run_id": run_id, "signed_by": signed_by}
