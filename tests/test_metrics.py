"""Tests for convguard.metrics: hand-computed cases, edge cases and scikit-learn cross-checks."""

from __future__ import annotations

import math
import time
import warnings

import numpy as np
import pytest
from sklearn import metrics as skm

from convguard import metrics as M
from convguard.taxonomy import ACTIONS

# ------------------------------------------------------------------------------------------
# hand-computed case
#
#   index   0    1    2    3    4    5    6    7
#   y       1    1    1    0    0    0    0    1
#   score  0.9  0.6  0.3  0.8  0.5  0.1  0.2  0.5
#
# threshold 0.5 (score >= 0.5 is positive; rows 4 and 7 sit exactly on the threshold):
#   predicted   1 1 0 1 1 0 0 1
#   tp = rows 0,1,7 = 3   fp = rows 3,4 = 2   fn = row 2 = 1   tn = rows 5,6 = 2
#   precision = 3/5 = 0.6   recall = 3/4 = 0.75   f1 = 2*3/(2*3+2+1) = 6/9   fpr = 2/4 = 0.5
# threshold just above 0.5: predicted rows 0,1,3 -> tp 2, fp 1, fn 2, tn 3
#   precision = 2/3, recall = 2/4, fpr = 1/4
#
# average precision (distinct scores, descending):
#   t=.9: tp1 fp0 P=1   R=.25 | t=.8: tp1 fp1 P=.5 R=.25 | t=.6: tp2 fp1 P=2/3 R=.5
#   t=.5: tp3 fp2 P=.6 R=.75  | t=.3: tp4 fp2 P=4/6 R=1   | lower thresholds: R stays 1
#   AP = .25*1 + 0*.5 + .25*2/3 + .25*.6 + .25*2/3 = 0.7333...
# ROC AUC = P(pos > neg), ties 1/2; positives .9 .6 .3 .5, negatives .8 .5 .1 .2:
#   .9 beats 4; .6 beats 3; .3 beats 2; .5 beats 2 and ties 1 -> 2.5;  (4+3+2+2.5)/16 = 0.71875
# ------------------------------------------------------------------------------------------
Y = np.array([1, 1, 1, 0, 0, 0, 0, 1])
S = np.array([0.9, 0.6, 0.3, 0.8, 0.5, 0.1, 0.2, 0.5])


def test_binary_counts_hand():
    c = M.binary_counts(Y, S >= 0.5)
    assert c == (3, 2, 1, 2)
    assert (c.tp, c.fp, c.fn, c.tn) == (3, 2, 1, 2)
    assert (c.n, c.n_pos, c.n_neg, c.n_pred_pos) == (8, 4, 4, 5)


def test_precision_recall_f1_hand_with_ties_at_threshold():
    p, r, f1 = M.precision_recall_f1(Y, S, 0.5)
    assert p == pytest.approx(0.6)
    assert r == pytest.approx(0.75)
    assert f1 == pytest.approx(6 / 9)
    assert M.false_positive_rate(Y, S, 0.5) == pytest.approx(0.5)
    # just above the tied scores, both 0.5 rows become negative predictions
    p, r, _ = M.precision_recall_f1(Y, S, np.nextafter(0.5, 1.0))
    assert (p, r) == (pytest.approx(2 / 3), pytest.approx(0.5))
    assert M.false_positive_rate(Y, S, np.nextafter(0.5, 1.0)) == pytest.approx(0.25)


def test_ranking_metrics_hand():
    assert M.pr_auc(Y, S) == pytest.approx(0.25 * (1 + 2 / 3 + 0.6 + 2 / 3))
    assert M.roc_auc(Y, S) == pytest.approx(11.5 / 16)


