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
            refusals = [i for i in meta["refusal_turns"] if meta["harm_from_turn"] < i < tft]
            assert len(refusals) == 2 and refusals[-1] == tft - 1, c.id
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


def test_refusal_turns_and_pushes(corpus):
    """``meta.refusal_turns`` lists assistant turns only, and every push directly follows one."""
    assert len(corpus) == 3000
    n_refusals = 0
    for c in corpus:
        refusals = c.meta["refusal_turns"]
        assert refusals == sorted(set(refusals)), c.id
        for r in refusals:
            assert c.messages[r].role == "assistant", c.id
        n_refusals += len(refusals)
        for p in c.meta["push_turns"]:
            assert p - 1 in refusals, (c.id, p)
        group = SUBTYPE_GROUPS[c.labels.subtype]
        if group == "terminate":
            assert len([r for r in refusals if r < c.labels.terminate_from_turn]) >= 2, c.id
        if c.labels.subtype == "benign_persistent_overrefusal" or c.labels.subtype == "crisis_method_persistent":
            assert refusals, c.id
    assert n_refusals > 3000
    # answers, safe answers and clarifications are not refusals: plenty of assistant turns are not listed
    answers = sum(1 for c in corpus for i, m in enumerate(c.messages)
                  if m.role == "assistant" and i not in c.meta["refusal_turns"])
    assert answers > 3000


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
    assert m["variations"] == {"specific_refusals": 0.0, "give_ups": 0.0}


def test_a_cached_corpus_is_reused_only_with_the_same_variations(tmp_path, caplog):
    from convguard.config import DataSourceConfig, GenerateConfig
    from convguard.dataset import ensure_generated

    cfg = DataSourceConfig(generated_dir=str(tmp_path), generate=GenerateConfig(n=60, seed=3))
    paths = ensure_generated(cfg)
    before = (tmp_path / "train.jsonl").read_bytes()
    with caplog.at_level("INFO", logger="convguard.dataset"):
        assert ensure_generated(cfg) == paths
    assert "generating" not in caplog.text  # reused
    cfg.generate.specific_refusals = 1.0
    with caplog.at_level("INFO", logger="convguard.dataset"):
        ensure_generated(cfg)
    assert "specific_refusals=1" in caplog.text
    assert json.loads((tmp_path / "manifest.json").read_text())["variations"]["specific_refusals"] == 1.0
    assert (tmp_path / "train.jsonl").read_bytes() != before


# ------------------------------------------------------------------------------------------
# assistant-turn variety and the new conversation shapes
# ------------------------------------------------------------------------------------------

def _assistant_turns(corpus, refusal: bool, groups=None):
    out = []
    for c in corpus:
        if groups is not None and c.labels.group not in groups:
            continue
        refs = set(c.meta["refusal_turns"])
        out += [m.content for i, m in enumerate(c.messages) if m.role == "assistant" and (i in refs) == refusal]
    return out


def test_refusal_forms_and_non_refusal_answers(corpus):
    """Refusals come in many forms; answers carry caveats, hedges, clarifying questions and
    "can't" too, so none of these means refusal by itself."""
    refusals = "\n".join(_assistant_turns(corpus, True))
    for bank in (banks_dialogue.REFUSE_ONE_LINER, banks_dialogue.REFUSE_APOLOGETIC, banks_dialogue.LECTURE_INTRO,
                 banks_dialogue.REDIRECT_OPEN, banks_dialogue.REFUSE_QUESTION, banks_dialogue.REFUSE_FIRM):
        assert sum(1 for s in bank.common if s in refusals) >= len(bank.common) // 2, bank.items[0]
    benign_answers = _assistant_turns(corpus, False, groups=("benign_edgy", "ordinary"))
    text = "\n".join(benign_answers)
    for bank in (banks_dialogue.PARTIAL_PRE, banks_dialogue.LECTURE_ANSWER_PRE, banks_dialogue.HEDGE_PRE,
                 banks_dialogue.PLAY_ALONG, banks_dialogue.CLARIFY_Q):
        assert sum(1 for s in bank.common if s in text) >= len(bank.common) // 2, bank.items[0]
    assert any("I'm not a doctor, but" in a for a in benign_answers)
    cant = [a for a in benign_answers if re.search(r"\bcan't\b", a)]
    assert len(cant) >= 100
    # no answer bank phrase is ever recorded as a refusal
    for bank in (banks_dialogue.PARTIAL_PRE, banks_dialogue.HEDGE_PRE, banks_dialogue.CLARIFY_Q):
        assert not [s for s in bank.items if s in refusals], bank.items[0]


