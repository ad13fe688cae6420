"""MLflow tracking, on by default, to a local SQLite store (so the model registry works).

The store is ``sqlite:///<mlruns_dir>/mlflow.db`` with artifacts under ``<mlruns_dir>/artifacts``
unless ``MLFLOW_TRACKING_URI`` or the config's ``tracking.uri`` says otherwise.  Open it with::

    mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db

:class:`Tracker` is a thin wrapper that turns every call into a no-op when tracking is off, so
recipes never branch on it.

The registry holds three kinds of entry (the registered model's description says the same):

``convguard-bundle`` (``tracking.register_as``; :meth:`Tracker.log_bundle_model`)
    The bundle as the MLflow pyfunc model ``convguard export --format mlflow`` builds
    (:mod:`convguard.pyfunc`): ``mlflow.pyfunc.load_model("models:/convguard-bundle/1")``
    predicts decisions for a DataFrame with a ``messages`` column; ``convguard serve -m
    models:/convguard-bundle/1`` serves it.  ``export --format mlflow`` registers the same kind
    of model as ``convguard-guard`` (its default ``--register-as``).
``convguard-harm``, ``convguard-crisis`` (:meth:`Tracker.register_detector`)
    A detector folder as plain run artifacts -- not an MLflow model, and ``pyfunc.load_model``
    refuses it: a detector alone scores and decides nothing, and what takes it is ``convguard
    bundle --harm/--crisis DIR`` or :class:`convguard.guard.Detector`.  Download it with
    ``mlflow.artifacts.download_artifacts("models:/convguard-harm/1")``.

Datasets: :meth:`Tracker.log_data` logs each split a run reads as an MLflow dataset input
(``mlflow.log_input``) named after the split, its digest the first 16 hex digits of
:func:`convguard.dataset.fingerprint`'s sha256 (the full one in the input's tag
``convguard.sha256``), its profile the label counts; only the metadata is logged, never a copy
of the data.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, Iterator, Mapping

from .config import TrackingConfig, flatten

log = logging.getLogger(__name__)

#: the description of a registered bundle model (``{name}``: the registered name)
BUNDLE_ENTRY = """convguard bundle as an MLflow pyfunc model (convguard.pyfunc, logged as models from code: no \
pickles; the bundle is its artifact 'bundle', hashes verified at load).
Load and predict:
    import mlflow, pandas as pd
    model = mlflow.pyfunc.load_model("models:/{name}/VERSION")
    model.predict(pd.DataFrame({{"messages": [[{{"role": "user", "content": "..."}}]]}}))
    # one row per conversation: action, terminate, crisis, harm_category, harm_category_prob, persistence,
    # reason, message, evidence
