"""The console script: data commands, config show, train, predict (schema and crisis override)."""

from __future__ import annotations

import json
import shutil

import pytest

from convguard.bundle import write_manifest
from convguard.cli import main
from convguard.policy import Policy, Thresholds


def test_data_validate_reports_file_line_and_field(tmp_path, capsys):
    p = tmp_path / "bad.jsonl"
    p.write_text('{"id": "a", "messages": [{"role": "user", "content": "hi"}]}\n'
                 '{"id": "b", "messages": [{"role": "bot", "content": "hi"}]}\n'
                 'not json\n')
    assert main(["data", "validate", str(p)]) == 2
    err = capsys.readouterr().err
    assert f"{p}:2" in err and "messages[0].role" in err and "unknown role 'bot'" in err
    assert main(["data", "validate", str(p), "--skip-invalid"]) == 1
    out = capsys.readouterr().out
    assert "1 conversations read, 2 invalid skipped" in out and f"{p}:3" in out
    assert main(["data", "validate", str(p), "--skip-invalid", "--allow-skipped"]) == 0


def test_data_stats_and_config_show(small_splits, capsys):
    assert main(["data", "stats", str(small_splits["train"]), "--tokenizer", "", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert json.dumps(stats).count("persistent_harmful") >= 1
    assert main(["config", "show", "configs/harm_minilm.yaml", "train.lr=3e-5"]) == 0
    assert "lr: 3.0e-05" in capsys.readouterr().out


def test_data_generate_writes_the_corpus_with_its_variations(tmp_path, capsys):
    assert main(["data", "generate", "--out", str(tmp_path / "a"), "--n", "40"]) == 0
    assert main(["data", "generate", "--out", str(tmp_path / "b"), "--n", "40", "--specific-refusals", "1",
                 "--give-ups", "1"]) == 0
    ma, mb = (json.loads((tmp_path / d / "manifest.json").read_text()) for d in ("a", "b"))
    assert ma["variations"] == {"specific_refusals": 0.0, "give_ups": 0.0}
    assert mb["variations"] == {"specific_refusals": 1.0, "give_ups": 1.0}
    assert ma["counts"] == mb["counts"]  # the same conversations and labels, some turns reworded
    assert ma["files"]["train"]["sha256"] != mb["files"]["train"]["sha256"]
    with pytest.raises(SystemExit, match="give_ups"):
        main(["data", "generate", "--out", str(tmp_path / "c"), "--n", "40", "--give-ups", "2"])


def test_config_errors_exit_2_with_the_key(capsys):
    assert main(["config", "show", "configs/harm_minilm.yaml", "train.bogus=1"]) == 2
    assert "unknown key 'train.bogus'" in capsys.readouterr().err


def test_train_from_the_cli(tiny_encoder, small_splits, tmp_path, capsys):
    rc = main(["train", "configs/crisis_minilm.yaml", f"model.base={tiny_encoder}",
               f"data.train={small_splits['train']}", f"data.validation={small_splits['validation']}",
               f"output_dir={tmp_path / 'c'}", "train.epochs=1", "model.max_length=64", "train.batch_size=8",
               "tracking.enabled=false", "train.progress=false", "train.precision=fp32"])
    assert rc == 0
    assert (tmp_path / "c" / "model" / "model.safetensors").exists()
    assert json.loads(capsys.readouterr().out)["recipe"] == "crisis"


def _bundle_with(tiny_bundle, tmp_path, thresholds: Thresholds):
    b = tmp_path / "bundle"
    shutil.copytree(tiny_bundle, b)
    pol = Policy.load(b / "policy.yaml")
    pol.thresholds = thresholds
    pol.unsafe_disable_crisis_routing = thresholds.crisis >= 1.0  # the explicit opt-out a test of "crisis off" needs
    pol.save(b / "policy.yaml")
    write_manifest(b)
    return b


def _predict(bundle, data, out, *extra):
    assert main(["predict", "--bundle", str(bundle), "--input", str(data), "--output", str(out), *extra]) == 0
    return [json.loads(line) for line in out.read_text().splitlines()]


def test_predict_output_schema(tiny_bundle, tmp_path):
    data = tiny_bundle.parent / "test.jsonl"
    rows = _predict(tiny_bundle, data, tmp_path / "out.jsonl", "--with-message")
    n_in = sum(1 for _ in data.open())
    assert len(rows) == n_in
    for r in rows:
        assert set(r) == {"id", "action", "scores", "reason", "message", "evidence"}
        assert set(r["evidence"]) == {"refusal_turns", "push_turns", "harmful_turns", "refused_pushes",
                                      "n_refused_pushes", "crisis_response_turns", "crisis_turn", "crisis_turn_score",
                                      "trigger"}
        assert r["action"] in ("continue", "end_conversation", "crisis_support")
        assert 0.0 <= r["scores"]["terminate"] <= 1.0 and 0.0 <= r["scores"]["crisis"] <= 1.0
        assert isinstance(r["reason"], str) and r["reason"]


def test_predict_crisis_override(tiny_bundle, tmp_path):
    data = tiny_bundle.parent / "test.jsonl"
    # every chat passes the termination threshold, every chat passes the crisis threshold: none is ended
    rows = _predict(_bundle_with(tiny_bundle, tmp_path / "a", Thresholds(terminate=0.0, crisis=0.0)), data,
                    tmp_path / "a.jsonl")
    assert {r["action"] for r in rows} == {"crisis_support"}
    # crisis off: the same chats are ended, where the rules allow (>= 2 assistant turns)
    rows = _predict(_bundle_with(tiny_bundle, tmp_path / "b", Thresholds(terminate=0.0, crisis=1.0 + 0.0)), data,
                    tmp_path / "b.jsonl")
    ended = [r for r in rows if r["action"] == "end_conversation"]
    assert ended and all(r["scores"]["crisis"] < 1.0 for r in ended)


def test_predict_rejects_a_tampered_bundle(tiny_bundle, tmp_path, capsys):
    b = tmp_path / "bundle"
    shutil.copytree(tiny_bundle, b)
    with open(b / "policy.yaml", "a") as f:
        f.write("\n# edited\n")
    rc = main(["predict", "--bundle", str(b), "--input", str(tiny_bundle.parent / "test.jsonl"),
               "--output", str(tmp_path / "o.jsonl")])
    assert rc == 2 and "policy.yaml: s" in capsys.readouterr().err


def test_predict_bad_input_names_the_line(tiny_bundle, tmp_path, capsys):
    p = tmp_path / "in.jsonl"
    p.write_text('{"id": "a", "messages": [{"role": "user", "content": "hi"}, '
                 '{"role": "assistant", "content": "hello"}]}\n')
    rc = main(["predict", "--bundle", str(tiny_bundle), "--input", str(p), "--output", str(tmp_path / "o.jsonl")])
    assert rc == 2
    assert f"{p}:1" in capsys.readouterr().err
    rows = _predict(tiny_bundle, p, tmp_path / "o2.jsonl", "--allow-any-last")
    assert len(rows) == 1


def _subcommands(parser, path=()):
    import argparse

    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield path + (name,), sub
                yield from _subcommands(sub, path + (name,))


def test_every_subcommand_help_has_an_example_and_every_flag_a_help_text(capsys):
    from convguard.cli import EXAMPLES, build_parser

    seen = set()
    for path, sub in _subcommands(build_parser()):
        seen.add(path)
        text = sub.format_help()
        assert f"example:\n  {EXAMPLES[path]}" in text, path
        assert EXAMPLES[path].split()[1:len(path) + 1] == list(path) or len(path) == 1, path
        for action in sub._actions:
            if action.dest != "help" and not action.__class__.__name__.startswith("_SubParsers"):
                assert action.help, f"convguard {' '.join(path)}: {action.option_strings or action.dest} has no help"
    assert seen == set(EXAMPLES)
    assert "(default: 32)" in dict(_subcommands(build_parser()))[("predict",)].format_help()
