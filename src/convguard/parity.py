"""The parity check of an ONNX export (``convguard export --format onnx``): an evaluation set of
conversations and their decision points, scored by PyTorch fp32 (the reference) and by each ONNX
variant, compared score by score and decision by decision against the agreement gates; for int8
also the fp32 cascade and its margin (see :mod:`convguard.export`)."""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .onnx_export import DETECTORS, ExportError
from .schema import Conversation

log = logging.getLogger("convguard.export")  # the logger of convguard export, whichever part logs

#: decision agreement each variant must reach on the parity set
MIN_AGREEMENT = {"fp32": 0.999, "int8": 0.995}
#: the largest score difference an fp32 export may show (float rounding only)
FP32_MAX_ABS_DIFF = 1e-3
#: the int8 cascade re-scores in fp32 when a decision logit is within CASCADE_FACTOR x the largest
#: int8 logit error seen at export (at least MIN_CASCADE_MARGIN) of its threshold
CASCADE_FACTOR = 1.5
MIN_CASCADE_MARGIN = 0.05
SCORE_KEYS = ("terminate", "crisis", "harm_category", "persistence", "refused_push_top", "last_refused_push",
              "refused_ask_top", "last_refused_ask", "crisis_response_max", "harmful_max")


def parity_conversations(bundle_dir: str | Path, parity_data: str | Path | None = None, n: int = 300,
                         seed: int = 0) -> tuple[list[Conversation], str]:
    """The evaluation set for the parity check and where it came from: ``parity_data`` if given,
    else the bundle's evaluation data when it sits beside the bundle (``../data/test.jsonl`` as
    ``convguard quickstart`` writes it, ``../test.jsonl``, or the validation split), else ``n``
    conversations from the embedded generator."""
    from .dataset import subsample
    from .io import read_conversations

    root = Path(bundle_dir)
    if parity_data:
        convs, rep = read_conversations(parity_data, skip_invalid=True)
        if rep.n_skipped:
            log.warning("parity data: skipped %d invalid records of %s", rep.n_skipped, parity_data)
        if not convs:
            raise ExportError(f"{parity_data}: no valid conversations for the parity check")
        return subsample(convs, n, seed), str(parity_data)
    for cand in (root.parent / "data" / "test.jsonl", root.parent / "test.jsonl",
                 root.parent / "data" / "validation.jsonl", root.parent / "validation.jsonl"):
        if cand.exists():
            convs, rep = read_conversations(cand, skip_invalid=True)
            if convs:
                return subsample(convs, n, seed), str(cand)
    try:
        from .datagen import generate_conversations
    except ImportError as e:  # pragma: no cover - the generator ships with convguard
        raise ExportError("no parity data: pass --parity-data FILE") from e
    return generate_conversations(n, seed=seed + 1234), f"generated (convguard.datagen, n={n}, seed={seed + 1234})"


def decision_rows(convs: Sequence[Conversation], seed: int = 0) -> tuple[list, list[str]]:
    """Each (validated) conversation in full plus up to two prefixes ending at user turns (the
    labelled boundary turns first); returns (message lists, ids)."""
    from .dataset import expand_prefixes

    rows = expand_prefixes(list(convs), max_extra=2, seed=seed)
    return [list(r.messages) for r in rows], [r.id for r in rows]


def _run(guard, rows: list, batch_size: int = 32) -> tuple[dict[str, np.ndarray], list[str], float]:
    t = time.perf_counter()
    scores = guard.score(rows, batch_size)
    secs = time.perf_counter() - t
    actions = [str(a) for a in guard.policy.apply(scores).actions]  # the one policy implementation
    return scores, actions, secs


def compare_scores(ref: dict[str, np.ndarray], ref_actions: list[str], got: dict[str, np.ndarray],
                   got_actions: list[str], ids: Sequence[str] | None = None, max_listed: int = 20) -> dict[str, Any]:
    n = len(ref_actions)
    diffs = {k: float(np.abs(np.asarray(got[k], dtype=np.float64) - np.asarray(ref[k], dtype=np.float64)).max())
             for k in SCORE_KEYS if k in ref and k in got and n}
    agree = [a == b for a, b in zip(ref_actions, got_actions)]
    cat_agree = (np.argmax(ref["harm_category"], 1) == np.argmax(got["harm_category"], 1)) if n else np.array([])
    listed = []
    for i, ok in enumerate(agree):
        if not ok and len(listed) < max_listed:
            listed.append({"row": i, "id": ids[i] if ids else None, "torch": ref_actions[i], "onnx": got_actions[i],
                           "terminate": [float(ref["terminate"][i]), float(got["terminate"][i])],
                           "crisis": [float(ref["crisis"][i]), float(got["crisis"][i])]})
    return {
        "n": n,
        "max_abs_diff": max(diffs.values()) if diffs else 0.0,
        "max_abs_diff_per_score": diffs,
        "decision_agreement": float(np.mean(agree)) if n else 1.0,
        "n_disagree": int(n - sum(agree)),
        "harm_category_agreement": float(cat_agree.mean()) if n else 1.0,
        "disagreements": listed,
    }


