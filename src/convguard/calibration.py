"""Calibration: expected calibration error, reliability curves and temperature scaling.

Binary inputs are the probability of the positive class (``y_prob`` of shape ``(n,)``) or the
binary logit (``logits`` of shape ``(n,)``, ``p = sigmoid(logit)``).  Multi-class inputs are
``(n, k)`` probability / logit matrices with integer class labels ``0 .. k-1``.

Binning convention: ``uniform`` bins are ``[i/B, (i+1)/B)`` for ``i < B-1`` and the last bin is
``[(B-1)/B, 1]`` (a probability on an inner edge goes to the upper bin); ``quantile`` bins use
the empirical quantiles of the probabilities as edges, so bins hold about equally many rows
(tied probabilities always share a bin, so there may be fewer non-empty bins than ``n_bins``).
Empty bins contribute nothing.
"""

from __future__ import annotations

import math
import warnings
from typing import Literal, NamedTuple

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .metrics import _check_labels, _check_same_length

__all__ = [
    "ReliabilityCurve",
    "expected_calibration_error",
    "reliability_curve",
    "fit_temperature",
    "apply_temperature",
    "sigmoid",
    "softmax",
]

BinStrategy = Literal["uniform", "quantile"]

#: search range for the temperature; a fit that ends on a bound is reported with a warning
T_MIN, T_MAX = 1e-2, 1e2


class ReliabilityCurve(NamedTuple):
    """Per non-empty bin: mean predicted probability (confidence for multi-class), observed
    frequency of the positive class (accuracy for multi-class) and number of rows."""

    mean_predicted: NDArray[np.float64]
    frac_positives: NDArray[np.float64]
    counts: NDArray[np.int64]


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------

def sigmoid(x: ArrayLike) -> NDArray[np.float64]:
    """Numerically stable logistic function."""
    x = np.asarray(x, dtype=np.float64)
    return np.exp(-np.logaddexp(0.0, -x))


def softmax(x: ArrayLike, axis: int = -1) -> NDArray[np.float64]:
    """Numerically stable softmax along ``axis``."""
    x = np.asarray(x, dtype=np.float64)
    z = x - x.max(axis=axis, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=axis, keepdims=True)


def _finite_array(x: ArrayLike, name: str) -> NDArray[np.float64]:
    arr = np.asarray(x)
    if arr.size == 0:
        raise ValueError(f"{name} is empty")
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == np.bool_):
        raise ValueError(f"{name} must be numeric, got dtype {arr.dtype}")
    arr = arr.astype(np.float64, copy=False)
    if not np.isfinite(arr).all():
        n_bad = int((~np.isfinite(arr)).sum())
        raise ValueError(f"{name} contains {n_bad} NaN/infinite value(s)")
    return arr


def _class_labels(y: ArrayLike, k: int) -> NDArray[np.int64]:
    arr = np.asarray(y)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"y_true must be a non-empty 1-D array, got shape {arr.shape}")
    if not np.issubdtype(arr.dtype, np.integer):
        if np.issubdtype(arr.dtype, np.floating) and np.isfinite(arr).all() \
                and np.all(arr == np.round(arr)):
            arr = arr.astype(np.int64)
        else:
            raise ValueError("y_true must hold integer class indices for multi-class inputs")
    if arr.min() < 0 or arr.max() >= k:
        raise ValueError(f"y_true class indices must be in [0, {k - 1}]")
    return arr.astype(np.int64)


