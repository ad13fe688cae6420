"""Checkpoints of the training loop: weights, optimiser and scheduler state, RNG and loop
position (:func:`_save_checkpoint`), saved by rank 0 (:func:`_checkpoint`) and resumed only
when they belong to the same config (:func:`config_hash`, :func:`_resume`); and the digest of a
model's weights the multi-process test compares (:func:`weights_digest`).  Everything here is also
importable from :mod:`convguard.train`, where it lived before.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from typing import Any

import torch

from .config import RecipeConfig, to_dict
from .train_dist import Dist

log = logging.getLogger("convguard.train")  # the name these messages had before the split


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