def _binary_logits(guard, rows: list, batch_size: int = 32) -> dict[str, np.ndarray]:
    """Raw (pre-temperature) logits of the decision heads, terminate and crisis."""
    from .modeling import head_slices

    out = {}
    for det, head in ((guard.harm, "terminate"), (guard.crisis, "crisis")):
        col = head_slices(det.heads)[head].start
        out[head] = det.pooled_logits(rows, batch_size)[:, col].astype(np.float64)
    return out


def parity_check(bundle_dir: str | Path, rows: list, onnx_files: dict[str, dict[str, Path]],
                 ids: Sequence[str] | None = None, threads: int | None = None,
                 min_agreement: dict[str, float] | None = None) -> dict[str, Any]:
    """Score ``rows`` (validated message lists) with PyTorch and with each ONNX variant
    (``onnx_files[variant][detector] = path``) and compare.  For int8 it also measures the
    largest logit error of the decision heads, sets the cascade margin from it (1.5 x, see
    :meth:`convguard.Guard.load`'s ``fallback_margin``) and evaluates that cascade."""
    from .detectors import Detector, OnnxBackend
    from .guard import Guard

    root = Path(bundle_dir)
    gates = {**MIN_AGREEMENT, **(min_agreement or {})}
    # the reference is the fp32 model (the export is fp32 arithmetic), whatever the bundle serves at
    torch_guard = Guard.load(root, verify=False, require_user_last=False, precision="fp32")
    log.info("parity: scoring %d decision points with PyTorch fp32 (the reference) ...", len(rows))
    ref, ref_actions, ref_secs = _run(torch_guard, rows)
    log.info("parity: PyTorch fp32 done in %.1f s", ref_secs)
    report: dict[str, Any] = {"n_rows": len(rows), "torch_seconds": round(ref_secs, 3),
                              "torch_actions": _counts(ref_actions), "variants": {}}
    ref_logits = _binary_logits(torch_guard, rows) if "int8" in onnx_files else {}
    for variant, files in onnx_files.items():
        dets = {name: Detector(root / name, OnnxBackend(root / name, files[name], threads)) for name in DETECTORS}
        g = Guard(dets["harm"], dets["crisis"], torch_guard.policy, root, require_user_last=False, parallel=False)
        log.info("parity: scoring with ONNX %s ...", variant)
        got, actions, secs = _run(g, rows)
        log.info("parity: ONNX %s done in %.1f s", variant, secs)
        r = compare_scores(ref, ref_actions, got, actions, ids)
        r["seconds"] = round(secs, 3)
        r["min_agreement"] = gates[variant]
        ok = r["decision_agreement"] >= gates[variant]
        if variant == "fp32":
            ok = ok and r["max_abs_diff"] <= FP32_MAX_ABS_DIFF
            r["max_abs_diff_allowed"] = FP32_MAX_ABS_DIFF
        r["passed"] = bool(ok)
        r["actions"] = _counts(actions)
        report["variants"][variant] = r
        if variant == "int8" and "fp32" in onnx_files and rows:
            lg = _binary_logits(g, rows)
            err = {h: float(np.abs(lg[h] - ref_logits[h]).max()) for h in lg}
            margin = round(max(CASCADE_FACTOR * max(err.values()), MIN_CASCADE_MARGIN), 4)
            r["max_abs_logit_diff"] = err
            r["fallback_margin"] = margin
            for name in DETECTORS:
                dets[name].fallback = OnnxBackend(root / name, onnx_files["fp32"][name], threads)
            g.fallback_margin = margin
            log.info("parity: scoring with ONNX int8 + fp32 fallback (margin %.3f) ...", margin)
            got_c, actions_c, secs_c = _run(g, rows)
            c = compare_scores(ref, ref_actions, got_c, actions_c, ids)
            c.update({"seconds": round(secs_c, 3), "fallback_margin": margin, "min_agreement": gates["int8"],
                      "fallback_fraction": round(g.stats["fallback"] / max(1, 2 * len(rows)), 4),
                      "note": "int8, with conversations whose terminate/crisis logit is within the margin of the "
                              "threshold re-scored in fp32 (Guard.load(..., onnx_variant='int8') does this by "
                              "default); fallback_fraction counts detector re-scorings per detector call",
                      "actions": _counts(actions_c)})
            c["passed"] = bool(c["decision_agreement"] >= gates["int8"])
            report["variants"]["int8_cascade"] = c
    report["passed"] = all(v["passed"] for v in report["variants"].values())
    return report


def _counts(actions: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for a in actions:
        out[a] = out.get(a, 0) + 1
    return dict(sorted(out.items()))
