"""MLflow for ``convguard export --format mlflow``: the bundle's pyfunc model (:mod:`convguard.pyfunc`
as *models from code*, the bundle as its artifact, a signature and an input example), saved to a
folder and/or logged and registered (see :mod:`convguard.export`)."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from .bundle import verify_bundle
from .config import TrackingConfig
from .onnx_export import DETECTORS, ONNX_DIR, ExportError


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
