"""Tests for convguard.thresholds: sweep correctness and threshold-selection strategies."""

from __future__ import annotations

import time

import numpy as np
import pytest
from sklearn import metrics as skm

from convguard import metrics as M
from convguard.thresholds import (STRATEGY_PARAMS, SweepTable, ThresholdChoice, select_from_sweep,
                                  select_threshold, sweep)

# Small constructed case, sorted by score (score >= t is positive):
#
#   score  0.10 0.20 0.35 0.40 0.50 0.60 0.70 0.80 0.90 0.95
#   y        0    0    1    0    1    0    1    1    0    1
#
#   t      tp fp  precision  recall  f1              fpr (5 negatives)
#   0.95    1  0  1          1/5     2/6   = .333    0
#   0.90    1  1  1/2        1/5     2/7   = .286    1/5
#   0.80    2  1  2/3        2/5     4/8   = .5      1/5
#   0.70    3  1  3/4        3/5     6/9   = .667    1/5
#   0.60    3  2  3/5        3/5     6/10  = .6      2/5
#   0.50    4  2  4/6        4/5     8/11  = .727    2/5
#   0.40    4  3  4/7        4/5     8/12  = .667    3/5
#   0.35    5  3  5/8        1       10/13 = .769    3/5
#   0.20    5  4  5/9        1       10/14 = .714    4/5
#   0.10    5  5  1/2        1       10/15 = .667    1
#   1.00    0  0  0 (0/0)    0       0               0       (threshold 1.0 is a candidate)
SCORES = np.array([0.10, 0.20, 0.35, 0.40, 0.50, 0.60, 0.70, 0.80, 0.90, 0.95])
LABELS = np.array([0, 0, 1, 0, 1, 0, 1, 1, 0, 1])


def _brute_force(y, s, thresholds, neg_mask=None):
    neg = (np.asarray(y) == 0) if neg_mask is None else np.asarray(neg_mask)
    rows = []
    for t in thresholds:
        p, r, f1 = M.precision_recall_f1(y, s, t)
        pred = s >= t
        fpr = pred[neg].mean() if neg.any() else 0.0
        rows.append((p, r, f1, fpr, int(pred.sum())))
    return np.array(rows)


def _check_table(table: SweepTable, y, s, neg_mask=None):
    expected = _brute_force(y, s, table.thresholds, neg_mask)
    np.testing.assert_allclose(table.precision, expected[:, 0])
    np.testing.assert_allclose(table.recall, expected[:, 1])
    np.testing.assert_allclose(table.f1, expected[:, 2])
    np.testing.assert_allclose(table.fpr, expected[:, 3])
    np.testing.assert_array_equal(table.n_predicted, expected[:, 4])


def test_sweep_hand_case():
    t = sweep(LABELS, SCORES)
    np.testing.assert_allclose(t.thresholds, np.r_[0.0, SCORES, 1.0])
    r = {round(row["threshold"], 2): row for row in t.to_records()}
    assert r[0.7]["precision"] == pytest.approx(0.75) and r[0.7]["recall"] == pytest.approx(0.6)
    assert r[0.7]["fpr"] == pytest.approx(0.2) and r[0.7]["n_predicted"] == 4
    assert r[0.35]["f1"] == pytest.approx(10 / 13)
    assert (r[0.35]["tp"], r[0.35]["fp"], r[0.35]["fn"], r[0.35]["tn"]) == (5, 3, 0, 2)
    assert r[1.0]["precision"] == 0.0 and r[1.0]["n_predicted"] == 0
    assert r[0.0]["recall"] == 1.0 and r[0.0]["fpr"] == 1.0
    assert (t.n_pos, t.n_neg, len(t)) == (5, 5, 12)
    assert list(t.row(0)) == list(SweepTable.COLUMNS)


