"""What training optimises and what it selects the checkpoint on: the multi-task loss
(:func:`multitask_loss`) with its head weights (:func:`loss_weights`) and class balancing
(:func:`class_weights`), the validation figures (:func:`validation_metrics`) and the selection
score (:func:`selection_score`).  Everything here is also importable from :mod:`convguard.train`,
where it lived before.
"""

from __future__ import annotations

import math

import numpy as np
import torch
import torch.nn.functional as F

from . import metrics as M
from .config import RecipeConfig
from .dataset import IGNORE
from .modeling import EVIDENCE_HEADS, split_logits


def multitask_loss(logits: torch.Tensor, batch_targets: dict[str, torch.Tensor], heads, weights: dict[str, float],
                   pos_weight: dict[str, float]) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Weighted sum of the heads' losses (no host sync: safe inside a fast GPU loop).

    Binary heads: BCE with ``pos_weight``; multiclass heads: cross-entropy averaged over the
    rows that carry the label (``IGNORE`` elsewhere; a batch without any adds 0)."""
    parts = split_logits(logits.float(), heads)
    total = logits.new_zeros((), dtype=torch.float32)
    logged = {}
    for h in heads:
        w = weights.get(h.name, 1.0)
        if w == 0:
            continue
        y = batch_targets[h.name]
        if h.kind == "binary":
            # NaN marks rows without this head's label (a turn detector's assistant turns carry
            # no crisis/push label, its user turns no refusal label)
            pw = logits.new_full((), pos_weight.get(h.name, 1.0), dtype=torch.float32)
            valid = ~torch.isnan(y)
            per = F.binary_cross_entropy_with_logits(parts[h.name], torch.nan_to_num(y), pos_weight=pw,
                                                     reduction="none")
            loss = (per * valid).sum() / valid.sum().clamp(min=1)
        else:
            valid = (y != IGNORE).sum().clamp(min=1)
            loss = F.cross_entropy(parts[h.name], y, ignore_index=IGNORE, reduction="sum") / valid
        total = total + w * loss
        logged[h.name] = loss.detach()
    return total, logged


def validation_metrics(scores: dict[str, np.ndarray], y: dict[str, np.ndarray], main: str) -> dict[str, float]:
    """Validation figures of the main head (``pr_auc``, ``roc_auc``, ``f1@0.5``, ``bce``), of the other heads,
    and ``mean_pr_auc`` over the main and evidence heads (the checkpoint is selected on
    ``train.select_metric``, one of :data:`convguard.config.SELECT_METRICS`), computed by
    :mod:`convguard.metrics` -- the implementations the evaluation reports use."""
    known = np.isfinite(y[main].astype(float))
    yt = y[main][known].astype(int)
    s = scores[main][known]
    out = {"n": float(len(yt))}
    if 0 < yt.sum() < len(yt):
        out["pr_auc"] = M.pr_auc(yt, s)
        out["roc_auc"] = M.roc_auc(yt, s)
    else:
        out["pr_auc"] = out["roc_auc"] = float("nan")
    out["f1@0.5"] = M.precision_recall_f1(yt, s, 0.5, zero_division=0.0).f1 if len(yt) else 0.0
    eps = 1e-7
    out["bce"] = float(-np.mean(yt * np.log(s + eps) + (1 - yt) * np.log(1 - s + eps)))
    out["neg_bce"] = -out["bce"]
    if "harm_category" in scores and "harm_category" in y:
        mask = y["harm_category"] != IGNORE
        if mask.any():
            out["harm_category_acc"] = float((scores["harm_category"][mask].argmax(1) == y["harm_category"][mask]).mean())
    for h in EVIDENCE_HEADS:  # the turn detector's evidence heads
        if h in scores and h in y:
            ok = np.isfinite(y[h])
            yh = y[h][ok].astype(int)
            if 0 < yh.sum() < len(yh):
                out[f"{h}_pr_auc"] = M.pr_auc(yh, scores[h][ok])
                out[f"{h}_acc@0.5"] = float(((scores[h][ok] >= 0.5) == yh).mean())
    if "persistence" in scores and "persistence" in y:
        mask = y["persistence"] != IGNORE
        if mask.any():
            out["persistence_acc"] = float((scores["persistence"][mask].argmax(1) == y["persistence"][mask]).mean())
    # every head the policy reads, weighted alike: a turn detector selected on its crisis head
    # alone (a few dozen onset turns in validation) can keep an epoch whose refusal and push
    # heads are clearly worse
    parts = [out["pr_auc"]] + [out[f"{h}_pr_auc"] for h in EVIDENCE_HEADS if f"{h}_pr_auc" in out]
    finite = [v for v in parts if math.isfinite(v)]
    out["mean_pr_auc"] = float(np.mean(finite)) if finite else float("nan")
    return out


def class_weights(cfg: RecipeConfig, heads, y: dict[str, np.ndarray]) -> dict[str, float]:
    """``pos_weight`` of the binary heads: negatives / positives of the training targets, in
    [1, ``loss.max_pos_weight``], with ``loss.class_weighting: balanced`` (not for
    ``loss.unweighted_heads``)."""
    binary = [h.name for h in heads if h.kind == "binary"]
    unknown = sorted(set(cfg.loss.unweighted_heads) - set(binary))
    if unknown:
        raise ValueError(f"loss.unweighted_heads: {', '.join(unknown)} is not a binary head of this detector "
                         f"(binary heads: {', '.join(binary)})")
    pos_weight = {}
    for h in binary:
        if cfg.loss.class_weighting == "balanced" and h not in cfg.loss.unweighted_heads:
            p = float(np.nansum(y[h]))
            n = float(np.isfinite(y[h]).sum()) - p
            pos_weight[h] = float(min(cfg.loss.max_pos_weight, max(1.0, n / max(p, 1.0))))
    return pos_weight


def loss_weights(cfg: RecipeConfig) -> dict[str, float]:
    lc = cfg.loss
    return {"terminate": lc.terminate, "harm_category": lc.harm_category, "persistence": lc.persistence,
            "crisis": lc.crisis, "refusal": lc.refusal, "push": lc.push, "harmful": lc.harmful}


def selection_score(m: dict[str, float], metric: str) -> float:
    """``m[metric]``, or ``neg_bce`` where it is missing or not finite (a one-class validation set)."""
    score = m.get(metric, float("nan"))
    return score if math.isfinite(score) else m["neg_bce"]
