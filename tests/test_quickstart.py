"""The main job end to end."""

from __future__ import annotations

import json

import mlflow
import pandas as pd
import pytest

from pathlib import Path

from convguard.cli import main
from convguard.guard import Guard

from config_reads import all_keys, quickstart_reads

CHALLENGE = Path(__file__).resolve().parents[1] / "data" / "challenge"

#: keys the tiny run below cannot reach, each read on another path (named beside it)
NOT_READ_IN_THIS_RUN = {
    "harm.model.context_swap",  # re-reads turns: only the turns view; config validation refuses it elsewhere
    "thresholds.min_precision",  # the target of terminate_strategy max_recall_at_precision (test_thresholds)
}


def _assert_quickstart_outputs(out, mlruns):
    bundle = out / "bundle"
    manifest = json.loads((bundle / "manifest.json").read_text())
    assert {"harm/model.safetensors", "crisis/model.safetensors", "policy.yaml"} <= set(manifest["files"])
    assert manifest["data_fingerprint"]["n"] > 0 and "test_term_f1" in manifest["metrics"]
    guard = Guard.load(bundle)
    assert guard.policy.selection["terminate"]["strategy"] == "max_recall_at_fpr"
    assert guard.policy.selection["data"]["split"] == "validation"
    # the evidence threshold: thresholds.evidence as given (evidence_candidates is opt-in)
    assert "evidence" not in guard.policy.selection and guard.policy.thresholds.evidence == 0.5
    summary = (out / "summary.txt").read_text()
    assert "convguard" in summary and "tfidf_baseline" in summary and "crisis ended" in summary
    assert (out / "eval" / "test" / "report.md").exists()
    # the hand-written challenge set, evaluated beside test, with the behavioural tests
    assert (out / "eval" / "challenge" / "report.md").exists()
    assert (out / "eval" / "challenge" / "checklist" / "checklist.md").exists()
    assert "hand-written challenge set" in summary and "behavioural tests" in summary and "benign->CS" in summary
    assert "challenge_term_f1" in manifest["metrics"] or "challenge_crisis_recall" in manifest["metrics"]
    # crisis threshold under the false-alarm budget, temperatures fitted first
    crisis_sel = guard.policy.selection["crisis"]
    assert crisis_sel["achieved"]["bound"] in ("false_alarm_budget", "recall_target")
    assert set(guard.policy.temperature) == {"terminate", "crisis"}
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{mlruns / 'mlflow.db'}")
    exp = client.get_experiment_by_name("convguard")
    runs = client.search_runs([exp.experiment_id])
    names = sorted(r.info.run_name for r in runs)
    assert {"quickstart", "train-harm", "train-crisis", "train-baseline"} <= set(names)
    parent = next(r for r in runs if r.info.run_name == "quickstart")
    children = [r for r in runs if r.data.tags.get("mlflow.parentRunId") == parent.info.run_id]
    assert len(children) >= 4  # three trainings and the evaluation
    # the registered bundle is the pyfunc model: it loads and predicts (tests/test_registry.py has the rest)
    (version,) = client.search_model_versions("name='convguard-bundle'")
    mlflow.set_tracking_uri(f"sqlite:///{mlruns / 'mlflow.db'}")
    df = mlflow.pyfunc.load_model(f"models:/convguard-bundle/{version.version}").predict(
        pd.DataFrame({"messages": [[{"role": "user", "content": "hello"}]]}))
    assert df["action"][0] == guard.check([{"role": "user", "content": "hello"}]).action
    # the data as dataset inputs: the splits on the quickstart run, each evaluation's on its own run
    inputs = {d.dataset.name: d.dataset for d in client.get_run(parent.info.run_id).inputs.dataset_inputs}
    assert set(inputs) == {"train", "validation", "test", "challenge"}
    assert inputs["train"].digest == manifest["data_fingerprint"]["sha256"][:16]
    evaluations = [r for r in children if r.data.tags.get("convguard.job") == "evaluate"]
    assert {d.dataset.name for r in evaluations for d in client.get_run(r.info.run_id).inputs.dataset_inputs} == {
        "test", "challenge"}
    assert (bundle / "README.md").exists() and "test_term_f1" in (bundle / "README.md").read_text()
    return guard


