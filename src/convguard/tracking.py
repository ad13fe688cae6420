"""MLflow tracking, on by default, to a local SQLite store (so the model registry works).

The store is ``sqlite:///<mlruns_dir>/mlflow.db`` with artifacts under ``<mlruns_dir>/artifacts``
unless ``MLFLOW_TRACKING_URI`` or the config's ``tracking.uri`` says otherwise.  Open it with::

    mlflow ui --backend-store-uri sqlite:///mlruns/mlflow.db

:class:`Tracker` is a thin wrapper that turns every call into a no-op when tracking is off, so
recipes never branch on it.  The evaluation jobs' run bookkeeping lives here too:
:func:`tracked_run` (the ``evaluate`` / ``sweep`` / ``replay`` run, its tags and its parent),
:func:`bundle_info`, :func:`metric_key`, and :func:`compare_runs` (``convguard compare``).

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
import hashlib
import json
import logging
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any, Iterator, Mapping, Sequence

from .config import TrackingConfig, flatten
from .metric_names import canonical_metrics, canonical_name
from .schema import Conversation

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

    def log_bundle_model(self, model: tuple[dict[str, Any], dict[str, Any]], model_name: str | None, *,
                         artifact_name: str = "bundle", description: str = "") -> dict[str, Any] | None:
        """Log a bundle's pyfunc model -- ``model``: :func:`convguard.export.pyfunc_model`'s
        ``(model_config, log_model keyword arguments)``, what ``convguard export --format mlflow``
        builds -- in the active run and register it as ``model_name`` (None: log only) with
        :data:`BUNDLE_ENTRY`.  Returns ``model_uri``, ``model_config`` and, when registered,
        ``name``, ``version``, ``uri``."""
        if not self.enabled:
            return None
        import mlflow

        config, kwargs = model
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


# ------------------------------------------------------------------------------------------
# evaluation runs: bookkeeping
# ------------------------------------------------------------------------------------------

def metric_key(name: str) -> str:
    """MLflow-safe metric key fragment."""
    from .metrics import _metric_key

    return _metric_key(name)


def bundle_info(bundle_dir: str | Path) -> dict[str, Any]:
    """Path, manifest hash (``sha``: sha256 of manifest.json) and training run ids of a bundle."""
    root = Path(bundle_dir)
    mpath = root / "manifest.json"
    info: dict[str, Any] = {"path": str(root.resolve()), "sha": None, "quickstart_run": None, "training_runs": None}
    if mpath.exists():
        raw = mpath.read_bytes()
        info["sha"] = hashlib.sha256(raw).hexdigest()
        try:
            m = json.loads(raw)
            info["quickstart_run"] = m.get("quickstart_run")
            info["training_runs"] = m.get("training_runs")
        except ValueError:
            pass
    return info


def _run_exists(run_id: str) -> bool:
    import mlflow

    try:
        mlflow.MlflowClient().get_run(run_id)
        return True
    except Exception:  # noqa: BLE001 - MlflowException for unknown ids, anything else: treat as absent
        return False


@contextlib.contextmanager
def tracked_run(tracker, job: str, bundle_dirs: Sequence[str | Path], *, data_name: str = "data",
                convs: Sequence[Conversation] | None = None, run_name: str | None = None) -> Iterator[str | None]:
    """An MLflow run for an evaluation job (``job`` = evaluate | sweep | replay), or nothing when
    ``tracker`` is None/disabled (yields None).

    Tags: ``convguard.job``, ``convguard.bundle`` / ``convguard.bundle_sha`` (sha256 of the first
    bundle's manifest.json; all bundles in ``convguard.bundles``), ``convguard.data`` /
    ``convguard.data_sha256``, ``convguard.training_run`` (the bundle's ``quickstart_run``) and
    ``convguard.training_runs``; the data (``convs``) is also the run's MLflow dataset input
    ``data_name``, context ``job`` (:meth:`Tracker.log_data`).  Inside an active run (e.g. the
    quickstart's) the run is nested under it; otherwise it is nested under the bundle's
    ``quickstart_run`` when that run exists in the same store."""
    if tracker is None or not getattr(tracker, "enabled", False):
        yield None
        return
    import mlflow

    infos = [bundle_info(b) for b in bundle_dirs]
    first = infos[0]
    tags = {"convguard.job": job, "convguard.bundle": first["path"], "convguard.bundle_sha": first["sha"] or "",
            "convguard.data": data_name}
    if len(infos) > 1:
        tags["convguard.bundles"] = json.dumps([{"path": i["path"], "sha": i["sha"]} for i in infos])
    fp = None
    if convs is not None:
        from .dataset import fingerprint

        fp = fingerprint(list(convs))
        tags["convguard.data_sha256"] = fp["sha256"]
    if first["quickstart_run"]:
        tags["convguard.training_run"] = first["quickstart_run"]
    if first["training_runs"]:
        tags["convguard.training_runs"] = json.dumps(first["training_runs"])
    active = mlflow.active_run() is not None
    parent = None
    if not active and first["quickstart_run"] and _run_exists(first["quickstart_run"]):
        parent = first["quickstart_run"]
    with tracker.run(run_name or job, nested=active, tags=tags, parent_run_id=parent):
        if fp is not None:  # the data as an MLflow dataset input (Tracker.log_data), context: the job
            tracker.log_data(fp, data_name, job)
        yield tracker.run_id


# ------------------------------------------------------------------------------------------
# comparing runs
# ------------------------------------------------------------------------------------------

#: the columns ``convguard compare`` shows by default (names: :mod:`convguard.metric_names`)
DEFAULT_COMPARE_METRICS = ("term_precision", "term_recall", "term_f1", "benign_ftr", "benign_crisis_rate",
                           "term_pr_auc", "crisis_recall", "crisis_routed", "crisis_ended", "chosen_term_precision",
                           "chosen_term_recall", "chosen_benign_ftr", "replay_n_premature", "replay_n_late",
                           "replay_n_missed", "replay_crisis_ended")
JOBS = ("evaluate", "sweep", "replay")


def compare_runs(tracking_uri: str, experiment: str = "convguard", run_ids: Sequence[str] | None = None,
                 last: int = 10, metrics: Sequence[str] | None = None, jobs: Sequence[str] = JOBS):
    """A pandas DataFrame with one row per MLflow run: ``run_id``, ``run_name``, ``job``,
    ``start_time``, ``bundle_sha``, ``data``, ``threshold_terminate``, ``threshold_crisis``,
    ``min_refused_pushes``, ``min_pushes``, then the metric columns (``metrics`` or the
    :data:`DEFAULT_COMPARE_METRICS` that any run has).  Metric names are those of
    :mod:`convguard.metric_names`; a name an older version used (``chosen_fpr``,
    ``fig_crisis_false_alarm``), asked for or found in a run, reads as the current one.

    ``run_ids`` (full ids or unique prefixes of runs in ``experiment``) picks runs, in that
    order; otherwise the ``last`` most recent runs of ``experiment`` whose ``convguard.job`` tag is
    in ``jobs``.  Reads through an :class:`mlflow.MlflowClient` on ``tracking_uri`` only (the
    global tracking URI is left alone)."""
    import datetime as dt

    import mlflow
    import pandas as pd

    client = mlflow.MlflowClient(tracking_uri=tracking_uri)
    exp = client.get_experiment_by_name(experiment)

    def search(filter_string: str = "", max_results: int = 5000) -> list:
        if exp is None:
            return []
        return list(client.search_runs([exp.experiment_id], filter_string=filter_string,
                                       order_by=["attributes.start_time DESC"], max_results=max_results))

    if run_ids:
        picked = []
        pool = None
        for r in run_ids:
            if len(r) == 32:
                try:
                    picked.append(client.get_run(r))
                    continue
                except mlflow.exceptions.MlflowException:
                    raise ValueError(f"run {r} not found at {tracking_uri}") from None
            pool = search() if pool is None else pool
            hits = [x for x in pool if x.info.run_id.startswith(r)]
            if len(hits) != 1:
                raise ValueError(f"run id prefix {r!r} matches {len(hits)} runs in experiment {experiment!r}")
            picked.append(hits[0])
        found = picked
    else:
        if exp is None:
            raise ValueError(f"experiment {experiment!r} not found at {tracking_uri}")
        found = [r for r in search() if r.data.tags.get("convguard.job") in jobs][:last]

    def num(v: Any) -> float | None:
        try:
            return float(v)
        except (TypeError, ValueError):
            return None

    rows = []
    for r in found:
        t, p, m = r.data.tags, r.data.params, r.data.metrics
        rows.append({
            "run_id": r.info.run_id, "run_name": t.get("mlflow.runName", r.info.run_name),
            "job": t.get("convguard.job"),
            "start_time": dt.datetime.fromtimestamp(r.info.start_time / 1000).strftime("%Y-%m-%d %H:%M")
            if r.info.start_time else None,
            "bundle_sha": (t.get("convguard.bundle_sha") or "")[:12] or None, "data": t.get("convguard.data"),
            "threshold_terminate": num(p.get("thresholds.terminate")),
            "threshold_crisis": num(p.get("thresholds.crisis")),
            "min_refused_pushes": num(p.get("rules.min_refused_pushes")),
            "min_pushes": num(p.get("rules.min_pushes")),
            "_metrics": canonical_metrics(m),  # a run made by an older version: its keys renamed
        })
    names = list(dict.fromkeys(canonical_name(k) for k in metrics)) if metrics else [k for k in DEFAULT_COMPARE_METRICS if any(k in r["_metrics"] for r in rows)]
    for r in rows:
        m = r.pop("_metrics")
        for k in names:
            r[k] = m.get(k)
    return pd.DataFrame(rows, columns=list(COMPARE_COLUMNS) + names)


#: the columns of :func:`compare_runs` before its metric columns
COMPARE_COLUMNS = ("run_id", "run_name", "job", "start_time", "bundle_sha", "data", "threshold_terminate",
                   "threshold_crisis", "min_refused_pushes", "min_pushes")
#: the rows of :func:`spread_table`, per data set
SPREAD_STATS = ("mean", "sd", "min", "max")


def spread_table(df, by: str = "data"):
    """The spread of every metric column of ``df`` (a :func:`compare_runs` table) over its runs,
    per value of ``by`` (the data set an evaluation read): one row per :data:`SPREAD_STATS` entry
    with ``n``, the runs that have the figure -- the sample standard deviation (n - 1) is NaN for
    one run.  For the same job run under several training seeds (``convguard quickstart seed=K``
    logs an evaluate run per data set): one seed's figures on the challenge set move more than most
    changes do (docs/BENCHMARKS.md, runs D-F), so a change is judged on this table, not on one run."""
    import pandas as pd

    metrics = [c for c in df.columns if c not in COMPARE_COLUMNS]
    if by not in df.columns:
        df = df.assign(**{by: None})
    rows = []
    for key, g in df.groupby(by, dropna=False, sort=False):
        vals = g[metrics].apply(pd.to_numeric, errors="coerce")
        n = int(vals.notna().any(axis=1).sum())
        figs = {"mean": vals.mean(), "sd": vals.std(ddof=1), "min": vals.min(), "max": vals.max()}
        rows += [{by: key, "stat": stat, "n": n, **figs[stat].to_dict()} for stat in SPREAD_STATS]
    return pd.DataFrame(rows, columns=[by, "stat", "n"] + metrics)


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
