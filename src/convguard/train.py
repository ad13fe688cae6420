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

This module is the loop itself (:func:`fit`, :func:`fit_examples`); its parts live beside it and
are all importable from here: :mod:`convguard.train_forward` (batch order and the
:class:`Forward` paths), :mod:`convguard.train_objective` (loss, class and head weights,
validation figures, selection score), :mod:`convguard.train_optim` (optimiser, schedule, running
loss, throughput), :mod:`convguard.train_checkpoint` (checkpoints and resuming, config hash,
weights digest), :mod:`convguard.train_dist` (device and ``torchrun`` rank) and
:mod:`convguard.train_examples` (the encoded examples).
"""

from __future__ import annotations

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

from .config import RecipeConfig, save_config, to_dict
from .dataset import expand_prefixes, subsample
from .encoder_layout import freeze_lower_layers
from .modeling import build_model, heads_for, logits_to_scores, use_bf16
from .modeling import pool_rows  # noqa: F401  (re-exported: convguard.train.pool_rows was importable before)
from .schema import Conversation
from .text import ConversationEncoder, EncodeSpec
from .tracking import Tracker
# the loop's parts live in the modules below; re-exported here, where they lived before
from .train_checkpoint import (_checkpoint, _load_checkpoint, _resume, _save_checkpoint, config_hash,  # noqa: F401
                               weights_digest)
from .train_dist import Dist, init_distributed, pick_device, shard_batches  # noqa: F401
# the training examples live in convguard.train_examples
from .train_examples import (DROP_REREADS, Examples, encode_examples, evidence_labels, harmful_turns,  # noqa: F401
                             turn_examples)
from .train_forward import (Batch, CachedForward, Forward, FullForward, length_grouped_batches,  # noqa: F401
                            make_forward, plain_batches)
from .train_objective import (class_weights, loss_weights, multitask_loss, selection_score,  # noqa: F401
                              validation_metrics)
from .train_optim import RunningLoss, Throughput, make_optimizer

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


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % (2**32))
    torch.manual_seed(seed)


# ------------------------------------------------------------------------------------------
# the examples of a config
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
