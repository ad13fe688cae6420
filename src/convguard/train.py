"""The training loop for both detectors, readable in one sitting.

``fit(cfg, train_convs, val_convs)``:

1. build the model on the configured encoder and encode every example once (cached tokens);
2. length-grouped batches (shuffled chunks of similar length: little padding, no sorted-data
   bias), AdamW with separate encoder / head learning rates, linear warm-up and decay;
3. multi-task loss (weights and class balancing from the config), bf16 autocast where the device
   runs it natively (GPU; CPUs with AVX512-BF16/AMX);
4. evaluate on validation every ``eval_every`` steps (or once per epoch), keep the best weights
   by ``select_metric``, stop early after ``early_stopping_patience`` evaluations without gain;
5. checkpoint (safetensors weights + optimiser state + loop position) so an interrupted run
   resumes where it stopped and ends with the same result.

How a batch reaches the model -- the full model on token ids, or (``train.cache_frozen``) the
top layers on hidden states cached after the frozen bottom -- is one :class:`Forward`
(:func:`make_forward`): the epoch's batches, a batch's logits, the validation score.  The loop's
speed bookkeeping is a :class:`Throughput`, its running loss a :class:`RunningLoss`.
"""

from __future__ import annotations

import abc
import json
import logging
import math
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import torch
import torch.nn.functional as F

from . import metrics as M
from .config import RecipeConfig, TrainConfig, save_config, to_dict
from .dataset import IGNORE, expand_prefixes, subsample
from .batching import length_batches
from .modeling import (EVIDENCE_HEADS, build_model, forward_from_layer, freeze_lower_layers,
                       head_parameter_ids, heads_for, hidden_states_at, logits_to_scores, pad_batch, pad_hidden,
                       pool_rows, predict_logits, split_forward_refusal, split_logits, supports_split_forward,
                       use_bf16)
from .schema import Conversation
from .text import ConversationEncoder, EncodeSpec
from .tracking import Tracker
# the training examples live in convguard.train_examples; re-exported here, where they lived before
from .train_examples import (DROP_REREADS, Examples, encode_examples, evidence_labels, harmful_turns,  # noqa: F401
                             turn_examples)

log = logging.getLogger(__name__)


class Interrupted(RuntimeError):
    """Raised by the ``interrupt_after`` hook (tests simulate a crash with it)."""


@dataclass
class FitResult:
    model_dir: Path
    best_metric: float
    best_step: int
    history: list[dict[str, Any]]
    val_scores: dict[str, np.ndarray]
    val_logits: np.ndarray
    steps: int
    seconds: float
    n_train_examples: int
    extra: dict[str, Any] = field(default_factory=dict)


def config_hash(cfg: RecipeConfig) -> str:
    """Hash of everything that changes the result (not resume/progress/tracking switches)."""
    import hashlib

    d = to_dict(cfg)
    if cfg.data.taxonomy.is_default():  # an unchanged taxonomy hashes as before: earlier checkpoints resume
        d["data"].pop("taxonomy", None)
    d.pop("resume", None)
    d.pop("tracking", None)
    d["train"].pop("progress", None)
    return hashlib.sha256(json.dumps(d, sort_keys=True).encode()).hexdigest()[:16]


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


def pick_device(name: str, local_rank: int = 0) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "cpu"
    if name == "cuda":
        return torch.device(f"cuda:{local_rank}")
    return torch.device(name)


@dataclass(frozen=True)
class Dist:
    """Where this process sits in a ``torchrun`` / ``accelerate launch`` job (1 process: rank 0 of 1)."""

    rank: int = 0
    world: int = 1
    local_rank: int = 0

    @property
    def main(self) -> bool:
        return self.rank == 0

    @property
    def enabled(self) -> bool:
        return self.world > 1

    def barrier(self) -> None:
        if self.enabled:
            torch.distributed.barrier()


