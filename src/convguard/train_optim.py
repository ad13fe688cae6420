"""The optimiser and learning-rate schedule of the training loop (:func:`make_optimizer`), and
its bookkeeping: the running loss (:class:`RunningLoss`) and the training speed
(:class:`Throughput`).  Everything here is also importable from :mod:`convguard.train`, where it
lived before.
"""

from __future__ import annotations

import time
from typing import Any

import torch

from .config import TrainConfig
from .encoder_layout import head_parameter_ids
from .train_forward import Batch


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