Serve: MLFLOW_TRACKING_URI=<this store> convguard serve -m models:/{name}/VERSION
The bundle folder itself: mlflow.artifacts.download_artifacts("models:/{name}/VERSION") + "/artifacts/bundle" \
(convguard.Guard.load, convguard push --bundle)."""

#: the description of a registered detector folder (``{name}``, ``{recipe}``: harm | crisis)
DETECTOR_ENTRY = """convguard {recipe} detector: a Hugging Face save_pretrained folder (model.safetensors; config.json \
with id2label and its 'convguard' section: heads and input encoding; tokenizer; README.md model card), logged as plain \
run artifacts. NOT an MLflow model: mlflow.pyfunc.load_model cannot load it -- a detector alone scores and decides \
nothing (the loadable model is the bundle's, convguard-bundle) -- and a transformers text-classification pipeline \
would feed it the wrong input format and activation.
Load:
    path = mlflow.artifacts.download_artifacts("models:/{name}/VERSION")
    convguard bundle --{recipe} PATH ...       # a bundle from it, thresholds chosen on validation
    from convguard.guard import Detector, TorchBackend
    detector = Detector(Path(path), TorchBackend(Path(path)))   # scores, with convguard's encoding and pooling"""


def resolve_uri(cfg: TrackingConfig) -> tuple[str, str | None]:
    """(tracking URI, artifact root for new experiments or None to let MLflow decide)."""
    if cfg.uri:
        return cfg.uri, None
    env = os.environ.get("MLFLOW_TRACKING_URI")
    if env:
        return env, None
    root = Path(cfg.mlruns_dir).resolve()
    root.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{root / 'mlflow.db'}", (root / "artifacts").as_uri()


class Tracker:
    def __init__(self, cfg: TrackingConfig):
        self.cfg = cfg
        self.enabled = cfg.enabled
        self.run_id: str | None = None
        self.uri: str | None = None
        if self.enabled:
            import mlflow

            os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
            self.uri, artifact_root = resolve_uri(cfg)
            env_before = os.environ.get("MLFLOW_TRACKING_URI")
            mlflow.set_tracking_uri(self.uri)
            # set_tracking_uri also exports MLFLOW_TRACKING_URI; undo that so a later Tracker in
            # this process resolves its own store instead of inheriting this one
            if env_before is None:
                os.environ.pop("MLFLOW_TRACKING_URI", None)
            else:
                os.environ["MLFLOW_TRACKING_URI"] = env_before
            client = mlflow.MlflowClient()
            exp = client.get_experiment_by_name(cfg.experiment)
            if exp is None:
                client.create_experiment(cfg.experiment, artifact_location=artifact_root)
            mlflow.set_experiment(cfg.experiment)

    @contextlib.contextmanager
    def run(self, name: str | None = None, *, nested: bool = False, tags: Mapping[str, str] | None = None,
            parent_run_id: str | None = None) -> Iterator["Tracker"]:
        if not self.enabled:
            yield self
            return
        import mlflow

        all_tags = dict(tags or {})
        if parent_run_id:
            all_tags["mlflow.parentRunId"] = parent_run_id
        with mlflow.start_run(run_name=name or self.cfg.run_name, nested=nested, tags=all_tags) as r:
            prev, self.run_id = self.run_id, r.info.run_id
            try:
                yield self
            finally:
                self.run_id = prev

    # -- logging ---------------------------------------------------------------------------------
    def log_params(self, params: Mapping[str, Any]) -> None:
        if not self.enabled:
            return
        import mlflow

        flat = {k: ("null" if v is None else str(v))[:6000] for k, v in flatten(dict(params)).items()}
        items = list(flat.items())
        for i in range(0, len(items), 90):
            mlflow.log_params(dict(items[i: i + 90]))

    def log_metrics(self, metrics: Mapping[str, float], step: int | None = None) -> None:
        if not self.enabled:
            return
        import math

        import mlflow

        clean = {k.replace("@", "_at_"): float(v) for k, v in metrics.items()
                 if isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(float(v))}
        if clean:
            mlflow.log_metrics(clean, step=step)

    def set_tags(self, tags: Mapping[str, Any]) -> None:
        if self.enabled:
            import mlflow

            mlflow.set_tags({k: str(v) for k, v in tags.items()})

    def log_dict(self, obj: Any, name: str) -> None:
        if self.enabled:
            import mlflow

            mlflow.log_dict(obj, name)

    def log_text(self, text: str, name: str) -> None:
        if self.enabled:
            import mlflow

            mlflow.log_text(text, name)

    def log_artifact(self, path: str | Path, artifact_path: str | None = None) -> None:
        if not self.enabled:
            return
        import mlflow

        p = Path(path)
        if p.is_dir():
            mlflow.log_artifacts(str(p), artifact_path=artifact_path)
        elif p.exists():
            mlflow.log_artifact(str(p), artifact_path=artifact_path)

    def register_folder(self, folder: str | Path, artifact_path: str, model_name: str | None,
                        description: str = "", model_description: str = "") -> dict[str, Any] | None:
        """Log ``folder`` as run artifacts and register it as a new version of ``model_name``
        (``description``: the version's; ``model_description``: the registered model's, kept
        current on every registration).

        The registered source is the run's artifact URI of the folder; MLflow's registry only
        records where it lives: this is no MLflow model (see :meth:`register_detector`)."""
        if not self.enabled:
            return None
        import mlflow

        self.log_artifact(folder, artifact_path)
        if not model_name:
            return None
        client = mlflow.MlflowClient()
        try:
            client.get_registered_model(model_name)
        except mlflow.exceptions.MlflowException:
            client.create_registered_model(model_name)
        source = f"{mlflow.get_artifact_uri()}/{artifact_path}"
        mv = client.create_model_version(model_name, source=source, run_id=self.run_id)
        self._describe(model_name, mv.version, model_description, description)
        log.info("registered %s version %s", model_name, mv.version)
        return {"name": model_name, "version": mv.version, "source": source,
                "uri": f"models:/{model_name}/{mv.version}"}

    def register_detector(self, folder: str | Path, recipe: str, model_name: str | None,
                          description: str = "") -> dict[str, Any] | None:
        """A trained detector folder (``recipe``: harm | crisis) as the run's ``model`` artifacts,
        registered as ``model_name`` with :data:`DETECTOR_ENTRY` (what it is, how to load it)."""
        return self.register_folder(folder, "model", model_name, description=description,
                                    model_description=DETECTOR_ENTRY.format(name=model_name, recipe=recipe))

    def log_bundle_model(self, bundle_dir: str | Path, model_name: str | None, *, artifact_name: str = "bundle",
                         description: str = "", backend: str = "auto",
                         onnx_variant: str = "fp32") -> dict[str, Any] | None:
        """Log the bundle as its pyfunc model (:func:`convguard.export.pyfunc_model`, what
        ``convguard export --format mlflow`` builds) in the active run and register it as
        ``model_name`` (None: log only) with :data:`BUNDLE_ENTRY`.  Returns ``model_uri``,
        ``model_config`` and, when registered, ``name``, ``version``, ``uri``."""
        if not self.enabled:
            return None
        import mlflow

        from .export import pyfunc_model

        config, kwargs = pyfunc_model(bundle_dir, backend=backend, onnx_variant=onnx_variant)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            info = mlflow.pyfunc.log_model(name=artifact_name, registered_model_name=model_name or None, **kwargs)
        out: dict[str, Any] = {"model_uri": info.model_uri, "model_config": config}
        if model_name:
            version = info.registered_model_version
            self._describe(model_name, version, BUNDLE_ENTRY.format(name=model_name), description)
            log.info("registered %s version %s (pyfunc)", model_name, version)
            out.update({"name": model_name, "version": version, "uri": f"models:/{model_name}/{version}"})
        return out

    def _describe(self, model_name: str, version: Any, model_description: str, description: str) -> None:
        import mlflow

        client = mlflow.MlflowClient()
        if model_description:
            client.update_registered_model(model_name, description=model_description)
        if description:
            client.update_model_version(model_name, str(version), description=description)

    def log_data(self, fp: Mapping[str, Any], name: str, context: str, source: str | Path | None = None) -> None:
        """Log a dataset this run reads as an MLflow input (:func:`data_input`; ``context``:
        train / validation / test, or the evaluation job); ``fp``: its
        :func:`convguard.dataset.fingerprint`."""
        if not self.enabled:
            return
        import mlflow

        mlflow.log_input(data_input(fp, name=name, source=source), context=context,
                         tags={"convguard.sha256": str(fp["sha256"])})

    def log_json_artifact(self, obj: Any, name: str) -> None:
        if not self.enabled:
            return
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / name
            p.write_text(json.dumps(obj, indent=2, default=str), encoding="utf-8")
            self.log_artifact(p)


def data_input(fp: Mapping[str, Any], *, name: str, source: str | Path | None = None):
    """An ``mlflow.data`` dataset for data fingerprinted as ``fp``: digest = the first 16 hex
    digits of its sha256, profile = ``n`` and the label counts, source = the local file or folder
    (``source`` when it exists) or a code source naming ``source`` / ``name``.  Metadata only
    (``MetaDataset``): nothing is loaded or copied."""
    from mlflow.data.code_dataset_source import CodeDatasetSource
    from mlflow.data.sources import LocalArtifactDatasetSource

    if source is not None and Path(str(source)).exists():
        src = LocalArtifactDatasetSource(str(Path(str(source)).resolve()))
    else:
        src = CodeDatasetSource({"convguard.data": str(source if source is not None else name)})
    profile = {k: fp[k] for k in ("n", "terminate", "crisis", "group") if k in fp}
    return _fingerprinted_dataset()(src, name=name, digest=str(fp["sha256"])[:16], profile=profile)


_DATASET_CLASS = None


def _fingerprinted_dataset():
    """A ``MetaDataset`` with a profile (MLflow's has none); defined on first use, so importing
    convguard does not import MLflow."""
    global _DATASET_CLASS
    if _DATASET_CLASS is None:
        from mlflow.data.meta_dataset import MetaDataset

        class FingerprintedDataset(MetaDataset):
            def __init__(self, source, *, name: str, digest: str, profile: Mapping[str, Any]):
                self._profile = json.dumps(dict(profile), sort_keys=True, default=str)
                super().__init__(source=source, name=name, digest=digest)

            @property
            def profile(self) -> str:
                return self._profile

            def to_dict(self) -> dict[str, str]:
                return {**super().to_dict(), "profile": self._profile}

        _DATASET_CLASS = FingerprintedDataset
    return _DATASET_CLASS
