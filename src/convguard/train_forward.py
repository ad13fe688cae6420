"""How the training examples reach the model: the epoch's batch order (length-grouped or plain,
deterministic in seed and epoch) and a :class:`Forward` -- the full model on token ids
(:class:`FullForward`), or with ``train.cache_frozen`` the top layers on hidden states cached
after the frozen bottom (:class:`CachedForward`); :func:`make_forward` builds the one the config
asks for.  Everything here is also importable from :mod:`convguard.train`, where it lived before.
"""

from __future__ import annotations

import abc
import logging
import random
from dataclasses import dataclass
from typing import Any

import torch

from .batching import length_batches
from .config import RecipeConfig
from .encoder_layout import forward_from_layer, split_forward_refusal, supports_split_forward
from .modeling import hidden_states_at, logits_to_scores, pad_batch, pad_hidden, pool_rows, predict_logits
from .text import ConversationEncoder
from .train_dist import Dist, shard_batches
from .train_examples import Examples
from .train_objective import validation_metrics

log = logging.getLogger("convguard.train")  # the name these messages had before the split


# ------------------------------------------------------------------------------------------
# the epoch's batch order
# ------------------------------------------------------------------------------------------

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
