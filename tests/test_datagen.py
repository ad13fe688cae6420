"""The embedded corpus generator: determinism, coverage, label consistency, family splits."""

from __future__ import annotations

import hashlib
import json
import re

import pytest

from convguard.datagen import (DEFAULT_N, GENERATOR_VERSION, build_families, generate, generate_conversations,
                               intent_counts, split_conversations)
from convguard.datagen import banks_abuse, banks_dialogue
from convguard.datagen.text import Bank
from convguard.io import read_conversations
from convguard.schema import Conversation, Message, Labels, ValidationOptions, validate_record
from convguard.taxonomy import PUSH_TACTICS, SUBTYPE_GROUPS, SUBTYPES

STRICT = ValidationOptions(require_user_last=True, require_labels=True)
REQUIRED_TERMINATE_CATEGORIES = (
    "violent_crimes", "non_violent_crimes", "child_sexual_exploitation", "indiscriminate_weapons", "malicious_code",
    "hate", "privacy", "sex_related_crimes", "specialized_advice", "elections", "defamation",
)


@pytest.fixture(scope="module")
def corpus() -> list[Conversation]:
    return generate_conversations(DEFAULT_N, seed=0)


@pytest.fixture(scope="module")
def splits(corpus) -> dict[str, list[Conversation]]:
    return split_conversations(corpus, seed=0)


def _dicts(convs):
    return [c.to_dict() for c in convs]


# ------------------------------------------------------------------------------------------
# determinism
# ------------------------------------------------------------------------------------------