@pytest.mark.parametrize("seed", range(5))
def test_sweep_matches_brute_force_and_sklearn(seed):
    rng = np.random.default_rng(seed)
    n = 300
    y = (rng.random(n) < 0.3).astype(int)
    s = np.clip(rng.normal(0.4 + 0.25 * y, 0.2), 0, 1)
    if seed % 2:
        s = np.round(s, 1)  # heavy ties
    table = sweep(y, s)
    _check_table(table, y, s)
    # grid and explicit thresholds
    _check_table(sweep(y, s, thresholds=21), y, s)
    np.testing.assert_allclose(sweep(y, s, thresholds=21).thresholds, np.linspace(0, 1, 21))
    _check_table(sweep(y, s, thresholds=[0.7, 0.2, 0.2, 0.5]), y, s)
    # sklearn's curve has one point per distinct score
    p, r, thr = skm.precision_recall_curve(y, s)
    at = np.searchsorted(table.thresholds, thr)
    np.testing.assert_allclose(table.thresholds[at], thr)
    np.testing.assert_allclose(table.precision[at], p[:-1])
    np.testing.assert_allclose(table.recall[at], r[:-1])


def test_sweep_negatives_mask():
    # benign-edgy = rows 3 (0.40) and 8 (0.90); at t=0.5 only row 8 is ended -> 1/2
    mask = np.zeros(10, dtype=bool)
    mask[[3, 8]] = True
    t = sweep(LABELS, SCORES, negatives_mask=mask)
    _check_table(t, LABELS, SCORES, mask)
    i = int(np.flatnonzero(np.isclose(t.thresholds, 0.5))[0])
    assert t.fpr[i] == 0.5 and t.n_neg == 2 and t.fpr_on_mask
    assert t.precision[i] == pytest.approx(4 / 6)  # precision still uses all rows
    mask[2] = True  # a positive row
    with pytest.raises(ValueError, match="positive row"):
        sweep(LABELS, SCORES, negatives_mask=mask)


def test_sweep_edge_cases():
    # all same score
    t = sweep([1, 0, 1], [0.5, 0.5, 0.5])
    np.testing.assert_allclose(t.thresholds, [0.0, 0.5, 1.0])
    np.testing.assert_allclose(t.precision, [2 / 3, 2 / 3, 0.0])
    np.testing.assert_allclose(t.recall, [1.0, 1.0, 0.0])
    # no positives: recall 0 everywhere (0/0 rule), fpr defined
    t = sweep([0, 0], [0.2, 0.8])
    assert np.all(t.recall == 0.0) and t.n_pos == 0
    np.testing.assert_allclose(t.fpr, [1.0, 1.0, 0.5, 0.0])
    with pytest.raises(ValueError, match="empty"):
        sweep([], [])
    with pytest.raises(ValueError, match="non-finite"):
        sweep([0, 1], [0.2, float("nan")])
    with pytest.raises(ValueError, match="NaN"):
        sweep([0, 1], [0.2, 0.3], thresholds=[0.5, float("nan")])
    with pytest.raises(ValueError, match="at least 2"):
        sweep([0, 1], [0.2, 0.3], thresholds=1)


def test_sweep_is_fast_on_large_input():
    rng = np.random.default_rng(0)
    n = 200_000
    y = rng.random(n) < 0.2
    s = rng.random(n)
    start = time.perf_counter()
    t = sweep(y, s)  # ~200k distinct thresholds: a per-threshold loop would take minutes
    assert time.perf_counter() - start < 2.0
    assert len(t) == n + 2


# ------------------------------------------------------------------------------------------
# strategies on the constructed case (see the table at the top)
# ------------------------------------------------------------------------------------------

def test_max_f1():
    c = select_threshold("max_f1", LABELS, SCORES)
    assert c.threshold == 0.35 and c.feasible
    assert c.achieved["f1"] == pytest.approx(10 / 13)
    assert isinstance(c, ThresholdChoice) and c.strategy == "max_f1" and c.params == {}


