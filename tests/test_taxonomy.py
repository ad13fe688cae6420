"""Configurable harm taxonomies (data.taxonomy): a custom 4-category config trains, bundles and
predicts; labels are checked against it; per-category termination thresholds are honoured and
chosen by the sweep; detectors saved without a taxonomy load as the default one."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

from conftest import build_tiny_bundle, make_records

from convguard.bundle import BundleError, write_manifest
from convguard.config import ConfigError, load_config
from convguard.policy import Policy, Rules, Thresholds, apply_policy, explain
from convguard.schema import ConversationError
from convguard.taxonomy import DEFAULT_TAXONOMY, HarmCategory, Taxonomy

#: a team's own categories: two termination-worthy, a self-harm one (never ended) and none
CUSTOM = Taxonomy([HarmCategory("fraud", "scams and fraud", True), HarmCategory("harassment", "harassing people", True),
                   HarmCategory("self_harm", "self-harm", False), HarmCategory("none", "something I can't help with",
                                                                                False)],
                  self_harm="self_harm")
#: the default categories the hand-built records use -> the custom ones
RELABEL = {"indiscriminate_weapons": "fraud", "suicide_self_harm": "self_harm", "none": "none"}
TAXONOMY_OVERRIDES = (f"data.taxonomy={json.dumps(CUSTOM.to_dict())}",)


def relabel(rec: dict) -> None:
    rec["labels"]["harm_category"] = RELABEL[rec["labels"]["harm_category"]]
    if rec["labels"]["subtype"] == "harmful_dropped":
        rec["labels"]["harm_category"] = "harassment"


@pytest.fixture(scope="module")
def custom_bundle(tmp_path_factory) -> Path:
    return build_tiny_bundle(tmp_path_factory.mktemp("custom_taxonomy"), epochs=1, extra=TAXONOMY_OVERRIDES,
                             relabel=relabel)


# ------------------------------------------------------------------------------------------
# config
# ------------------------------------------------------------------------------------------

def write_config(tmp_path: Path, taxonomy: dict) -> Path:
    p = tmp_path / "harm.yaml"
    p.write_text(yaml.safe_dump({"recipe": "harm", "data": {"taxonomy": taxonomy}}))
    return p


def test_the_default_taxonomy_is_the_mlcommons_set():
    cfg = load_config(None, kind="recipe")
    assert cfg.data.taxonomy == DEFAULT_TAXONOMY
    assert len(DEFAULT_TAXONOMY.names) == 16 and DEFAULT_TAXONOMY.names[-1] == "none"
    assert "suicide_self_harm" not in DEFAULT_TAXONOMY.terminating and "none" not in DEFAULT_TAXONOMY.terminating
    assert DEFAULT_TAXONOMY.self_harm == "suicide_self_harm"


def test_a_custom_taxonomy_loads_from_a_config_file(tmp_path):
    cfg = load_config(write_config(tmp_path, CUSTOM.to_dict()))
    assert cfg.data.taxonomy == CUSTOM
    assert cfg.data.taxonomy.terminating == ("fraud", "harassment")
    # the quickstart keeps it once, in its data section, for all three training runs
    qs = load_config(None, list(TAXONOMY_OVERRIDES), kind="quickstart")
    assert all(qs.recipe(r).data.taxonomy == CUSTOM for r in ("harm", "crisis", "baseline"))


@pytest.mark.parametrize("taxonomy, match", [
    ({"categories": [{"name": "fraud"}], "self_harm": None}, r"data\.taxonomy\.categories: must include 'none'"),
    ({"categories": [{"name": "fraud"}, {"name": "none", "terminate": False}]},
     r"data\.taxonomy\.self_harm: 'suicide_self_harm' is not one of the categories .*self_harm: null"),
    ({"categories": [{"name": "fraud"}, {"name": "fraud"}, {"name": "none", "terminate": False}], "self_harm": None},
     r"duplicate names: fraud"),
    ({"categories": [{"name": "fraud"}, {"name": "none"}], "self_harm": None},
     r"categories\[1\]\.terminate: 'none' is never termination-worthy"),
    ({"categories": [{"name": "fraud"}, {"name": "sh"}, {"name": "none", "terminate": False}], "self_harm": "sh"},
     r"self_harm: 'sh' is termination-worthy"),
    ({"categories": [{"nme": "fraud"}]}, r"unknown key 'data\.taxonomy\.categories\[0\]\.nme' \(did you mean"),
    ({"categories": [{"name": "a=b"}, {"name": "none", "terminate": False}], "self_harm": None}, r"must not contain '='"),
])
def test_a_bad_taxonomy_config_names_the_file_and_key(tmp_path, taxonomy, match):
    p = write_config(tmp_path, taxonomy)
    with pytest.raises(ConfigError, match=match) as e:
        load_config(p)
    assert str(p) in str(e.value)


def test_every_shipped_config_keeps_the_default_taxonomy():
    for p in sorted(Path("configs").glob("*.yaml")):
        cfg = load_config(p)
        data = getattr(cfg, "data", None)
        if data is not None:
            assert data.taxonomy == DEFAULT_TAXONOMY, p


# ------------------------------------------------------------------------------------------
# data validation
# ------------------------------------------------------------------------------------------

def test_labels_are_checked_against_the_configured_taxonomy(tmp_path):
    from convguard.dataset import load_splits
    from convguard.io import write_jsonl

    recs = make_records(2, 0)
    for r in recs:
        relabel(r)
    recs[1]["labels"]["harm_category"] = "malicious_code"  # a default category, not one of the custom ones
    write_jsonl(recs, tmp_path / "train.jsonl")
    cfg = load_config(None, [f"data.train={tmp_path}/train.jsonl", f"data.validation={tmp_path}/train.jsonl",
                             *TAXONOMY_OVERRIDES], kind="recipe")
    with pytest.raises(ConversationError) as e:
        load_splits(cfg.data, need=("train", "validation"))
    msg = str(e.value)
    assert "train.jsonl:2:" in msg and e.value.line == 2 and e.value.field == "labels.harm_category"
    assert "'malicious_code'" in msg and "configured taxonomy" in msg and "fraud, harassment, self_harm, none" in msg


def test_terminate_needs_a_termination_worthy_category(tmp_path):
    from convguard.schema import ValidationOptions, validate_record

    rec = next(r for r in make_records(1, 0) if r["labels"]["terminate"] == 1)
    relabel(rec)
    validate_record(rec, ValidationOptions(taxonomy=CUSTOM))
    rec["labels"]["harm_category"] = "self_harm"
    with pytest.raises(ConversationError, match="not termination-worthy") as e:
        validate_record(rec, ValidationOptions(taxonomy=CUSTOM))
    assert e.value.field == "labels.harm_category"
    # the default taxonomy refuses the custom names, with its own list
    rec["labels"]["harm_category"] = "fraud"
    with pytest.raises(ConversationError, match="not in the default taxonomy"):
        validate_record(rec, ValidationOptions())


# ------------------------------------------------------------------------------------------
# trained, bundled, predicted
# ------------------------------------------------------------------------------------------

def test_a_custom_taxonomy_trains_bundles_and_predicts(custom_bundle, tmp_path):
    from convguard.cli import main
    from convguard.guard import Guard

    cfg = json.loads((custom_bundle / "harm" / "config.json").read_text())
    assert Taxonomy.from_dict(cfg["convguard"]["taxonomy"]) == CUSTOM  # labels travel with the model
    head = next(h for h in cfg["convguard"]["heads"] if h["name"] == "harm_category")
    assert head["labels"] == list(CUSTOM.names) and len(cfg["id2label"]) == 1 + 4 + 4
    guard = Guard.load(custom_bundle)
    assert guard.taxonomy == CUSTOM and guard.policy.taxonomy == CUSTOM
    convs = [r["messages"] for r in make_records(1, 3)]
    for d in guard.check_many(convs):
        assert d.scores["harm_category"] in CUSTOM.names
    # convguard predict: input labelled with the custom categories is accepted; names come back
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--bundle", str(custom_bundle), "--input", str(custom_bundle.parent / "test.jsonl"),
                 "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert rows and {r["scores"]["harm_category"] for r in rows} <= set(CUSTOM.names)
    # the end message reads the category's description
    pol = guard.policy
    assert "harassing people" in pol.message_for("end_conversation", {"harm_category": "harassment"})


def test_the_self_harm_veto_reads_the_taxonomy_and_is_off_without_one():
    # one would-be end (two refused pushes, harm 0.9) that the harm head reads as self-harm
    cat = np.array([[0.0, 0.2, 0.8, 0.0]])
    system = {"terminate": np.array([0.9]), "crisis": np.array([0.0]), "harm_category": cat,
              "refused_push_top": np.array([[0.9, 0.9, -1, -1]])}
    rules = Rules(harm_score="terminate")
    assert apply_policy(system, Thresholds(), rules, taxonomy=CUSTOM).codes[0] == "self_harm_veto"
    no_veto = Taxonomy(CUSTOM.categories, self_harm=None)
    assert apply_policy(system, Thresholds(), rules, taxonomy=no_veto).codes[0] == "end"
    with pytest.raises(ValueError, match="4 classes but the taxonomy has 16"):
        apply_policy(system, Thresholds(), rules)  # scores of a custom detector read with the default taxonomy


# ------------------------------------------------------------------------------------------
# per-category thresholds
# ------------------------------------------------------------------------------------------

def category_system(scores, cats):
    n = len(scores)
    cat = np.zeros((n, len(CUSTOM.names)))
    cat[np.arange(n), [CUSTOM.index(c) for c in cats]] = 1.0
    return {"terminate": np.asarray(scores, dtype=float), "crisis": np.zeros(n), "harm_category": cat,
            "refused_push_top": np.tile([0.9, 0.9, -1.0, -1.0], (n, 1)), "last_refused_push": np.full(n, 0.9)}


def test_per_category_thresholds_change_the_decision():
    system = category_system([0.6, 0.6, 0.4, 0.4, 0.95], ["fraud", "harassment", "fraud", "harassment", "fraud"])
    rules = Rules(harm_score="terminate")
    glob = apply_policy(system, Thresholds(terminate=0.5), rules, taxonomy=CUSTOM)
    assert glob.actions.tolist() == ["end_conversation", "end_conversation", "continue", "continue", "end_conversation"]
    th = Thresholds(terminate=0.5, terminate_by_category={"fraud": 0.7, "harassment": 0.3})
    r = apply_policy(system, th, rules, taxonomy=CUSTOM)
    assert r.actions.tolist() == ["continue", "end_conversation", "continue", "end_conversation", "end_conversation"]
    assert r.terminate_threshold.tolist() == [0.7, 0.3, 0.7, 0.3, 0.7]
    assert r.category.tolist() == ["fraud", "harassment", "fraud", "harassment", "fraud"]
    # the effective score stays on the global threshold's scale: effective >= terminate iff ended
    assert ((r.effective >= th.terminate) == (r.actions == "end_conversation")).all()
    assert np.all(np.diff(r.effective[[2, 0, 4]]) > 0)  # monotone within a category
    reason = explain(r, 0, system, th, rules, CUSTOM)
    assert "0.600 < 0.700 (the threshold for category fraud)" in reason
    assert "0.300 (the threshold for category harassment)" in explain(r, 3, system, th, rules, CUSTOM)
    # a category without its own threshold keeps the global one
    r2 = apply_policy(system, Thresholds(terminate=0.5, terminate_by_category={"fraud": 0.7}), rules, taxonomy=CUSTOM)
    assert r2.actions[1] == "end_conversation" and r2.actions[3] == "continue"


def test_policy_yaml_checks_the_per_category_thresholds(tmp_path):
    d = Policy().to_dict()
    d["thresholds"]["terminate_by_category"] = {"malicous_code": 0.4}
    with pytest.raises(ValueError, match=r"thresholds\.terminate_by_category\.malicous_code: unknown harm category "
                                         r"\(did you mean 'malicious_code'\?"):
        Policy.from_dict(d)
    d["thresholds"]["terminate_by_category"] = {"fraud": 1.5}
    with pytest.raises(ValueError, match=r"terminate_by_category\.fraud: must be a threshold in \[0, 1\]"):
        Policy.from_dict(d, taxonomy=CUSTOM)
    d["thresholds"]["terminate_by_category"] = {"fraud": 0.4}
    assert Policy.from_dict(d, taxonomy=CUSTOM).thresholds.terminate_by_category == {"fraud": 0.4}
    # policies written before per-category thresholds read as none
    old = Policy().to_dict()
    del old["thresholds"]["terminate_by_category"]
    assert Policy.from_dict(old).thresholds.terminate_by_category == {}


def _with_policy(bundle: Path, tmp_path: Path, **thresholds) -> Path:
    b = tmp_path / "bundle"
    shutil.copytree(bundle, b)
    d = yaml.safe_load((b / "policy.yaml").read_text())
    d["thresholds"].update(thresholds)
    (b / "policy.yaml").write_text(yaml.safe_dump(d))
    write_manifest(b)
    return b


def test_a_bundle_honours_its_per_category_thresholds(custom_bundle, tmp_path):
    from convguard.guard import Guard

    convs = [r["messages"] for r in make_records(4, 5)]
    # crisis routing off (explicitly), every chat over the global threshold: the rules decide the ends
    b = _with_policy(custom_bundle, tmp_path / "a", terminate=0.0, crisis=1.0)
    d = yaml.safe_load((b / "policy.yaml").read_text())
    d["unsafe_disable_crisis_routing"] = True
    (b / "policy.yaml").write_text(yaml.safe_dump(d))
    write_manifest(b)
    ended = [x for x in Guard.load(b).check_many(convs) if x.action == "end_conversation"]
    assert ended, "the tiny bundle ends some chats at threshold 0"
    cats = {x.scores["harm_category"] for x in ended}
    d["thresholds"]["terminate_by_category"] = {c: 1.0 for c in cats}
    (b / "policy.yaml").write_text(yaml.safe_dump(d))
    write_manifest(b)
    again = Guard.load(b).check_many(convs)
    for x in again:
        if x.scores["harm_category"] in cats:
            assert x.action != "end_conversation"
    blocked = [x for x in again if x.evidence["trigger"] == "below_threshold" and x.scores["harm_category"] in cats]
    assert blocked and "(the threshold for category" in blocked[0].reason
    # a default category name is refused by a bundle with custom categories, at load
    bad = _with_policy(custom_bundle, tmp_path / "b", terminate_by_category={"malicious_code": 0.5})
    with pytest.raises(BundleError, match=r"terminate_by_category\.malicious_code: unknown harm category .*fraud"):
        Guard.load(bad)


def test_the_sweep_chooses_per_category_thresholds_where_data_allow():
    from convguard.config import ThresholdConfig
    from convguard.evaluation import choose_category_thresholds, table_from_scores
    from convguard.schema import ValidationOptions, validate_record
    from convguard.thresholds import ThresholdChoice

    # 40 termination-worthy and 40 benign-edgy rows read as fraud, 5 and 5 read as harassment
    recs, cats, scores = [], [], []
    rng = np.random.default_rng(0)
    for cat, n in (("fraud", 40), ("harassment", 5)):
        for i in range(n):
            for kind in ("persistent", "dropped"):
                r = next(x for x in make_records(1, i) if x["id"].startswith(kind))
                relabel(r)
                r["id"] = f"{cat}-{kind}-{i}"
                recs.append(validate_record(r, ValidationOptions(taxonomy=CUSTOM)))
                cats.append(cat)
                scores.append(rng.uniform(0.6, 0.9) if kind == "persistent" else rng.uniform(0.1, 0.5))
    system = category_system(scores, cats)
    table = table_from_scores(recs, {"convguard": system}, taxonomy=CUSTOM)
    cfg = ThresholdConfig(terminate_strategy="max_recall_at_fpr", max_fpr=0.0)
    crisis = ThresholdChoice(0.5, "fixed", {}, {}, True, "")
    got = choose_category_thresholds(table, cfg, Rules(harm_score="terminate"), crisis, 0.5)
    assert set(got) == {"fraud", "harassment"}  # the termination-worthy categories
    fraud = got["fraud"]
    assert fraud["threshold"] is not None and (fraud["n_positive"], fraud["n_negative"]) == (40, 40)
    s, is_fraud, pos = np.array(scores), np.array(cats) == "fraud", np.array([r.labels.terminate == 1 for r in recs])
    assert s[is_fraud & ~pos].max() < fraud["threshold"] <= s[is_fraud & pos].min()  # no false end, every end
    assert got["harassment"]["threshold"] is None
    assert "needs >= 30" in got["harassment"]["message"] and "global threshold 0.5" in got["harassment"]["message"]
    assert choose_category_thresholds(table, cfg, Rules(harm_score="terminate"), crisis, 0.5, min_examples=0) == {}


def test_sweep_writes_per_category_thresholds_into_the_bundle(custom_bundle, tmp_path):
    from convguard.guard import Guard
    from convguard.io import read_conversations
    from convguard.schema import ValidationOptions
    from convguard.sweeping import write_sweep

    b = tmp_path / "bundle"
    shutil.copytree(custom_bundle, b)
    convs, _ = read_conversations(custom_bundle.parent / "validation.jsonl", options=ValidationOptions(taxonomy=CUSTOM))
    res = write_sweep(b, convs, tmp_path / "sweep", write=True, category_min_examples=1, baselines=False)
    by = res["results"]["convguard"].by_category
    assert set(by) == {"fraud", "harassment"}
    chosen = {k: v["threshold"] for k, v in by.items() if v["threshold"] is not None}
    pol = Guard.load(b).policy
    assert pol.thresholds.terminate_by_category == pytest.approx(chosen)
    assert res["selection"]["terminate_by_category"]["min_examples"] == 1
    md = (tmp_path / "sweep" / "sweep.md").read_text()
    assert "## Per-category termination thresholds" in md


# ------------------------------------------------------------------------------------------
# detectors saved before taxonomies were configurable
# ------------------------------------------------------------------------------------------

def test_a_detector_without_a_taxonomy_loads_as_the_default(tiny_bundle, tmp_path):
    from convguard.guard import Guard
    from convguard.modeling import read_taxonomy

    b = tmp_path / "bundle"
    shutil.copytree(tiny_bundle, b)
    p = b / "harm" / "config.json"
    cfg = json.loads(p.read_text())
    assert Taxonomy.from_dict(cfg["convguard"].pop("taxonomy")) == DEFAULT_TAXONOMY
    p.write_text(json.dumps(cfg))
    write_manifest(b)
    assert read_taxonomy(b / "harm") == DEFAULT_TAXONOMY
    assert Guard.load(b).taxonomy == DEFAULT_TAXONOMY
    # head labels that are not the taxonomy's: refused
    next(h for h in cfg["convguard"]["heads"] if h["name"] == "harm_category")["labels"][0] = "other"
    p.write_text(json.dumps(cfg))
    write_manifest(b)
    with pytest.raises(BundleError, match="harm_category head's labels .* are not the taxonomy's categories"):
        Guard.load(b)


def test_data_validate_checks_against_a_configs_taxonomy(tmp_path, capsys):
    from convguard.cli import main
    from convguard.io import write_jsonl

    recs = make_records(1, 0)
    for r in recs:
        relabel(r)
    write_jsonl(recs, tmp_path / "d.jsonl")
    cfg = write_config(tmp_path, CUSTOM.to_dict())
    assert main(["data", "validate", str(tmp_path / "d.jsonl"), "--taxonomy", str(cfg)]) == 0
    assert main(["data", "validate", str(tmp_path / "d.jsonl")]) == 2  # the default taxonomy has no 'fraud'
    assert "unknown harm category 'fraud': not in the default taxonomy" in capsys.readouterr().out
