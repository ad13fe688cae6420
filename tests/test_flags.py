"""The evaluation subcommands' flags come from one typed source each (convguard.flags,
convguard.eval_cli.EVAL_JOBS), and the entry scripts under eval/ and training/ call the CLI."""

from __future__ import annotations

import argparse
import dataclasses
import re
import runpy
import sys
import typing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _subparser(name: str) -> argparse.ArgumentParser:
    from convguard.cli import build_parser

    (sub,) = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    return sub.choices[name]


def test_every_eval_flag_is_a_typed_field_with_its_default_and_choices():
    from convguard.eval_cli import EVAL_JOBS

    for name, job in EVAL_JOBS.items():
        actions = {a.dest: a for a in _subparser(name)._actions if a.dest != "help"}
        expected = {}
        for group in job.flags:
            hints = typing.get_type_hints(group.cls)
            defaults = group.cls()  # every flag's dataclass builds from its defaults alone
            for f in group.fields():
                tp = hints[f.name]
                args = [a for a in typing.get_args(tp) if a is not type(None)] if typing.get_origin(tp) in (
                    typing.Union, type(int | None)) else [tp]
                choices = typing.get_args(args[0]) if typing.get_origin(args[0]) is typing.Literal else None
                expected[f.name] = (group.option(f), getattr(defaults, f.name), choices)
        # no flag declared by hand beside the generated ones, none missing
        assert set(actions) == set(expected), name
        for dest, (option, default, choices) in expected.items():
            a = actions[dest]
            assert (a.option_strings or [a.dest]) == [option], (name, dest)
            assert a.default == default, f"convguard {name} {option}: default {a.default!r}, field {default!r}"
            assert (tuple(a.choices) if a.choices is not None else None) == choices, (name, dest)


def test_sweep_flags_are_the_threshold_config():
    from convguard.config import TERMINATE_STRATEGIES, ThresholdConfig

    actions = {a.dest: a for a in _subparser("sweep")._actions}
    cfg = ThresholdConfig()
    for dest in ("terminate_strategy", "min_precision", "max_fpr", "crisis_min_recall", "crisis_max_false_alarm",
                 "evidence"):
        assert actions[dest].default == getattr(cfg, dest), dest
    assert actions["terminate_strategy"].option_strings == ["--strategy"]
    assert tuple(actions["terminate_strategy"].choices) == TERMINATE_STRATEGIES
    assert TERMINATE_STRATEGIES == typing.get_args(typing.get_type_hints(ThresholdConfig)["terminate_strategy"])
    # the parsed flags build the config the sweep runs with
    from convguard.eval_cli import SWEEP_THRESHOLDS

    ns = _subparser("sweep").parse_args(["--bundle", "b", "--data", "d", "--strategy", "max_f1", "--max-fpr", "0.2"])
    assert SWEEP_THRESHOLDS.values(ns) == dataclasses.replace(cfg, terminate_strategy="max_f1", max_fpr=0.2)


def _sources() -> dict[Path, str]:
    files = [*(ROOT / "src" / "convguard").rglob("*.py"), *(ROOT / "eval").glob("*.py"),
             *(ROOT / "training").glob("*.py")]
    return {p: p.read_text(encoding="utf-8") for p in files}


def test_strategies_and_shared_flags_are_declared_once():
    from convguard.eval_cli import SWEEP_THRESHOLDS, RuleFlags, TrackingFlags
    from convguard.flags import FlagGroup

    sources = _sources()
    strategy_lists = [p for p, text in sources.items() for _ in re.finditer(
        r"""["']max_f1["'],\s*["']max_recall_at_precision["'],\s*["']max_recall_at_fpr["']""", text)]
    assert [p.relative_to(ROOT).as_posix() for p in strategy_lists] == ["src/convguard/config.py"]
    # the tracking, threshold and rule flags are generated, never written out by hand
    shared = {g.option(f) for g in (FlagGroup(TrackingFlags), FlagGroup(RuleFlags), SWEEP_THRESHOLDS)
              for f in g.fields()}
    assert {"--tracking", "--mlruns-dir", "--experiment", "--strategy", "--max-fpr", "--min-pushes"} <= shared
    by_hand = [(p.relative_to(ROOT).as_posix(), m.group(1)) for p, text in sources.items()
               for m in re.finditer(r"""add_argument\(\s*["'](--[\w-]+)["']""", text) if m.group(1) in shared]
    assert by_hand == []


#: entry script -> the subcommand it runs
SCRIPTS = {
    "eval/evaluate.py": "evaluate",
    "eval/sweep.py": "sweep",
    "eval/replay.py": "replay",
    "training/train_harm.py": "train",
    "training/train_crisis.py": "train",
    "training/train_baseline.py": "train",
    "training/bundle.py": "bundle",
    "training/quickstart.py": "quickstart",
}


def test_every_entry_script_is_listed():
    on_disk = {p.relative_to(ROOT).as_posix() for d in ("eval", "training") for p in (ROOT / d).glob("*.py")}
    assert on_disk == set(SCRIPTS)


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_entry_script_is_the_cli(script, capsys, monkeypatch):
    """The script's --help is its subcommand's: it parses nothing of its own, so it cannot drift."""
    from convguard.cli import main

    with pytest.raises(SystemExit) as e:
        main([SCRIPTS[script], "--help"])
    assert e.value.code == 0
    expected = capsys.readouterr().out
    monkeypatch.setattr(sys, "argv", [str(ROOT / script), "--help"])
    with pytest.raises(SystemExit) as e:
        runpy.run_path(str(ROOT / script), run_name="__main__")
    assert e.value.code == 0
    assert capsys.readouterr().out == expected
