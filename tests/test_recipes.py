"""Recipes end to end with MLflow tracking to a local SQLite store."""

from __future__ import annotations

import json

import mlflow
import pytest

from convguard.baselines import ALLOWED_TYPES, BaselineModel, load_baselines
from convguard.config import load_config
from convguard.io import read_conversations
from convguard.recipes import run_recipe


def cfg(tiny_encoder, small_splits, tmp_path, recipe, *extra):
    detector = [] if recipe == "baseline" else [  # the baseline recipe reads no model/train section
        f"model.base={tiny_encoder}", "train.epochs=1", "train.batch_size=8", "model.max_length=64",
        "train.progress=false", "train.precision=fp32"]
    return load_config(None, [f"recipe={recipe}", f"data.train={small_splits['train']}",
                              f"data.validation={small_splits['validation']}", f"output_dir={tmp_path / recipe}",
                              f"tracking.mlruns_dir={tmp_path / 'mlruns'}", "tracking.experiment=test", *detector,
                              *extra],
                       kind="recipe")


def test_harm_recipe_logs_everything_and_registers_a_version(tiny_encoder, small_splits, tmp_path):
    summary = run_recipe(cfg(tiny_encoder, small_splits, tmp_path, "harm"))
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{tmp_path / 'mlruns' / 'mlflow.db'}")
    run = client.get_run(summary["run_id"])
    p = run.data.params
    assert p["recipe"] == "harm" and p["model.max_length"] == "64" and p["train.epochs"] == "1"
    assert len(p["data.train.sha256"]) == 64 and p["data.train.n"] == "40"
    m = run.data.metrics
    assert "final/val_pr_auc" in m and "val/pr_auc" in m and "final/train_seconds" in m
    assert run.data.tags["convguard.recipe"] == "harm"
    history = client.get_metric_history(run.info.run_id, "val/pr_auc")
    assert len(history) >= 1
    arts = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert {"config.resolved.yaml", "data_fingerprint.json", "history.json", "model", "plots"} <= arts
    model_files = {a.path for a in client.list_artifacts(run.info.run_id, "model")}
    assert {"model/model.safetensors", "model/config.json", "model/tokenizer.json"} <= model_files
    versions = client.search_model_versions("name='convguard-harm'")
    assert [v.run_id for v in versions] == [run.info.run_id]
    assert "NOT an MLflow model" in client.get_registered_model("convguard-harm").description
    fp = json.loads((tmp_path / "harm" / "summary.json").read_text())["data_fingerprint"]
    assert fp["train"]["terminate"] == {"1": 8, "0": 32}
    # the splits as MLflow dataset inputs, named and digested from the fingerprint
    inputs = {d.dataset.name: d for d in run.inputs.dataset_inputs}
    assert set(inputs) == {"train", "validation"}
    assert inputs["train"].dataset.digest == fp["train"]["sha256"][:16] == p["data.train.sha256"][:16]
    assert {t.key: t.value for t in inputs["validation"].tags}["mlflow.data.context"] == "validation"
    # the model card, written into the folder before it was logged
    assert "model/README.md" in model_files
    card = (tmp_path / "harm" / "model" / "README.md").read_text()
    assert fp["train"]["sha256"] in card and summary["run_id"] in card


def test_tracking_can_be_switched_off(tiny_encoder, small_splits, tmp_path):
    summary = run_recipe(cfg(tiny_encoder, small_splits, tmp_path, "crisis", "tracking.enabled=false"))
    assert summary["run_id"] is None
    assert not (tmp_path / "mlruns").exists()


def test_mlflow_tracking_uri_env_points_elsewhere(tiny_encoder, small_splits, tmp_path, monkeypatch):
    uri = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    monkeypatch.setenv("MLFLOW_TRACKING_URI", uri)
    monkeypatch.chdir(tmp_path)  # MLflow puts artifacts of a bare store under ./mlruns
    summary = run_recipe(cfg(tiny_encoder, small_splits, tmp_path, "baseline"))
    assert mlflow.MlflowClient(tracking_uri=uri).get_run(summary["run_id"]).data.tags["convguard.recipe"] == "baseline"


def test_baseline_saved_without_pickle_and_reloaded(small_splits, tmp_path):
    convs = read_conversations(small_splits["train"])[0]
    from convguard.config import BaselineConfig

    m = BaselineModel.train("terminate", convs, BaselineConfig(min_df=1))
    m.save(tmp_path / "b")
    loaded = load_baselines(tmp_path / "b")["terminate"]
    assert loaded.score(convs).tolist() == pytest.approx(m.score(convs).tolist())
    import skops.io as sio

    assert set(sio.get_untrusted_types(file=tmp_path / "b" / "terminate.skops")) <= ALLOWED_TYPES
    # the vocabulary is stored inline, not as one array file per term (which made loading slow)
    import zipfile

    n_files = len(zipfile.ZipFile(tmp_path / "b" / "terminate.skops").namelist())
    assert n_files < 20 < len(m.pipeline.steps[0][1].vocabulary_)


def test_baseline_file_with_a_foreign_type_is_refused(small_splits, tmp_path):
    import skops.io as sio
    from sklearn.ensemble import RandomForestClassifier

    (tmp_path / "b").mkdir()
    sio.dump(RandomForestClassifier(n_estimators=1), tmp_path / "b" / "terminate.skops")
    with pytest.raises(ValueError, match="refusing to load types outside the allow-list"):
        BaselineModel.load(tmp_path / "b", "terminate")
