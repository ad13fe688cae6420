"""Typed configs: loading, validation errors that name the key, overrides, shipped configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from convguard.config import (BundleConfig, ConfigError, QuickstartConfig, RecipeConfig, apply_overrides, load_config,
                              read_yaml, save_config, to_dict)

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "configs").glob("*.yaml"))


def test_there_are_shipped_configs():
    names = {p.name for p in SHIPPED}
    assert {"harm_minilm.yaml", "crisis_minilm.yaml", "baseline_tfidf.yaml", "quickstart.yaml", "bundle.yaml"} <= names


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_config_loads_and_round_trips(path, tmp_path):
    cfg = load_config(path)
    assert isinstance(cfg, (RecipeConfig, QuickstartConfig, BundleConfig))
    saved = save_config(cfg, tmp_path / "resolved.yaml")
    kind = {QuickstartConfig: "quickstart", BundleConfig: "bundle"}.get(type(cfg), "recipe")
    again = load_config(saved, kind=kind)
    assert to_dict(again) == to_dict(cfg)


def test_quickstart_yaml_matches_the_builtin_defaults():
    """`convguard quickstart` without --config must run exactly configs/quickstart.yaml."""
    assert to_dict(load_config(ROOT / "configs" / "quickstart.yaml")) == to_dict(load_config(None, kind="quickstart"))


def write(tmp_path, text: str) -> Path:
    p = tmp_path / "c.yaml"
    p.write_text(text)
    return p


def test_unknown_key_is_named_with_a_suggestion(tmp_path):
    p = write(tmp_path, "recipe: harm\ntrain:\n  lrr: 0.1\n")
    with pytest.raises(ConfigError, match=r"c\.yaml: unknown key 'train\.lrr' \(did you mean 'train\.lr'\?\)"):
        load_config(p)


def test_wrong_type_is_named(tmp_path):
    p = write(tmp_path, "train:\n  epochs: three\n")
    with pytest.raises(ConfigError, match=r"train\.epochs: expected int, got 'three'"):
        load_config(p)


def test_bool_is_not_an_int_and_literal_is_checked(tmp_path):
    with pytest.raises(ConfigError, match="train.epochs"):
        load_config(write(tmp_path, "train:\n  epochs: true\n"))
    with pytest.raises(ConfigError, match=r"model\.view: expected 'full' \| 'user_focus'"):
        load_config(write(tmp_path, "model:\n  view: everything\n"))


def test_range_checks(tmp_path):
    with pytest.raises(ConfigError, match="train.lr: must be > 0"):
        load_config(write(tmp_path, "train:\n  lr: 0\n"))
    with pytest.raises(ConfigError, match="model.max_length"):
        load_config(None, ["model.max_length=4"], kind="recipe")


def test_dotted_overrides_parse_yaml_values():
    cfg = load_config(None, ["train.lr=1e-4", "train.epochs=2", "model.base=/x/y", "data.max_train_examples=null",
                             "train.length_grouping=false"], kind="recipe")
    assert cfg.train.lr == pytest.approx(1e-4)
    assert cfg.train.epochs == 2 and cfg.model.base == "/x/y"
    assert cfg.data.max_train_examples is None and cfg.train.length_grouping is False


def test_bad_overrides():
    with pytest.raises(ConfigError, match="expected key=value"):
        apply_overrides({}, ["train.lr"])
    with pytest.raises(ConfigError, match="unknown key 'train.nope'"):
        load_config(None, ["train.nope=1"], kind="recipe")
    with pytest.raises(ConfigError, match="'lr' is not a section"):
        apply_overrides({"lr": 1}, ["lr.x=2"])


def test_partial_section_override_keeps_the_sections_own_defaults():
    cfg = load_config(None, ["crisis.train.epochs=7"], kind="quickstart")
    assert cfg.crisis.train.epochs == 7 and cfg.crisis.train.batch_size == QuickstartConfig().crisis.train.batch_size
    assert cfg.crisis.model.view == QuickstartConfig().crisis.model.view == "turns"
    assert cfg.recipe("crisis").recipe == "crisis" and cfg.recipe("crisis").train.epochs == 7


def test_a_quickstart_detector_section_holds_only_what_varies_per_detector():
    """Sources, seed, output folder and tracking are the quickstart's once; a detector section
    that sets them is refused (they would be overwritten)."""
    for key in ("data.train=x.jsonl", "seed=3", "output_dir=runs/x", "tracking.enabled=false", "recipe=harm"):
        with pytest.raises(ConfigError, match="unknown key 'harm"):
            load_config(None, [f"harm.{key}"], kind="quickstart")
    cfg = load_config(None, ["seed=3", "data.train=a.jsonl", "data.validation=b.jsonl", "out=o",
                             "harm.sampling.max_train_examples=10", "tracking.register_as=mine"], kind="quickstart")
    for name in ("harm", "crisis", "baseline"):
        r = cfg.recipe(name)
        assert (r.recipe, r.seed, r.data.train, r.data.validation) == (name, 3, "a.jsonl", "b.jsonl")
        assert r.output_dir == str(Path("o") / "runs" / name) and r.tracking.run_name == f"train-{name}"
        assert r.tracking.register_as is None  # the bundle registers as tracking.register_as, not each detector
    assert cfg.recipe("harm").data.max_train_examples == 10 and cfg.recipe("crisis").data.max_train_examples is None
    assert cfg.recipe("harm").model is cfg.harm.model


def test_a_recipe_config_with_a_section_its_recipe_ignores_is_refused(tmp_path):
    with pytest.raises(ConfigError, match="'baseline' is not read by the harm recipe"):
        load_config(write(tmp_path, "recipe: harm\nbaseline:\n  C: 2.0\n"))
    with pytest.raises(ConfigError, match="'train' is not read by the baseline recipe"):
        load_config(write(tmp_path, "recipe: baseline\ntrain:\n  epochs: 2\n"))
    saved = save_config(load_config(write(tmp_path, "recipe: baseline\n")), tmp_path / "r.yaml")
    assert "model" not in read_yaml(saved) and "task" in read_yaml(saved)


def test_missing_and_malformed_files(tmp_path):
    with pytest.raises(ConfigError, match="not found"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        read_yaml(write(tmp_path, "a: [1, 2\n"))
    with pytest.raises(ConfigError, match="must be a mapping"):
        read_yaml(write(tmp_path, "- 1\n- 2\n"))


def test_bundle_yaml_points_at_the_shipped_training_runs():
    """configs/bundle.yaml assembles what configs/{harm,crisis}_minilm.yaml and baseline_tfidf.yaml
    train, and chooses thresholds on the validation file their runs generate."""
    b = load_config(ROOT / "configs" / "bundle.yaml")
    assert isinstance(b, BundleConfig)
    for key, name in (("harm", "harm_minilm"), ("crisis", "crisis_minilm"), ("baselines", "baseline_tfidf")):
        rc = load_config(ROOT / "configs" / f"{name}.yaml")
        assert getattr(b, key) == rc.output_dir, key
    harm = load_config(ROOT / "configs" / "harm_minilm.yaml")
    assert b.validation == f"{harm.data.generated_dir}/validation.jsonl"
    assert to_dict(b.thresholds) == to_dict(load_config(None, kind="quickstart").thresholds)