def test_max_recall_at_precision():
    # precision >= 0.75 holds at 0.95 (R .2), 0.9? no (.5), 0.8? no (.667), 0.7 (R .6) -> 0.7
    c = select_threshold("max_recall_at_precision", LABELS, SCORES, min_precision=0.75)
    assert c.threshold == 0.70 and c.feasible
    assert c.achieved["recall"] == pytest.approx(0.6)
    assert c.achieved["precision"] == pytest.approx(0.75)
    # precision >= 2/3 exactly: 0.5 gives 4/6 = 2/3 with recall .8 (exact boundary is feasible)
    c = select_threshold("max_recall_at_precision", LABELS, SCORES, min_precision=2 / 3)
    assert c.threshold == 0.50 and c.achieved["recall"] == pytest.approx(0.8)
    # precision >= 0.5 holds everywhere with predictions; ties at recall 1 -> largest t = 0.35
    c = select_threshold("max_recall_at_precision", LABELS, SCORES, min_precision=0.5)
    assert c.threshold == 0.35


def test_max_recall_at_precision_infeasible_fallback():
    # the top score is a negative, so precision >= 0.9 is impossible
    y = np.array([1, 0, 1, 1, 0])
    s = np.array([0.9, 0.95, 0.5, 0.4, 0.1])
    # t=.95: P 0; t=.9: P 1/2; t=.5: P 2/3; t=.4: P 3/4 (R 1); t=.1: P 3/5
    c = select_threshold("max_recall_at_precision", y, s, min_precision=0.9)
    assert not c.feasible and "infeasible" in c.message
    assert c.threshold == 0.4 and c.achieved["precision"] == pytest.approx(0.75)


def test_max_recall_at_fpr():
    # fpr <= 0.2: thresholds >= 0.70 -> best recall .6 at 0.70
    c = select_threshold("max_recall_at_fpr", LABELS, SCORES, max_fpr=0.2)
    assert c.threshold == 0.70 and c.feasible and c.achieved["fpr"] == pytest.approx(0.2)
    # fpr <= 0.1: only 0.95 (and 1.0) -> recall .2 at 0.95
    c = select_threshold("max_recall_at_fpr", LABELS, SCORES, max_fpr=0.1)
    assert c.threshold == 0.95 and c.achieved["recall"] == pytest.approx(0.2)
    # constraint on the benign-edgy subset only (rows 3 and 8): fpr <= 0.5 first holds at 0.5
    mask = np.zeros(10, dtype=bool)
    mask[[3, 8]] = True
    c = select_threshold("max_recall_at_fpr", LABELS, SCORES, max_fpr=0.5, negatives_mask=mask)
    assert c.threshold == 0.50 and c.achieved["recall"] == pytest.approx(0.8)
    assert c.achieved["fpr"] == pytest.approx(0.5)


def test_max_recall_at_fpr_infeasible():
    # the top-scored row is a negative at 1.0, so every threshold has fpr >= 1/2
    #   t=1.0: fpr 1/2, recall 0 | t=0.6: fpr 1/2, recall 1 | t=0.2, 0.0: fpr 1, recall 1
    y = np.array([0, 1, 0])
    s = np.array([1.0, 0.6, 0.2])
    c = select_threshold("max_recall_at_fpr", y, s, max_fpr=0.1)
    assert not c.feasible and "no threshold has fpr <= 0.1" in c.message
    # fallback: lowest fpr (1/2), and among those the highest recall -> 0.6
    assert c.threshold == 0.6 and c.achieved["fpr"] == pytest.approx(0.5)
    assert c.achieved["recall"] == 1.0
    # fpr <= f is reachable only by ending nothing useful -> infeasible, safe (zero-fpr) fallback
    y = np.array([0, 1, 0])
    s = np.array([0.9, 0.6, 0.2])
    c = select_threshold("max_recall_at_fpr", y, s, max_fpr=0.0)
    assert not c.feasible and c.achieved["fpr"] == 0.0 and c.achieved["recall"] == 0.0
    with pytest.raises(ValueError, match="needs negatives"):
        select_threshold("max_recall_at_fpr", [1, 1], [0.2, 0.5], max_fpr=0.1)