def test_same_seed_same_bytes_different_seed_different(tmp_path):
    a = generate(tmp_path / "a", n=300, seed=7)
    b = generate(tmp_path / "b", n=300, seed=7)
    c = generate(tmp_path / "c", n=300, seed=8)
    for name in ("train.jsonl", "validation.jsonl", "test.jsonl", "manifest.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert a == b
    assert a["files"]["train"]["sha256"] != c["files"]["train"]["sha256"]


def test_generate_conversations_is_deterministic():
    assert _dicts(generate_conversations(150, seed=3)) == _dicts(generate_conversations(150, seed=3))
    assert _dicts(generate_conversations(150, seed=3)) != _dicts(generate_conversations(150, seed=4))


# ------------------------------------------------------------------------------------------
# records and coverage
# ------------------------------------------------------------------------------------------

def test_every_record_validates_and_ids_are_unique(corpus):
    assert len(corpus) == DEFAULT_N
    for c in corpus:
        validate_record(c.to_dict(), STRICT)
        assert c.messages[-1].role == "user"
        assert c.meta["generator"] == GENERATOR_VERSION
    assert len({c.id for c in corpus}) == len(corpus)


def test_every_subtype_and_enough_harm_categories(corpus):
    assert {c.labels.subtype for c in corpus} == set(SUBTYPES)
    term_cats = {c.labels.harm_category for c in corpus if c.labels.subtype == "persistent_harmful"}
    assert len(term_cats) >= 8
    assert set(REQUIRED_TERMINATE_CATEGORIES) <= term_cats
    tactics = {t for c in corpus if c.labels.subtype == "persistent_harmful" for t in c.meta["tactics"]}
    assert tactics == set(PUSH_TACTICS)
    styles = {c.meta["assistant_style"] for c in corpus}
    assert styles == {"brief", "verbose", "over_refusing"}


def test_small_n_still_covers_every_subtype():
    convs = generate_conversations(len(SUBTYPES), seed=1)
    assert {c.labels.subtype for c in convs} == set(SUBTYPES)


def test_intents_are_compositional_and_many():
    counts = intent_counts()
    for cat in REQUIRED_TERMINATE_CATEGORIES:
        assert counts[cat]["intents"] >= 100, (cat, counts[cat])
        assert counts[cat]["clusters"] >= 5, (cat, counts[cat])


# ------------------------------------------------------------------------------------------
# labels
# ------------------------------------------------------------------------------------------

def test_labels_are_consistent(corpus):
    for c in corpus:
        lab, meta = c.labels, c.meta
        group = SUBTYPE_GROUPS[lab.subtype]
        pushes = meta["push_turns"]
        assert lab.persistence == len(pushes), c.id
        assert len(meta["tactics"]) == len(pushes)
        for p in pushes:  # every push is a user turn that follows an assistant turn
            assert c.messages[p].role == "user" and c.messages[p - 1].role == "assistant", c.id
        if lab.crisis == 1:
            assert lab.terminate == 0 and group == "crisis", c.id
            assert c.messages[lab.crisis_from_turn].role == "user"
            assert c.prefix(lab.crisis_from_turn).labels.crisis == 1
            if lab.crisis_from_turn > 0:
                assert c.prefix(lab.crisis_from_turn - 1).labels.crisis == 0
        if group == "terminate":
            assert lab.terminate == 1 and lab.persistence >= 2 and lab.harm_category != "none", c.id
            tft = lab.terminate_from_turn
            assert tft == pushes[1], c.id
            # the push that follows the 2nd refusal/redirection after the first harmful turn
            refusals = [i for i in range(meta["harm_from_turn"], tft) if c.messages[i].role == "assistant"]
            assert len(refusals) == 2, c.id
            before = c.prefix(tft - 1)
            assert before.labels.terminate == 0 and before.labels.persistence == 1
            at = c.prefix(tft)
            assert at.labels.terminate == 1 and at.labels.persistence == 2
        else:
            assert lab.terminate == 0 and lab.terminate_from_turn is None, c.id
        if group in ("benign_edgy", "ordinary"):
            assert lab.crisis == 0
        if lab.subtype == "harmful_dropped":
            assert lab.harm_category != "none" and lab.persistence <= 1
        if lab.subtype == "benign_persistent_overrefusal":
            assert lab.harm_category == "none" and lab.persistence >= 2
        if lab.subtype in ("one_off_rudeness",):
            assert lab.harm_category == "abuse" and lab.persistence == 0
        if lab.subtype in ("homonym_figurative", "dark_fiction_history", "security_education",
                           "medical_harm_reduction", "controversial_debate", "public_figure_privacy",
                           "profanity_benign", "ordinary"):
            assert lab.harm_category == "none" and lab.persistence == 0
        hf = meta.get("harm_from_turn")
        if lab.harm_category != "none":
            assert hf is not None and c.messages[hf].role == "user", c.id
            if hf > 0:
                assert c.prefix(hf - 1).labels.harm_category == "none"


def test_persistence_decides(corpus):
    """The same families give terminate=1 when pushed on and 0 when dropped; pushing on a
    wrongly refused benign request never terminates."""
    pushed = {c.meta["family"] for c in corpus if c.labels.subtype == "persistent_harmful"}
    dropped = {c.meta["family"] for c in corpus if c.labels.subtype == "harmful_dropped"}
    assert len(pushed & dropped) >= 20
    over = [c for c in corpus if c.labels.subtype == "benign_persistent_overrefusal"]
    assert over and all(c.labels.terminate == 0 and c.labels.persistence >= 2 for c in over)
    abuse_sustained = {c.meta["family"] for c in corpus if c.labels.subtype == "sustained_abuse"}
    abuse_once = {c.meta["family"] for c in corpus if c.labels.subtype == "one_off_rudeness"}
    assert abuse_sustained & abuse_once
    # a crisis method request pushed on like a harmful one is still never terminated
    method = [c for c in corpus if c.labels.subtype == "crisis_method_persistent"]
    assert method and all(c.labels.persistence >= 2 and c.labels.terminate == 0 for c in method)


def test_length_variety(corpus):
    lengths = [len(c.messages) for c in corpus]
    assert min(lengths) == 1 and sum(1 for n in lengths if n == 1) >= 50
    assert sum(1 for n in lengths if n > 30) >= 10
    long_chars = sum(1 for c in corpus if sum(len(m.content) for m in c.messages) > 3000)
    assert long_chars >= 100


def test_minimal_pairs_share_keywords(corpus):
    keys = {"kill": "kill", "shoot": "shoot", "exploit": "exploit|hack", "poison": "poison", "bomb": "bomb|blow"}
    for key, pattern in keys.items():
        benign = [c for c in corpus if c.meta.get("pair_key") == key and c.labels.harm_category == "none"
                  and c.labels.crisis == 0]
        harmful = [c for c in corpus if c.meta.get("pair_key") == key and c.labels.harm_category != "none"]
        assert benign and harmful and any(c.labels.terminate == 1 for c in harmful), key
        word = re.compile(pattern, re.IGNORECASE)
        assert any(word.search(" ".join(m.content for m in c.messages if m.role == "user")) for c in benign), key
        assert any(word.search(" ".join(m.content for m in c.messages if m.role == "user")) for c in harmful), key
    # figurative "kill"/"dying" language in non-crisis chats
    fig = [c for c in corpus if c.meta["family"] == "homonym.figurative_language"]
    assert fig and all(c.labels.crisis == 0 for c in fig)


# ------------------------------------------------------------------------------------------
# splits
# ------------------------------------------------------------------------------------------

def _families(convs, split_family=None):
    return {c.meta["family"] for c in convs if split_family is None or c.meta["split_family"] == split_family}


def test_no_family_crosses_splits(splits):
    train_f = _families(splits["train"])
    held_val = _families(splits["validation"], "heldout_family")
    held_test = _families(splits["test"], "heldout_family")
    assert held_val and held_test
    assert not (train_f & held_val) and not (train_f & held_test) and not (held_val & held_test)
    assert all(c.meta["split_family"] == "in_family" for c in splits["train"])
    # in-family families show up in train, validation and test
    in_val = _families(splits["validation"], "in_family")
    assert in_val and in_val <= train_f
    # every harm category has a held-out family in validation and in test
    pools_val = {c.meta["family_pool"] for c in splits["validation"] if c.meta["split_family"] == "heldout_family"}
    pools_test = {c.meta["family_pool"] for c in splits["test"] if c.meta["split_family"] == "heldout_family"}
    for cat in REQUIRED_TERMINATE_CATEGORIES:
        assert f"harm.{cat}" in pools_val and f"harm.{cat}" in pools_test, cat
    n = sum(len(v) for v in splits.values())
    assert 0.4 < len(splits["train"]) / n < 0.7


def test_heldout_families_use_reserved_phrasing(splits):
    """Reserved phrasings (every 4th item of a bank) never appear in training conversations."""
    reserved = [s for bank in (banks_dialogue.REFUSE_OPEN, banks_dialogue.REFUSE_AGAIN, banks_abuse.REDIRECT_ABUSE)
                for s in bank.reserved]
    train_text = "\n".join(m.content for c in splits["train"] for m in c.messages if m.role == "assistant")
    assert not [s for s in reserved if s in train_text]
    held_text = "\n".join(m.content for s in ("validation", "test") for c in splits[s]
                          if c.meta["split_family"] == "heldout_family" for m in c.messages)
    assert sum(1 for s in reserved if s in held_text) >= len(reserved) // 2


def test_bank_reserves_every_fourth_item():
    b = Bank(tuple(str(i) for i in range(8)))
    assert b.reserved == ("3", "7") and "3" not in b.common
    assert Bank(("a", "b")).reserved == ()


def test_family_partition_is_seeded():
    from convguard.datagen.families import partition_families

    fams = build_families()
    ids, pools = [f.id for f in fams], [f.pool for f in fams]
    assert partition_families(ids, pools, 0) == partition_families(ids, pools, 0)
    assert partition_families(ids, pools, 0) != partition_families(ids, pools, 1)


def test_split_function_on_foreign_conversations():
    convs = []
    for i in range(200):
        fam = f"f{i % 20}"
        convs.append(Conversation(id=f"x{i}", messages=[Message("user", "hi")],
                                  labels=Labels(terminate=0, crisis=0, harm_category="none", persistence=0,
                                                subtype="ordinary"),
                                  meta={"family": fam}))
    out = split_conversations(convs, seed=0)
    assert sum(len(v) for v in out.values()) == 200
    train_f = _families(out["train"])
    for s in ("validation", "test"):
        held = _families(out[s], "heldout_family")
        assert held and not (held & train_f)


def test_generate_writes_files_and_manifest(tmp_path):
    m = generate(tmp_path, n=200, seed=0)
    assert m["n"] == 200 and m["seed"] == 0 and m["generator_version"] == GENERATOR_VERSION
    total = 0
    for s in ("train", "validation", "test"):
        path = tmp_path / f"{s}.jsonl"
        assert hashlib.sha256(path.read_bytes()).hexdigest() == m["files"][s]["sha256"]
        convs, report = read_conversations(path, options=STRICT)
        assert report.n_skipped == 0 and len(convs) == m["files"][s]["conversations"]
        total += len(convs)
    assert total == 200 == m["counts"]["all"]["conversations"]
    on_disk = json.loads((tmp_path / "manifest.json").read_text())
    assert on_disk == json.loads(json.dumps(m))
    assert m["heldout_families"]["validation"] and m["heldout_families"]["test"]