def init_distributed(device_name: str = "auto") -> Dist:
    """Join the process group the launcher describes in the environment (RANK, WORLD_SIZE,
    LOCAL_RANK, MASTER_ADDR/PORT); NCCL on GPUs, gloo on CPUs.  No-op for a single process."""
    import os

    world = int(os.environ.get("WORLD_SIZE", "1"))
    if world <= 1:
        return Dist()
    rank, local = int(os.environ["RANK"]), int(os.environ.get("LOCAL_RANK", "0"))
    if not torch.distributed.is_initialized():
        use_cuda = torch.cuda.is_available() and device_name in ("auto", "cuda")
        if use_cuda:
            torch.cuda.set_device(local)
        torch.distributed.init_process_group(backend="nccl" if use_cuda else "gloo")
    return Dist(rank, world, local)


def shard_batches(batches: list[list[int]], dist: Dist) -> list[list[int]]:
    """This rank's share of the (identically ordered) global batch list: every rank gets the
    same number of batches, so collective ops stay in step."""
    if not dist.enabled:
        return batches
    usable = len(batches) - len(batches) % dist.world
    return batches[dist.rank:usable:dist.world]


def length_grouped_batches(lengths: list[int], batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    """Shuffle, cut into mega-chunks of 50 batches, sort each chunk by length, batch, shuffle
    the batches.  Deterministic in (seed, epoch), so a resumed run sees the same order."""
    g = random.Random(seed * 1_000_003 + epoch)
    idx = list(range(len(lengths)))
    g.shuffle(idx)
    chunk = batch_size * 50
    batches = []
    for s in range(0, len(idx), chunk):
        part = sorted(idx[s: s + chunk], key=lambda i: lengths[i])
        batches += [part[i: i + batch_size] for i in range(0, len(part), batch_size)]
    g.shuffle(batches)
    return batches


def plain_batches(n: int, batch_size: int, seed: int, epoch: int) -> list[list[int]]:
    g = random.Random(seed * 1_000_003 + epoch)
    idx = list(range(n))
    g.shuffle(idx)
    return [idx[i: i + batch_size] for i in range(0, n, batch_size)]


# ------------------------------------------------------------------------------------------
# loss and validation metrics
# ------------------------------------------------------------------------------------------

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
    """Validation figures of the main head (``pr_auc``, ``roc_auc``, ``f1@0.5``, ``bce``; the
    checkpoint is selected on ``train.select_metric`` of these) and of the other heads, computed by
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
    return out


# ------------------------------------------------------------------------------------------
# checkpoints
# ------------------------------------------------------------------------------------------

def _save_checkpoint(ckpt: Path, model, optimizer, scheduler, state: dict[str, Any], best_state) -> None:
    from safetensors.torch import save_file

    tmp = ckpt.with_name(ckpt.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    save_file({k: v.detach().cpu().contiguous() for k, v in model.state_dict().items()}, str(tmp / "model.safetensors"))
    if best_state is not None:
        save_file(best_state, str(tmp / "best.safetensors"))
    torch.save({"optimizer": optimizer.state_dict(), "scheduler": scheduler.state_dict(),
                "torch_rng": torch.get_rng_state()}, tmp / "trainer_state.pt")
    (tmp / "state.json").write_text(json.dumps(state, indent=1))
    shutil.rmtree(ckpt, ignore_errors=True)
    tmp.rename(ckpt)


def _load_checkpoint(ckpt: Path, model, optimizer, scheduler):
    from safetensors.torch import load_file

    model.load_state_dict(load_file(str(ckpt / "model.safetensors")))
    ts = torch.load(ckpt / "trainer_state.pt", weights_only=True)
    optimizer.load_state_dict(ts["optimizer"])
    scheduler.load_state_dict(ts["scheduler"])
    torch.set_rng_state(ts["torch_rng"])
    best = load_file(str(ckpt / "best.safetensors")) if (ckpt / "best.safetensors").exists() else None
    return json.loads((ckpt / "state.json").read_text()), best


# ------------------------------------------------------------------------------------------
# the forward path: the full model, or the top layers on cached hidden states
# ------------------------------------------------------------------------------------------

@dataclass
class Batch:
    """One training batch on the device: the inputs (token ids, or the cached hidden states after
    the frozen layers), their attention mask, the examples' targets, each example's rows among the
    inputs (:func:`pool_rows`) and its real (unpadded) tokens."""

    examples: list[int]
    inputs: torch.Tensor
    mask: torch.Tensor
    y: dict[str, torch.Tensor]
    rows: list[list[int]]
    tokens: int


class Forward(abc.ABC):
    """How the training examples reach the model: the epoch's batches, a batch's logits and the
    validation score.  :class:`FullForward` runs the whole model on token ids,
    :class:`CachedForward` (``train.cache_frozen``) the top layers on the hidden states cached after
    the frozen bottom; :func:`make_forward` builds the one the config asks for."""

    def __init__(self, cfg: RecipeConfig, model, heads, tr: Examples, va: Examples, device: torch.device,
                 bf16: bool, dist: Dist):
        self.model, self.heads, self.tr, self.va = model, heads, tr, va
        self.tc, self.seed, self.device, self.bf16, self.dist = cfg.train, cfg.seed, device, bf16, dist
        self.lengths = tr.lengths()
        binary = {h.name for h in heads if h.kind == "binary"}
        self.y = {k: torch.tensor(v, dtype=torch.float32 if k in binary else torch.long) for k, v in tr.y.items()}

    def train_batches(self, epoch: int) -> list[list[int]]:
        """This rank's batches (example indices) of ``epoch``: deterministic in (seed, epoch)."""
        tc = self.tc
        return shard_batches(
            length_grouped_batches(self.lengths, tc.batch_size, self.seed, epoch) if tc.length_grouping
            else plain_batches(len(self.tr), tc.batch_size, self.seed, epoch), self.dist)

    @abc.abstractmethod
    def batch(self, b: list[int]) -> Batch:
        """The examples ``b`` as a :class:`Batch` on the device."""

    @abc.abstractmethod
    def logits(self, batch: Batch) -> torch.Tensor:
        """One logit row per example of ``batch`` (with gradients; bf16 autocast where configured)."""

    @abc.abstractmethod
    def validation_logits(self) -> torch.Tensor:
        """Logits of every validation unit (on the CPU; the model in eval mode)."""

    def evaluate(self) -> tuple[dict[str, float], torch.Tensor]:
        """Validation metrics (:func:`validation_metrics`) and the per-example logits."""
        self.model.eval()
        unit_logits = self.validation_logits()
        self.model.train()
        logits = pool_rows(unit_logits, self.va.bags)
        return validation_metrics(logits_to_scores(logits, self.heads), self.va.y, self.heads[0].name), logits

    def autocast(self):
        return torch.autocast(device_type=self.device.type, dtype=torch.bfloat16, enabled=self.bf16)

    def units(self, b: list[int]) -> tuple[list[int], list[list[int]]]:
        """The units a batch of examples reads, and each example's rows among them."""
        units: list[int] = []
        rows: list[list[int]] = []
        for i in b:
            rows.append(list(range(len(units), len(units) + len(self.tr.bags[i]))))
            units += self.tr.bags[i]
        return units, rows


class FullForward(Forward):
    """The whole model on token ids: tensors made once, padded per batch (pinned + non-blocking
    on GPUs); wrapped in DistributedDataParallel under torchrun (gradients averaged across ranks),
    compiled with ``train.compile``; validation sharded across the ranks."""

    def __init__(self, cfg: RecipeConfig, model, heads, tr: Examples, va: Examples, device: torch.device,
                 bf16: bool, dist: Dist, pad_id: int):
        super().__init__(cfg, model, heads, tr, va, device, bf16, dist)
        self.pad_id = pad_id
        self.ids = [torch.tensor(x, dtype=torch.long) for x in tr.units]
        self.pin = device.type == "cuda"
        net = model
        if dist.enabled:  # every rank holds the same weights
            net = torch.nn.parallel.DistributedDataParallel(
                model, device_ids=[dist.local_rank] if device.type == "cuda" else None)
        self.net = torch.compile(net, dynamic=True) if self.tc.compile else net

    def batch(self, b: list[int]) -> Batch:
        units, rows = self.units(b)
        pin, device = self.pin, self.device
        ids, mask = pad_batch([self.ids[u] for u in units], self.pad_id, "cpu", self.tc.pad_to_multiple_of)
        bt = torch.tensor(b)
        yb = {k: v[bt] for k, v in self.y.items()}
        if pin:
            ids, mask = ids.pin_memory(), mask.pin_memory()
            yb = {k: v.pin_memory() for k, v in yb.items()}
        return Batch(b, ids.to(device, non_blocking=pin), mask.to(device, non_blocking=pin),
                     {k: v.to(device, non_blocking=pin) for k, v in yb.items()}, rows,
                     sum(self.lengths[i] for i in b))

    def logits(self, batch: Batch) -> torch.Tensor:
        with self.autocast():
            logits = self.net(input_ids=batch.inputs, attention_mask=batch.mask).logits
        return pool_rows(logits, batch.rows)

    def validation_logits(self) -> torch.Tensor:
        va, tc, dist = self.va, self.tc, self.dist
        if not dist.enabled:
            return predict_logits(self.model, va.units, self.pad_id, tc.eval_batch_size, self.device, bf16=self.bf16)
        # each rank scores a shard; all ranks get every logit
        mine = list(range(dist.rank, len(va.units), dist.world))
        part = predict_logits(self.model, [va.units[i] for i in mine], self.pad_id, tc.eval_batch_size, self.device,
                              bf16=self.bf16)
        gathered: list[Any] = [None] * dist.world
        torch.distributed.all_gather_object(gathered, (mine, part))
        unit_logits = torch.empty((len(va.units), part.shape[1]))
        for idx, lg in gathered:
            unit_logits[torch.tensor(idx, dtype=torch.long)] = lg
        return unit_logits


class CachedForward(Forward):
    """``train.cache_frozen``: the frozen bottom of the encoder (``model.freeze_layers``) runs once
    per unit, train and validation (:func:`hidden_states_at`), checked to equal the full model on a
    few validation units; training and validation run the top layers on the cached states
    (:func:`forward_from_layer`).  Single-process only."""

    def __init__(self, cfg: RecipeConfig, model, heads, tr: Examples, va: Examples, device: torch.device,
                 bf16: bool, dist: Dist, pad_id: int, progress: bool):
        if cfg.model.freeze_layers <= 0:
            raise ValueError("train.cache_frozen needs model.freeze_layers > 0")
        if dist.enabled:
            raise ValueError("train.cache_frozen is for single-process training (turn it off under torchrun)")
        if not supports_split_forward(model):
            raise ValueError(split_forward_refusal(model))
        super().__init__(cfg, model, heads, tr, va, device, bf16, dist)
        self.split_at = split_at = cfg.model.freeze_layers
        tc = self.tc
        if tc.compile:  # said, not silently dropped
            log.warning("train.compile: not applied with train.cache_frozen (the top layers run eagerly on the "
                        "cached states); set train.cache_frozen=false to compile the full model")
        cache_dtype = torch.float16 if device.type == "cpu" else torch.bfloat16
        self.tr_h = hidden_states_at(model, tr.units, split_at, pad_id, tc.eval_batch_size, device, cache_dtype,
                                     progress, "caching frozen layers (train)", bf16=bf16)
        self.va_h = hidden_states_at(model, va.units, split_at, pad_id, tc.eval_batch_size, device, cache_dtype,
                                     progress, "caching frozen layers (validation)", bf16=bf16)
        model.eval()
        with torch.no_grad():  # the split forward must equal the full one
            probe = list(range(min(8, len(va.units))))
            ids, mask = pad_batch([va.units[i] for i in probe], pad_id, device)
            x, m = pad_hidden([self.va_h[i] for i in probe], device)
            with self.autocast():
                diff = float((model(input_ids=ids, attention_mask=mask).logits.float()
                              - forward_from_layer(model, x, m, split_at).float()).abs().max())
        model.train()
        if diff > 5e-2:
            raise RuntimeError(f"cached split forward differs from the full model by {diff:.4f}; "
                               f"set train.cache_frozen=false")
        log.info("cached hidden states after layer %d for %d + %d sequences (split check %.1e)", split_at,
                 len(self.tr_h), len(self.va_h), diff)

    def batch(self, b: list[int]) -> Batch:
        units, rows = self.units(b)
        x, mask = pad_hidden([self.tr_h[u] for u in units], self.device, pad_to_multiple_of=self.tc.pad_to_multiple_of)
        bt = torch.tensor(b)
        return Batch(b, x, mask, {k: v[bt].to(self.device) for k, v in self.y.items()}, rows,
                     sum(self.lengths[i] for i in b))

    def logits(self, batch: Batch) -> torch.Tensor:
        with self.autocast():
            logits = forward_from_layer(self.model, batch.inputs, batch.mask, self.split_at)
        return pool_rows(logits, batch.rows)

    @torch.no_grad()
    def validation_logits(self) -> torch.Tensor:
        out = torch.empty((len(self.va_h), self.model.config.num_labels))
        for b in length_batches([h.shape[0] for h in self.va_h], self.tc.eval_batch_size):
            x, m = pad_hidden([self.va_h[i] for i in b], self.device)
            with self.autocast():
                out[torch.tensor(b)] = forward_from_layer(self.model, x, m, self.split_at).float().cpu()
        return out


def make_forward(cfg: RecipeConfig, model, encoder: ConversationEncoder, heads, tr: Examples, va: Examples,
                 device: torch.device, bf16: bool, dist: Dist, progress: bool) -> Forward:
    """The :class:`Forward` of ``cfg``: cached frozen layers with ``train.cache_frozen``, else the full model."""
    if cfg.train.cache_frozen:
        return CachedForward(cfg, model, heads, tr, va, device, bf16, dist, encoder.pad_id, progress)
    return FullForward(cfg, model, heads, tr, va, device, bf16, dist, encoder.pad_id)


# ------------------------------------------------------------------------------------------
# the pieces of fit: examples, class weights, optimiser, running loss, throughput
# ------------------------------------------------------------------------------------------

def fit_examples(cfg: RecipeConfig, encoder: ConversationEncoder, train_convs: list[Conversation],
                 val_convs: list[Conversation], progress: bool) -> tuple[Examples, Examples, list[Conversation]]:
    """Training and validation examples, and the validation conversations (prefixes) they score.

    Prefixes ending at user turns, labelled as of that turn (a per-turn crisis detector trains on
    single turns instead; it is validated on prefixes like the others; the evidence heads are
    validated on turns, like they are trained)."""
    recipe = cfg.recipe
    if encoder.per_turn:
        tr = turn_examples(encoder, list(train_convs), progress, "encoding train turns",
                           context_swap=cfg.model.context_swap, seed=cfg.seed)
        tr = tr.select(subsample(list(range(len(tr))), cfg.data.max_train_examples, cfg.seed))
    else:
        train_ex = expand_prefixes(train_convs, cfg.data.max_prefixes_per_conversation, cfg.seed) \
            if cfg.data.prefixes else list(train_convs)
        train_ex = subsample(train_ex, cfg.data.max_train_examples, cfg.seed)
        tr = encode_examples(encoder, train_ex, recipe, progress, "encoding train", cfg.data.taxonomy)
    val_ex = expand_prefixes(val_convs, cfg.data.max_prefixes_per_conversation, cfg.seed + 1) \
        if cfg.data.prefixes else list(val_convs)
    val_ex = subsample(val_ex, cfg.data.max_eval_examples, cfg.seed + 1)
    if encoder.reads_replies:
        va = turn_examples(encoder, list(val_convs), progress, "encoding validation turns")
        va = va.select(subsample(list(range(len(va))), cfg.data.max_eval_examples and 4 * cfg.data.max_eval_examples,
                                 cfg.seed + 1))
    else:
        va = encode_examples(encoder, val_ex, recipe, progress, "encoding validation", cfg.data.taxonomy)
    if not len(tr) or not len(va):
        raise ValueError("no training or validation examples")
    return tr, va, val_ex


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


def make_optimizer(model, tc: TrainConfig, device: torch.device, total_steps: int):
    """AdamW with the encoder and the head (pooler and classification head) at their own learning
    rates, and a linear warm-up (``warmup_ratio`` of the steps) and decay to 0."""
    head_ids = head_parameter_ids(model)
    enc_params = [p for p in model.parameters() if p.requires_grad and id(p) not in head_ids]
    head_params = [p for p in model.parameters() if p.requires_grad and id(p) in head_ids]
    fused = device.type == "cuda"
    optimizer = torch.optim.AdamW([{"params": enc_params, "lr": tc.lr}, {"params": head_params, "lr": tc.head_lr}],
                                  weight_decay=tc.weight_decay, **({"fused": True} if fused else {}))
    warmup = int(total_steps * tc.warmup_ratio)

    def lr_lambda(step: int) -> float:
        if step < warmup:
            return (step + 1) / max(1, warmup)
        return max(0.0, (total_steps - step) / max(1, total_steps - warmup))

    return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)


