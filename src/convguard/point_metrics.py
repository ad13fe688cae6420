"""The metrics as point estimates on one labelled sample: threshold metrics (counts, precision,
recall, F1, false-positive rate), ranking metrics (PR curve, PR AUC, ROC AUC) and the multi-class
confusion matrix.

They follow the conventions of :mod:`convguard.metrics` (prediction rule ``score >= threshold``,
``zero_division``, NaN with :class:`UndefinedMetricWarning` for an undefined ranking metric) and
are all importable from there; bootstrap intervals around them are :mod:`convguard.bootstrap`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Sequence
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .metric_checks import (UndefinedMetricWarning, _as_1d, _check_labels, _check_same_length, _check_scores,
                            _check_threshold, _ratio)


class BinaryCounts(NamedTuple):
    """Cells of a binary confusion matrix (positive class = 1)."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def n_pos(self) -> int:
        return self.tp + self.fn

    @property
    def n_neg(self) -> int:
        return self.fp + self.tn

    @property
    def n_pred_pos(self) -> int:
        return self.tp + self.fp


class PRF(NamedTuple):
    """Precision, recall and F1 at one threshold."""

    precision: float
    recall: float
    f1: float


# ------------------------------------------------------------------------------------------
# threshold metrics
# ------------------------------------------------------------------------------------------

def binary_counts(y_true: ArrayLike, y_pred: ArrayLike) -> BinaryCounts:
    """Confusion-matrix cells ``(tp, fp, fn, tn)`` for binary labels and binary predictions.

    Both arguments are 1-D arrays of 0/1 (or bool) of the same length.
    """
    yt = _check_labels(y_true, "y_true")
    yp = _check_labels(y_pred, "y_pred")
    _check_same_length(y_true=yt, y_pred=yp)
    tp = int(np.count_nonzero(yt & yp))
    fp = int(np.count_nonzero(~yt & yp))
    fn = int(np.count_nonzero(yt & ~yp))
    return BinaryCounts(tp, fp, fn, len(yt) - tp - fp - fn)


def _counts_at(y_true: ArrayLike, y_score: ArrayLike, threshold: float) -> BinaryCounts:
    yt = _check_labels(y_true)
    s = _check_scores(y_score)
    _check_same_length(y_true=yt, y_score=s)
    t = _check_threshold(threshold)
    return binary_counts(yt, s >= t)


def _prf_from_counts(c: BinaryCounts, zero_division: float) -> PRF:
    return PRF(
        _ratio(c.tp, c.tp + c.fp, zero_division),
        _ratio(c.tp, c.tp + c.fn, zero_division),
        _ratio(2 * c.tp, 2 * c.tp + c.fp + c.fn, zero_division),
    )


def precision_recall_f1(y_true: ArrayLike, y_score: ArrayLike, threshold: float, *,
                        zero_division: float = 0.0) -> PRF:
    """Precision, recall and F1 of the prediction ``y_score >= threshold``.

    Returns a :class:`PRF` ``(precision, recall, f1)`` of floats.  ``precision = tp/(tp+fp)``,
    ``recall = tp/(tp+fn)``, ``f1 = 2tp/(2tp+fp+fn)`` (the harmonic mean of the two).  A ratio
    whose denominator is zero (no predicted positives; no positives) is ``zero_division``.
    To score hard 0/1 predictions, pass them as ``y_score`` with ``threshold=1``.
    """
    return _prf_from_counts(_counts_at(y_true, y_score, threshold), zero_division)


def false_positive_rate(y_true: ArrayLike, y_score: ArrayLike, threshold: float, *,
                        zero_division: float = 0.0) -> float:
    """Fraction of negatives with ``y_score >= threshold`` (``fp / (fp + tn)``).

    This is the *benign false-termination rate* when the negatives are conversations that must
    not be ended.  ``zero_division`` is returned when there are no negatives.
    """
    c = _counts_at(y_true, y_score, threshold)
    return _ratio(c.fp, c.fp + c.tn, zero_division)


# ------------------------------------------------------------------------------------------
# ranking metrics
# ------------------------------------------------------------------------------------------

def _desc_cumulative(yt: NDArray[np.bool_], s: NDArray[np.float64]
                     ) -> tuple[NDArray[np.float64], NDArray[np.int64], NDArray[np.int64]]:
    """Distinct scores in decreasing order with cumulative tp and fp at each (``score >= t``)."""
    order = np.argsort(-s, kind="mergesort")
    s_sorted = s[order]
    y_sorted = yt[order]
    # last index of each run of equal scores
    last = np.r_[np.flatnonzero(np.diff(s_sorted)), len(s_sorted) - 1]
    tps = np.cumsum(y_sorted, dtype=np.int64)[last]
    fps = (last + 1) - tps
    return s_sorted[last], tps, fps


