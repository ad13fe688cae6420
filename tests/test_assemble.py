"""`convguard bundle`: any training run's detectors -> thresholds chosen on validation -> a bundle
that `Guard.load` serves with the same decisions as the quickstart's path (convguard.assemble)."""

from __future__ import annotations

import json

import pytest

from convguard.cli import main


def test_bundle_command_matches_the_quickstart_path(tiny_bundle, tmp_path, capsys):
    from convguard.assemble import assemble_bundle
    from convguard.config import BundleConfig
    from convguard.guard import Guard
    from convguard.io import read_conversations

    root = tiny_bundle.parent  # the tiny detectors' training runs and data (conftest.build_tiny_bundle)
    rc = main(["bundle", "--harm", str(root / "runs" / "harm"), "--crisis", str(root / "runs" / "crisis" / "model"),
               "--baselines", str(root / "runs" / "baseline"), "--validation", str(root / "validation.jsonl"),
               "--out", str(tmp_path / "cli"), "tracking.enabled=false", "thresholds.max_fpr=0.05"])
    assert rc == 0, capsys.readouterr().err
    printed = json.loads(capsys.readouterr().out)
    assert printed["bundle"] == str(tmp_path / "cli") and 0.0 <= printed["thresholds"]["terminate"] <= 1.0

    # the quickstart's path (convguard.assemble.assemble_bundle) on the same detectors and config
    cfg = BundleConfig(thresholds=BundleConfig().thresholds)
    cfg.thresholds.max_fpr = 0.05
    validation, _ = read_conversations(root / "validation.jsonl")
    policy = assemble_bundle(tmp_path / "direct", harm_dir=root / "runs" / "harm" / "model",
                             crisis_dir=root / "runs" / "crisis" / "model",
                             baselines_dir=root / "runs" / "baseline" / "baselines", validation=validation,
                             thresholds=cfg.thresholds, rules=cfg.rules, progress=False)
    cli, direct = Guard.load(tmp_path / "cli", require_user_last=False), Guard.load(tmp_path / "direct", require_user_last=False)
    assert cli.policy.thresholds == direct.policy.thresholds == policy.thresholds
    assert cli.policy.temperature == direct.policy.temperature
    sel = cli.policy.selection
    assert sel["data"]["n_rows"] >= len(validation) and "terminate" in sel and "crisis" in sel
    assert set(sel["baselines"]) == {"tfidf_baseline"}
    # how far the termination threshold moves on redrawn validation conversations, recorded with it
    spread = sel["terminate_spread"]
    assert spread["q05"] <= spread["median"] <= spread["q95"] and spread["chosen"] == cli.policy.thresholds.terminate
    assert spread["n_boot"] == 100 and isinstance(spread["unstable"], bool)
    test, _ = read_conversations(root / "test.jsonl")
    msgs = [c.messages for c in test]
    assert [d.action for d in cli.check_many(msgs)] == [d.action for d in direct.check_many(msgs)]
    manifest = json.loads((tmp_path / "cli" / "manifest.json").read_text())
    assert manifest["sources"]["validation"] == str(root / "validation.jsonl") and manifest["scoring"]["precision"]


def test_bundle_command_names_what_is_missing(tiny_bundle, tmp_path, capsys):
    root = tiny_bundle.parent
    assert main(["bundle", "--crisis", str(root / "runs" / "crisis"), "--validation", str(root / "validation.jsonl"),
                 "--out", str(tmp_path / "b"), "tracking.enabled=false"]) == 2
    assert "harm: required" in capsys.readouterr().err
    assert main(["bundle", "--harm", str(tmp_path), "--crisis", str(root / "runs" / "crisis"),
                 "--validation", str(root / "validation.jsonl"), "--out", str(tmp_path / "b"),
                 "tracking.enabled=false"]) == 2
    err = capsys.readouterr().err
    assert f"harm: {tmp_path} holds no config.json + model.safetensors" in err
    assert main(["bundle", "--harm", str(root / "runs" / "harm"), "--crisis", str(root / "runs" / "crisis"),
                 "--out", str(tmp_path / "b"), "tracking.enabled=false"]) == 2
    assert "validation: required" in capsys.readouterr().err
    assert not (tmp_path / "b").exists()