def test_crisis_recall():
    # recall >= 0.8: largest t is 0.50 (recall .8); >= 1.0: 0.35; >= 0.6: 0.70
    assert select_threshold("crisis_recall", LABELS, SCORES, min_recall=0.8).threshold == 0.50
    assert select_threshold("crisis_recall", LABELS, SCORES, min_recall=1.0).threshold == 0.35
    c = select_threshold("crisis_recall", LABELS, SCORES, min_recall=0.6)
    assert c.threshold == 0.70 and c.feasible and c.achieved["recall"] == pytest.approx(0.6)
    # a coarse grid that cannot reach recall 1 -> infeasible, highest recall as fallback
    c = select_threshold("crisis_recall", LABELS, SCORES, min_recall=1.0, thresholds=[0.5, 0.9])
    assert not c.feasible and c.threshold == 0.5 and "infeasible" in c.message


def test_ties_at_threshold_count_as_positive():
    # two rows share the chosen score 0.6: one positive, one negative; both are predicted
    y = np.array([1, 1, 0, 0])
    s = np.array([0.9, 0.6, 0.6, 0.1])
    c = select_threshold("crisis_recall", y, s, min_recall=1.0)
    assert c.threshold == 0.6
    assert c.achieved["n_predicted"] == 3 and c.achieved["fp"] == 1
    p, r, _ = M.precision_recall_f1(y, s, c.threshold)
    assert (p, r) == (pytest.approx(2 / 3), 1.0)


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("strategy,params", [
    ("max_f1", {}),
    ("max_recall_at_precision", {"min_precision": 0.7}),
    ("max_recall_at_fpr", {"max_fpr": 0.05}),
    ("crisis_recall", {"min_recall": 0.95}),
])
def test_returned_threshold_reproduces_achieved_metrics(seed, strategy, params):
    rng = np.random.default_rng(seed)
    y = (rng.random(500) < 0.25).astype(int)
    s = np.round(np.clip(rng.normal(0.35 + 0.35 * y, 0.18), 0, 1), 3)
    c = select_threshold(strategy, y, s, **params)
    p, r, f1 = M.precision_recall_f1(y, s, c.threshold)
    assert (p, r, f1) == (pytest.approx(c.achieved["precision"]), pytest.approx(c.achieved["recall"]),
                          pytest.approx(c.achieved["f1"]))
    assert M.false_positive_rate(y, s, c.threshold) == pytest.approx(c.achieved["fpr"])
    assert c.achieved["threshold"] == c.threshold
    # the choice is optimal over every candidate threshold
    t = sweep(y, s)
    if strategy == "max_f1":
        assert c.achieved["f1"] == pytest.approx(t.f1.max())
    elif strategy == "max_recall_at_precision" and c.feasible:
        assert c.achieved["recall"] == pytest.approx(t.recall[t.precision >= 0.7].max())
    elif strategy == "max_recall_at_fpr" and c.feasible:
        assert c.achieved["recall"] == pytest.approx(t.recall[t.fpr <= 0.05].max())
    elif strategy == "crisis_recall":
        assert c.feasible and c.threshold == t.thresholds[t.recall >= 0.95].max()
    assert c.to_dict()["strategy"] == strategy


def test_select_from_sweep_reuses_table():
    t = sweep(LABELS, SCORES)
    assert select_from_sweep("max_f1", t) == select_threshold("max_f1", LABELS, SCORES)


def test_strategy_errors():
    assert set(STRATEGY_PARAMS) == {"max_f1", "max_recall_at_precision", "max_recall_at_fpr",
                                    "crisis_recall"}
    with pytest.raises(ValueError, match="unknown threshold strategy"):
        select_threshold("best", LABELS, SCORES)
    with pytest.raises(ValueError, match="missing"):
        select_threshold("max_recall_at_precision", LABELS, SCORES)
    with pytest.raises(ValueError, match="unexpected"):
        select_threshold("max_f1", LABELS, SCORES, min_recall=0.5)
    with pytest.raises(ValueError, match=r"in \[0, 1\]"):
        select_threshold("crisis_recall", LABELS, SCORES, min_recall=1.5)
    with pytest.raises(ValueError, match="at least one positive"):
        select_threshold("max_f1", [0, 0], [0.1, 0.2])
