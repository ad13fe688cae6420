"""Recipes: a config in, a tracked run out (torchtune-style).  ``convguard train CONFIG`` and
the scripts in ``training/`` call :func:`run_recipe`."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np

from .config import RecipeConfig, save_config, to_dict
from .dataset import Splits, expand_prefixes, fingerprint, load_splits, subsample
from .modelcard import write_detector_card
from .tracking import Tracker

log = logging.getLogger(__name__)

DEFAULT_REGISTERED = {"harm": "convguard-harm", "crisis": "convguard-crisis", "baseline": None}


def _log_common(tracker: Tracker, cfg: RecipeConfig, splits: Splits) -> dict[str, Any]:
    fps = {s: fingerprint(splits[s]) for s in ("train", "validation") if splits[s]}
    tracker.log_params(to_dict(cfg))
    tracker.log_params({f"data.{s}.sha256": fp["sha256"] for s, fp in fps.items()})
    tracker.log_params({f"data.{s}.n": fp["n"] for s, fp in fps.items()})
    tracker.log_json_artifact(fps, "data_fingerprint.json")
    for s, fp in fps.items():
        tracker.log_data(fp, s, s, splits.paths.get(s))
    tracker.set_tags({"convguard.recipe": cfg.recipe, "convguard.data_sha256": fps["train"]["sha256"][:16]})
    return fps


def plot_history(history: list[dict[str, Any]], path: Path, metric: str) -> Path | None:
    if not history:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    steps = [h["step"] for h in history]
    fig, ax = plt.subplots(1, 2, figsize=(9, 3.2))
    ax[0].plot(steps, [h.get("train/loss_ema") for h in history], marker="o")
    ax[0].set(title="training loss (EMA)", xlabel="step")
    ax[1].plot(steps, [h.get(f"val/{metric}") for h in history], marker="o", color="C1")
    ax[1].set(title=f"validation {metric}", xlabel="step")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def run_detector(cfg: RecipeConfig, splits: Splits | None = None, tracker: Tracker | None = None,
                 parent_run_id: str | None = None, interrupt_after: int | None = None) -> dict[str, Any]:
    from .train import fit

    import os

    splits = splits or load_splits(cfg.data, need=("train", "validation"))
    if int(os.environ.get("RANK", "0")) != 0:  # distributed: rank 0 alone tracks and writes summaries
        tracker = Tracker(type(cfg.tracking)(enabled=False))
        res = fit(cfg, splits.train, splits.validation, tracker=tracker, interrupt_after=interrupt_after)
        return {"recipe": cfg.recipe, "model_dir": str(res.model_dir), "run_id": None, "fit": res}
    tracker = tracker or Tracker(cfg.tracking)
    out = Path(cfg.output_dir)
    with tracker.run(cfg.tracking.run_name or f"train-{cfg.recipe}", nested=parent_run_id is not None,
                     parent_run_id=parent_run_id):
        fps = _log_common(tracker, cfg, splits)
        res = fit(cfg, splits.train, splits.validation, tracker=tracker, interrupt_after=interrupt_after)
        final = res.extra["val_metrics"]
        tracker.log_metrics({f"final/val_{k}": v for k, v in final.items()} |
                            {"final/train_seconds": res.seconds, "final/steps": res.steps})
        save_config(cfg, out / "config.resolved.yaml")
        tracker.log_artifact(out / "config.resolved.yaml")
        tracker.log_artifact(out / "history.json")
        plot = plot_history(res.history, out / "training_curves.png", cfg.train.select_metric)
        if plot:
            tracker.log_artifact(plot, "plots")
        summary = {"recipe": cfg.recipe, "model_dir": str(res.model_dir), "run_id": tracker.run_id,
                   "val_metrics": final, "best_step": res.best_step, "steps": res.steps, "seconds": res.seconds,
                   "n_train_examples": res.n_train_examples, "precision": res.extra.get("precision"),
                   "data_fingerprint": fps}
        write_detector_card(res.model_dir, summary)  # README.md: travels with the folder (registry, bundle, Hub)
        name = cfg.tracking.register_as or DEFAULT_REGISTERED[cfg.recipe]
        summary["registered"] = tracker.register_detector(
            res.model_dir, cfg.recipe, name,
            description=f"convguard {cfg.recipe} detector on data {fps['train']['sha256'][:12]}")
        (out / "summary.json").write_text(json.dumps(summary, indent=1, default=str))
    summary["fit"] = res
    return summary


def run_baseline(cfg: RecipeConfig, splits: Splits | None = None, tracker: Tracker | None = None,
                 parent_run_id: str | None = None) -> dict[str, Any]:
    from .baselines import BaselineModel
    from .metrics import pr_auc

    splits = splits or load_splits(cfg.data, need=("train", "validation"))
    tracker = tracker or Tracker(cfg.tracking)
    out = Path(cfg.output_dir)
    folder = out / "baselines"
    tasks = ["terminate", "crisis"] if cfg.task == "both" else ["terminate" if cfg.task == "harm" else "crisis"]
    train_ex = expand_prefixes(splits.train, cfg.data.max_prefixes_per_conversation, cfg.seed) \
        if cfg.data.prefixes else splits.train
    val_ex = expand_prefixes(splits.validation, cfg.data.max_prefixes_per_conversation, cfg.seed + 1) \
        if cfg.data.prefixes else splits.validation
    train_ex = subsample(list(train_ex), cfg.data.max_train_examples, cfg.seed)
    val_ex = subsample(list(val_ex), cfg.data.max_eval_examples, cfg.seed + 1)
    models, metrics = {}, {}
    with tracker.run(cfg.tracking.run_name or "train-baseline", nested=parent_run_id is not None,
                     parent_run_id=parent_run_id):
        _log_common(tracker, cfg, splits)
        for task in tasks:
            m = BaselineModel.train(task, train_ex, cfg.baseline, cfg.seed)
            m.save(folder)
            y = np.array([int(getattr(c.labels, task) or 0) for c in val_ex])
            s = m.score(val_ex)
            metrics[f"{task}_pr_auc"] = pr_auc(y, s) if 0 < y.sum() < len(y) else float("nan")
            models[task] = m
        tracker.log_metrics({f"final/val_{k}": v for k, v in metrics.items()})
        tracker.log_artifact(folder, "baselines")
        summary = {"recipe": "baseline", "folder": str(folder), "run_id": tracker.run_id, "val_metrics": metrics}
        out.mkdir(parents=True, exist_ok=True)
        (out / "summary.json").write_text(json.dumps(summary, indent=1))
    summary["models"] = models
    return summary


def run_recipe(cfg: RecipeConfig, **kwargs: Any) -> dict[str, Any]:
    if cfg.recipe == "baseline":
        kwargs.pop("interrupt_after", None)
        return run_baseline(cfg, **kwargs)
    return run_detector(cfg, **kwargs)
