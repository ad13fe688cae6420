"""Evaluation figures saved as PNG files.

Every function takes arrays and an output ``path``, creates the parent directory, writes the
PNG and returns the path as a :class:`pathlib.Path`; :func:`evaluation_plots` draws the set of
figures one evaluation report shows from a score table and the policies.  Figures are built with
:class:`matplotlib.figure.Figure` on the Agg canvas directly -- ``pyplot`` is never used, so no
global backend is switched, no GUI is needed, nothing accumulates in pyplot's figure registry,
and the functions are safe to call from worker threads.  Each figure is released (its canvas
and artists cleared) before the function returns.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from numpy.typing import ArrayLike

from .calibration import BinStrategy, expected_calibration_error, reliability_curve
from .evaluation import ScoreTable, _termination_rows
from .formatting import slug
from .metrics import confusion_matrix, pr_auc, precision_recall_curve, summarize_turn_deltas
from .policy import Rules, Thresholds, apply_policy, crisis_scores
from .taxonomy import ACTIONS
from .thresholds import SweepTable, ThresholdChoice, sweep

__all__ = [
    "plot_pr_curves",
    "plot_threshold_tradeoff",
    "plot_confusion",
    "plot_reliability",
    "plot_turns_histogram",
    "evaluation_plots",
]

_DPI = 120


def _new_figure(w: float = 6.4, h: float = 4.8) -> Figure:
    fig = Figure(figsize=(w, h), dpi=_DPI)
    FigureCanvasAgg(fig)
    return fig


def _save(fig: Figure, path: str | Path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    try:
        fig.savefig(p, format="png", bbox_inches="tight")
    finally:
        fig.clear()
    return p


def plot_pr_curves(curves: Mapping[str, tuple[ArrayLike, ArrayLike]], path: str | Path, *,
                   title: str = "Precision-recall") -> Path:
    """Precision-recall curves of several models on one chart.

    ``curves`` maps a model name to ``(y_true, y_score)``; the legend shows each model's
    average precision (:func:`convguard.metrics.pr_auc`).  A dotted line marks the positive
    rate of the first entry (the precision of a random ranking).
    """
    if not curves:
        raise ValueError("curves is empty")
    fig = _new_figure()
    ax = fig.add_subplot()
    baseline: float | None = None
    for name, (y_true, y_score) in curves.items():
        precision, recall, _ = precision_recall_curve(y_true, y_score)
        ap = pr_auc(y_true, y_score)
        ax.step(recall, precision, where="post", label=f"{name} (AP = {ap:.3f})")
        if baseline is None:
            baseline = float(np.mean(np.asarray(y_true) == 1))
    if baseline is not None:
        ax.axhline(baseline, color="grey", linestyle=":", linewidth=1,
                   label=f"positive rate = {baseline:.3f}")
    ax.set_xlabel("Recall")
    ax.set_ylabel("Precision")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.02)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize="small")
    return _save(fig, path)


def plot_threshold_tradeoff(sweep_table: SweepTable, path: str | Path,
                            chosen: float | ThresholdChoice | None = None, *,
                            title: str = "Threshold trade-off") -> Path:
    """Precision, recall and benign false-termination rate (``fpr``) against the threshold, from
    :func:`convguard.thresholds.sweep`.  Curves are drawn as steps (the metrics are constant
    between candidate thresholds, with ``score >= threshold``).  ``chosen`` -- a threshold or a
    :class:`~convguard.thresholds.ThresholdChoice` -- is marked with a vertical line and its
    metrics."""
    t = sweep_table
    if len(t) == 0:
        raise ValueError("sweep_table is empty")
    fig = _new_figure(7.0, 4.8)
    ax = fig.add_subplot()
    fpr_label = "benign false-termination rate" if t.fpr_on_mask else "false-termination rate (fpr)"
    ax.step(t.thresholds, t.precision, where="post", label="precision")
    ax.step(t.thresholds, t.recall, where="post", label="recall")
    ax.step(t.thresholds, t.fpr, where="post", label=fpr_label)
    if chosen is not None:
        thr = chosen.threshold if isinstance(chosen, ThresholdChoice) else float(chosen)
        i = int(np.clip(np.searchsorted(t.thresholds, thr, side="right") - 1, 0, len(t) - 1))
        row = t.row(i)
        label = (f"chosen t = {thr:.3g}: P {row['precision']:.2f}, R {row['recall']:.2f}, "
                 f"FPR {row['fpr']:.3f}")
        if isinstance(chosen, ThresholdChoice):
            label = f"{chosen.strategy}: " + label + ("" if chosen.feasible else " (INFEASIBLE)")
        ax.axvline(thr, color="black", linestyle="--", linewidth=1, label=label)
    ax.set_xlabel("Threshold (predict positive when score >= threshold)")
    ax.set_ylabel("Rate")
    ax.set_ylim(-0.02, 1.02)
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=2, fontsize="small")
    return _save(fig, path)


def plot_confusion(cm: ArrayLike, labels: Sequence[Any], path: str | Path, *,
                   title: str = "Confusion matrix") -> Path:
    """Confusion matrix heat map (rows: true label, columns: predicted), each cell annotated
    with its count and its share of the row."""
    m = np.asarray(cm)
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"cm must be a square matrix, got shape {m.shape}")
    if m.shape[0] != len(labels):
        raise ValueError(f"cm is {m.shape[0]}x{m.shape[1]} but {len(labels)} labels were given")
    row_sums = m.sum(axis=1, keepdims=True)
    share = np.divide(m, row_sums, out=np.zeros(m.shape, dtype=float), where=row_sums > 0)
    k = m.shape[0]
    fig = _new_figure(1.6 + 1.3 * k, 1.2 + 1.1 * k)
    ax = fig.add_subplot()
    im = ax.imshow(share, cmap="Blues", vmin=0.0, vmax=1.0)
    fig.colorbar(im, ax=ax, label="share of true row")
    for i in range(k):
        for j in range(k):
            ax.text(j, i, f"{m[i, j]}\n{share[i, j]:.0%}", ha="center", va="center",
                    color="white" if share[i, j] > 0.5 else "black", fontsize="small")
    names = [str(x) for x in labels]
    ax.set_xticks(range(k), names, rotation=30, ha="right")
    ax.set_yticks(range(k), names)
    ax.set_xlabel("Predicted")
    ax.set_ylabel("True")
    ax.set_title(title)
    return _save(fig, path)


def plot_reliability(y_true: ArrayLike, y_prob: ArrayLike, path: str | Path, *, n_bins: int = 15,
                     strategy: BinStrategy = "uniform", title: str = "Reliability") -> Path:
    """Reliability diagram (observed positive rate against mean predicted probability per bin,
    with the diagonal) over a histogram of the probabilities; the ECE is in the title."""
    curve = reliability_curve(y_true, y_prob, n_bins=n_bins, strategy=strategy)
    ece = expected_calibration_error(y_true, y_prob, n_bins=n_bins, strategy=strategy)
    fig = _new_figure(6.0, 6.4)
    ax, hist = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    ax.plot([0, 1], [0, 1], color="grey", linestyle=":", label="perfect calibration")
    ax.plot(curve.mean_predicted, curve.frac_positives, marker="o", label="model")
    ax.set_ylabel("Observed frequency")
    ax.set_xlim(0.0, 1.0)
    ax.set_ylim(0.0, 1.0)
    ax.grid(alpha=0.3)
    ax.legend(loc="upper left", fontsize="small")
    ax.set_title(f"{title} (ECE = {ece:.4f}, {n_bins} {strategy} bins)")
    hist.bar(curve.mean_predicted, curve.counts, width=1.0 / max(int(n_bins), 1) * 0.8,
             color="tab:blue", alpha=0.6)
    hist.set_xlabel("Mean predicted probability")
    hist.set_ylabel("Count")
    return _save(fig, path)


def plot_turns_histogram(deltas: ArrayLike | Mapping[str, ArrayLike], path: str | Path, *,
                         title: str = "Turns to termination") -> Path:
    """Histogram of turns-to-termination ``first_end_turn - labelled_turn`` (see
    :func:`convguard.metrics.turn_deltas`).

    ``deltas`` is one array, or a mapping ``name -> array`` (one panel per name, shared x axis).
    Bars for premature endings (delta < 0) are red, on-time (0) green, late (> 0) blue; NaN
    entries are conversations never ended and are counted in the panel title, not plotted.
    """
    series: dict[str, np.ndarray] = (
        {str(k): np.asarray(v, dtype=np.float64).ravel() for k, v in deltas.items()}
        if isinstance(deltas, Mapping) else {"": np.asarray(deltas, dtype=np.float64).ravel()}
    )
    if not series:
        raise ValueError("deltas is empty")
    summaries = {k: summarize_turn_deltas(v) for k, v in series.items()}
    ended = [v[~np.isnan(v)] for v in series.values()]
    all_ended = np.concatenate(ended) if ended else np.array([])
    if all_ended.size:
        lo, hi = int(np.floor(all_ended.min())), int(np.ceil(all_ended.max()))
    else:
        lo, hi = -1, 1
    lo, hi = min(lo, -1), max(hi, 1)
    edges = np.arange(lo, hi + 2) - 0.5  # one bar per integer delta
    fig = _new_figure(7.0, 2.2 + 2.3 * len(series))
    axes = fig.subplots(len(series), 1, sharex=True, squeeze=False)[:, 0]
    for ax, (name, v), e in zip(axes, series.items(), ended):
        counts, _ = np.histogram(e, bins=edges)
        centers = (edges[:-1] + edges[1:]) / 2
        colors = ["tab:red" if c < 0 else "tab:green" if c == 0 else "tab:blue" for c in centers]
        ax.bar(centers, counts, width=0.9, color=colors)
        ax.axvline(-0.5, color="tab:red", linestyle="--", linewidth=1)
        s = summaries[name]
        head = f"{name}: " if name else ""
        ax.set_title(f"{head}{s['n_premature']} premature ({s['premature_rate']:.1%} of ended), "
                     f"{s['n_on_time']} on time, {s['n_late']} late, "
                     f"{s['n_never_ended']} never ended", fontsize="small")
        ax.set_ylabel("Conversations")
        ax.grid(alpha=0.3, axis="y")
    axes[-1].set_xlabel("first end turn - labelled turn  (< 0: premature)")
    fig.suptitle(title)
    return _save(fig, path)


# ------------------------------------------------------------------------------------------
# the figures of one evaluation report
# ------------------------------------------------------------------------------------------

def _both(y: np.ndarray) -> bool:
    return len(y) > 0 and 0 < int(np.sum(y == 1)) < len(y)


def _expected_actions(table: ScoreTable) -> tuple[np.ndarray, np.ndarray]:
    """(rows with a known expected action, the expected action): crisis -> crisis_support,
    termination-worthy -> end_conversation, else continue."""
    rows = (table.y_crisis == 1) | (table.y_terminate >= 0)
    exp = np.where(table.y_crisis == 1, "crisis_support",
                   np.where(table.y_terminate == 1, "end_conversation", "continue")).astype(object)
    return rows, exp


def evaluation_plots(table: ScoreTable, policies: Mapping[str, tuple[Thresholds, Rules]], plots: Path
                     ) -> dict[str, list[Path]]:
    """The figures of one evaluation report, written into the folder ``plots``: PR curves
    (termination on termination-worthy vs benign-edgy rows, crisis), and per system (``policies``:
    name -> (thresholds, rules)) the threshold trade-off of its effective score, reliability
    diagrams and the confusion matrix of expected vs policy action.  Returns
    ``{"pr", "tradeoff", "confusion", "reliability"}`` -> the files written."""
    out: dict[str, list[Path]] = {"pr": [], "tradeoff": [], "confusion": [], "reliability": []}
    rows = _termination_rows(table)
    y = table.y_terminate[rows]
    known_c = table.y_crisis >= 0
    yc = table.y_crisis[known_c]
    names = [n for n in policies if n in table.systems]
    if _both(y):
        out["pr"].append(plot_pr_curves({n: (y, np.asarray(table.systems[n]["terminate"])[rows]) for n in names},
                                          plots / "pr_terminate.png",
                                          title="Termination: termination-worthy vs benign-edgy (raw score)"))
    if _both(yc):
        # the crisis score each policy compares with its threshold (rules.crisis_self_harm_weight)
        out["pr"].append(plot_pr_curves({n: (yc, crisis_scores(table.systems[n], policies[n][1],
                                                               table.taxonomy)[known_c]) for n in names},
                                          plots / "pr_crisis.png", title="Crisis score"))
    erows, expected = _expected_actions(table)
    g = np.array(table.group, dtype=object)[rows]
    for n in names:
        th, rules = policies[n]
        sysd = table.systems[n]
        pol = apply_policy(sysd, th, rules, table.n_assistant, table.taxonomy)
        actions, eff = pol.actions, pol.effective
        s = slug(n)
        if _both(y):
            benign = (g == "benign_edgy") & (y == 0)
            st = sweep(y, eff[rows], negatives_mask=benign if benign.any() else None)
            out["tradeoff"].append(plot_threshold_tradeoff(st, plots / f"tradeoff_{s}.png", th.terminate,
                                                             title=f"{n}: termination threshold on this data"))
            out["reliability"].append(plot_reliability(y, np.asarray(sysd["terminate"])[rows],
                                                         plots / f"reliability_terminate_{s}.png",
                                                         title=f"{n}: termination"))
        if _both(yc):
            out["reliability"].append(plot_reliability(yc, np.asarray(sysd["crisis"])[known_c],
                                                         plots / f"reliability_crisis_{s}.png", title=f"{n}: crisis"))
        if erows.any():
            cm = confusion_matrix(expected[erows], actions[erows], labels=ACTIONS)
            out["confusion"].append(plot_confusion(cm, ACTIONS, plots / f"confusion_{s}.png",
                                                     title=f"{n}: expected (rows) vs policy action"))
    return out