def test_zero_division_rules():
    y = np.array([0, 0, 0])
    s = np.array([0.2, 0.7, 0.9])
    # no positives: recall 0/0 -> 0.0, precision 0/2 = 0.0, f1 0/(0+2+0) = 0.0
    assert M.precision_recall_f1(y, s, 0.5) == (0.0, 0.0, 0.0)
    # no predicted positives: precision 0/0 -> 0.0
    y2 = np.array([1, 0, 1])
    assert M.precision_recall_f1(y2, s, 0.95) == (0.0, 0.0, 0.0)
    # f1 0/0 (no positives, no predicted positives)
    assert M.precision_recall_f1(y, s, 0.95) == (0.0, 0.0, 0.0)
    # no negatives -> fpr 0/0 -> 0.0
    assert M.false_positive_rate(np.array([1, 1]), np.array([0.1, 0.9]), 0.5) == 0.0
    # configurable
    p, r, f1 = M.precision_recall_f1(y, s, 0.95, zero_division=float("nan"))
    assert math.isnan(p) and math.isnan(r) and math.isnan(f1)
    assert math.isnan(M.false_positive_rate([1, 1], [0.1, 0.9], 0.5, zero_division=float("nan")))


def test_one_class_ranking_metrics_are_nan_with_reason():
    with pytest.warns(M.UndefinedMetricWarning, match="only negatives"):
        assert math.isnan(M.roc_auc([0, 0, 0], [0.1, 0.5, 0.9]))
    with pytest.warns(M.UndefinedMetricWarning, match="only positives"):
        assert math.isnan(M.roc_auc([1, 1], [0.1, 0.5]))
    with pytest.warns(M.UndefinedMetricWarning, match="no positives"):
        assert math.isnan(M.pr_auc([0, 0], [0.1, 0.5]))
    # all positives: every threshold has precision 1
    assert M.pr_auc([1, 1, 1], [0.1, 0.5, 0.5]) == pytest.approx(1.0)


def test_all_same_score():
    y = np.array([1, 0, 0, 1, 0])
    s = np.full(5, 0.4)
    assert M.roc_auc(y, s) == pytest.approx(0.5)
    assert M.pr_auc(y, s) == pytest.approx(2 / 5)  # one threshold: P = prevalence, R = 1
    assert M.precision_recall_f1(y, s, 0.4) == (pytest.approx(0.4), 1.0, pytest.approx(4 / 7))
    assert M.precision_recall_f1(y, s, 0.41) == (0.0, 0.0, 0.0)


@pytest.mark.parametrize("fn", [
    lambda y, s: M.precision_recall_f1(y, s, 0.5),
    lambda y, s: M.false_positive_rate(y, s, 0.5),
    M.pr_auc, M.roc_auc, M.precision_recall_curve,
])
def test_bad_input_raises(fn):
    with pytest.raises(ValueError, match="empty"):
        fn([], [])
    with pytest.raises(ValueError, match="non-finite"):
        fn([0, 1, 1], [0.1, float("nan"), 0.3])
    with pytest.raises(ValueError, match="non-finite"):
        fn([0, 1], [0.1, float("inf")])
    with pytest.raises(ValueError, match="same length"):
        fn([0, 1, 1], [0.1, 0.2])
    with pytest.raises(ValueError, match="binary labels"):
        fn([0, 2, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="1-D"):
        fn([[0, 1]], [[0.1, 0.2]])


def test_nan_threshold_and_label_nan_raise():
    with pytest.raises(ValueError, match="NaN"):
        M.precision_recall_f1([0, 1], [0.1, 0.2], float("nan"))
    with pytest.raises(ValueError, match="NaN"):
        M.precision_recall_f1([0, float("nan")], [0.1, 0.2], 0.5)


def test_bool_and_float_labels_accepted():
    assert M.precision_recall_f1(Y.astype(bool), S, 0.5) == M.precision_recall_f1(Y, S, 0.5)
    assert M.precision_recall_f1(Y.astype(float), S, 0.5) == M.precision_recall_f1(Y, S, 0.5)


# ------------------------------------------------------------------------------------------
# scikit-learn cross-checks on random data (several seeds, with ties from rounding)
# ------------------------------------------------------------------------------------------

def _random_case(seed: int, n: int = 400):
    rng = np.random.default_rng(seed)
    y = (rng.random(n) < rng.uniform(0.05, 0.6)).astype(int)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    if seed % 2 == 0:
        s = np.round(s, 2)  # many ties
    return y, s


@pytest.mark.parametrize("seed", range(6))
def test_threshold_metrics_match_sklearn(seed):
    y, s = _random_case(seed)
    for t in (0.0, 0.3, 0.5, 0.71, 1.0, float(np.median(s))):
        pred = (s >= t).astype(int)
        p, r, f1 = M.precision_recall_f1(y, s, t)
        assert p == pytest.approx(skm.precision_score(y, pred, zero_division=0))
        assert r == pytest.approx(skm.recall_score(y, pred, zero_division=0))
        assert f1 == pytest.approx(skm.f1_score(y, pred, zero_division=0))
        tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1]).ravel()
        assert M.binary_counts(y, pred) == (tp, fp, fn, tn)
        assert M.false_positive_rate(y, s, t) == pytest.approx(fp / (fp + tn))


