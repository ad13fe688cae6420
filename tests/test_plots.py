"""Tests for convguard.plots: every figure function writes a non-empty PNG and leaks no figure."""

from __future__ import annotations

import numpy as np
import pytest

from convguard import metrics as M
from convguard import plots
from convguard.thresholds import select_threshold, sweep

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _assert_png(path, expected):
    assert path == expected
    data = expected.read_bytes()
    assert len(data) > 1000 and data[:8] == PNG_MAGIC


@pytest.fixture(scope="module")
def data():
    rng = np.random.default_rng(0)
    y = (rng.random(300) < 0.3).astype(int)
    s = np.clip(rng.normal(0.35 + 0.3 * y, 0.2), 0, 1)
    return y, s


def test_plot_pr_curves(tmp_path, data):
    y, s = data
    out = tmp_path / "nested" / "pr.png"
    path = plots.plot_pr_curves({"model_a": (y, s), "model_b": (y, s ** 2)}, out)
    _assert_png(path, out)
    with pytest.raises(ValueError):
        plots.plot_pr_curves({}, tmp_path / "x.png")


def test_plot_threshold_tradeoff(tmp_path, data):
    y, s = data
    table = sweep(y, s, negatives_mask=(y == 0))
    choice = select_threshold("max_recall_at_fpr", y, s, max_fpr=0.1)
    out = tmp_path / "tradeoff.png"
    _assert_png(plots.plot_threshold_tradeoff(table, out, chosen=choice), out)
    out2 = tmp_path / "tradeoff_float.png"
    _assert_png(plots.plot_threshold_tradeoff(table, out2, chosen=0.5), out2)
    out3 = tmp_path / "tradeoff_none.png"
    _assert_png(plots.plot_threshold_tradeoff(table, str(out3)), out3)


def test_plot_confusion(tmp_path):
    labels = ["continue", "end_conversation", "crisis_support"]
    cm = M.confusion_matrix(["continue", "continue", "crisis_support", "end_conversation"],
                            ["continue", "end_conversation", "crisis_support", "end_conversation"],
                            labels)
    out = tmp_path / "cm.png"
    _assert_png(plots.plot_confusion(cm, labels, out), out)
    with pytest.raises(ValueError, match="labels"):
        plots.plot_confusion(cm, labels[:2], tmp_path / "bad.png")


def test_plot_reliability(tmp_path, data):
    y, s = data
    out = tmp_path / "rel.png"
    _assert_png(plots.plot_reliability(y, s, out), out)
    out_q = tmp_path / "rel_q.png"
    _assert_png(plots.plot_reliability(y, s, out_q, n_bins=8, strategy="quantile"), out_q)


def test_plot_turns_histogram(tmp_path):
    deltas = M.turn_deltas([2, 3, None, 5, 4, 1], [3, 3, 2, 2, 4, 4])
    out = tmp_path / "turns.png"
    _assert_png(plots.plot_turns_histogram(deltas, out), out)
    out2 = tmp_path / "turns_multi.png"
    _assert_png(plots.plot_turns_histogram({"small": deltas, "base": np.array([0.0, 1.0, -2.0])},
                                           out2), out2)
    # nothing ended at all still renders
    out3 = tmp_path / "turns_none.png"
    _assert_png(plots.plot_turns_histogram(np.array([np.nan, np.nan]), out3), out3)


def test_no_pyplot_figures_left_open(tmp_path, data):
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    y, s = data
    plots.plot_reliability(y, s, tmp_path / "r.png")
    plots.plot_pr_curves({"m": (y, s)}, tmp_path / "p.png")
    assert len(plt.get_fignums()) == before
