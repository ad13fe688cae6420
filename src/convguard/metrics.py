"""Metrics for the termination classifier and the crisis detector (pure numpy).

Conventions used throughout this module (and by :mod:`convguard.thresholds`):

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

import math
import warnings
from collections.abc import Callable, Hashable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

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


class UndefinedMetricWarning(RuntimeWarning):
    """A metric is undefined on the given data (e.g. ROC AUC with a single class); NaN returned."""


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


class ConfidenceInterval(NamedTuple):
    """A point estimate with a percentile-bootstrap interval ``[low, high]``."""

    point: float
    low: float
    high: float


# ------------------------------------------------------------------------------------------
# input validation
# ------------------------------------------------------------------------------------------

def _as_1d(x: ArrayLike, name: str) -> NDArray[Any]:
    arr = np.asarray(x)
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array, got a scalar")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty; metrics need at least one row")
    return arr


def _check_labels(y: ArrayLike, name: str = "y_true") -> NDArray[np.bool_]:
    """Binary labels as a bool array; accepts bool, or numbers that are all 0 or 1."""
    arr = _as_1d(y, name)
    if arr.dtype == np.bool_:
        return arr
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must hold binary labels (0/1 or bool), got dtype {arr.dtype}")
    if np.issubdtype(arr.dtype, np.floating) and np.isnan(arr).any():
        raise ValueError(f"{name} contains NaN at index {int(np.flatnonzero(np.isnan(arr))[0])}")
    bad = (arr != 0) & (arr != 1)
    if bad.any():
        vals = np.unique(arr[bad])[:5].tolist()
        raise ValueError(f"{name} must hold binary labels (0/1 or bool); found other values {vals}")
    return arr == 1


def _check_scores(s: ArrayLike, name: str = "y_score") -> NDArray[np.float64]:
    arr = _as_1d(s, name)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.float64)
    if not (np.issubdtype(arr.dtype, np.integer) or np.issubdtype(arr.dtype, np.floating)):
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    finite = np.isfinite(arr)
    if not finite.all():
        bad = np.flatnonzero(~finite)
        kind = "NaN" if np.isnan(arr[bad[0]]) else "infinite"
        raise ValueError(
            f"{name} contains {bad.size} non-finite value(s) (first: {kind} at index {int(bad[0])}); "
            "scores must be finite"
        )
    return arr


def _check_same_length(**arrays: NDArray[Any]) -> int:
    lengths = {k: len(v) for k, v in arrays.items()}
    if len(set(lengths.values())) != 1:
        raise ValueError(f"arrays must have the same length, got {lengths}")
    return next(iter(lengths.values()))


def _check_threshold(threshold: float, name: str = "threshold") -> float:
    try:
        t = float(threshold)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {threshold!r}") from None
    if math.isnan(t):
        raise ValueError(f"{name} is NaN")
    return t


def _ratio(num: float, den: float, zero_division: float) -> float:
    return float(num) / float(den) if den > 0 else float(zero_division)


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


# ------------------------------------------------------------------------------------------
# bootstrap
# ------------------------------------------------------------------------------------------

#: upper bound on the number of index entries held in memory at once while bootstrapping
_BOOT_BLOCK_ENTRIES = 4_000_000


def _boot_index_blocks(n: int, n_boot: int, seed: int) -> Iterator[NDArray[np.int64]]:
    """Bootstrap row indices, ``n_boot`` rows of ``n`` draws, yielded in blocks of resamples.

    Every bootstrap in this module draws its resamples here, so the same ``(n, n_boot, seed)``
    always gives the same resamples whichever metric is computed, and memory stays bounded
    (about ``_BOOT_BLOCK_ENTRIES`` indices at a time) for large ``n``.
    """
    rng = np.random.default_rng(seed)
    block = max(1, _BOOT_BLOCK_ENTRIES // max(n, 1))
    for start in range(0, n_boot, block):
        yield rng.integers(0, n, size=(min(block, n_boot - start), n), dtype=np.int64)


def _percentile_interval(values: NDArray[np.float64], alpha: float) -> tuple[float, float, int]:
    valid = values[np.isfinite(values)]
    if valid.size == 0:
        return float("nan"), float("nan"), 0
    lo, hi = np.percentile(valid, [100 * alpha / 2, 100 * (1 - alpha / 2)])
    return float(lo), float(hi), int(valid.size)


def _check_boot_args(n_boot: int, alpha: float) -> None:
    if int(n_boot) != n_boot or n_boot < 0:
        raise ValueError(f"n_boot must be a non-negative integer, got {n_boot!r}")
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha!r}")


def _warn_few_valid(what: str, n_valid: int, n_boot: int) -> None:
    if n_boot > 0 and n_valid < n_boot / 2:
        warnings.warn(
            f"{what}: only {n_valid} of {n_boot} bootstrap resamples gave a defined value; "
            "the interval is unreliable" + (" (NaN)" if n_valid == 0 else ""),
            UndefinedMetricWarning, stacklevel=3)


def bootstrap_ci(metric_fn: Callable[..., float], *arrays: ArrayLike, n_boot: int = 1000,
                 alpha: float = 0.05, seed: int = 0) -> ConfidenceInterval:
    """Percentile-bootstrap confidence interval for ``metric_fn(*arrays)``.

    Rows are resampled *jointly*: every resample draws ``n`` row indices with replacement and
    applies them to every array, so ``bootstrap_ci(roc_auc, y_true, y_score)`` keeps pairs
    together.  Returns :class:`ConfidenceInterval` ``(point, low, high)`` where ``point`` is the
    metric on the full data and ``[low, high]`` are the ``alpha/2`` and ``1 - alpha/2``
    percentiles (linear interpolation) of the resampled values.

    **Degenerate resamples**: a resample on which the metric is undefined -- ``metric_fn``
    returns NaN/inf, as :func:`roc_auc`/:func:`pr_auc` do when a resample holds one class -- is
    skipped, and the percentiles use the remaining resamples (so the interval is conditional on
    the metric being defined).  :class:`UndefinedMetricWarning` warnings raised inside the
    resamples are suppressed; a single warning is emitted if fewer than half the resamples were
    usable, and ``low``/``high`` are NaN if none were.  If the point estimate itself is not
    finite, ``(point, nan, nan)`` is returned without resampling.  ``n_boot=0`` gives
    ``(point, nan, nan)``.

    Deterministic for a given ``seed``.  The index matrix is drawn in one call, so the cost is
    ``n_boot`` calls of ``metric_fn`` on arrays of length ``n`` (about 0.1-0.3 s for 1000
    resamples of 5000 rows with the metrics of this module).
    """
    _check_boot_args(n_boot, alpha)
    if not arrays:
        raise ValueError("bootstrap_ci needs at least one array")
    arrs = [np.asarray(a) for a in arrays]
    for i, a in enumerate(arrs):
        if a.ndim == 0:
            raise ValueError(f"array {i} is a scalar; pass arrays with one row per sample")
    n = _check_same_length(**{f"array{i}": a for i, a in enumerate(arrs)})
    if n == 0:
        raise ValueError("bootstrap_ci got empty arrays")
    point = float(metric_fn(*arrs))
    if not math.isfinite(point) or n_boot == 0:
        return ConfidenceInterval(point, float("nan"), float("nan"))
    values = np.empty(int(n_boot), dtype=np.float64)
    b = 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        for block in _boot_index_blocks(n, int(n_boot), seed):
            for ib in block:
                values[b] = metric_fn(*(a[ib] for a in arrs))
                b += 1
    lo, hi, n_valid = _percentile_interval(values, alpha)
    _warn_few_valid(getattr(metric_fn, "__name__", "metric"), n_valid, int(n_boot))
    return ConfidenceInterval(point, lo, hi)


def _boot_weighted_sums(vectors: Mapping[str, NDArray[np.float64]], n_boot: int, seed: int
                        ) -> dict[str, NDArray[np.float64]]:
    """``sum_i w_bi * v_i`` for each vector ``v`` and each resample ``b`` (the same resamples as
    :func:`bootstrap_ci`), using row multiplicities ``w`` instead of materialised resamples."""
    n = len(next(iter(vectors.values())))
    out: dict[str, list[NDArray[np.float64]]] = {k: [] for k in vectors}
    mat = np.stack(list(vectors.values()), axis=1)  # (n, k)
    for block in _boot_index_blocks(n, n_boot, seed):
        nb = block.shape[0]
        flat = (block + (np.arange(nb, dtype=np.int64) * n)[:, None]).ravel()
        w = np.bincount(flat, minlength=nb * n).reshape(nb, n).astype(np.float64)
        sums = w @ mat  # (nb, k)
        for j, k in enumerate(vectors):
            out[k].append(sums[:, j])
    return {k: np.concatenate(v) for k, v in out.items()}


def _entry(point: float, lo: float = float("nan"), hi: float = float("nan"),
           n_valid: int = 0) -> dict[str, float | int]:
    return {"value": float(point), "low": float(lo), "high": float(hi), "n_boot_valid": int(n_valid)}


def _fraction(name: str, c: Mapping[str, Any]) -> tuple[Any, Any]:
    """(numerator, denominator) of a count metric from cells ``tp/fp/fn/tn`` (scalars or arrays)."""
    if name == "precision":
        return c["tp"], c["tp"] + c["fp"]
    if name == "recall":
        return c["tp"], c["tp"] + c["fn"]
    if name == "f1":
        return 2 * c["tp"], 2 * c["tp"] + c["fp"] + c["fn"]
    if name == "fpr":
        return c["fp"], c["fp"] + c["tn"]
    raise KeyError(f"unknown count metric {name!r}")


def _count_metric_entries(yt: NDArray[np.bool_], pred: NDArray[np.bool_], n_boot: int, alpha: float,
                          seed: int, names: Sequence[str]) -> dict[str, dict[str, float | int]]:
    """Count-based metrics with bootstrap CIs, vectorised through resample weights.

    Uses the same resamples as :func:`bootstrap_ci` with the same seed.  A resample where the
    metric's denominator is zero is *degenerate* and skipped (recall without positives, fpr
    without negatives, precision without predicted positives, f1 with tp = fp = fn = 0).
    """
    yt_f = yt.astype(np.float64)
    pr_f = pred.astype(np.float64)
    vec = {"tp": yt_f * pr_f, "fp": (1 - yt_f) * pr_f, "fn": yt_f * (1 - pr_f),
           "tn": (1 - yt_f) * (1 - pr_f)}
    full = {k: float(v.sum()) for k, v in vec.items()}
    if n_boot > 0:
        boot = _boot_weighted_sums(vec, n_boot, seed)
    out: dict[str, dict[str, float | int]] = {}
    for name in names:
        num, den = _fraction(name, full)
        point = num / den if den > 0 else 0.0
        if n_boot == 0:
            out[name] = _entry(point)
            continue
        bnum, bden = _fraction(name, boot)
        with np.errstate(divide="ignore", invalid="ignore"):
            vals = np.where(bden > 0, bnum / np.where(bden > 0, bden, 1.0), np.nan)
        if den == 0:  # undefined on the full data: reported as 0.0 (zero_division), no interval
            out[name] = _entry(point)
            continue
        lo, hi, n_valid = _percentile_interval(vals, alpha)
        out[name] = _entry(point, lo, hi, n_valid)
    return out


def _ranking_boot(yt: NDArray[np.bool_], s: NDArray[np.float64], n_boot: int, seed: int
                  ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Average precision and ROC AUC on each bootstrap resample, without re-sorting.

    The rows are sorted by score once; a resample is a vector of row multiplicities, so its
    cumulative true/false positives at each distinct score are weighted cumulative sums.  The
    values equal :func:`pr_auc`/:func:`roc_auc` on the materialised resamples of
    :func:`bootstrap_ci` (same seed) up to floating-point rounding; NaN where undefined.
    """
    n = len(yt)
    order = np.argsort(-s, kind="mergesort")
    s_sorted = s[order]
    ys = yt[order].astype(np.float64)
    starts = np.r_[0, np.flatnonzero(np.diff(s_sorted)) + 1]
    aps: list[NDArray[np.float64]] = []
    aucs: list[NDArray[np.float64]] = []
    for block in _boot_index_blocks(n, n_boot, seed):
        nb = block.shape[0]
        flat = (block + (np.arange(nb, dtype=np.int64) * n)[:, None]).ravel()
        w = np.bincount(flat, minlength=nb * n).reshape(nb, n).astype(np.float64)[:, order]
        tp_run = np.add.reduceat(w * ys, starts, axis=1)          # (nb, runs)
        fp_run = np.add.reduceat(w * (1.0 - ys), starts, axis=1)
        tp_cum = np.cumsum(tp_run, axis=1)
        fp_cum = np.cumsum(fp_run, axis=1)
        n_pos = tp_cum[:, -1]
        n_neg = fp_cum[:, -1]
        with np.errstate(divide="ignore", invalid="ignore"):
            prec = np.divide(tp_cum, tp_cum + fp_cum, out=np.zeros_like(tp_cum),
                             where=tp_run > 0)
            ap = (tp_run * prec).sum(axis=1) / n_pos
            auc = (fp_run * (tp_cum - 0.5 * tp_run)).sum(axis=1) / (n_pos * n_neg)
        ap[n_pos == 0] = np.nan
        auc[(n_pos == 0) | (n_neg == 0)] = np.nan
        aps.append(ap)
        aucs.append(auc)
    return np.concatenate(aps), np.concatenate(aucs)


def _ranking_entries(yt: NDArray[np.bool_], s: NDArray[np.float64], n_boot: int, alpha: float,
                     seed: int) -> dict[str, dict[str, float | int]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UndefinedMetricWarning)
        points = {"pr_auc": pr_auc(yt, s), "roc_auc": roc_auc(yt, s)}
    if n_boot == 0 or not any(math.isfinite(p) for p in points.values()):
        return {k: _entry(p) for k, p in points.items()}
    ap, auc = _ranking_boot(yt, s, n_boot, seed)
    out = {}
    for k, vals in (("pr_auc", ap), ("roc_auc", auc)):
        if math.isfinite(points[k]):
            out[k] = _entry(points[k], *_percentile_interval(vals, alpha))
        else:
            out[k] = _entry(points[k])
    return out


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
