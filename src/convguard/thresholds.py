"""Threshold sweeps and threshold-selection strategies.

Conventions (shared with :mod:`convguard.metrics`): a row is predicted positive when
``score >= threshold`` -- a score equal to the threshold counts as positive -- and ratios with
a zero denominator are 0.0.  Every threshold this module returns is one of the candidate
thresholds of the sweep, so applying it with ``score >= threshold`` reproduces exactly the
metrics reported with it.

Strategies (the ``strategy`` string and its parameters are meant to live in configs)::

    max_f1                                      highest F1
    max_recall_at_precision  min_precision=p    highest recall with precision >= p
    max_recall_at_fpr        max_fpr=f          highest recall with benign false-termination
                                                rate <= f (and at least one true positive)
    crisis_recall            min_recall=r       largest threshold with recall >= r

Ties between candidate thresholds are always broken towards the *larger* threshold (fewer
conversations ended / flagged, so fewer false positives for the same target metric).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
from numpy.typing import ArrayLike, NDArray

from .metrics import _check_labels, _check_same_length, _check_scores

__all__ = [
    "SweepTable",
    "ThresholdChoice",
    "STRATEGY_PARAMS",
    "sweep",
    "select_threshold",
    "select_from_sweep",
]

#: comparison slack for constraints such as ``precision >= p`` (absorbs float rounding of p)
_EPS = 1e-12


@dataclass(frozen=True)
class SweepTable:
    """Metrics at each candidate threshold; all arrays have one entry per threshold, in
    increasing threshold order.

    ``fpr`` is the false-positive (benign false-termination) rate among the rows of
    ``negatives_mask`` when one was given to :func:`sweep`, else among all negatives;
    ``n_neg`` is the size of that denominator set.
    """

    thresholds: NDArray[np.float64]
    tp: NDArray[np.int64]
    fp: NDArray[np.int64]
    fn: NDArray[np.int64]
    tn: NDArray[np.int64]
    n_predicted: NDArray[np.int64]
    precision: NDArray[np.float64]
    recall: NDArray[np.float64]
    f1: NDArray[np.float64]
    fpr: NDArray[np.float64]
    n_pos: int
    n_neg: int
    fpr_on_mask: bool = False

    COLUMNS: ClassVar[tuple[str, ...]] = ("threshold", "precision", "recall", "f1", "fpr", "n_predicted", "tp", "fp", "fn", "tn")

    def __len__(self) -> int:
        return len(self.thresholds)

    def row(self, i: int) -> dict[str, float | int]:
        """Row ``i`` as ``{"threshold", "precision", "recall", "f1", "fpr", "n_predicted",
        "tp", "fp", "fn", "tn"}`` (floats and ints)."""
        return {
            "threshold": float(self.thresholds[i]),
            "precision": float(self.precision[i]),
            "recall": float(self.recall[i]),
            "f1": float(self.f1[i]),
            "fpr": float(self.fpr[i]),
            "n_predicted": int(self.n_predicted[i]),
            "tp": int(self.tp[i]),
            "fp": int(self.fp[i]),
            "fn": int(self.fn[i]),
            "tn": int(self.tn[i]),
        }

    def to_records(self) -> list[dict[str, float | int]]:
        """All rows as a list of dicts (see :meth:`row`)."""
        return [self.row(i) for i in range(len(self))]


@dataclass(frozen=True)
class ThresholdChoice:
    """The outcome of :func:`select_threshold`.

    ``achieved`` is the sweep row of ``threshold`` (:meth:`SweepTable.row`), i.e. exactly what
    ``score >= threshold`` gives on the data it was selected on.  ``feasible`` is False when no
    candidate satisfied the strategy's constraint; ``threshold`` is then the documented
    fallback and ``message`` says what happened (it is also filled in when feasible).
    """

    threshold: float
    strategy: str
    params: dict[str, Any]
    achieved: dict[str, float | int]
    feasible: bool
    message: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"threshold": self.threshold, "strategy": self.strategy, "params": dict(self.params),
                "achieved": dict(self.achieved), "feasible": self.feasible, "message": self.message}


# ------------------------------------------------------------------------------------------
# sweep
# ------------------------------------------------------------------------------------------

def _candidates(s: NDArray[np.float64], thresholds: int | ArrayLike | None) -> NDArray[np.float64]:
    if thresholds is None:
        return np.unique(np.r_[s, 0.0, 1.0])
    if isinstance(thresholds, (int, np.integer)) and not isinstance(thresholds, bool):
        if thresholds < 2:
            raise ValueError(f"a threshold grid needs at least 2 points, got {thresholds}")
        return np.linspace(0.0, 1.0, int(thresholds))
    t = np.asarray(thresholds, dtype=np.float64).ravel()
    if t.size == 0:
        raise ValueError("thresholds is empty")
    if np.isnan(t).any():
        raise ValueError("thresholds contains NaN")
    return np.unique(t)


def sweep(y_true: ArrayLike, y_score: ArrayLike, thresholds: int | ArrayLike | None = None,
          negatives_mask: ArrayLike | None = None) -> SweepTable:
    """Precision, recall, F1, false-positive rate and number predicted at many thresholds.

    ``thresholds``: ``None`` (default) -> every distinct score plus 0 and 1; an ``int`` k ->
    ``k`` evenly spaced points on [0, 1]; an array -> those values (sorted, deduplicated).

    ``negatives_mask`` (bool, one per row) restricts the ``fpr`` denominator to those rows, e.g.
    the benign-edgy conversations, giving the benign false-termination rate; it must not select
    any positive row (ValueError).  Precision/recall/F1 always use all rows.

    Cost O((n + m) log n) for n rows and m thresholds: the scores are sorted once and the
    counts at each threshold are read off cumulative sums (``score >= t``).
    """
    yt = _check_labels(y_true)
    s = _check_scores(y_score)
    _check_same_length(y_true=yt, y_score=s)
    if negatives_mask is not None:
        neg = _check_labels(negatives_mask, "negatives_mask")
        _check_same_length(y_true=yt, negatives_mask=neg)
        if (neg & yt).any():
            raise ValueError(
                f"negatives_mask selects {int((neg & yt).sum())} positive row(s); the "
                "false-termination rate must be computed on negatives only")
    else:
        neg = ~yt
    cand = _candidates(s, thresholds)

    order = np.argsort(s, kind="mergesort")
    s_sorted = s[order]
    # number of rows with score >= t, then tp/fp among those rows (they are the top k)
    k = len(s) - np.searchsorted(s_sorted, cand, side="left")
    desc = order[::-1]
    cum_pos = np.r_[0, np.cumsum(yt[desc], dtype=np.int64)]
    cum_negmask = np.r_[0, np.cumsum(neg[desc], dtype=np.int64)]
    tp = cum_pos[k]
    fp = k - tp
    n_pos = int(yt.sum())
    n_all_neg = len(yt) - n_pos
    fn = n_pos - tp
    tn = n_all_neg - fp
    fp_mask = cum_negmask[k]
    n_mask = int(neg.sum())

    def div(a: NDArray[Any], b: NDArray[Any] | int) -> NDArray[np.float64]:
        b = np.broadcast_to(np.asarray(b, dtype=np.float64), np.shape(a))
        return np.divide(a, b, out=np.zeros(np.shape(a), dtype=np.float64), where=b > 0)

    return SweepTable(
        thresholds=cand, tp=tp, fp=fp, fn=fn, tn=tn, n_predicted=k.astype(np.int64),
        precision=div(tp, tp + fp), recall=div(tp, n_pos), f1=div(2 * tp, 2 * tp + fp + fn),
        fpr=div(fp_mask, n_mask), n_pos=n_pos, n_neg=n_mask,
        fpr_on_mask=negatives_mask is not None,
    )


# ------------------------------------------------------------------------------------------
# strategies
# ------------------------------------------------------------------------------------------

def _last_argmax(values: NDArray[np.float64], mask: NDArray[np.bool_] | None = None) -> int:
    """Index of the maximum of ``values`` (over ``mask``); ties -> largest index (threshold)."""
    v = values.astype(np.float64).copy()
    if mask is not None:
        if not mask.any():
            raise ValueError("empty candidate set")
        v[~mask] = -np.inf
    return int(np.flatnonzero(v == v.max())[-1])


def _check_prob(name: str, value: Any) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, 1], got {value!r}") from None
    if not 0.0 <= v <= 1.0:
        raise ValueError(f"{name} must be in [0, 1], got {value!r}")
    return v


def _max_f1(t: SweepTable) -> tuple[int, bool, str]:
    i = _last_argmax(t.f1)
    if t.tp[i] == 0:
        return i, False, "infeasible: no candidate threshold yields a true positive (F1 = 0)"
    return i, True, f"max F1 = {t.f1[i]:.4f}"


def _max_recall_at_precision(t: SweepTable, min_precision: float) -> tuple[int, bool, str]:
    p = _check_prob("min_precision", min_precision)
    ok = (t.precision >= p - _EPS) & (t.n_predicted > 0)
    if ok.any():
        # highest recall; among equal recall the largest threshold (highest precision)
        i = _last_argmax(t.recall, ok)
        return i, True, (f"recall {t.recall[i]:.4f} at precision {t.precision[i]:.4f} "
                         f">= {p}")
    if not (t.n_predicted > 0).any():
        i = len(t) - 1
        return i, False, (f"infeasible: no candidate threshold predicts any positive, so "
                          f"precision >= {p} is unreachable; fallback is the largest threshold")
    i = _last_argmax(t.precision, t.n_predicted > 0)
    # among thresholds with that best precision, take the highest recall (smallest threshold)
    best = t.precision[i]
    i = int(np.flatnonzero((t.precision == best) & (t.n_predicted > 0))[0])
    return i, False, (f"infeasible: no threshold reaches precision >= {p}; fallback is the "
                      f"highest precision {best:.4f} (recall {t.recall[i]:.4f})")


def _max_recall_at_fpr(t: SweepTable, max_fpr: float) -> tuple[int, bool, str]:
    f = _check_prob("max_fpr", max_fpr)
    if t.n_neg == 0:
        raise ValueError("max_recall_at_fpr needs negatives (in negatives_mask if given) to "
                         "measure the false-termination rate")
    ok = t.fpr <= f + _EPS
    if ok.any():
        i = _last_argmax(t.recall, ok)
        if t.tp[i] > 0:
            return i, True, f"recall {t.recall[i]:.4f} at fpr {t.fpr[i]:.4f} <= {f}"
        return i, False, (f"infeasible: thresholds with fpr <= {f} catch no positives; fallback "
                          f"is threshold {t.thresholds[i]:g} (fpr {t.fpr[i]:.4f}, recall 0)")
    # lowest fpr; among equal fpr the highest recall (ending more harmful chats costs no extra
    # benign ones), then the largest threshold
    i = _last_argmax(t.recall, t.fpr == t.fpr.min())
    return i, False, (f"infeasible: no threshold has fpr <= {f}; fallback is the lowest fpr "
                      f"{t.fpr[i]:.4f} at threshold {t.thresholds[i]:g} (recall {t.recall[i]:.4f})")


def _crisis_recall(t: SweepTable, min_recall: float) -> tuple[int, bool, str]:
    r = _check_prob("min_recall", min_recall)
    ok = t.recall >= r - _EPS
    if ok.any():
        i = int(np.flatnonzero(ok)[-1])  # recall is non-increasing in the threshold
        return i, True, f"recall {t.recall[i]:.4f} >= {r} at precision {t.precision[i]:.4f}"
    i = _last_argmax(t.recall)
    return i, False, (f"infeasible: no candidate threshold reaches recall >= {r}; fallback is "
                      f"the highest recall {t.recall[i]:.4f} at threshold {t.thresholds[i]:g}")


#: strategy name -> required parameter names
STRATEGY_PARAMS: dict[str, tuple[str, ...]] = {
    "max_f1": (),
    "max_recall_at_precision": ("min_precision",),
    "max_recall_at_fpr": ("max_fpr",),
    "crisis_recall": ("min_recall",),
}

_STRATEGIES: dict[str, Callable[..., tuple[int, bool, str]]] = {
    "max_f1": _max_f1,
    "max_recall_at_precision": _max_recall_at_precision,
    "max_recall_at_fpr": _max_recall_at_fpr,
    "crisis_recall": _crisis_recall,
}


def select_from_sweep(strategy: str, table: SweepTable, **params: Any) -> ThresholdChoice:
    """Apply a strategy to an existing :class:`SweepTable` (sweep once, select many times).

    Raises ValueError for an unknown strategy, missing/unexpected parameters, parameters
    outside [0, 1], or data without positives (no strategy is meaningful then).
    """
    if strategy not in _STRATEGIES:
        raise ValueError(f"unknown threshold strategy {strategy!r}; known: {', '.join(_STRATEGIES)}")
    expected = STRATEGY_PARAMS[strategy]
    missing = [p for p in expected if p not in params]
    extra = [p for p in params if p not in expected]
    if missing or extra:
        want = ", ".join(expected) or "no parameters"
        raise ValueError(f"strategy {strategy!r} takes {want}; "
                         + (f"missing {missing}" if missing else "")
                         + ("; " if missing and extra else "")
                         + (f"unexpected {extra}" if extra else ""))
    if table.n_pos == 0:
        raise ValueError(f"strategy {strategy!r} needs at least one positive in y_true")
    i, feasible, message = _STRATEGIES[strategy](table, **params)
    return ThresholdChoice(threshold=float(table.thresholds[i]), strategy=strategy,
                           params=dict(params), achieved=table.row(i), feasible=feasible,
                           message=message)


def select_threshold(strategy: str, y_true: ArrayLike, y_score: ArrayLike, *,
                     thresholds: int | ArrayLike | None = None,
                     negatives_mask: ArrayLike | None = None, **params: Any) -> ThresholdChoice:
    """Choose a threshold with a named strategy (see the module docstring for the list).

    ``thresholds``/``negatives_mask`` are passed to :func:`sweep` (``negatives_mask`` sets the
    rows whose false-termination rate ``max_recall_at_fpr`` constrains).  ``params`` are the
    strategy's parameters, e.g.
    ``select_threshold("max_recall_at_precision", y, s, min_precision=0.9)``.

    When no candidate satisfies the constraint the result has ``feasible=False`` and a
    ``message``; the fallback is: ``max_recall_at_precision`` -> the highest precision (ties:
    highest recall); ``max_recall_at_fpr`` -> the lowest fpr (ties: highest recall), or,
    if fpr <= f is reachable only without any true positive, that zero-recall threshold;
    ``crisis_recall`` -> the highest recall.  ``max_f1`` is always feasible.
    """
    table = sweep(y_true, y_score, thresholds=thresholds, negatives_mask=negatives_mask)
    return select_from_sweep(strategy, table, **params)
