"""The one batching rule for scoring, caching, training and export: sequences grouped by length
(less padding), right-padded to the longest in the batch (optionally to a multiple of N tokens).
NumPy only, so the ONNX serving path needs no torch."""

from __future__ import annotations

from typing import Sequence

import numpy as np


def padded_length(n: int, pad_to_multiple_of: int | None = None) -> int:
    """``n`` rounded up to a multiple of ``pad_to_multiple_of`` (unchanged when it is 0 / None)."""
    return -(-n // pad_to_multiple_of) * pad_to_multiple_of if pad_to_multiple_of else n


def length_batches(lengths: Sequence[int], batch_size: int) -> list[list[int]]:
    """Indices grouped into batches of similar length (shortest first; ties keep their order).
    Scatter each batch's results back with ``out[batch] = ...``."""
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, got {batch_size}")
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    return [order[s: s + batch_size] for s in range(0, len(order), batch_size)]


def pad_ids(seqs: Sequence[Sequence[int]], pad_id: int,
            pad_to_multiple_of: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Token ids (lists, arrays or 1-D CPU tensors) right-padded into int64 ``(ids, attention_mask)``."""
    n = padded_length(max(len(s) for s in seqs), pad_to_multiple_of)
    ids = np.full((len(seqs), n), pad_id, dtype=np.int64)
    mask = np.zeros((len(seqs), n), dtype=np.int64)
    for r, s in enumerate(seqs):
        ids[r, : len(s)] = s
        mask[r, : len(s)] = 1
    return ids, mask