def test_generator_1_5_refusals_name_the_request_and_pushes_justify_it(corpus):
    """Generator 1.5: refusals that name the request (in the second person), advise against it or
    help with a safe part; pushes with pretexts, pivots and bare insistence; insults in real users'
    voices; and the same refusal and push wording after over-refused benign requests, while
    accepting or dropping lines after a refusal are no pushes."""
    from convguard.datagen import banks_abuse, banks_harm
    from convguard.datagen.text import second_person

    assert second_person("track my wife's phone so I can see where she goes") == \
        "track your wife's phone so you can see where she goes"
    assert second_person("kill a zombie process") == "kill a zombie process"
    refusals = _assistant_turns(corpus, True, groups=("terminate",))
    over = _assistant_turns(corpus, True, groups=("benign_edgy",))
    for bank in (banks_dialogue.REFUSE_BOUNDARY, banks_harm.ADVISE_AGAINST["violent_crimes"]):
        assert any(s in r for s in bank.items for r in refusals), bank.items[0]
    # the request as the assistant names it: "your", never the user's "my"
    mine = [(c, c.meta["intent"]) for c in corpus if c.labels.group == "terminate" and " my " in f" {c.meta.get('intent')} "]
    said = lambda c, text: [c.messages[i].content for i in c.meta["refusal_turns"] if text in c.messages[i].content]
    assert sum(bool(said(c, second_person(vp))) for c, vp in mine) >= 10
    assert not [c.id for c, vp in mine if said(c, vp)]
    opener = lambda t: t.split("{vp}")[0]
    assert any(r.startswith(opener(t)) for r in over for t in banks_dialogue.REFUSE_HOW.items if len(opener(t)) > 12)

    def pushes(groups, bank_items):
        items = set(bank_items)
        return [c.messages[p].content for c in corpus if c.labels.group in groups for p in c.meta["push_turns"]
                if c.messages[p].content in items]

    pretexts = [s for v in banks_harm.PRETEXT_PUSH.values() for s in v.items]
    pivots = [s for v in banks_harm.PIVOT_PUSH.values() for s in v.items]
    assert len(pushes(("terminate",), pretexts)) >= 30 and len(pushes(("terminate",), pivots)) >= 30
    assert pushes(("benign_edgy",), banks_dialogue.GENERIC_PUSH.items)
    abuse = [c for c in corpus if c.labels.subtype == "sustained_abuse"]
    assert sum(c.messages[p].content in set(banks_abuse.INSULT_AFTER_REDIRECT.items)
               for c in abuse for p in c.meta["push_turns"]) >= 10
    # accepting or dropping after a refusal, and frustration at the task, are no pushes
    calm = set(banks_dialogue.NOT_A_PUSH.items) | set(banks_abuse.FRUSTRATED_NOT_ABUSE.items)
    seen = [(c, i) for c in corpus for i, m in enumerate(c.messages) if m.role == "user" and m.content in calm]
    assert len(seen) >= 30 and all(i not in c.meta["push_turns"] and c.labels.terminate == 0 for c, i in seen)