@pytest.mark.parametrize("seed", range(6))
def test_ranking_metrics_match_sklearn(seed):
    y, s = _random_case(seed)
    assert M.pr_auc(y, s) == pytest.approx(skm.average_precision_score(y, s), abs=1e-12)
    assert M.roc_auc(y, s) == pytest.approx(skm.roc_auc_score(y, s), abs=1e-12)
    p, r, t = M.precision_recall_curve(y, s)
    p2, r2, t2 = skm.precision_recall_curve(y, s)
    np.testing.assert_allclose(p, p2)
    np.testing.assert_allclose(r, r2)
    np.testing.assert_allclose(t, t2)


@pytest.mark.parametrize("seed", range(4))
def test_confusion_matrix_matches_sklearn(seed):
    rng = np.random.default_rng(seed)
    yt = rng.choice(ACTIONS, size=300)
    yp = rng.choice(ACTIONS, size=300)
    np.testing.assert_array_equal(M.confusion_matrix(yt, yp, ACTIONS),
                                  skm.confusion_matrix(yt, yp, labels=list(ACTIONS)))
    # default labels: sorted union
    np.testing.assert_array_equal(M.confusion_matrix(yt, yp), skm.confusion_matrix(yt, yp))


def test_confusion_matrix_hand_and_errors():
    cm = M.confusion_matrix(["continue", "end_conversation", "crisis_support", "continue"],
                            ["continue", "continue", "crisis_support", "end_conversation"],
                            labels=ACTIONS)
    # rows true, columns predicted, order ACTIONS = (continue, end_conversation, crisis_support)
    np.testing.assert_array_equal(cm, [[1, 1, 0], [1, 0, 0], [0, 0, 1]])
    with pytest.raises(ValueError, match="not in labels"):
        M.confusion_matrix(["continue", "oops"], ["continue", "continue"], labels=ACTIONS)
    with pytest.raises(ValueError, match="duplicates"):
        M.confusion_matrix([0, 1], [0, 1], labels=[0, 1, 1])
    with pytest.raises(ValueError, match="empty"):
        M.confusion_matrix([], [], labels=[0, 1])


# ------------------------------------------------------------------------------------------
# bootstrap
# ------------------------------------------------------------------------------------------

def _f1_at_half(y, s):
    return M.precision_recall_f1(y, s, 0.5).f1


