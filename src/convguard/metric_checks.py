"""Input checks shared by the metrics modules, and the warning for an undefined metric.

Every metric of :mod:`convguard.metrics` (and :mod:`convguard.thresholds`, :mod:`convguard.calibration`)
validates its arguments here: 1-D and non-empty, binary labels, finite scores, equal lengths, a
number for a threshold -- each failure a :class:`ValueError` naming the argument.  The
conventions they serve are in :mod:`convguard.metrics`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray


class UndefinedMetricWarning(RuntimeWarning):
    """A metric is undefined on the given data (e.g. ROC AUC with a single class); NaN returned."""


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