def _confidence_and_hits(y_true: ArrayLike, y_prob: ArrayLike
                         ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(probability, outcome) pairs to bin: positive-class probability and label for binary
    input; top-label confidence and correctness for multi-class input."""
    p = _finite_array(y_prob, "y_prob")
    if p.ndim == 1:
        y = _check_labels(y_true)
        _check_same_length(y_true=y, y_prob=p)
        conf, hit = p, y.astype(np.float64)
    elif p.ndim == 2:
        y = _class_labels(y_true, p.shape[1])
        _check_same_length(y_true=y, y_prob=p)
        conf = p.max(axis=1)
        hit = (p.argmax(axis=1) == y).astype(np.float64)
    else:
        raise ValueError(f"y_prob must be 1-D (binary) or 2-D (multi-class), got shape {p.shape}")
    if conf.min() < 0.0 or conf.max() > 1.0:
        raise ValueError("y_prob must hold probabilities in [0, 1] (got values outside; "
                         "were logits passed? use apply_temperature or sigmoid first)")
    return conf, hit


def _bin_ids(conf: NDArray[np.float64], n_bins: int, strategy: str) -> NDArray[np.int64]:
    if int(n_bins) != n_bins or n_bins < 1:
        raise ValueError(f"n_bins must be a positive integer, got {n_bins!r}")
    n_bins = int(n_bins)
    if strategy == "uniform":
        edges = np.arange(n_bins + 1, dtype=np.float64) / n_bins
    elif strategy == "quantile":
        edges = np.quantile(conf, np.linspace(0.0, 1.0, n_bins + 1))
    else:
        raise ValueError(f"strategy must be 'uniform' or 'quantile', got {strategy!r}")
    ids = np.searchsorted(edges[1:-1], conf, side="right")
    return ids.astype(np.int64)


def reliability_curve(y_true: ArrayLike, y_prob: ArrayLike, n_bins: int = 15,
                      strategy: BinStrategy = "uniform") -> ReliabilityCurve:
    """Reliability-diagram data: ``(mean_predicted, frac_positives, counts)`` per non-empty bin,
    in increasing order of probability.

    Binary: ``y_true`` 0/1 and ``y_prob`` the positive-class probability.  Multi-class:
    ``y_prob`` of shape ``(n, k)``; the top-label confidence is binned against accuracy.
    """
    conf, hit = _confidence_and_hits(y_true, y_prob)
    ids = _bin_ids(conf, n_bins, strategy)
    counts = np.bincount(ids, minlength=int(n_bins))
    sum_conf = np.bincount(ids, weights=conf, minlength=int(n_bins))
    sum_hit = np.bincount(ids, weights=hit, minlength=int(n_bins))
    nz = counts > 0
    return ReliabilityCurve(sum_conf[nz] / counts[nz], sum_hit[nz] / counts[nz],
                            counts[nz].astype(np.int64))


def expected_calibration_error(y_true: ArrayLike, y_prob: ArrayLike, n_bins: int = 15,
                               strategy: BinStrategy = "uniform") -> float:
    """``ECE = sum_b (n_b / n) * |frac_positives_b - mean_predicted_b|`` over the bins of
    :func:`reliability_curve`.

    For binary input this is the calibration error of the positive-class probability (not of
    the max(p, 1-p) confidence); for ``(n, k)`` input it is the usual top-label ECE.
    """
    curve = reliability_curve(y_true, y_prob, n_bins=n_bins, strategy=strategy)
    w = curve.counts / curve.counts.sum()
    return float(np.sum(w * np.abs(curve.frac_positives - curve.mean_predicted)))


# ------------------------------------------------------------------------------------------
# temperature scaling
# ------------------------------------------------------------------------------------------

def _nll_fn(logits: NDArray[np.float64], y_true: ArrayLike):
    """Mean negative log-likelihood as a function of log(T)."""
    if logits.ndim == 1:
        y = _check_labels(y_true)
        _check_same_length(y_true=y, logits=logits)
        signed = np.where(y, logits, -logits)  # NLL = softplus(-signed / T)

        def nll(log_t: float) -> float:
            return float(np.mean(np.logaddexp(0.0, -signed * math.exp(-log_t))))
    elif logits.ndim == 2:
        if logits.shape[1] < 2:
            raise ValueError("multi-class logits need at least 2 columns")
        y = _class_labels(y_true, logits.shape[1])
        _check_same_length(y_true=y, logits=logits)
        picked = logits[np.arange(len(y)), y]

        def nll(log_t: float) -> float:
            z = logits * math.exp(-log_t)
            m = z.max(axis=1)
            lse = m + np.log(np.exp(z - m[:, None]).sum(axis=1))
            return float(np.mean(lse - picked * math.exp(-log_t)))
    else:
        raise ValueError(f"logits must be 1-D (binary) or 2-D (multi-class), got shape {logits.shape}")
    return nll


def _golden_section(f, a: float, b: float, tol: float = 1e-10, max_iter: int = 200) -> float:
    """Deterministic minimiser of a unimodal function on [a, b]."""
    invphi = (math.sqrt(5.0) - 1.0) / 2.0
    c, d = b - invphi * (b - a), a + invphi * (b - a)
    fc, fd = f(c), f(d)
    for _ in range(max_iter):
        if abs(b - a) < tol:
            break
        if fc <= fd:
            b, d, fd = d, c, fc
            c = b - invphi * (b - a)
            fc = f(c)
        else:
            a, c, fc = c, d, fd
            d = a + invphi * (b - a)
            fd = f(d)
    x = (a + b) / 2.0
    # the interval ends are candidates too (a monotone NLL has its minimum on a bound)
    return min((x, a, b), key=f)


def fit_temperature(logits: ArrayLike, y_true: ArrayLike, *, use_scipy: bool = True) -> float:
    """Temperature ``T > 0`` minimising the NLL of ``sigmoid(logits / T)`` (binary, ``logits``
    of shape ``(n,)``, ``y_true`` 0/1) or ``softmax(logits / T)`` (``(n, k)``, integer labels).

    The NLL is convex in ``1/T``, so a 1-D bounded search over ``log T`` in
    ``[log T_MIN, log T_MAX]`` finds the global optimum: ``scipy.optimize.minimize_scalar``
    (bounded Brent) when scipy is importable and ``use_scipy`` is True, else golden-section
    search.  Both are deterministic.  ``T > 1`` softens over-confident scores.  A fit that
    lands on a bound (e.g. one class only, or logits anti-correlated with the labels) emits a
    :class:`RuntimeWarning`; all-zero logits return 1.0 with a warning (T has no effect).
    """
    z = _finite_array(logits, "logits")
    nll = _nll_fn(z, y_true)
    if not np.any(z):
        warnings.warn("all logits are 0: temperature has no effect; returning T = 1.0",
                      RuntimeWarning, stacklevel=2)
        return 1.0
    lo, hi = math.log(T_MIN), math.log(T_MAX)
    log_t: float | None = None
    if use_scipy:
        try:
            from scipy.optimize import minimize_scalar
        except ImportError:  # pragma: no cover - scipy ships with scikit-learn
            minimize_scalar = None
        if minimize_scalar is not None:
            res = minimize_scalar(nll, bounds=(lo, hi), method="bounded",
                                  options={"xatol": 1e-10, "maxiter": 500})
            log_t = float(res.x)
            # bounded Brent never evaluates the bounds themselves; check them
            log_t = min((log_t, lo, hi), key=nll)
    if log_t is None:
        log_t = _golden_section(nll, lo, hi)
    if log_t - lo < 1e-6 or hi - log_t < 1e-6:
        warnings.warn(f"fitted temperature hit the search bound [{T_MIN}, {T_MAX}]; the logits may "
                      "be degenerate (one class, separable, or anti-correlated with labels)",
                      RuntimeWarning, stacklevel=2)
    # exp(log(T_MAX)) can round to just above T_MAX: keep the result inside the range it was searched in
    return float(min(max(math.exp(log_t), T_MIN), T_MAX))


def apply_temperature(logits: ArrayLike, T: float) -> NDArray[np.float64]:
    """Calibrated **probabilities** ``sigmoid(logits / T)`` for ``(n,)`` binary logits, or
    ``softmax(logits / T, axis=1)`` for ``(n, k)`` logits.  ``T`` must be positive and finite."""
    t = float(T)
    if not math.isfinite(t) or t <= 0:
        raise ValueError(f"temperature must be a positive finite number, got {T!r}")
    z = _finite_array(logits, "logits")
    if z.ndim == 1:
        return sigmoid(z / t)
    if z.ndim == 2:
        return softmax(z / t, axis=1)
    raise ValueError(f"logits must be 1-D or 2-D, got shape {z.shape}")
