"""Where a training process runs: its device, and its place in a ``torchrun`` / ``accelerate
launch`` job (:class:`Dist`), with its share of each epoch's batches (:func:`shard_batches`).
Everything here is also importable from :mod:`convguard.train`, where it lived before.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


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