class RunningLoss:
    """The training loss, summed on the device and read back (the one host sync) every
    ``log_every`` steps; ``ema``: the smoothed reading the progress bar and the history show."""

    def __init__(self, device: torch.device):
        self.total = torch.zeros((), device=device)
        self.n = 0
        self.ema: float | None = None

    def add(self, loss: torch.Tensor) -> None:
        self.total += loss.detach()
        self.n += 1

    def read(self) -> float:
        """The mean loss since the last read (and the EMA updated with it)."""
        mean = float(self.total) / self.n
        self.total.zero_()
        self.n = 0
        self.ema = mean if self.ema is None else 0.7 * self.ema + 0.3 * mean
        return mean


class Throughput:
    """Training speed (``FitResult.extra["throughput"]``; benchmarks/bench_gpu_train.py reads
    it): the loop's seconds and real tokens, and the steady state, timed from step
    ``steady_from`` on (compile / allocator warm-up excluded) with each example's padded length."""

    def __init__(self, device: torch.device, first_step: int, total_steps: int):
        self.device = device
        self.seconds = 0.0
        self.real_tokens = 0
        self.steady_from = first_step + min(30, max(1, (total_steps - first_step) // 5))
        self.t0: float | None = None
        self.steady_seconds: float | None = None
        self.samples = 0
        self.steady_tokens = 0
        self.padded: list[int] = []

    def sync(self) -> None:
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)

    def batch(self, step: int, batch: Batch) -> None:
        """``batch`` is about to train as step ``step + 1``."""
        self.real_tokens += batch.tokens
        if step == self.steady_from:
            self.sync()
            self.t0 = time.perf_counter()
        if self.t0 is not None:
            self.samples += len(batch.examples)
            self.steady_tokens += batch.tokens
            self.padded += [int(batch.mask.shape[1])] * len(batch.examples)

    def add_time(self, seconds: float) -> None:
        self.seconds += seconds

    def stop(self) -> None:
        self.sync()
        self.steady_seconds = (time.perf_counter() - self.t0) if self.t0 is not None else None

    def summary(self, steps: int, batch_size: int, world: int) -> dict[str, Any]:
        t, s = self.seconds, self.steady_seconds
        return {"train_loop_seconds": t, "real_tokens": self.real_tokens,
                "samples_per_s": (steps * batch_size * world / t) if t else None,
                "real_tokens_per_s": self.real_tokens * world / t if t else None,
                "steady_seconds": s,
                "steady_samples_per_s": self.samples * world / s if s else None,
                "steady_real_tokens_per_s": self.steady_tokens * world / s if s else None,
                "steady_padded_lengths": self.padded}


def selection_score(m: dict[str, float], metric: str) -> float:
    """``m[metric]``, or ``neg_bce`` where it is missing or not finite (a one-class validation set)."""
    score = m.get(metric, float("nan"))
    return score if math.isfinite(score) else m["neg_bce"]


def weights_digest(model) -> str:
    """sha256 of a model's weights (names and float32 values): the multi-process test compares the ranks'."""
    import hashlib

    h = hashlib.sha256()
    for k, v in sorted(model.state_dict().items()):
        h.update(k.encode())
        h.update(v.detach().cpu().float().numpy().tobytes())
    return h.hexdigest()


def _checkpoint(dist: Dist, ckpt: Path, model, optimizer, scheduler, state: dict[str, Any], best_state) -> None:
    """Rank 0 saves the checkpoint; every rank waits for it."""
    if dist.main:
        _save_checkpoint(ckpt, model, optimizer, scheduler, state, best_state)
    dist.barrier()


def _resume(ckpt: Path, cfg_hash: str, model, optimizer, scheduler, state: dict[str, Any]):
    """``(state, best weights)`` of the checkpoint in ``ckpt`` when it is one of this config,
    else the fresh ``state`` and no best weights."""
    if not (ckpt / "state.json").exists():
        return state, None
    saved = json.loads((ckpt / "state.json").read_text())
    if saved.get("config_hash") != cfg_hash:
        log.warning("%s holds a checkpoint of a different config: starting afresh", ckpt)
        return state, None
    state, best_state = _load_checkpoint(ckpt, model, optimizer, scheduler)
    log.info("resumed from %s at step %d", ckpt, state["step"])
    return state, best_state


# ------------------------------------------------------------------------------------------
# fit
# ------------------------------------------------------------------------------------------

def fit(cfg: RecipeConfig, train_convs: list[Conversation], val_convs: list[Conversation], *,
        tracker: Tracker | None = None, interrupt_after: int | None = None,
        on_eval: Callable[[dict[str, Any]], None] | None = None) -> FitResult:
    """Train the detector ``cfg`` describes (see the module docstring) into ``cfg.output_dir``.
    ``on_eval``: called with each validation record of the history; ``interrupt_after``: raise
    :class:`Interrupted` after that step (tests simulate a crash with it)."""
    from tqdm.auto import tqdm

    t_start = time.time()
    recipe, tc = cfg.recipe, cfg.train
    heads = heads_for(recipe, cfg.model.view, cfg.data.taxonomy)
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    save_config(cfg, out / "config.yaml")
    dist = init_distributed(tc.device)
    if tracker is None or not dist.main:  # rank 0 alone logs to MLflow
        tracker = Tracker(type(cfg.tracking)(enabled=False))
    if tc.num_threads:
        torch.set_num_threads(tc.num_threads)
    seed_everything(cfg.seed)
    device = pick_device(tc.device, dist.local_rank)
    bf16 = use_bf16(tc.precision, device)

    # model, examples (encoded once) and the forward path
    spec = EncodeSpec.from_config(cfg.model)
    model, tokenizer = build_model(cfg.model.base, heads, spec=spec, recipe=recipe, dropout=cfg.model.dropout,
                                   taxonomy=cfg.data.taxonomy)
    frozen = freeze_lower_layers(model, cfg.model.freeze_layers)
    model.to(device)
    encoder = ConversationEncoder(tokenizer, spec)
    progress = tc.progress and dist.main
    tr, va, val_ex = fit_examples(cfg, encoder, train_convs, val_convs, progress)
    fwd = make_forward(cfg, model, encoder, heads, tr, va, device, bf16, dist, progress)

    # loss, optimiser and schedule
    pos_weight = class_weights(cfg, heads, tr.y)
    loss_w = loss_weights(cfg)
    n_batches = math.ceil(len(tr) / tc.batch_size)
    steps_per_epoch = n_batches // dist.world if dist.enabled else n_batches
    total_steps = tc.max_steps or steps_per_epoch * tc.epochs
    eval_every = tc.eval_every or steps_per_epoch
    optimizer, scheduler = make_optimizer(model, tc, device, total_steps)

    # the loop's position, or where a checkpoint of this config left it
    ckpt = out / "checkpoint"
    cfg_hash = config_hash(cfg)
    state = {"step": 0, "epoch": 0, "batch_in_epoch": 0, "best_metric": -math.inf, "best_step": -1,
             "bad_evals": 0, "history": [], "done": False, "config_hash": cfg_hash}
    state, best_state = _resume(ckpt, cfg_hash, model, optimizer, scheduler, state) if cfg.resume else (state, None)
    tracker.log_params({"n_train_examples": len(tr), "n_val_examples": len(va), "frozen_params": frozen,
                        "pos_weight": json.dumps(pos_weight), "total_steps": total_steps, "device": str(device)})

    model.train()
    bar = tqdm(total=total_steps, initial=state["step"], desc=f"train {recipe}", disable=not progress,
               dynamic_ncols=True)
    stop = state["done"]
    running = RunningLoss(device)
    speed = Throughput(device, state["step"], total_steps)
    while not stop and state["step"] < total_steps:
        batches = fwd.train_batches(state["epoch"])
        for bi in range(state["batch_in_epoch"], len(batches)):
            t_step = time.perf_counter()
            batch = fwd.batch(batches[bi])
            speed.batch(state["step"], batch)
            loss, parts = multitask_loss(fwd.logits(batch), batch.y, heads, loss_w, pos_weight)
            loss.backward()
            if tc.grad_clip:
                torch.nn.utils.clip_grad_norm_(model.parameters(), tc.grad_clip)
            optimizer.step()
            scheduler.step()
            optimizer.zero_grad(set_to_none=True)
            state["step"] += 1
            state["batch_in_epoch"] = bi + 1
            running.add(loss)
            bar.update(1)
            last_of_run = state["step"] >= total_steps
            if state["step"] % tc.log_every == 0 or last_of_run:
                lv = running.read()
                bar.set_postfix(loss=f"{running.ema:.3f}", epoch=state["epoch"])
                tracker.log_metrics({"train/loss": lv, **{f"train/loss_{k}": float(v) for k, v in parts.items()},
                                     "train/lr": scheduler.get_last_lr()[0]}, step=state["step"])
            speed.add_time(time.perf_counter() - t_step)

            if state["step"] % eval_every == 0 or last_of_run:
                m, _ = fwd.evaluate()
                score = selection_score(m, tc.select_metric)
                improved = score > state["best_metric"]
                if improved:
                    state.update(best_metric=score, best_step=state["step"], bad_evals=0)
                    best_state = {k: v.detach().cpu().clone() for k, v in model.state_dict().items()}
                else:
                    state["bad_evals"] += 1
                rec = {"step": state["step"], "epoch": state["epoch"], **{f"val/{k}": v for k, v in m.items()},
                       "train/loss_ema": running.ema}
                state["history"].append(rec)
                tracker.log_metrics({f"val/{k}": v for k, v in m.items()} | {"epoch": state["epoch"]}, step=state["step"])
                if on_eval:
                    on_eval(rec)
                log.info("step %d val %s=%.4f%s", state["step"], tc.select_metric, score, " (best)" if improved else "")
                if state["bad_evals"] >= tc.early_stopping_patience:
                    log.info("early stopping at step %d", state["step"])
                    stop = True
                _checkpoint(dist, ckpt, model, optimizer, scheduler, state, best_state)
            elif tc.checkpoint_every and state["step"] % tc.checkpoint_every == 0:
                _checkpoint(dist, ckpt, model, optimizer, scheduler, state, best_state)
            if interrupt_after is not None and state["step"] >= interrupt_after:
                bar.close()
                raise Interrupted(f"interrupted after step {state['step']}")
            if stop or last_of_run:
                break
        if not stop and state["batch_in_epoch"] >= len(batches):
            state["epoch"] += 1
            state["batch_in_epoch"] = 0
    bar.close()
    speed.stop()
    state["done"] = True
    if dist.main:
        _save_checkpoint(ckpt, model, optimizer, scheduler, state, best_state)

    # final: best weights, saved as a plain Hugging Face folder (by rank 0)
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    model_dir = out / "model"
    if dist.main:
        shutil.rmtree(model_dir, ignore_errors=True)
        model.save_pretrained(model_dir, safe_serialization=True)
        tokenizer.save_pretrained(model_dir)
    final_m, logits = fwd.evaluate()
    if dist.enabled:  # each rank writes a digest of its final weights (the multi-process test compares them)
        (out / f"weights.rank{dist.rank}.sha256").write_text(weights_digest(model))
        dist.barrier()
    model.eval()
    if dist.main:
        (out / "history.json").write_text(json.dumps(state["history"], indent=1))
    return FitResult(model_dir=model_dir, best_metric=state["best_metric"], best_step=state["best_step"],
                     history=state["history"], val_scores=logits_to_scores(logits, heads), val_logits=logits.numpy(),
                     steps=state["step"], seconds=time.time() - t_start, n_train_examples=len(tr),
                     extra={"dist": dist, "val_metrics": final_m, "precision": "bf16" if bf16 else "fp32",
                            "throughput": speed.summary(state["step"], tc.batch_size, dist.world),
                            "pos_weight": pos_weight, "val_ids": [c.id for c in val_ex],
                            "val_targets": {k: v.tolist() for k, v in va.y.items()}, "config": to_dict(cfg)})
