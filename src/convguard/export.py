"""``convguard export``: ONNX (fp32 and int8) and an MLflow pyfunc model from a bundle.

ONNX (``--format onnx``)
    Each detector's ``AutoModelForSequenceClassification`` is exported with inputs
    ``input_ids``, ``attention_mask`` (and ``token_type_ids`` for BERT-style models; convguard feeds
    zeros), all int64 ``[batch, sequence]`` with dynamic batch and sequence axes, and one output
    ``logits`` (float32 ``[batch, num_labels]``, the packed heads of ``config.json``'s ``id2label``).
    The model is exported with eager attention so ONNX Runtime fuses the graph into its BERT kernels
    (Attention, SkipLayerNormalization, BiasGelu) at load time; ``int8`` is ONNX Runtime's dynamic
    quantisation of that graph (int8 weights, activations quantised on the fly).  Files::

        <bundle>/onnx/harm.fp32.onnx   harm.int8.onnx   crisis.fp32.onnx   crisis.int8.onnx
        <bundle>/onnx/export.json      inputs/outputs, labels, encoding, how the files were made
        <bundle>/onnx/parity.json      the parity check against PyTorch

    A parity check runs at export time: every variant scores an evaluation set (the conversations
    and their decision points -- prefixes ending at user turns) beside PyTorch; the report has the
    maximum absolute score difference per head and the decision agreement.  fp32 must agree on
    every decision but ties (>= 99.9%), int8 on at least 99.5% of rows, or the export prints a loud
    warning (and ``Guard.load(backend="onnx")`` repeats it).  The manifest is rewritten so its hashes
    cover the new files.

MLflow (``--format mlflow``)
    A pyfunc model (:mod:`convguard.pyfunc`, logged as *models from code*: no pickled objects)
    with the bundle as its artifact, a signature (input: ``messages``, a list of
    ``{"role", "content"}``, optional ``locale``; output: ``action``, scores, ``reason``,
    ``message``) and an input example, logged to the MLflow store and registered as
    ``--register-as``; ``--out DIR`` also saves it to a folder for ``convguard serve -m DIR``
    (:mod:`convguard.serve`; ``mlflow models serve -m DIR`` serves it too, with MLflow's own request
    handling, see docs/SERVING.md).  :func:`pyfunc_model` is its one definition: the quickstart and
    ``convguard bundle`` log and register the same model as ``convguard-bundle``
    (:meth:`convguard.tracking.Tracker.log_bundle_model`).
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from .bundle import BundleError, sha256_file, verify_bundle, write_manifest
from .config import TrackingConfig
from .schema import Conversation

log = logging.getLogger(__name__)

ONNX_DIR = "onnx"
PARITY_FILE = "parity.json"
EXPORT_INFO_FILE = "export.json"
VARIANTS = ("fp32", "int8")
DETECTORS = ("harm", "crisis")
#: decision agreement each variant must reach on the parity set
MIN_AGREEMENT = {"fp32": 0.999, "int8": 0.995}
#: the largest score difference an fp32 export may show (float rounding only)
FP32_MAX_ABS_DIFF = 1e-3
#: the int8 cascade re-scores in fp32 when a decision logit is within CASCADE_FACTOR x the largest
#: int8 logit error seen at export (at least MIN_CASCADE_MARGIN) of its threshold
CASCADE_FACTOR = 1.5
MIN_CASCADE_MARGIN = 0.05
DEFAULT_OPSET = 17
SCORE_KEYS = ("terminate", "crisis", "harm_category", "persistence", "refused_push_top", "last_refused_push",
              "refused_ask_top", "last_refused_ask", "crisis_response_max", "harmful_max")


class ExportError(RuntimeError):
    pass


# ------------------------------------------------------------------------------------------
# ONNX: one detector
# ------------------------------------------------------------------------------------------

def _logits_module(model, with_token_types: bool):
    import torch

    class Logits(torch.nn.Module):
        def __init__(self, m):
            super().__init__()
            self.m = m

        def forward(self, input_ids, attention_mask, token_type_ids=None):
            kw = {"token_type_ids": token_type_ids} if token_type_ids is not None else {}
            return self.m(input_ids=input_ids, attention_mask=attention_mask, **kw).logits

    return Logits(model).eval()


def _takes_token_types(model) -> bool:
    import inspect

    return ("token_type_ids" in inspect.signature(model.forward).parameters
            and int(getattr(model.config, "type_vocab_size", 0) or 0) > 0)


def _sample_inputs(model, with_token_types: bool):
    import torch

    g = torch.Generator().manual_seed(0)
    vocab = int(model.config.vocab_size)
    ids = torch.randint(5, max(vocab, 6), (2, 12), generator=g)
    mask = torch.ones_like(ids)
    mask[1, 7:] = 0  # a padded row, so the mask path is traced
    ids[1, 7:] = int(getattr(model.config, "pad_token_id", 0) or 0)
    out = [ids, mask]
    if with_token_types:
        out.append(torch.zeros_like(ids))
    return tuple(out)


def export_detector_onnx(folder: str | Path, out_path: str | Path, *, exporter: str = "torchscript",
                         opset: int = DEFAULT_OPSET) -> dict[str, Any]:
    """Export one detector folder to ``out_path`` (a single self-contained ``.onnx`` file).

    exporter: ``torchscript`` (torch's TorchScript-based exporter; produces the graph ONNX Runtime
    fuses best on CPU) or ``dynamo`` (``torch.export``-based, torch's default since 2.9; needs the
    ``onnxscript`` package).  If the TorchScript exporter is unavailable the dynamo one is used."""
    import torch
    from transformers import AutoModelForSequenceClassification

    folder, out_path = Path(folder), Path(out_path)
    if not (folder / "model.safetensors").exists():
        raise ExportError(f"{folder}: no model.safetensors")
    model = AutoModelForSequenceClassification.from_pretrained(folder, use_safetensors=True,
                                                               attn_implementation="eager",
                                                               trust_remote_code=False).eval()
    tt = _takes_token_types(model)
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if tt else [])
    module = _logits_module(model, tt)
    args = _sample_inputs(model, tt)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    used = exporter
    t0 = time.time()
    with warnings.catch_warnings(), torch.no_grad():
        warnings.simplefilter("ignore")
        if exporter == "torchscript":
            try:
                torch.onnx.export(module, args, str(out_path), input_names=names, output_names=["logits"],
                                  dynamic_axes={**{n: {0: "batch", 1: "sequence"} for n in names},
                                                "logits": {0: "batch"}},
                                  opset_version=opset, do_constant_folding=True, dynamo=False)
            except (TypeError, RuntimeError, AttributeError) as e:  # exporter removed/changed in this torch
                log.warning("TorchScript ONNX exporter failed (%s); trying the dynamo exporter", e)
                used = "dynamo"
        if used == "dynamo":
            try:
                import onnxscript  # noqa: F401
            except ImportError:
                raise ExportError("the dynamo ONNX exporter needs the onnxscript package: pip install onnxscript") \
                    from None
            batch = torch.export.Dim("batch")
            seq = torch.export.Dim("sequence", max=int(getattr(model.config, "max_position_embeddings", 512)))
            torch.onnx.export(module, args, str(out_path), input_names=names, output_names=["logits"],
                              dynamic_shapes={n: {0: batch, 1: seq} for n in names}, opset_version=max(opset, 18),
                              dynamo=True, external_data=False)
        elif used != "torchscript":
            raise ValueError(f"unknown exporter {exporter!r} (torchscript or dynamo)")
    _check_against_torch(model, out_path, names)
    return {"inputs": names, "outputs": ["logits"], "exporter": used, "opset": opset if used == "torchscript"
            else max(opset, 18), "seconds": round(time.time() - t0, 2), "num_labels": int(model.config.num_labels)}


def _check_against_torch(model, path: Path, names: list[str], tol: float = 1e-3) -> None:
    """Right after export: the graph must match PyTorch on other batch sizes and lengths than
    the traced ones (catches shapes frozen into the graph)."""
    import onnxruntime as ort
    import torch

    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(1)
    vocab = int(model.config.vocab_size)
    for b, n in ((1, 5), (3, 37)):
        ids = rng.integers(5, max(vocab, 6), (b, n)).astype(np.int64)
        mask = np.ones((b, n), dtype=np.int64)
        if b > 1:
            mask[1, n // 2:] = 0
            ids[1, n // 2:] = 0
        feed = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in names:
            feed["token_type_ids"] = np.zeros_like(ids)
        with torch.no_grad():
            ref = model(**{k: torch.from_numpy(v) for k, v in feed.items()}).logits.numpy()
        got = sess.run(None, feed)[0]
        diff = float(np.abs(got - ref)[mask.sum(1) > 0].max())
        if not np.isfinite(diff) or diff > tol:
            raise ExportError(f"{path}: the exported graph differs from PyTorch by {diff:.2e} at batch {b} x {n} "
                              f"tokens (dynamic axes broken?)")


def quantize_int8(src: str | Path, dst: str | Path) -> None:
    """ONNX Runtime dynamic quantisation: int8 weights (per output channel), uint8 activations."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    previous = logging.root.manager.disable
    logging.disable(logging.WARNING)  # the quantiser chats on the root logger at INFO/WARNING
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            quantize_dynamic(str(src), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                             extra_options={"DefaultTensorType": onnx.TensorProto.FLOAT})
    finally:
        logging.disable(previous)


