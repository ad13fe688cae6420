"""Tests for convguard.calibration: ECE, reliability curves and temperature scaling."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from sklearn.calibration import calibration_curve

from convguard.calibration import (T_MAX, apply_temperature, expected_calibration_error,
                                   fit_temperature, reliability_curve, sigmoid, softmax)


def test_ece_hand():
    # 2 uniform bins [0, .5) and [.5, 1]:
    #   bin 0: p = .1, .2 -> mean .15, labels 0, 1 -> frac .5 -> |.5 - .15| = .35, weight 2/4
    #   bin 1: p = .8, .9 -> mean .85, labels 1, 0 -> frac .5 -> |.5 - .85| = .35, weight 2/4
    #   ECE = .35
    y = [0, 1, 1, 0]
    p = [0.1, 0.2, 0.8, 0.9]
    assert expected_calibration_error(y, p, n_bins=2) == pytest.approx(0.35)
    curve = reliability_curve(y, p, n_bins=2)
    np.testing.assert_allclose(curve.mean_predicted, [0.15, 0.85])
    np.testing.assert_allclose(curve.frac_positives, [0.5, 0.5])
    np.testing.assert_array_equal(curve.counts, [2, 2])


def test_ece_perfect_and_worst():
    # constant 0.25 with exactly a quarter positives: perfectly calibrated
    assert expected_calibration_error([1, 0, 0, 0] * 5, [0.25] * 20) == pytest.approx(0.0)
    # confident and always wrong: ECE 1
    assert expected_calibration_error([0, 1], [1.0, 0.0]) == pytest.approx(1.0)


def test_bin_edges_convention():
    # a probability on an inner edge goes to the upper bin; 1.0 goes to the last bin
    curve = reliability_curve([0, 1, 1], [0.5, 0.5, 1.0], n_bins=2)
    np.testing.assert_array_equal(curve.counts, [3])
    curve = reliability_curve([0, 1, 1], [0.3, 0.5, 1.0], n_bins=10)
    np.testing.assert_allclose(curve.mean_predicted, [0.3, 0.5, 1.0])
    np.testing.assert_array_equal(curve.counts, [1, 1, 1])


@pytest.mark.parametrize("seed", range(3))
@pytest.mark.parametrize("strategy", ["uniform", "quantile"])
def test_reliability_curve_matches_sklearn(seed, strategy):
    rng = np.random.default_rng(seed)
    p = rng.beta(2, 3, size=2000)
    y = rng.random(2000) < p ** 1.3
    curve = reliability_curve(y, p, n_bins=10, strategy=strategy)
    prob_true, prob_pred = calibration_curve(y, p, n_bins=10, strategy=strategy)
    np.testing.assert_allclose(curve.frac_positives, prob_true)
    np.testing.assert_allclose(curve.mean_predicted, prob_pred)
    assert curve.counts.sum() == 2000
    if strategy == "quantile":
        assert np.all(np.abs(curve.counts - 200) <= 1)


def test_multiclass_ece_is_top_label():
    # top-label confidences .9 (correct), .6 (wrong), .7 (correct), .8 (correct)
    # one bin: mean confidence .75, accuracy .75 -> ECE 0
    # four bins [0,.25) [.25,.5) [.5,.75) [.75,1]:
    #   {.6 wrong, .7 right}: |.5 - .65| = .15 (w .5); {.9, .8 right}: |1 - .85| = .15 (w .5)
    p = np.array([[0.9, 0.05, 0.05], [0.2, 0.6, 0.2], [0.1, 0.2, 0.7], [0.1, 0.8, 0.1]])
    y = np.array([0, 0, 2, 1])
    assert expected_calibration_error(y, p, n_bins=1) == pytest.approx(0.0)
    assert expected_calibration_error(y, p, n_bins=4) == pytest.approx(0.15)


def test_calibration_input_errors():
    with pytest.raises(ValueError, match="empty"):
        expected_calibration_error([], [])
    with pytest.raises(ValueError, match="NaN"):
        expected_calibration_error([0, 1], [0.2, float("nan")])
    with pytest.raises(ValueError, match="logits"):
        expected_calibration_error([0, 1], [-2.0, 3.0])
    with pytest.raises(ValueError, match="strategy"):
        expected_calibration_error([0, 1], [0.2, 0.3], strategy="kmeans")
    with pytest.raises(ValueError, match="n_bins"):
        expected_calibration_error([0, 1], [0.2, 0.3], n_bins=0)
    with pytest.raises(ValueError, match="same length"):
        reliability_curve([0, 1, 1], [0.2, 0.3])
    with pytest.raises(ValueError, match="class indices"):
        expected_calibration_error([0, 3], [[0.5, 0.5], [0.1, 0.9]])


# ------------------------------------------------------------------------------------------
# temperature scaling
# ------------------------------------------------------------------------------------------

def _overconfident(seed: int, n: int = 4000, factor: float = 3.0):
    rng = np.random.default_rng(seed)
    z = rng.normal(0.0, 2.0, size=n)              # true logit
    y = (rng.random(n) < sigmoid(z)).astype(int)  # labels drawn from the true probabilities
    return factor * z, y                          # model logits are `factor` times too sharp


def _nll(p, y):
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))


@pytest.mark.parametrize("seed", range(3))
def test_temperature_fixes_overconfidence(seed):
    logits, y = _overconfident(seed)
    T = fit_temperature(logits, y)
    assert 2.5 < T < 3.5  # the generating factor is 3
    before = expected_calibration_error(y, sigmoid(logits))
    after = expected_calibration_error(y, apply_temperature(logits, T))
    assert after < before / 3
    assert _nll(apply_temperature(logits, T), y) < _nll(sigmoid(logits), y)
    # T is the NLL minimiser: nearby temperatures are no better
    for t2 in (T * 0.95, T * 1.05):
        assert _nll(apply_temperature(logits, T), y) <= _nll(apply_temperature(logits, t2), y)


def test_temperature_underconfident_and_deterministic():
    logits, y = _overconfident(5, factor=0.5)
    T = fit_temperature(logits, y)
    assert T < 1.0
    assert fit_temperature(logits, y) == T  # deterministic
    # scipy path and the pure-python golden-section fallback agree
    assert fit_temperature(logits, y, use_scipy=False) == pytest.approx(T, rel=1e-5)


def test_temperature_multiclass():
    rng = np.random.default_rng(0)
    z = rng.normal(0.0, 1.5, size=(3000, 4))
    cum = softmax(z).cumsum(axis=1)
    y = (rng.random(3000)[:, None] > cum).sum(axis=1)  # sample a class per row
    logits = 2.5 * z
    T = fit_temperature(logits, y)
    assert 2.0 < T < 3.0
    assert (expected_calibration_error(y, apply_temperature(logits, T))
            < expected_calibration_error(y, softmax(logits)))
    np.testing.assert_allclose(apply_temperature(logits, T).sum(axis=1), 1.0)
    assert fit_temperature(logits, y, use_scipy=False) == pytest.approx(T, rel=1e-5)


def test_temperature_degenerate_cases():
    with pytest.warns(RuntimeWarning, match="no effect"):
        assert fit_temperature([0.0, 0.0, 0.0], [0, 1, 1]) == 1.0
    # separable data: NLL keeps falling as T -> 0 -> bound reached, with a warning
    with pytest.warns(RuntimeWarning, match="bound"):
        T = fit_temperature([-2.0, -1.0, 1.0, 2.0], [0, 0, 1, 1])
    assert T < 0.02
    # anti-correlated logits: best is T -> infinity (probabilities -> 0.5)
    with pytest.warns(RuntimeWarning, match="bound"):
        assert fit_temperature([-2.0, -1.0, 1.0, 2.0], [1, 1, 0, 0]) == pytest.approx(T_MAX)


def test_temperature_input_errors():
    with pytest.raises(ValueError, match="empty"):
        fit_temperature([], [])
    with pytest.raises(ValueError, match="NaN"):
        fit_temperature([0.3, float("nan")], [0, 1])
    with pytest.raises(ValueError, match="same length"):
        fit_temperature([0.3, 0.1, 2.0], [0, 1])
    with pytest.raises(ValueError, match="positive"):
        apply_temperature([0.1, 0.2], 0.0)
    with pytest.raises(ValueError, match="positive"):
        apply_temperature([0.1, 0.2], float("nan"))


def test_apply_temperature_values():
    z = np.array([-3.0, 0.0, 2.0])
    np.testing.assert_allclose(apply_temperature(z, 1.0), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(apply_temperature(z, 2.0), 1 / (1 + np.exp(-z / 2)))
    # numerically stable at extreme logits
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = apply_temperature(np.array([-1000.0, 1000.0]), 1.0)
    assert p[0] == pytest.approx(0.0) and p[1] == pytest.approx(1.0)
    assert not math.isnan(p.sum())