def test_quickstart_on_a_tiny_encoder(tiny_encoder, tmp_path, monkeypatch):
    """The whole job in seconds: generated corpus (small), tiny encoder, real pipeline."""
    monkeypatch.chdir(tmp_path)
    over = ["data.generate.n=160", "n_boot=50", f"tracking.mlruns_dir={tmp_path / 'mlruns'}", f"challenge={CHALLENGE}"]
    for r in ("harm", "crisis"):
        over += [f"{r}.model.base={tiny_encoder}", f"{r}.model.max_length=64", f"{r}.model.freeze_layers=1",
                 f"{r}.train.epochs=1", f"{r}.train.progress=false", f"{r}.train.precision=fp32"]
    over.append("precision=fp32")  # tiny random models: fp32 (bf16 rounding hides their signal)
    over.append("rules.crisis_backup=true")  # off by default; this keeps its path tested
    import convguard.quickstart as qs_module

    seen: dict = {}
    run = qs_module.run_quickstart

    def recorded(cfg):
        with quickstart_reads(cfg) as keys:
            seen["cfg"] = cfg
            try:
                return run(cfg)
            finally:
                seen["keys"] = keys
    monkeypatch.setattr(qs_module, "run_quickstart", recorded)
    assert main(["quickstart", "--out", str(tmp_path / "qs"), *over]) == 0
    # configs/quickstart.yaml (= these defaults, test_config) holds no key the run ignores
    unread = all_keys(seen["cfg"]) - seen["keys"] - NOT_READ_IN_THIS_RUN
    assert not unread, f"keys of the quickstart config that the run never read: {sorted(unread)}"
    guard = _assert_quickstart_outputs(tmp_path / "qs", tmp_path / "mlruns")
    # the TF-IDF crisis baseline, at the threshold chosen for it on validation, is the backup signal
    assert guard.policy.rules.crisis_backup_threshold == pytest.approx(
        guard.policy.selection["baselines"]["tfidf_baseline"]["crisis"])
    assert "crisis_backup" in guard.check([{"role": "user", "content": "hello"}]).scores
    d = guard.check([{"role": "user", "content": "hello"}])
    assert d.action in ("continue", "end_conversation", "crisis_support") and d.evidence["trigger"]


@pytest.mark.slow
@pytest.mark.timeout(2400)
def test_quickstart_with_the_embedded_encoder(tmp_path, monkeypatch, capsys):
    """The README's main command on the real embedded MiniLM, at a reduced size: the fine-tuned
    detectors learn the task (well above chance on held-out families) and no crisis chat is ended.
    (At 600 conversations the per-turn crisis detector has too few crisis turns to tell them from
    violent requests and flags most termination-worthy chats; 1,200 is about the smallest corpus
    the recipe is meant for -- docs/BENCHMARKS.md.)"""
    monkeypatch.chdir(tmp_path)
    over = ["data.generate.n=1200", "n_boot=100", f"tracking.mlruns_dir={tmp_path / 'mlruns'}", f"challenge={CHALLENGE}",
            "harm.sampling.max_train_examples=1500",
            "harm.train.progress=false", "crisis.train.progress=false"]
    assert main(["quickstart", "--out", str(tmp_path / "qs"), *over]) == 0
    _assert_quickstart_outputs(tmp_path / "qs", tmp_path / "mlruns")
    check_small_quickstart(tmp_path / "qs")


def check_small_quickstart(qs):
    """What the recipe guarantees at 1,200 conversations (measured, docs/BENCHMARKS.md): the
    detectors learn termination and no generated crisis chat is ended; on the hand-written
    challenge set ends stay precise and the structural rule holds.  Crisis recall is low at this
    size (0.41 on test at the budget-bound threshold, 0.24 before generator 1.3; no challenge crisis
    chat ended since the crisis-response hold, one before it), so it is asserted only above a
    floor: the full quickstart's figures are the reference."""
    report = json.loads((qs / "test_report.json").read_text())
    main_rep = report["convguard"]
    assert main_rep["termination"]["pr_auc"]["value"] > 0.6
    assert main_rep["crisis"]["crisis_support_rate"] > 0.15
    assert main_rep["crisis"]["n_crisis_ended"] == 0
    assert main_rep["benign_crisis_rate"] <= 0.05
    challenge = json.loads((qs / "challenge_report.json").read_text())["convguard"]
    assert challenge["termination"]["precision"]["value"] >= 0.85
    assert challenge["termination"]["fpr"]["value"] <= 0.03
    checks = json.loads((qs / "eval" / "challenge" / "checklist" / "checklist.json").read_text())
    # replacing the refusals with answers prevents the ends, on text no template produced (at this
    # size, generator 1.5: 0.973, 4 of 148 -- the smaller detector reads one of the stock answers
    # as a refusal in those chats; the full quickstart 0.99)
    assert checks["checks"]["dir_no_refusals_no_end"]["pass_rate"] >= 0.97