def test_bootstrap_ci_basic_properties():
    y, s = _random_case(1, n=2000)
    ci = M.bootstrap_ci(_f1_at_half, y, s, n_boot=300, seed=3)
    assert ci.point == pytest.approx(_f1_at_half(y, s))
    assert ci.low < ci.point < ci.high
    assert ci == M.bootstrap_ci(_f1_at_half, y, s, n_boot=300, seed=3)  # deterministic
    assert ci != M.bootstrap_ci(_f1_at_half, y, s, n_boot=300, seed=4)
    wide = M.bootstrap_ci(_f1_at_half, y[:200], s[:200], n_boot=300, seed=3)
    assert (wide.high - wide.low) > (ci.high - ci.low)
    narrow = M.bootstrap_ci(_f1_at_half, y, s, n_boot=300, seed=3, alpha=0.5)
    assert ci.low <= narrow.low <= narrow.high <= ci.high
    p, lo, hi = M.bootstrap_ci(_f1_at_half, y, s, n_boot=0)
    assert p == ci.point and math.isnan(lo) and math.isnan(hi)


def test_bootstrap_ci_resamples_rows_jointly():
    # metric equals 1 only if pairs stay aligned
    a = np.arange(50)
    ci = M.bootstrap_ci(lambda x, z: float(np.all(x == z)), a, a.copy(), n_boot=100)
    assert ci == (1.0, 1.0, 1.0)


def test_bootstrap_ci_speed_5k_rows():
    y, s = _random_case(2, n=5000)
    start = time.perf_counter()
    M.bootstrap_ci(_f1_at_half, y, s, n_boot=1000)
    assert time.perf_counter() - start < 1.0