def _set_metadata(path: Path, meta: dict[str, str]) -> None:
    import onnx

    m = onnx.load(str(path))
    keep = [p for p in m.metadata_props if p.key not in meta]
    del m.metadata_props[:]
    m.metadata_props.extend(keep)
    for k, v in meta.items():
        m.metadata_props.add(key=k, value=str(v))
    m.producer_name = "convguard"
    onnx.save(m, str(path))


# ------------------------------------------------------------------------------------------
# parity
# ------------------------------------------------------------------------------------------

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


def _loud(msg: str) -> None:
    bar = "!" * 78
    text = f"\n{bar}\n{msg}\n{bar}\n"
    log.error(msg)
    print(text, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# ONNX: the bundle
# ------------------------------------------------------------------------------------------

def export_onnx(bundle_dir: str | Path, *, variants: Sequence[str] = VARIANTS, parity_data: str | Path | None = None,
                parity_n: int = 300, seed: int = 0, exporter: str = "torchscript", opset: int = DEFAULT_OPSET,
                min_agreement: dict[str, float] | None = None, threads: int | None = None) -> dict[str, Any]:
    """Export both detectors, run the parity check, write ``<bundle>/onnx/`` and rewrite the
    manifest.  Returns the parity report (``report["passed"]``).  The bundle is verified first;
    nothing in it changes unless the export and the check ran to the end."""
    root = Path(bundle_dir)
    verify_bundle(root)
    for v in variants:
        if v not in VARIANTS:
            raise ValueError(f"unknown ONNX variant {v!r} (one of {', '.join(VARIANTS)})")
    if "fp32" not in variants:
        raise ValueError("the fp32 export is required (int8 is quantised from it)")
    tmp = root.parent / f".{root.name}.onnx-export"
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True)
    try:
        info: dict[str, Any] = {"detectors": {}, "variants": list(variants)}
        files: dict[str, dict[str, Path]] = {v: {} for v in variants}
        for name in DETECTORS:
            folder = root / name
            fp32 = tmp / f"{name}.fp32.onnx"
            log.info("exporting %s to ONNX (fp32) ...", name)
            t = time.time()
            det_info = export_detector_onnx(folder, fp32, exporter=exporter, opset=opset)
            log.info("exported %s in %.1f s", name, time.time() - t)
            cfg = json.loads((folder / "config.json").read_text(encoding="utf-8"))
            meta = {"convguard.detector": name,
                    "convguard.source_sha256": sha256_file(folder / "model.safetensors"),
                    "convguard.id2label": json.dumps(cfg.get("id2label", {})),
                    "convguard.heads": json.dumps(cfg.get("convguard", {}).get("heads", [])),
                    "convguard.encoding": json.dumps(cfg.get("convguard", {}).get("encoding", {}))}
            _set_metadata(fp32, {**meta, "convguard.variant": "fp32"})
            files["fp32"][name] = fp32
            if "int8" in variants:
                i8 = tmp / f"{name}.int8.onnx"
                log.info("quantising %s to int8 ...", name)
                t = time.time()
                quantize_int8(fp32, i8)
                _set_metadata(i8, {**meta, "convguard.variant": "int8"})
                det_info["int8_seconds"] = round(time.time() - t, 2)
                files["int8"][name] = i8
            det_info["files"] = {v: f"{ONNX_DIR}/{files[v][name].name}" for v in variants}
            det_info["bytes"] = {v: files[v][name].stat().st_size for v in variants}
            det_info["tokenizer"] = f"{name}/"
            det_info["id2label"] = cfg.get("id2label", {})
            det_info["encoding"] = cfg.get("convguard", {}).get("encoding", {})
            info["detectors"][name] = det_info

        convs, source = parity_conversations(root, parity_data, parity_n, seed)
        rows, ids = decision_rows(convs, seed)
        log.info("parity check on %d decision points from %d conversations (%s)", len(rows), len(convs), source)
        report = parity_check(root, rows, files, ids, threads, min_agreement)
        report["data"] = {"source": source, "n_conversations": len(convs),
                          "rows": "each conversation plus up to two prefixes ending at user turns "
                                  "(the labelled boundary turns first)"}
        report["created"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        info["created"] = report["created"]
        info["how_to_feed"] = ("token ids from the detector's tokenizer (<detector>/tokenizer.json) laid out as "
                               "convguard.text.ConversationEncoder.encode_units does: one sequence per "
                               "conversation ([CLS] role content [SEP] ... within encoding.max_length), or with "
                               "encoding.view 'user_turns' one per user turn, the conversation taking the row of "
                               "the turn with the highest first logit; attention_mask 1 for tokens, 0 for "
                               "padding; token_type_ids zeros. logits -> sigmoid for binary heads, softmax per "
                               "multiclass head (convguard.modeling.logits_to_scores), policy.yaml for thresholds.")
        (tmp / PARITY_FILE).write_text(json.dumps(report, indent=1), encoding="utf-8")
        (tmp / EXPORT_INFO_FILE).write_text(json.dumps(info, indent=1), encoding="utf-8")
        # move into place, then re-hash
        dest = root / ONNX_DIR
        if dest.exists():
            shutil.rmtree(dest)
        shutil.move(str(tmp), str(dest))
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    summary = {v: {k: report["variants"][v].get(k) for k in ("decision_agreement", "max_abs_diff", "passed")}
               for v in report["variants"]}
    write_manifest(root, extra={"onnx": {"variants": list(variants), "parity": summary, "created": report["created"]}})
    for v, r in report["variants"].items():
        line = (f"ONNX {v}: decision agreement {r['decision_agreement']:.4f} ({r['n_disagree']} of {r['n']} differ), "
                f"max |score diff| {r['max_abs_diff']:.2e}")
        if r["passed"]:
            log.info("%s -- ok", line)
        else:
            casc = report["variants"].get("int8_cascade")
            hint = ""
            if v == "int8" and casc:
                hint = (f"\nThe int8 cascade (Guard.load(..., onnx_variant='int8'), the default) re-scores "
                        f"near-threshold conversations in fp32: agreement {casc['decision_agreement']:.4f}, "
                        f"fp32 re-scoring on {casc['fallback_fraction']:.1%} of detector calls"
                        + ("" if casc["passed"] else " -- ALSO BELOW THE GATE"))
            _loud(f"PARITY CHECK FAILED -- {line}; required agreement >= {r['min_agreement']}"
                  + (f" and max diff <= {FP32_MAX_ABS_DIFF}" if v == "fp32" else "")
                  + f".\nDo not serve the {'plain ' if v == 'int8' else ''}{v} export without review; "
                  f"see {dest / PARITY_FILE}" + hint)
    return report


# ------------------------------------------------------------------------------------------
# MLflow
# ------------------------------------------------------------------------------------------

def _pip_requirements() -> list[str]:
    import importlib.metadata as md

    out = []
    for pkg in ("mlflow", "torch", "transformers", "tokenizers", "safetensors", "onnxruntime", "numpy", "pandas",
                "pyyaml"):
        try:
            v = md.version(pkg).split("+")[0]  # torch 2.x.y+cpu -> 2.x.y
            out.append(f"{pkg}=={v}")
        except md.PackageNotFoundError:
            pass
    return out


def pyfunc_signature():
    from mlflow.models import ModelSignature
    from mlflow.types.schema import (Array, ColSpec, DataType, Object, ParamSchema, ParamSpec, Property,
                                     Schema)

    message = Object([Property("role", DataType.string), Property("content", DataType.string)])
    inputs = Schema([ColSpec(Array(message), "messages"), ColSpec(DataType.string, "locale", required=False)])
    outputs = Schema([ColSpec(DataType.string, "action"), ColSpec(DataType.double, "terminate"),
                      ColSpec(DataType.double, "crisis"), ColSpec(DataType.string, "harm_category"),
                      ColSpec(DataType.double, "harm_category_prob"), ColSpec(DataType.double, "persistence"),
                      ColSpec(DataType.string, "reason"), ColSpec(DataType.string, "message", required=False),
                      ColSpec(DataType.string, "evidence")])
    params = ParamSchema([ParamSpec("locale", DataType.string, "")])
    return ModelSignature(inputs=inputs, outputs=outputs, params=params)


def pyfunc_input_example():
    import pandas as pd

    return pd.DataFrame({"messages": [
        [{"role": "user", "content": "how do i kill a python process that hangs?"}],
        [{"role": "user", "content": "hi, can you help me plan a birthday party?"},
         {"role": "assistant", "content": "Of course! How many guests are you expecting?"},
         {"role": "user", "content": "about twenty, mostly kids"}],
    ]})


def resolve_serving_backend(bundle_dir: Path, backend: str = "auto", onnx_variant: str = "fp32") -> dict[str, Any]:
    """``auto``: ONNX fp32 when the bundle holds the export, else PyTorch."""
    if backend == "auto":
        have = all((bundle_dir / ONNX_DIR / f"{n}.{onnx_variant}.onnx").exists() for n in DETECTORS)
        backend = "onnx" if have else "torch"
    return {"backend": backend, "onnx_variant": onnx_variant, "require_user_last": True}


def pyfunc_model(bundle_dir: str | Path, *, backend: str = "auto", onnx_variant: str = "fp32"
                 ) -> tuple[dict[str, Any], dict[str, Any]]:
    """The bundle's pyfunc model: ``(model_config, the keyword arguments of
    mlflow.pyfunc.save_model / log_model)`` -- :mod:`convguard.pyfunc` as the code file, the
    verified bundle as the artifact ``bundle``, the signature, an input example, pinned pip
    requirements and the convguard package as code.  The one definition :func:`export_mlflow`
    and :meth:`convguard.tracking.Tracker.log_bundle_model` (the quickstart's and ``convguard
    bundle``'s registered ``convguard-bundle``) share."""
    root = Path(bundle_dir).resolve()
    verify_bundle(root)
    config = resolve_serving_backend(root, backend, onnx_variant)
    code_file = Path(__file__).with_name("pyfunc.py")
    return config, dict(python_model=str(code_file), artifacts={"bundle": str(root)}, model_config=config,
                        signature=pyfunc_signature(), input_example=pyfunc_input_example(),
                        pip_requirements=_pip_requirements(), code_paths=[str(Path(__file__).parent)])


def export_mlflow(bundle_dir: str | Path, *, out: str | Path | None = None, register_as: str | None = "convguard-guard",
                  mlruns_dir: str | Path = TrackingConfig.mlruns_dir, experiment: str = TrackingConfig.experiment,
                  tracking: bool = True,
                  backend: str = "auto", onnx_variant: str = "fp32") -> dict[str, Any]:
    """Save (``out``) and/or log + register the pyfunc model.  Returns where it went."""
    import os

    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    import mlflow

    root = Path(bundle_dir).resolve()
    config, common = pyfunc_model(root, backend=backend, onnx_variant=onnx_variant)
    result: dict[str, Any] = {"model_config": config}
    if out:
        out = Path(out)
        if out.exists() and any(out.iterdir()):
            raise ExportError(f"{out}: exists and is not empty; choose another --out or remove it")
        if out.exists():
            out.rmdir()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            mlflow.pyfunc.save_model(path=str(out), **common)
        result["saved_to"] = str(out)
    if tracking:
        from .tracking import Tracker

        tracker = Tracker(TrackingConfig(enabled=True, mlruns_dir=str(mlruns_dir), experiment=experiment))
        with tracker.run("export-mlflow", tags={"convguard.job": "export"}):
            tracker.log_params({"bundle": str(root), **config})
            logged = tracker.log_bundle_model((config, common), register_as, artifact_name="guard",
                                              description=f"convguard export --format mlflow of {root}")
            result.update({"tracking_uri": tracker.uri, "run_id": tracker.run_id, "model_uri": logged["model_uri"]})
            if register_as:
                result["registered"] = {k: logged[k] for k in ("name", "version", "uri")}
    return result


# ------------------------------------------------------------------------------------------
# CLI
# ------------------------------------------------------------------------------------------

def export_cli(args) -> int:
    formats = list(dict.fromkeys(args.format or []))
    bundle = Path(args.bundle)
    rc = 0
    if not formats:
        raise ValueError("--format onnx and/or --format mlflow")
    try:
        verify_bundle(bundle)
    except BundleError as e:
        raise ValueError(f"refusing to export: {e}") from None
    if "onnx" in formats:
        report = export_onnx(bundle, parity_data=getattr(args, "parity_data", None),
                             parity_n=int(getattr(args, "parity_n", None) or 300))
        print(f"ONNX: {bundle / ONNX_DIR} (parity report: {bundle / ONNX_DIR / PARITY_FILE})")
        for v, r in report["variants"].items():
            print(f"  {v}: decision agreement {r['decision_agreement']:.4f} on {r['n']} decision points, "
                  f"max |score diff| {r['max_abs_diff']:.2e} -> {'ok' if r['passed'] else 'FAILED'}")
        if not report["passed"] and getattr(args, "strict_parity", False):
            rc = 3
    if "mlflow" in formats:
        res = export_mlflow(bundle, out=getattr(args, "out", None), register_as=getattr(args, "register_as", None),
                            mlruns_dir=args.mlruns_dir, experiment=args.experiment)
        cfg = res["model_config"]
        print(f"MLflow pyfunc model (backend {cfg['backend']}"
              + (f" {cfg['onnx_variant']}" if cfg["backend"] == "onnx" else "") + ")")
        if res.get("saved_to"):
            print(f"  saved to {res['saved_to']}\n  serve:  convguard serve -m {res['saved_to']} -p 5000")
        if res.get("registered"):
            print(f"  registered as {res['registered']['uri']} in {res['tracking_uri']}\n"
                  f"  serve:  MLFLOW_TRACKING_URI={res['tracking_uri']} convguard serve -m "
                  f"{res['registered']['uri']} -p 5000")
        elif res.get("model_uri"):
            print(f"  logged as {res['model_uri']} in {res['tracking_uri']}")
        print("  query:  curl -s http://127.0.0.1:5000/invocations -H 'Content-Type: application/json' -d "
              "'{\"dataframe_records\": [{\"messages\": [{\"role\": \"user\", \"content\": \"hello\"}]}]}'")
    return rc