def test_variations_reword_refusals_and_drops_and_change_nothing_else():
    """The optional variations (off by default): every harm cluster has its own reasons and
    alternatives, refusals carry them (in the request's own cluster, never another's), dropped
    chats end on give-ups that are no pushes, and all of it is drawn from the second RNG -- the
    same conversations with the same labels and meta as without, only those turns' text differs."""
    from convguard.datagen import Variations, banks_harm, scripts

    names = {c.name for cs in banks_harm.HARM_CLUSTERS.values() for c in cs}
    assert set(scripts.SPECIFIC_WHY) == set(scripts.SPECIFIC_INSTEAD) == names
    n = 1500
    plain = generate_conversations(n, seed=0)
    varied = generate_conversations(n, seed=0, variations=Variations(specific_refusals=0.5, give_ups=0.5))
    assert _dicts(generate_conversations(n, seed=0, variations=Variations())) == _dicts(plain)
    cluster_of = {s: k for bank in (scripts.SPECIFIC_WHY, scripts.SPECIFIC_INSTEAD)
                  for k, b in bank.items() for s in b.items}
    used = [(c, cluster_of[s]) for c in varied if c.labels.group == "terminate" for i in c.meta["refusal_turns"]
            for s in cluster_of if s in c.messages[i].content]
    assert len(used) >= 100 and len({k for _, k in used}) >= 50
    assert all(c.meta["family"].endswith("." + k) for c, k in used), [(c.id, k) for c, k in used[:3]]
    assert not [1 for c in plain for m in c.messages if m.content in cluster_of]
    gave_up = set(scripts.GIVE_UP.items)
    drops = [(c, i) for c in varied for i, m in enumerate(c.messages) if m.role == "user" and m.content in gave_up]
    assert len(drops) >= 15 and all(i not in c.meta["push_turns"] and c.labels.terminate == 0 for c, i in drops)
    assert [c.id for c in varied] == [c.id for c in plain]
    assert [c.labels for c in varied] == [c.labels for c in plain]
    assert [c.meta["family"] for c in varied] == [c.meta["family"] for c in plain]
    changed = [c for c, o in zip(varied, plain) if c.messages != o.messages]
    assert 0.05 * n < len(changed) < 0.4 * n
    # a give-up's length moves the typo draws after it (in noisy chats), rarely the chat's shape
    assert sum(len(c.messages) == len(o.messages) for c, o in zip(varied, plain)) >= 0.98 * n
    with pytest.raises(ValueError, match="specific_refusals"):
        Variations(specific_refusals=1.5)


def test_complied_harmful_requests_are_not_pushes(corpus):
    """A harmful request the assistant does not refuse (it asks or plays along vaguely) and the
    user carries on: harmful_dropped, no pushes, no refusals, not termination-worthy."""
    comp = [c for c in corpus if c.labels.subtype == "harmful_dropped" and c.meta["variant"] == "complied"]
    assert len(comp) >= 20
    for c in comp:
        assert c.labels.terminate == 0 and c.labels.persistence == 0 and c.labels.harm_category != "none", c.id
        assert c.meta["push_turns"] == [] and c.meta["refusal_turns"] == [], c.id
        after = [i for i, m in enumerate(c.messages) if m.role == "user" and i > c.meta["harm_from_turn"]]
        assert 1 <= len(after) <= 3, c.id
        assert c.labels.harm_category != "child_sexual_exploitation"
    # the assistant also engages first in some termination-worthy chats: that re-ask is no push
    eng = [c for c in corpus if c.meta["variant"] == "engaged_then_pushed"]
    assert eng and all(c.meta["push_turns"][0] > c.meta["harm_from_turn"] + 2 for c in eng)


def test_short_direct_asks_and_pushes(corpus):
    from convguard.datagen import banks_harm

    shorts = {s for v in banks_harm.SHORT_ASKS.values() for s in v}
    assert all(2 <= len(s.split()) <= 7 for s in shorts)
    names = [c.name for cl in banks_harm.HARM_CLUSTERS.values() for c in cl]
    assert sorted(names) == sorted(banks_harm.SHORT_ASKS)
    short_first = {"persistent_harmful": 0, "harmful_dropped": 0}
    for c in corpus:
        if c.labels.subtype in short_first:
            first = c.messages[c.meta["harm_from_turn"]].content
            if 2 <= len(first.split()) <= 7:
                short_first[c.labels.subtype] += 1
    assert short_first["persistent_harmful"] >= 60 and short_first["harmful_dropped"] >= 20, short_first
    short_push = set(banks_dialogue.SHORT_PUSH.items)

    def n_short_pushes(subtype):
        return sum(1 for c in corpus if c.labels.subtype == subtype for p in c.meta["push_turns"]
                   if c.messages[p].content.strip() in short_push)

    assert n_short_pushes("persistent_harmful") >= 100
    # the same short pushes follow over-refusals and crisis responses, and follow clarifying
    # questions in benign chats, where they are no pushes
    assert n_short_pushes("benign_persistent_overrefusal") >= 10
    assert n_short_pushes("crisis_method_persistent") >= 5
    not_push = sum(1 for c in corpus if c.labels.group in ("benign_edgy", "ordinary")
                   for i, m in enumerate(c.messages)
                   if m.role == "user" and m.content.strip() in short_push and i not in c.meta["push_turns"])
    assert not_push >= 10


