"""The one naming scheme of headline metrics: MLflow metric keys, report and summary columns,
the metrics a bundle's manifest records, ``convguard compare``.

:func:`convguard.evaluation.headline` is the one function that turns a system report
(:func:`convguard.evaluation.system_report`) into flat headline numbers, under these names;
:func:`convguard.replay.headline` does the same for a replay summary (every key ``replay_*``).
The evaluate job logs them as they are (and ``<system>/<name>`` per system), the quickstart as
``test/<system>/<name>`` / ``challenge/<system>/<name>`` and into the manifest as
``test_<name>`` / ``challenge_<name>``, the sweep as ``chosen_<name>`` (at the chosen threshold,
on the sweep data's prefixes).

=============================  =====================================================================
name                           what
=============================  =====================================================================
``term_precision``             precision of ``end_conversation`` on termination-worthy vs benign-edgy
``term_recall``                recall of the same (termination-worthy conversations ended)
``term_f1``                    F1 of the same
``benign_ftr``                 benign false-termination rate: benign-edgy conversations ended
``term_pr_auc``                PR-AUC of the policy's effective score on the same rows
``term_roc_auc``               ROC-AUC of the same
``term_f1_<family>``           ``term_f1`` within one split family (``in_family``, ``heldout_family``)
``ordinary_ftr``               ordinary conversations ended
``benign_crisis_rate``         benign-edgy and ordinary conversations sent to crisis support
``benign_edgy_crisis_rate``    benign-edgy conversations sent to crisis support
``non_crisis_crisis_rate``     every non-crisis conversation sent to crisis support
``crisis_recall``              crisis detector recall at the crisis threshold
``crisis_precision``           crisis detector precision
``crisis_routed``              crisis conversations the policy routes to crisis support
``crisis_ended``               crisis conversations the policy ends (the promise is 0)
``figurative_crisis_false_alarm``  crisis alarms on benign figurative / profane language
``ece_terminate``              expected calibration error of the termination probability
``ece_crisis``                 the same for the crisis probability
``harm_part_<part>_<metric>``  one part of a two-part harm score alone (part ``harm_detector``:
                               the harm detector's ``terminate``; ``turn_harmful``: the turn
                               detector's ``harmful_max``; pr_auc, roc_auc, recall and fpr at 0.5)
``turn_<unit>_<metric>``       the turn detector (unit ``refusal`` / ``refused_push``; precision,
                               recall, f1, pr_auc)
``replay_*``                   the turn-by-turn replay (:func:`convguard.replay.headline`)
=============================  =====================================================================

Bootstrap intervals, where a report has them, are ``<name>_low`` / ``<name>_high``.  Paired
differences between systems are ``delta_<name>`` (``paired/<other>/delta_term_f1``).

Older versions wrote other names (``f1``, ``fpr``, ``in_family_f1`` in the quickstart's manifest;
``fig_crisis_false_alarm``, ``chosen_fpr`` in MLflow runs): :func:`canonical_metrics` reads them
under the names above, so a bundle or a run made before keeps its figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .metrics import _metric_key

__all__ = ["TERMINATION", "CRISIS_DETECTOR", "family_f1", "harm_part", "HARM_PART_METRICS", "interval_names",
           "HEADLINE_NAMES", "LEGACY_NAMES", "canonical_name", "canonical_metrics"]

#: entry of :func:`convguard.metrics.termination_report` (or a threshold row of
#: :class:`convguard.thresholds.SweepTable`) -> its headline name
TERMINATION: dict[str, str] = {"precision": "term_precision", "recall": "term_recall", "f1": "term_f1",
                               "fpr": "benign_ftr", "pr_auc": "term_pr_auc", "roc_auc": "term_roc_auc"}

#: entry of :func:`convguard.metrics.crisis_report` -> its headline name
CRISIS_DETECTOR: dict[str, str] = {"recall": "crisis_recall", "precision": "crisis_precision"}

#: the other fixed names (system_report key or meaning -> headline name)
OTHER: dict[str, str] = {
    "ordinary_false_termination_rate": "ordinary_ftr",
    "benign_crisis_rate": "benign_crisis_rate",
    "benign_edgy_crisis_rate": "benign_edgy_crisis_rate",
    "non_crisis_crisis_rate": "non_crisis_crisis_rate",
    "crisis_support_rate": "crisis_routed",
    "n_crisis_ended": "crisis_ended",
    "figurative_false_alarm_rate": "figurative_crisis_false_alarm",
    "terminate_ece": "ece_terminate",
    "crisis_ece": "ece_crisis",
}

#: every fixed headline name (the patterned ones: :func:`family_f1`, :func:`harm_part`, ``turn_*``, ``replay_*``)
HEADLINE_NAMES: tuple[str, ...] = tuple(TERMINATION.values()) + tuple(CRISIS_DETECTOR.values()) + tuple(OTHER.values())


def family_f1(family: Any) -> str:
    """``term_f1`` within one split family: ``term_f1_in_family``, ``term_f1_heldout_family``."""
    return f"{TERMINATION['f1']}_{_metric_key(family)}"


#: the figures of :func:`convguard.eval_reports.harm_score_parts` that become headline names
HARM_PART_METRICS = ("pr_auc", "roc_auc", "recall", "fpr")


def harm_part(part: str, metric: str) -> str:
    """``harm_part_<part>_<metric>``: one part of the harm score alone (``harm_part_turn_harmful_roc_auc``)."""
    return f"harm_part_{part}_{metric}"


def interval_names(name: str) -> tuple[str, str]:
    """The names of a headline figure's bootstrap bounds: ``(<name>_low, <name>_high)``."""
    return f"{name}_low", f"{name}_high"


#: names older versions wrote -> the name now (the quickstart's summary, manifest and MLflow
#: keys used the termination report's own entry names; evaluate runs ``fig_crisis_false_alarm``;
#: sweep runs ``chosen_<entry>``)
LEGACY_NAMES: dict[str, str] = {
    **{k: v for k, v in TERMINATION.items()},
    "fig_crisis_false_alarm": OTHER["figurative_false_alarm_rate"],
    "in_family_f1": "term_f1_in_family",
    "heldout_family_f1": "term_f1_heldout_family",
    "unknown_f1": "term_f1_unknown",
}
_LEGACY_SWEEP = {f"chosen_{k}": f"chosen_{v}" for k, v in TERMINATION.items()}
#: prefixes under which a bundle's manifest records headline names (the quickstart's data sets)
MANIFEST_PREFIXES = ("test_", "challenge_")


def canonical_name(key: str) -> str:
    """The current name of a metric key that an older version may have written: a headline name
    (``f1`` -> ``term_f1``), one under a manifest prefix (``test_fpr`` -> ``test_benign_ftr``) or a
    sweep key (``chosen_fpr`` -> ``chosen_benign_ftr``); any other key is returned unchanged."""
    if key in LEGACY_NAMES:
        return LEGACY_NAMES[key]
    if key in _LEGACY_SWEEP:
        return _LEGACY_SWEEP[key]
    for p in MANIFEST_PREFIXES:
        if key.startswith(p) and key[len(p):] in LEGACY_NAMES:
            return p + LEGACY_NAMES[key[len(p):]]
    return key


def canonical_metrics(metrics: Mapping[str, Any]) -> dict[str, Any]:
    """``metrics`` with every key under its current name (:func:`canonical_name`); where an old and
    a new key name the same figure, the new one's value is kept."""
    out = {k: v for k, v in metrics.items() if canonical_name(k) == k}
    for k, v in metrics.items():
        out.setdefault(canonical_name(k), v)
    return out