def precision_recall_curve(y_true: ArrayLike, y_score: ArrayLike
                           ) -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.float64]]:
    """Precision-recall pairs at every distinct score, as :func:`sklearn.metrics.precision_recall_curve`.

    Returns ``(precision, recall, thresholds)``: ``thresholds`` are the distinct scores in
    increasing order; ``precision[i]``/``recall[i]`` are for ``score >= thresholds[i]``; the
    final entry ``(precision=1, recall=0)`` has no threshold.  Needs at least one positive
    (otherwise recall is undefined and :class:`ValueError` is raised).
    """
    yt = _check_labels(y_true)
    s = _check_scores(y_score)
    _check_same_length(y_true=yt, y_score=s)
    n_pos = int(yt.sum())
    if n_pos == 0:
        raise ValueError("precision_recall_curve needs at least one positive in y_true")
    thr, tps, fps = _desc_cumulative(yt, s)
    precision = tps / (tps + fps)
    recall = tps / n_pos
    # increasing thresholds, then the (1, 0) end point as in scikit-learn
    return (np.r_[precision[::-1], 1.0], np.r_[recall[::-1], 0.0], thr[::-1].copy())


def pr_auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Average precision ``AP = sum_n (R_n - R_{n-1}) P_n`` over distinct-score thresholds.

    Identical to :func:`sklearn.metrics.average_precision_score` (no interpolation) whenever
    there is at least one positive.  With no positives AP is undefined: NaN is returned with
    an :class:`UndefinedMetricWarning` (scikit-learn returns 0.0 there).
    """
    yt = _check_labels(y_true)
    s = _check_scores(y_score)
    _check_same_length(y_true=yt, y_score=s)
    n_pos = int(yt.sum())
    if n_pos == 0:
        warnings.warn("pr_auc is undefined: y_true has no positives; returning NaN",
                      UndefinedMetricWarning, stacklevel=2)
        return float("nan")
    _, tps, fps = _desc_cumulative(yt, s)
    precision = tps / (tps + fps)
    recall = tps / n_pos
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def roc_auc(y_true: ArrayLike, y_score: ArrayLike) -> float:
    """Area under the ROC curve (probability a random positive outscores a random negative,
    ties counting one half), equal to :func:`sklearn.metrics.roc_auc_score`.

    Returns NaN with an :class:`UndefinedMetricWarning` when ``y_true`` holds only one class.
    """
    yt = _check_labels(y_true)
    s = _check_scores(y_score)
    _check_same_length(y_true=yt, y_score=s)
    n_pos = int(yt.sum())
    n_neg = len(yt) - n_pos
    if n_pos == 0 or n_neg == 0:
        only = "negatives" if n_pos == 0 else "positives"
        warnings.warn(f"roc_auc is undefined: y_true holds only {only} (one class); returning NaN",
                      UndefinedMetricWarning, stacklevel=2)
        return float("nan")
    # Mann-Whitney U with mid-ranks for ties
    order = np.argsort(s, kind="mergesort")
    s_sorted = s[order]
    starts = np.r_[0, np.flatnonzero(np.diff(s_sorted)) + 1]
    ends = np.r_[starts[1:], len(s_sorted)]
    mid = (starts + ends + 1) / 2.0  # mean of 1-based ranks start+1 .. end
    ranks = np.empty(len(s), dtype=np.float64)
    ranks[order] = np.repeat(mid, ends - starts)
    u = ranks[yt].sum() - n_pos * (n_pos + 1) / 2.0
    return float(u / (n_pos * n_neg))


# ------------------------------------------------------------------------------------------
# multi-class confusion matrix
# ------------------------------------------------------------------------------------------

def confusion_matrix(y_true: ArrayLike, y_pred: ArrayLike,
                     labels: Sequence[Hashable] | None = None) -> NDArray[np.int64]:
    """Confusion matrix ``cm[i, j]`` = number of rows with true label ``labels[i]`` and
    predicted label ``labels[j]`` (rows: truth, columns: prediction, as scikit-learn).

    ``labels`` fixes the order (e.g. :data:`convguard.taxonomy.ACTIONS`); by default the sorted
    union of observed values.  Unlike scikit-learn, a value that is not in ``labels`` raises
    :class:`ValueError` instead of being dropped silently.
    """
    yt = _as_1d(y_true, "y_true")
    yp = _as_1d(y_pred, "y_pred")
    _check_same_length(y_true=yt, y_pred=yp)
    if labels is None:
        labels = sorted(set(yt.tolist()) | set(yp.tolist()))
    labels = list(labels)
    if len(labels) == 0:
        raise ValueError("labels is empty")
    index = {lab: i for i, lab in enumerate(labels)}
    if len(index) != len(labels):
        raise ValueError(f"labels contains duplicates: {labels}")
    try:
        ti = np.fromiter((index[v] for v in yt.tolist()), dtype=np.int64, count=len(yt))
        pi = np.fromiter((index[v] for v in yp.tolist()), dtype=np.int64, count=len(yp))
    except KeyError as e:
        raise ValueError(f"value {e.args[0]!r} is not in labels {labels}") from None
    k = len(labels)
    return np.bincount(ti * k + pi, minlength=k * k).reshape(k, k).astype(np.int64)
