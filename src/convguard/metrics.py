"""Metrics for the termination classifier and the crisis detector (pure numpy).

Every metric is importable from here; they live in three modules beneath this one:
:mod:`convguard.metric_checks` (input checks, :class:`UndefinedMetricWarning`),
:mod:`convguard.point_metrics` (threshold and ranking metrics, the confusion matrix) and
:mod:`convguard.bootstrap` (percentile-bootstrap intervals).  This module holds what combines
them: :func:`termination_report`, :func:`crisis_report`, :func:`flatten_report`, and the
turns-to-termination figures (:func:`turn_deltas`, :func:`summarize_turn_deltas`).

Conventions used throughout these modules (and by :mod:`convguard.thresholds`):

* **Labels** are binary: ``1`` (or ``True``) is the positive class -- "this conversation should
  be ended" for the termination classifier, "this is a crisis" for the crisis detector.  Any
  other label value raises :class:`ValueError`.
* **Prediction rule**: a row is predicted positive when ``score >= threshold``.  A score *equal*
  to the threshold counts as positive.  Scores may be probabilities or logits; only their order
  and their comparison with the threshold matter.
* **Undefined ratios** (``0 / 0``) -- precision with no predicted positives, recall with no
  positives, false-positive rate with no negatives, F1 when there are neither true positives,
  false positives nor false negatives -- return ``zero_division`` (default ``0.0``, the same
  rule as scikit-learn's ``zero_division=0``).  They never raise and never return NaN unless
  you pass ``zero_division=float("nan")``.
* **Ranking metrics** (:func:`pr_auc`, :func:`roc_auc`) are undefined when a class is missing;
  they return ``NaN`` and emit an :class:`UndefinedMetricWarning` that says why.
* **Bad input** -- empty arrays, NaN/inf scores, mismatched lengths, non-binary labels -- raises
  :class:`ValueError` with a message naming the argument.

The false-positive rate doubles as the *benign false-termination rate*: the fraction of
conversations that must not be ended (negatives) whose score reaches the threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

# the metrics and their bootstrap live in the modules below; re-exported here, where they lived before
# (convguard.evaluation, thresholds and calibration use some of the private helpers too)
from .bootstrap import (ConfidenceInterval, _boot_index_blocks, _check_boot_args, _count_metric_entries,  # noqa: F401
                        _entry, _ranking_entries, bootstrap_ci)
from .metric_checks import (UndefinedMetricWarning, _as_1d, _check_labels, _check_same_length,  # noqa: F401
                            _check_scores, _check_threshold, _ratio)
from .point_metrics import (PRF, BinaryCounts, _prf_from_counts, binary_counts, confusion_matrix,  # noqa: F401
                            false_positive_rate, pr_auc, precision_recall_curve, precision_recall_f1, roc_auc)
from .taxonomy import ACTIONS

__all__ = [
    "UndefinedMetricWarning",
    "BinaryCounts",
    "PRF",
    "ConfidenceInterval",
    "binary_counts",
    "precision_recall_f1",
    "false_positive_rate",
    "precision_recall_curve",
    "pr_auc",
    "roc_auc",
    "confusion_matrix",
    "bootstrap_ci",
    "termination_report",
    "crisis_report",
    "flatten_report",
    "turn_deltas",
    "summarize_turn_deltas",
]


# ------------------------------------------------------------------------------------------
# reports
# ------------------------------------------------------------------------------------------

def termination_report(y_true: ArrayLike, y_score: ArrayLike, threshold: float,
                       groups: ArrayLike | None = None, n_boot: int = 1000, seed: int = 0, *,
                       alpha: float = 0.05) -> dict[str, Any]:
    """Everything needed to judge a termination classifier at one threshold.

    ``y_true`` (1 = should be ended), ``y_score`` and the optional ``groups`` (one hashable
    value per row, e.g. the harm category for positives and the benign-edgy subtype for
    negatives) are 1-D and of equal length.  Returns::

        {"threshold": float, "alpha": float, "n_boot": int, "seed": int,
         "support": {"n", "n_pos", "n_neg", "n_pred_pos"},          # ints
         "counts":  {"tp", "fp", "fn", "tn"},                       # ints
         "precision" | "recall" | "f1" | "fpr" | "pr_auc" | "roc_auc":
             {"value": float, "low": float, "high": float, "n_boot_valid": int},
         "by_group": {group_value: {"n", "n_pos", "n_neg", "n_pred_pos", "tp", "fp",
                                    "recall": entry | None, "fpr": entry | None}}}

    ``fpr`` is the benign false-termination rate (negatives with ``score >= threshold``).
    ``low``/``high`` are percentile-bootstrap bounds (``n_boot`` resamples of the rows, seed
    ``seed``; see :func:`bootstrap_ci` for how degenerate resamples are skipped -- e.g. a
    resample without positives for recall -- and ``n_boot_valid`` for how many were used).
    Metrics undefined on the full data follow the module conventions (threshold metrics 0.0,
    AUCs NaN) and get NaN bounds.  ``n_boot=0`` skips the bootstrap (NaN bounds).

    In ``by_group`` each group is resampled on its own rows: ``recall`` is given for groups
    that contain positives and ``fpr`` (false-termination rate) for groups that contain
    negatives (a mixed group gets both; the other is ``None``).  Group keys are the original
    values, ordered by their string form.
    """
    _check_boot_args(n_boot, alpha)
    yt = _check_labels(y_true)
    s = _check_scores(y_score)
    _check_same_length(y_true=yt, y_score=s)
    t = _check_threshold(threshold)
    n_boot = int(n_boot)
    pred = s >= t
    c = binary_counts(yt, pred)
    report: dict[str, Any] = {
        "threshold": t, "alpha": float(alpha), "n_boot": n_boot, "seed": int(seed),
        "support": {"n": c.n, "n_pos": c.n_pos, "n_neg": c.n_neg, "n_pred_pos": c.n_pred_pos},
        "counts": c._asdict(),
    }
    report.update(_count_metric_entries(yt, pred, n_boot, alpha, seed,
                                        ("precision", "recall", "f1", "fpr")))
    report.update(_ranking_entries(yt, s, n_boot, alpha, seed))

    by_group: dict[Any, Any] = {}
    if groups is not None:
        g = _as_1d(groups, "groups")
        _check_same_length(y_true=yt, groups=g)
        values = list(dict.fromkeys(g.tolist()))
        for v in sorted(values, key=str):
            m = np.fromiter((x == v for x in g.tolist()), dtype=bool, count=len(g)) \
                if g.dtype == object else (g == v)
            gy, gp = yt[m], pred[m]
            gc = binary_counts(gy, gp)
            entries = _count_metric_entries(gy, gp, n_boot, alpha, seed, ("recall", "fpr"))
            by_group[v] = {
                "n": gc.n, "n_pos": gc.n_pos, "n_neg": gc.n_neg, "n_pred_pos": gc.n_pred_pos,
                "tp": gc.tp, "fp": gc.fp,
                "recall": entries["recall"] if gc.n_pos > 0 else None,
                "fpr": entries["fpr"] if gc.n_neg > 0 else None,
            }
    report["by_group"] = by_group
    return report


def crisis_report(y_crisis: ArrayLike, crisis_score: ArrayLike, crisis_threshold: float,
                  actions: ArrayLike, ids: ArrayLike, figurative_mask: ArrayLike | None = None, *,
                  n_boot: int = 1000, seed: int = 0, alpha: float = 0.05) -> dict[str, Any]:
    """Crisis-detector metrics plus the policy promise: no crisis conversation is ended.

    ``y_crisis`` (1 = crisis), ``crisis_score``, ``actions`` (each one of
    :data:`convguard.taxonomy.ACTIONS`), ``ids`` and the optional boolean ``figurative_mask``
    (figurative / homonym conversations such as "this deadline is killing me") are 1-D and of
    equal length.  Returns::

        {"threshold": float, "n": int, "n_crisis": int,
         "counts": {"tp", "fp", "fn", "tn"},                      # detector, score >= threshold
         "recall" | "precision": {"value", "low", "high", "n_boot_valid"},
         "n_crisis_ended": int, "crisis_ended_ids": list,        # the promise is 0 / []
         "promise_kept": bool,                                   # n_crisis_ended == 0
         "n_crisis_supported": int, "crisis_support_rate": float,  # action == crisis_support
         "figurative": None | {"n": int,                         # non-crisis rows in the mask
                               "n_false_alarm": int, "false_alarm_rate": entry,
                               "false_alarm_ids": list,          # score >= threshold
                               "n_action_crisis_support": int,   # policy routed to support
                               "action_false_alarm_rate": float}}

    Recall/precision follow the module conventions (0.0 when undefined) and carry bootstrap
    bounds as in :func:`termination_report`.  Crisis rows inside ``figurative_mask`` are not
    false alarms and are left out of the figurative denominator.
    """
    _check_boot_args(n_boot, alpha)
    yt = _check_labels(y_crisis, "y_crisis")
    s = _check_scores(crisis_score, "crisis_score")
    act = _as_1d(actions, "actions")
    id_arr = _as_1d(ids, "ids")
    _check_same_length(y_crisis=yt, crisis_score=s, actions=act, ids=id_arr)
    t = _check_threshold(crisis_threshold, "crisis_threshold")
    act_list = [str(a) for a in act.tolist()]
    unknown = sorted(set(act_list) - set(ACTIONS))
    if unknown:
        raise ValueError(f"actions contains unknown value(s) {unknown}; expected one of {ACTIONS}")
    act_arr = np.array(act_list, dtype=object)
    n_boot = int(n_boot)
    pred = s >= t
    c = binary_counts(yt, pred)
    ended = yt & (act_arr == "end_conversation")
    supported = yt & (act_arr == "crisis_support")
    report: dict[str, Any] = {
        "threshold": t, "n": c.n, "n_crisis": c.n_pos, "counts": c._asdict(),
    }
    report.update(_count_metric_entries(yt, pred, n_boot, alpha, seed, ("recall", "precision")))
    report["n_crisis_ended"] = int(ended.sum())
    report["crisis_ended_ids"] = id_arr[ended].tolist()
    report["promise_kept"] = bool(report["n_crisis_ended"] == 0)
    report["n_crisis_supported"] = int(supported.sum())
    report["crisis_support_rate"] = _ratio(int(supported.sum()), c.n_pos, 0.0)

    fig: dict[str, Any] | None = None
    if figurative_mask is not None:
        fm = _check_labels(figurative_mask, "figurative_mask")
        _check_same_length(y_crisis=yt, figurative_mask=fm)
        sub = fm & ~yt
        n_sub = int(sub.sum())
        alarms = sub & pred
        entry = _count_metric_entries(np.zeros(n_sub, dtype=bool), pred[sub], n_boot, alpha, seed,
                                      ("fpr",))["fpr"] if n_sub else _entry(0.0)
        routed = sub & (act_arr == "crisis_support")
        fig = {
            "n": n_sub,
            "n_false_alarm": int(alarms.sum()),
            "false_alarm_rate": entry,
            "false_alarm_ids": id_arr[alarms].tolist(),
            "n_action_crisis_support": int(routed.sum()),
            "action_false_alarm_rate": _ratio(int(routed.sum()), n_sub, 0.0),
        }
    report["figurative"] = fig
    return report


def _metric_key(part: Any) -> str:
    """MLflow-safe key fragment (alphanumerics, ``_ - . /`` and space are allowed)."""
    return "".join(ch if ch.isalnum() or ch in "_-." else "_" for ch in str(part))


def flatten_report(report: Mapping[str, Any], prefix: str = "") -> dict[str, float]:
    """Flatten a report from :func:`termination_report` / :func:`crisis_report` to
    ``{name: float}`` (e.g. for ``mlflow.log_metrics``).

    Metric entries become ``<name>``, ``<name>_low``, ``<name>_high``; nested dicts join their
    keys with ``/`` (``by_group/<group>/recall_low``); lists, strings and ``None`` are
    skipped; booleans become 0.0/1.0.  Group values are sanitised to MLflow-safe characters.
    """
    out: dict[str, float] = {}

    def walk(obj: Mapping[str, Any], pre: str) -> None:
        for k, v in obj.items():
            key = f"{pre}{_metric_key(k)}"
            if isinstance(v, Mapping):
                if "value" in v and "low" in v and "high" in v:
                    out[key] = float(v["value"])
                    out[f"{key}_low"] = float(v["low"])
                    out[f"{key}_high"] = float(v["high"])
                else:
                    walk(v, key + "/")
            elif isinstance(v, (bool, np.bool_)):
                out[key] = float(v)
            elif isinstance(v, (int, float, np.integer, np.floating)):
                out[key] = float(v)

    walk(report, prefix)
    return out


# ------------------------------------------------------------------------------------------
# turns to termination
# ------------------------------------------------------------------------------------------

def turn_deltas(first_end_turns: ArrayLike, labelled_turns: ArrayLike) -> NDArray[np.float64]:
    """Turns-to-termination ``first_end_turn - labelled_turn`` per conversation.

    ``first_end_turns[i]`` is the first turn at which the policy ended conversation ``i``
    (``None``/NaN if it never did); ``labelled_turns[i]`` the turn from which the label says
    ending is warranted.  Returns floats: negative = ended prematurely, 0 = on time, positive =
    late, NaN = never ended.  ``labelled_turns`` must be finite.
    """
    f = np.array([np.nan if v is None else v for v in np.asarray(first_end_turns, dtype=object)
                  .ravel().tolist()], dtype=np.float64)
    lab = _check_scores(labelled_turns, "labelled_turns")
    if f.size == 0:
        raise ValueError("first_end_turns is empty")
    _check_same_length(first_end_turns=f, labelled_turns=lab)
    return f - lab


def summarize_turn_deltas(deltas: ArrayLike) -> dict[str, float | int]:
    """Summary of :func:`turn_deltas` output: ``n``, ``n_never_ended`` (NaN), ``n_ended``,
    ``n_premature`` (< 0), ``n_on_time`` (== 0), ``n_late`` (> 0), ``premature_rate`` (over
    ended conversations, 0.0 if none ended), ``mean_delta``/``median_delta`` (NaN if none
    ended)."""
    d = np.asarray(deltas, dtype=np.float64).ravel()
    if d.size == 0:
        raise ValueError("deltas is empty")
    if np.isinf(d).any():
        raise ValueError("deltas contains infinite values")
    ended = d[~np.isnan(d)]
    return {
        "n": int(d.size),
        "n_never_ended": int(d.size - ended.size),
        "n_ended": int(ended.size),
        "n_premature": int((ended < 0).sum()),
        "n_on_time": int((ended == 0).sum()),
        "n_late": int((ended > 0).sum()),
        "premature_rate": _ratio(int((ended < 0).sum()), ended.size, 0.0),
        "mean_delta": float(ended.mean()) if ended.size else float("nan"),
        "median_delta": float(np.median(ended)) if ended.size else float("nan"),
    }
