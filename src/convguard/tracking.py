"""MLflow tracking, on by default, to a local SQLite store (so the model registry works).

The store is ``sqlite:///<mlruns_dir>/mlflow.db`` with artifacts under ``<mlruns_dir>/artifacts``
unless ``MLFLOW_TRACKING_URI`` or the config's ``tracking.uri`` says otherwise.  Open it with::

    mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db

:class:`Tracker` is a thin wrapper that turns every call into a no-op when tracking is off, so
recipes never branch on it.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import tempfile
from pathlib import Path
from typing import Any, Iterator, Mapping

from .config import TrackingConfig, flatten

log = logging.getLogger(__name__)


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
                        description: str = "") -> dict[str, Any] | None:
        """Log ``folder`` as run artifacts and register it as a new version of ``model_name``.

        The registered source is the run's artifact URI of the folder (a plain Hugging Face
        folder, or a bundle); MLflow's registry only records where it lives."""
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
            client.create_registered_model(model_name, description=description or None)
        source = f"{mlflow.get_artifact_uri()}/{artifact_path}"
        mv = client.create_model_version(model_name, source=source, run_id=self.run_id, description=description or None)
        log.info("registered %s version %s", model_name, mv.version)
        return {"name": model_name, "version": mv.version, "source": source}

    def log_json_artifact(self, obj: Any, name: str) -> None:
        if not self.enabled:
            return
        with tempfile.TemporaryDirectory() as d:
            p = Path(d) / name
            p.write_text(json.dumps(obj, indent=2, default=str), encoding="utf-8")
            self.log_artifact(p)
