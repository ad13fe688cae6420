"""Percentile-bootstrap confidence intervals for the metrics of :mod:`convguard.point_metrics`.

:func:`bootstrap_ci` resamples rows jointly for any metric; the reports of :mod:`convguard.metrics`
use vectorised versions (resample weights instead of materialised resamples) for the count
metrics and the AUCs.  Every bootstrap draws its resamples from :func:`_boot_index_blocks`, so
the same ``(n, n_boot, seed)`` gives the same resamples whichever metric is computed.  Everything
here is also importable from :mod:`convguard.metrics`, where it lived before.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .metric_checks import UndefinedMetricWarning, _check_same_length
from .point_metrics import pr_auc, roc_auc


class ConfidenceInterval(NamedTuple):
    """A point estimate with a percentile-bootstrap interval ``[low, high]``."""

    point: float
    low: float
    high: float


#: upper bound on the number of index entries held in memory at once while bootstrapping
_BOOT_BLOCK_ENTRIES = 4_000_000


def _boot_index_blocks(n: int, n_boot: int, seed: int) -> Iterator[NDArray[np.int64]]:
    """Bootstrap row indices, ``n_boot`` rows of ``n`` draws, yielded in blocks of resamples.

    Every bootstrap of the metrics draws its resamples here, so the same ``(n, n_boot, seed)``
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
    resamples of 5000 rows with the metrics of :mod:`convguard.point_metrics`).
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
