"""ONNX for ``convguard export --format onnx``: one detector folder exported to a self-contained
``.onnx`` graph (checked against PyTorch on other shapes than the traced ones), its int8 dynamic
quantisation, the convguard metadata in the file, and the names of the export's files in a bundle
(:func:`convguard.export.export_onnx` exports a whole bundle with these)."""

from __future__ import annotations

import logging
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

log = logging.getLogger("convguard.export")  # the logger of convguard export, whichever part logs

ONNX_DIR = "onnx"
PARITY_FILE = "parity.json"
EXPORT_INFO_FILE = "export.json"
VARIANTS = ("fp32", "int8")
DETECTORS = ("harm", "crisis")
DEFAULT_OPSET = 17


class ExportError(RuntimeError):
    pass


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