def test_bootstrap_ci_skips_degenerate_resamples():
    # one positive in 12 rows: about (11/12)**12 = 35% of resamples have no positive
    y = np.array([1] + [0] * 11)
    s = np.linspace(1.0, 0.0, 12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no warning expected: more than half are usable
        point, lo, hi = M.bootstrap_ci(M.roc_auc, y, s, n_boot=400)
    assert point == 1.0 and lo == 1.0 and hi == 1.0
    # metric undefined on every resample -> NaN bounds and a warning
    with pytest.warns(M.UndefinedMetricWarning, match="0 of 50"):
        point, lo, hi = M.bootstrap_ci(lambda v: 1.0 if len(set(v.tolist())) == len(v) else
                                       float("nan"), np.arange(30), n_boot=50)
    assert point == 1.0 and math.isnan(lo) and math.isnan(hi)
    # undefined point estimate -> no resampling
    with pytest.warns(M.UndefinedMetricWarning):
        point, lo, hi = M.bootstrap_ci(M.roc_auc, np.zeros(5, int), np.arange(5.0))
    assert math.isnan(point) and math.isnan(lo) and math.isnan(hi)


def test_bootstrap_ci_bad_args():
    with pytest.raises(ValueError):
        M.bootstrap_ci(M.roc_auc, [0, 1], [0.1, 0.2, 0.3])
    with pytest.raises(ValueError, match="alpha"):
        M.bootstrap_ci(M.roc_auc, [0, 1], [0.1, 0.2], alpha=1.5)
    with pytest.raises(ValueError, match="n_boot"):
        M.bootstrap_ci(M.roc_auc, [0, 1], [0.1, 0.2], n_boot=-1)
    with pytest.raises(ValueError, match="at least one array"):
        M.bootstrap_ci(M.roc_auc)


# ------------------------------------------------------------------------------------------
# termination report
# ------------------------------------------------------------------------------------------

def test_termination_report_hand_values_and_groups():
    groups = np.array(["violent_crimes", "violent_crimes", "hate", "dark_fiction_history",
                       "dark_fiction_history", "ordinary", "ordinary", "hate"])
    rep = M.termination_report(Y, S, 0.5, groups=groups, n_boot=200, seed=1)
    assert rep["support"] == {"n": 8, "n_pos": 4, "n_neg": 4, "n_pred_pos": 5}
    assert rep["counts"] == {"tp": 3, "fp": 2, "fn": 1, "tn": 2}
    assert rep["precision"]["value"] == pytest.approx(0.6)
    assert rep["recall"]["value"] == pytest.approx(0.75)
    assert rep["f1"]["value"] == pytest.approx(6 / 9)
    assert rep["fpr"]["value"] == pytest.approx(0.5)
    assert rep["pr_auc"]["value"] == pytest.approx(M.pr_auc(Y, S))
    assert rep["roc_auc"]["value"] == pytest.approx(11.5 / 16)
    for k in ("precision", "recall", "f1", "fpr", "pr_auc", "roc_auc"):
        e = rep[k]
        assert set(e) == {"value", "low", "high", "n_boot_valid"}
        assert e["low"] <= e["value"] <= e["high"]
        assert 0 < e["n_boot_valid"] <= 200
    bg = rep["by_group"]
    assert list(bg) == ["dark_fiction_history", "hate", "ordinary", "violent_crimes"]
    # violent_crimes: rows 0,1 both positive and caught -> recall 2/2, no fpr
    assert bg["violent_crimes"]["n_pos"] == 2 and bg["violent_crimes"]["tp"] == 2
    assert bg["violent_crimes"]["recall"]["value"] == 1.0 and bg["violent_crimes"]["fpr"] is None
    # hate: rows 2 (0.3, missed) and 7 (0.5, caught) -> recall 1/2
    assert bg["hate"]["recall"]["value"] == pytest.approx(0.5)
    # dark_fiction_history: rows 3 (0.8) and 4 (0.5) both negatives, both ended -> fpr 2/2
    assert bg["dark_fiction_history"]["fpr"]["value"] == 1.0
    assert bg["dark_fiction_history"]["recall"] is None
    assert bg["dark_fiction_history"]["fp"] == 2
    # ordinary: rows 5, 6 negatives, none ended
    assert bg["ordinary"]["fpr"]["value"] == 0.0 and bg["ordinary"]["n_pred_pos"] == 0


def test_termination_report_intervals_match_bootstrap_ci():
    y, s = _random_case(3, n=600)
    rep = M.termination_report(y, s, 0.5, n_boot=300, seed=7)
    prec = M.bootstrap_ci(lambda a, b: M.precision_recall_f1(a, b, 0.5).precision, y, s,
                          n_boot=300, seed=7)
    assert (rep["precision"]["low"], rep["precision"]["high"]) == pytest.approx(prec[1:])
    auc = M.bootstrap_ci(M.roc_auc, y, s, n_boot=300, seed=7)
    assert (rep["roc_auc"]["low"], rep["roc_auc"]["high"]) == pytest.approx(auc[1:])
    ap = M.bootstrap_ci(M.pr_auc, y, s, n_boot=300, seed=7)
    assert (rep["pr_auc"]["low"], rep["pr_auc"]["high"]) == pytest.approx(ap[1:])


def test_termination_report_edge_cases():
    # no positives: threshold metrics 0.0 (no interval), AUCs NaN, no warning leaks
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        rep = M.termination_report([0, 0, 0, 0], [0.1, 0.6, 0.7, 0.2], 0.5, n_boot=50)
    assert rep["recall"]["value"] == 0.0 and math.isnan(rep["recall"]["low"])
    assert rep["fpr"]["value"] == 0.5
    assert math.isnan(rep["roc_auc"]["value"]) and math.isnan(rep["pr_auc"]["value"])
    rep0 = M.termination_report(Y, S, 0.5, n_boot=0)
    assert rep0["recall"]["value"] == 0.75 and math.isnan(rep0["recall"]["high"])
    assert rep0["by_group"] == {}
    with pytest.raises(ValueError, match="same length"):
        M.termination_report(Y, S, 0.5, groups=["a"])
    with pytest.raises(ValueError, match="empty"):
        M.termination_report([], [], 0.5)


def test_termination_report_speed():
    y, s = _random_case(4, n=5000)
    g = np.random.default_rng(0).choice(["a", "b", "c", "d"], size=5000)
    start = time.perf_counter()
    M.termination_report(y, s, 0.5, groups=g, n_boot=1000)
    assert time.perf_counter() - start < 5.0


def test_flatten_report():
    rep = M.termination_report(Y, S, 0.5, groups=["a b"] * 4 + ["c"] * 4, n_boot=20)
    flat = M.flatten_report(rep, prefix="test/")
    assert flat["test/recall"] == 0.75
    assert "test/recall_low" in flat and "test/support/n_pos" in flat
    assert "test/by_group/a_b/recall" in flat
    assert "test/by_group/c/fpr_high" in flat
    assert all(isinstance(v, float) for v in flat.values())


# ------------------------------------------------------------------------------------------
# crisis report
# ------------------------------------------------------------------------------------------

def test_crisis_report_hand():
    ids = ["c0", "c1", "c2", "f0", "f1", "f2", "o0"]
    y = [1, 1, 1, 0, 0, 0, 0]
    score = [0.9, 0.4, 0.7, 0.8, 0.2, 0.7, 0.1]
    actions = ["crisis_support", "end_conversation", "crisis_support", "crisis_support",
               "continue", "continue", "continue"]
    fig = [False, False, False, True, True, True, False]
    rep = M.crisis_report(y, score, 0.7, actions, ids, figurative_mask=fig, n_boot=100)
    # detector at 0.7: predicted c0, c2, f0, f2 -> tp 2, fp 2, fn 1 (c1), tn 2
    assert rep["counts"] == {"tp": 2, "fp": 2, "fn": 1, "tn": 2}
    assert rep["recall"]["value"] == pytest.approx(2 / 3)
    assert rep["precision"]["value"] == pytest.approx(0.5)
    assert rep["n_crisis"] == 3
    assert rep["n_crisis_ended"] == 1 and rep["crisis_ended_ids"] == ["c1"]
    assert rep["promise_kept"] is False
    assert rep["n_crisis_supported"] == 2
    assert rep["crisis_support_rate"] == pytest.approx(2 / 3)
    f = rep["figurative"]
    # figurative rows f0 (0.8), f1 (0.2), f2 (0.7 = threshold, counts as an alarm)
    assert f["n"] == 3 and f["n_false_alarm"] == 2 and f["false_alarm_ids"] == ["f0", "f2"]
    assert f["false_alarm_rate"]["value"] == pytest.approx(2 / 3)
    assert f["n_action_crisis_support"] == 1
    assert f["action_false_alarm_rate"] == pytest.approx(1 / 3)


def test_crisis_report_promise_kept_and_errors():
    rep = M.crisis_report([1, 0], [0.9, 0.1], 0.5, ["crisis_support", "end_conversation"],
                          ["a", "b"], n_boot=0)
    assert rep["promise_kept"] is True and rep["crisis_ended_ids"] == []
    assert rep["figurative"] is None
    with pytest.raises(ValueError, match="unknown value"):
        M.crisis_report([1, 0], [0.9, 0.1], 0.5, ["crisis_support", "hang_up"], ["a", "b"])
    with pytest.raises(ValueError, match="same length"):
        M.crisis_report([1, 0], [0.9, 0.1], 0.5, ["continue"] * 2, ["a"])
    with pytest.raises(ValueError, match="non-finite"):
        M.crisis_report([1, 0], [0.9, float("nan")], 0.5, ["continue"] * 2, ["a", "b"])


# ------------------------------------------------------------------------------------------
# turns to termination
# ------------------------------------------------------------------------------------------

def test_turn_deltas_and_summary():
    d = M.turn_deltas([3, None, 5, 2, float("nan")], [4, 2, 5, 1, 3])
    np.testing.assert_array_equal(d[[0, 2, 3]], [-1, 0, 1])
    assert np.isnan(d[1]) and np.isnan(d[4])
    s = M.summarize_turn_deltas(d)
    assert s == {"n": 5, "n_never_ended": 2, "n_ended": 3, "n_premature": 1, "n_on_time": 1,
                 "n_late": 1, "premature_rate": pytest.approx(1 / 3), "mean_delta": 0.0,
                 "median_delta": 0.0}
    with pytest.raises(ValueError, match="same length"):
        M.turn_deltas([1, 2], [1])
