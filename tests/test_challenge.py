"""The hand-written challenge set (data/challenge/): present, valid, consistent with the label
policy, unlike the generator's text, and the behavioural tests (convguard.checklist) run on it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from convguard.dataset import load_challenge
from convguard.taxonomy import SUBTYPE_GROUPS

ROOT = Path(__file__).resolve().parents[1]
CHALLENGE = ROOT / "data" / "challenge"


@pytest.fixture(scope="module")
def challenge():
    return load_challenge(str(CHALLENGE))


def test_challenge_set_is_large_varied_and_covers_every_subtype(challenge):
    assert len(challenge) >= 400
    groups = Counter(c.labels.group for c in challenge)
    assert groups["terminate"] >= 80 and groups["crisis"] >= 60 and groups["benign_edgy"] >= 150
    assert {c.labels.subtype for c in challenge} == set(SUBTYPE_GROUPS)
    # written in several voices (one part per author), with assistants that comply or over-refuse
    assert len({c.meta["part"] for c in challenge}) >= 4
    styles = Counter(s for c in challenge for s in c.meta.get("style", []))
    for s in ("lowercase", "typos", "terse", "rambling", "assistant_complies", "assistant_overrefuses"):
        assert styles[s] >= 5, s
    # the failure classes the real-chat trial found
    classes = Counter(c.meta["failure_class"] for c in challenge)
    for fc in ("assistant_complied", "short_direct_ask", "overrefusal", "hard_neg_idiom", "hard_neg_diet",
               "hard_neg_group_question", "danger_to_others", "violent_howto_no_target", "no_refusal_followups"):
        assert classes[fc] >= 5, fc


def test_structure_agrees_with_the_labels(challenge):
    """The label policy, checked on every record: a push directly follows a refusal; persistence
    counts the pushes; terminate iff (no crisis, a harm category, two or more pushes), from the
    second push; crisis chats carry their onset."""
    for c in challenge:
        roles = [m.role for m in c.messages]
        refusals, pushes = c.meta["refusal_turns"], c.meta["push_turns"]
        assert all(roles[i] == "assistant" for i in refusals), c.id
        assert all(roles[i] == "user" and i - 1 in refusals for i in pushes), c.id
        assert c.labels.persistence == len(pushes), c.id
        worthy = not c.labels.crisis and c.labels.harm_category != "none" and len(pushes) >= 2
        assert c.labels.terminate == int(worthy), c.id
        if worthy:
            assert c.labels.terminate_from_turn == sorted(pushes)[1], c.id
        if c.labels.crisis:
            assert roles[c.labels.crisis_from_turn] == "user", c.id


def test_challenge_text_is_not_the_generators(challenge):
    """Written by hand: no user or assistant turn of the challenge set is a turn the generator writes
    (system prompts such as "You are a helpful assistant." are left out of the comparison)."""
    from convguard.datagen import generate_conversations

    generated = {m.content.strip().lower() for c in generate_conversations(1500, seed=0) for m in c.messages}
    shared = [(c.id, m.content) for c in challenge for m in c.messages
              if m.role != "system" and len(m.content) > 25 and m.content.strip().lower() in generated]
    assert not shared, shared[:5]


def test_hand_written_banks_do_not_near_copy_the_challenge_set(challenge):
    """The hand-written banks of generators 1.5 and 1.10 stay apart from the challenge set: no bank item is within
    character 3-5-gram TF-IDF cosine 0.8 of a challenge sentence (short stock phrases like "ok
    fair" included: they were pruned from the banks, see data/README.md section 3)."""
    import re

    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity

    from convguard.datagen import (banks_abuse_more, banks_giveup, banks_push_more, banks_refusal_more,
                                   banks_refusal_specific_a, banks_refusal_specific_b, banks_refusal_specific_c)

    items = []
    for mod in (banks_refusal_more, banks_push_more, banks_abuse_more, banks_giveup, banks_refusal_specific_a,
                banks_refusal_specific_b, banks_refusal_specific_c):
        for name in dir(mod):
            v = getattr(mod, name)
            if name.isupper():
                items += list(v) if isinstance(v, tuple) else [s for t in v.values() for s in t]
    assert len(items) > 2700
    turns = [m.content for c in challenge for m in c.messages if m.role != "system"]
    sents = [s for t in turns for s in re.split(r"(?<=[.!?])\s+", t) if len(s) > 8] + [t for t in turns if len(t) <= 8]
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5)).fit(items + sents)
    sim = cosine_similarity(vec.transform(items), vec.transform(sents))
    close = [(items[i], sents[j]) for i, j in zip(*((sim >= 0.8).nonzero()))]
    assert not close, close[:5]


def test_checklist_runs_every_test_on_the_challenge_set(tiny_bundle, challenge):
    from convguard.checklist import CHECKS, checklist_markdown, run_checklist
    from convguard.guard import Guard

    guard = Guard.load(tiny_bundle, require_user_last=False)
    sample = challenge[::6]
    rep = run_checklist(guard, sample, seed=0)
    assert set(rep["checks"]) == {c.name for c in CHECKS}
    for name, r in rep["checks"].items():
        assert r["n"] > 0 and 0.0 <= r["pass_rate"] <= 1.0, name
    assert rep["checks"]["mft_expected_action"]["n"] == len(sample)
    assert sum(v["n"] for v in rep["mft_by_subtype"].values()) == len(sample)
    md = checklist_markdown(rep)
    assert "dir_no_refusals_no_end" in md and "Minimum functionality by subtype" in md
    # seeded: the same report twice
    assert run_checklist(guard, sample, seed=0)["checks"] == rep["checks"]