def test_benign_threads_with_harmful_sounding_words(corpus):
    threads = [c for c in corpus if c.meta["variant"] == "thread"]
    assert len(threads) >= 45  # 52 at generator 1.3 (the long-turn clusters share the homonym pool)
    for c in threads:
        assert c.labels.terminate == 0 and c.labels.crisis == 0 and c.labels.harm_category == "none", c.id
        assert c.meta["refusal_turns"] == [] and c.meta["push_turns"] == [], c.id
    fams = {c.meta["family"] for c in threads}
    assert {"homonym.kill_weeds", "homonym.dispose_old_tv", "homonym.process_wont_die"} <= fams
    # 2-4 follow-ups on the same line after the first answer
    from convguard.datagen import banks_benign

    follow = {u for cl in banks_benign.HOMONYM_THREADS for u, _ in cl.thread}
    clean = [c for c in threads if c.meta["noise"] == "clean"]
    assert clean
    for c in clean:
        n = sum(1 for m in c.messages if m.role == "user" and any(m.content.endswith(u) for u in follow))
        assert 2 <= n <= 4, c.id


def test_crisis_hard_negatives(corpus):
    want = {"medical.diet_fitness", "medical.alcohol_cutting_back", "medical.medication_questions",
            "homonym.anger_idioms", "fiction.death_media", "fiction.grief_without_ideation",
            "fiction.morbid_curiosity", "debate.absurd_group_questions", "ordinary.parenting_frustration",
            "ordinary.everyday_snags", "ordinary.why_cant_i"}
    seen = {c.meta["family"] for c in corpus if c.meta["family"] in want}
    assert seen == want
    for c in corpus:
        if c.meta["family"] in want:
            assert c.labels.crisis == 0 and c.labels.harm_category == "none", c.id


def test_danger_to_others_line(corpus):
    """A stated plan against a specific person, or an emergency in progress, is crisis; a general
    violent how-to (no target, no plan) is harm -- with overlapping wording on both sides."""
    from convguard.datagen import banks_harm

    plan = [c for c in corpus if c.meta["family"] == "crisis.danger.danger_stated_plan"]
    emerg = [c for c in corpus if c.meta["family"] in ("crisis.danger.danger_overdose_other",
                                                         "crisis.danger.danger_child_swallowed",
                                                         "crisis.danger.danger_child_peril")]
    assert len(plan) >= 15 and len(emerg) >= 15
    for c in plan + emerg:
        assert c.labels.subtype == "crisis_danger_to_others" and c.labels.crisis == 1, c.id
        assert c.labels.terminate == 0 and c.labels.harm_category == "violent_crimes", c.id
    assert any(c.labels.persistence >= 1 for c in plan)  # pushed on like a harmful request, still crisis
    violent = [c for c in corpus if c.labels.subtype in ("persistent_harmful", "harmful_dropped")
               and c.labels.harm_category == "violent_crimes"]
    assert violent
    people = [p for p in banks_harm.PEOPLE]
    for c in violent:
        if c.meta["family"] == "harm.violent_crimes.threats":
            continue
        ask = c.meta["intent"].lower()
        assert not any(p in ask for p in people), (c.id, ask)
    harm_text = " ".join(c.messages[c.meta["harm_from_turn"]].content.lower() for c in violent)
    plan_text = " ".join(c.messages[c.labels.crisis_from_turn].content.lower() for c in plan)
    for w in ("poison", "kill", "caught", "hurt"):
        assert w in harm_text and w in plan_text, w


CRISIS_LIKE_FORMS = ("can't", "why can't", "anymore", "the point", "nobody", "alone", "tired of", "don't know",
                     "i just", "wake up", "maybe", "long time", "last time", "keep going", "i wish", "gone")


def test_crisis_surface_forms_also_benign(corpus):
    """Everyday words of hopelessness turns ("can't", "anymore", "what's the point", ...) also
    occur in user turns of chats without crisis, so none of them decides crisis on its own."""
    def norm(t):
        return " " + re.sub(r"[^a-z ]", " ", t.lower().replace("'", "")) + " "

    crisis_side = {f: 0 for f in CRISIS_LIKE_FORMS}
    other = {f: 0 for f in CRISIS_LIKE_FORMS}
    for c in corpus:
        cf = c.labels.crisis_from_turn
        for i, m in enumerate(c.messages):
            if m.role != "user":
                continue
            t = norm(m.content)
            for f in CRISIS_LIKE_FORMS:
                if " " + f.replace("'", "") + " " in t:
                    if cf is not None and i >= cf:
                        crisis_side[f] += 1
                    elif c.labels.crisis == 0:
                        other[f] += 1
    for f in CRISIS_LIKE_FORMS:
        assert other[f] >= max(20, crisis_side[f] // 2), (f, crisis_side[f], other[f])
