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

The parts live in :mod:`convguard.onnx_export` (one detector's graph, int8, the file names),
:mod:`convguard.parity` (the parity check) and :mod:`convguard.mlflow_export` (the pyfunc model);
this module exports a whole bundle and runs the CLI, and re-exports all of them.
"""

from __future__ import annotations

import json
import logging
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Sequence

from .bundle import BundleError, sha256_file, verify_bundle, write_manifest
from .mlflow_export import (export_mlflow, pyfunc_input_example, pyfunc_model,  # noqa: F401
                            pyfunc_signature, resolve_serving_backend)
from .onnx_export import (DEFAULT_OPSET, DETECTORS, EXPORT_INFO_FILE, ONNX_DIR, PARITY_FILE,  # noqa: F401
                          VARIANTS, ExportError, _set_metadata, export_detector_onnx, quantize_int8)
from .parity import (CASCADE_FACTOR, FP32_MAX_ABS_DIFF, MIN_AGREEMENT, MIN_CASCADE_MARGIN,  # noqa: F401
                     SCORE_KEYS, _run, compare_scores, decision_rows, parity_check, parity_conversations)

log = logging.getLogger(__name__)


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
