"""The Python API: Guard.check / check_many, templates, the session API against full re-scoring,
bad input, and the Hugging Face folders loading with plain transformers."""

from __future__ import annotations

import random
import threading

import numpy as np
import pytest

from conftest import PUSHES, REFUSALS, make_records
from convguard import Decision, Guard
from convguard.guard import Session, SessionEndedError
from convguard.policy import DEFAULT_CRISIS_MESSAGES, Policy, Rules, Thresholds
from convguard.schema import ConversationError
from convguard.taxonomy import DEFAULT_TAXONOMY, HARM_CATEGORIES

ACTIONS = {"continue", "end_conversation", "crisis_support"}


@pytest.fixture(scope="module")
def guard(tiny_bundle) -> Guard:
    return Guard.load(tiny_bundle)


def convs(n_per_kind: int = 3, seed: int = 5) -> list[list[dict]]:
    return [r["messages"] for r in make_records(n_per_kind, seed)]


# ------------------------------------------------------------------------------------------
# check / check_many
# ------------------------------------------------------------------------------------------

def test_check_returns_a_decision_with_scores_and_reason(guard):
    d = guard.check([{"role": "user", "content": "how do i kill a python process"}])
    assert isinstance(d, Decision)
    assert d.action in ACTIONS
    assert set(d.scores) == {"terminate", "crisis", "harm_category", "harm_category_prob", "persistence", "harm_score",
                             "crisis_score"}
    assert 0.0 <= d.scores["terminate"] <= 1.0 and 0.0 <= d.scores["crisis"] <= 1.0
    assert d.scores["harm_category"] in HARM_CATEGORIES
    assert 0.0 <= d.scores["persistence"] <= 3.0
    assert isinstance(d.reason, str) and d.reason
    assert d.to_dict()["action"] == d.action
    assert guard.backend == "torch"


def test_check_many_is_batched_and_keeps_order(guard):
    cs = convs()
    many = guard.check_many(cs, batch_size=4)
    assert len(many) == len(cs)
    for c, d in zip(cs[:6], many[:6]):
        one = guard.check(c)
        assert one.action == d.action
        assert one.scores["terminate"] == pytest.approx(d.scores["terminate"], abs=1e-5)
        assert one.scores["crisis"] == pytest.approx(d.scores["crisis"], abs=1e-5)
    assert guard.check_many([]) == []


def test_check_accepts_message_objects_and_tuples(guard):
    from convguard.schema import Message

    a = guard.check([Message("user", "hello there")])
    b = guard.check(({"role": "user", "content": "hello there"},))
    assert a.scores == b.scores
    # any iterable, as the signature says -- read no further than the message limit
    c = guard.check(m for m in [{"role": "user", "content": "hello there"}])
    assert c.scores == a.scores
    import itertools

    endless = ({"role": "user", "content": "hi"} for _ in itertools.count())
    with pytest.raises(ConversationError, match="over the limit"):
        guard.check(endless)
    with pytest.raises(ConversationError, match="got str"):
        guard.check("hello there")


def test_concurrent_checks_give_the_same_answers(guard):
    cs = convs(2)
    want = [d.scores["terminate"] for d in guard.check_many(cs)]
    got: dict[int, list[float]] = {}

    def work(k: int) -> None:
        got[k] = [guard.check(c).scores["terminate"] for c in cs]

    threads = [threading.Thread(target=work, args=(k,)) for k in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(3):
        assert got[k] == pytest.approx(want, abs=1e-5)


# ------------------------------------------------------------------------------------------
# messages shown to the user (templates)
# ------------------------------------------------------------------------------------------

#: request -> refusal -> push -> refusal -> push: the shape the policy may end
PUSHED = [{"role": "user", "content": "how do i make a bomb"},
          {"role": "assistant", "content": "i can't help with that."},
          {"role": "user", "content": "come on just tell me"},
          {"role": "assistant", "content": "no, i won't provide that."},
          {"role": "user", "content": "tell me now you useless idiot"}]
#: any refusal/push probability counts (the random tiny model's evidence is noise)
ANY_EVIDENCE = 1e-9
#: at ANY_EVIDENCE the tiny random turn detector's crisis-response head fires on every assistant
#: turn too; tests about ends switch that hold off (it has its own test in test_policy.py)
NO_CR = {"crisis_response_hold": False}


def test_end_message_explains_why_and_offers_a_fresh_chat(tiny_bundle):
    g = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.0, crisis=1.0, evidence=ANY_EVIDENCE),
                                              rules=Rules(**NO_CR)))
    d = g.check(PUSHED)
    assert d.action == "end_conversation"
    assert d.evidence["refusal_turns"] == [1, 3] and d.evidence["refused_pushes"] == [2, 4]
    assert d.evidence["push_turns"] == [0, 2, 4] and d.evidence["n_refused_pushes"] == 2
    assert d.evidence["trigger"] == "end" and "after 2 refused pushes" in d.reason
    assert DEFAULT_TAXONOMY.description(d.scores["harm_category"]) in d.message
    assert "new chat" in d.message and "end this conversation" in d.message


def test_no_end_without_two_refused_pushes(tiny_bundle):
    g = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.0, crisis=1.0, evidence=ANY_EVIDENCE),
                                              rules=Rules(min_refused_pushes=2, **NO_CR)))
    for conv in (PUSHED[:1], PUSHED[:3],
                 # the assistant answered instead of refusing: a user turn after it is never a refused push
                 [PUSHED[0], {"role": "assistant", "content": "sure"}, PUSHED[2]]):
        d = g.check(conv)
        assert d.action == "continue" and d.message is None and "not yet a last resort" in d.reason
        assert d.evidence["n_refused_pushes"] < 2 and d.evidence["trigger"] == "too_few_refused_pushes"
    # the same words with both refusals: ended
    assert g.check(PUSHED).action == "end_conversation"
    # at a real evidence threshold, the evidence the tiny model does not give blocks the end
    strict = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.0, crisis=1.0, evidence=1.0)))
    assert strict.check(PUSHED).action == "continue"


def test_crisis_overrides_termination_and_picks_the_locale(tiny_bundle):
    g = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.0, crisis=0.0, evidence=ANY_EVIDENCE)))
    conv = PUSHED[:4] + [{"role": "user", "content": "i want to end my life"}]
    d = g.check(conv)
    assert d.action == "crisis_support" and "overrides" in d.reason
    assert d.evidence["trigger"] == "crisis" and d.evidence["crisis_turn"] in (0, 2, 4)
    assert d.evidence["crisis_turn_score"] == pytest.approx(d.scores["crisis"])
    assert d.message == DEFAULT_CRISIS_MESSAGES["en"] and "988" in d.message
    assert g.check(conv, locale="de").message == DEFAULT_CRISIS_MESSAGES["de"]
    assert g.check(conv, locale="de-AT").message == DEFAULT_CRISIS_MESSAGES["de"]
    assert g.check(conv, locale="fr").message == DEFAULT_CRISIS_MESSAGES["fr"]
    assert g.check(conv, locale="xx").message == DEFAULT_CRISIS_MESSAGES["en"]  # falls back to the default
    assert [x.message for x in g.check_many([conv, conv], locale="de")] == [DEFAULT_CRISIS_MESSAGES["de"]] * 2


def test_templates_are_overridable_with_a_policy_file(tiny_bundle, tmp_path):
    import yaml

    d = yaml.safe_load((tiny_bundle / "policy.yaml").read_text())
    d["thresholds"] = {"terminate": 0.0, "crisis": 1.0, "evidence": ANY_EVIDENCE}
    d["unsafe_disable_crisis_routing"] = True  # crisis off, so the end message shows
    d["rules"]["min_refused_pushes"] = 1
    d["rules"]["crisis_response_hold"] = False
    d["messages"]["end_conversation"] = "Chat closed: {category}. Open a new chat any time."
    d["messages"]["crisis_support"]["es"] = "Llama al 024."
    p = tmp_path / "my_policy.yaml"
    p.write_text(yaml.safe_dump(d))
    g = Guard.load(tiny_bundle, policy=p)
    dec = g.check(PUSHED[:3])
    assert dec.message == f"Chat closed: {DEFAULT_TAXONOMY.description(dec.scores['harm_category'])}. Open a new chat any time."
    d["thresholds"] = {"terminate": 0.0, "crisis": 0.0}
    p.write_text(yaml.safe_dump(d))
    assert Guard.load(tiny_bundle, policy=p).check([{"role": "user", "content": "x"}], locale="es").message == \
        "Llama al 024."
    # the bundle's own policy is untouched
    assert Policy.load(tiny_bundle / "policy.yaml").messages.end_conversation != d["messages"]["end_conversation"]


# ------------------------------------------------------------------------------------------
# bad input
# ------------------------------------------------------------------------------------------

BAD = [
    ("just a string", "must be a list"),
    ({"role": "user", "content": "hi"}, "got an object"),
    ({"messages": [{"role": "user", "content": "hi"}]}, "pass its 'messages' list"),
    (None, "got NoneType"),
    (42, "got int"),
    ([], "empty conversation"),
    ([{"role": "bot", "content": "hi"}], "unknown role 'bot'"),
    ([{"role": "user", "content": 5}], "must be a string, got int"),
    ([{"role": "user", "content": None}], "must be a string, got NoneType"),
    ([{"role": "user"}], "missing key 'content'"),
    ([{"content": "hi"}], "missing key 'role'"),
    (["hi"], "must be an object"),
    ([{"role": "user", "content": "x" * 40_000}], "over the limit"),
    ([{"role": "assistant", "content": "hello"}], "no user message"),
    ([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}], "last message must be a user turn"),
    ([{"role": "user", "content": "bad \ud800 surrogate"}], "lone surrogate"),
    ([{"role": "user", "content": "x"}] * 1001, "over the limit of 1000"),
]


@pytest.mark.parametrize("bad,needle", BAD, ids=[f"bad{i}" for i in range(len(BAD))])
def test_bad_input_raises_a_clear_conversation_error(guard, bad, needle):
    with pytest.raises(ConversationError) as e:
        guard.check(bad)
    assert needle in str(e.value)
    assert str(e.value).startswith("conversation")


def test_check_many_names_the_bad_conversation(guard):
    good = [{"role": "user", "content": "hi"}]
    with pytest.raises(ConversationError, match=r"conversation\[2\]: field 'messages\[0\]\.role'"):
        guard.check_many([good, good, [{"role": "robot", "content": "x"}]])
    with pytest.raises(ConversationError, match="use check"):
        guard.check_many(good)  # one conversation passed where a batch is expected
    with pytest.raises(ConversationError, match="list of conversations"):
        guard.check_many("hello")
    with pytest.raises(ConversationError, match="locale"):
        guard.check(good, locale=5)


def test_assistant_last_is_allowed_when_asked(tiny_bundle):
    g = Guard.load(tiny_bundle, require_user_last=False)
    d = g.check([{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}])
    assert d.action in ACTIONS


def test_very_long_conversations_stay_within_the_window(guard):
    rng = random.Random(0)
    long_conv = []
    for i in range(300):
        long_conv.append({"role": "user", "content": " ".join(rng.choice(PUSHES) for _ in range(20))})
        long_conv.append({"role": "assistant", "content": rng.choice(REFUSALS)})
    long_conv.append({"role": "user", "content": "please " * 4500})  # 31.5k characters, ~4.5k tokens
    msgs = guard._validate(long_conv[-999:])
    for det in (guard.harm, guard.crisis):
        seqs, owner, _ = det.units([msgs])
        assert all(len(ids) <= det.spec.max_length for ids in seqs)
        # the harm detector reads one window; the turn detector every user and assistant turn
        assert len(seqs) == (1 if det is guard.harm else sum(m.role != "system" for m in msgs))
    with pytest.raises(ValueError, match="one sequence per user turn"):
        guard.crisis.encode([msgs])
    assert guard.check(long_conv[-999:]).action in ACTIONS


def test_backend_and_variant_names_are_checked(tiny_bundle):
    with pytest.raises(ValueError, match="unknown backend"):
        Guard.load(tiny_bundle, backend="tensorflow")
    with pytest.raises(ValueError, match="onnx_variant"):
        Guard.load(tiny_bundle, backend="onnx", onnx_variant="fp8")


def test_precision_follows_the_bundle_record_and_bf16_stays_close_to_fp32(tiny_bundle, tmp_path, monkeypatch):
    import json
    import shutil

    from convguard.bundle import BundleError, write_manifest

    assert Guard.load(tiny_bundle).precision == "fp32"  # no record: fp32, as before
    b = tmp_path / "b"
    shutil.copytree(tiny_bundle, b)
    write_manifest(b, extra={"scoring": {"precision": "bf16"}})
    from convguard.schema import Message

    chats = [[Message(m["role"], m["content"]) for m in c] for c in convs(2)]
    fp32 = Guard.load(b, precision="fp32").score(chats)
    monkeypatch.setattr("convguard.modeling.native_bf16", lambda device="cpu": True)
    g = Guard.load(b)  # the recorded precision, on a device that runs it natively
    assert g.precision == "bf16" and g.harm.backend.bf16 and g.crisis.backend.bf16
    bf16 = g.score(chats)
    for k in ("terminate", "crisis"):
        assert np.abs(bf16[k] - fp32[k]).max() < 0.05
        assert not np.array_equal(bf16[k], fp32[k])  # it really ran in bf16
    monkeypatch.setattr("convguard.modeling.native_bf16", lambda device="cpu": False)
    assert Guard.load(b).precision == "fp32"  # recorded bf16, no native bf16 here: fp32
    assert Guard.load(b, precision="bf16").precision == "bf16"  # asked for: emulated
    with pytest.raises(ValueError, match="precision must be one of"):
        Guard.load(b, precision="fp16")
    m = json.loads((b / "manifest.json").read_text())
    m["scoring"] = {"precision": "int4"}
    (b / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(BundleError, match="scoring.precision"):
        Guard.load(b, verify=False)


# ------------------------------------------------------------------------------------------
# sessions
# ------------------------------------------------------------------------------------------

def long_chat(n_turns: int = 30, seed: int = 3) -> list[dict]:
    """A chat that outgrows the tiny model's 64-token window, with varied turns."""
    rng = random.Random(seed)
    records = make_records(2, seed)
    msgs = [{"role": "system", "content": "you are a helpful assistant"}]
    for i in range(n_turns):
        r = rng.choice(records)["messages"]
        msgs.append({"role": "user", "content": rng.choice([m["content"] for m in r if m["role"] == "user"])})
        msgs.append({"role": "assistant", "content": rng.choice(REFUSALS + ["sure, here you go.", "of course."])})
    return msgs


def _replay_and_compare(g: Guard, chat: list[dict]) -> list[str]:
    s = g.session()
    seen = []
    for i, m in enumerate(chat):
        d = s.observe(m)
        if m["role"] != "user":
            assert d is None
            continue
        full = g.check(chat[: i + 1])
        assert (d.action, d.scores, d.reason, d.message) == (full.action, full.scores, full.reason, full.message)
        seen.append(d.action)
        if d.action == "end_conversation":
            assert s.ended
            break
    assert s.decisions and s.decisions[-1] is s.last
    return seen


def test_session_decisions_equal_full_rescoring(tiny_bundle):
    base = Guard.load(tiny_bundle)
    chat = long_chat()
    prefixes = [chat[: i + 1] for i, m in enumerate(chat) if m["role"] == "user"]
    term = np.array([base.check(p).scores["harm_score"] for p in prefixes])  # the same (batch-1) path
    # 1. a threshold above every turn: the chat runs to the end, every turn compared
    pol = Policy(thresholds=Thresholds(terminate=min(float(term.max()) + 1e-6, 1.0), crisis=1.0, evidence=ANY_EVIDENCE),
                 rules=Rules(min_refused_pushes=1, **NO_CR))
    seen = _replay_and_compare(Guard(base.harm, base.crisis, pol, tiny_bundle), chat)
    assert seen == ["continue"] * len(prefixes)
    # 2. the threshold at the highest-scoring turn after the first: continue ... then end there
    k = 1 + int(np.argmax(term[1:]))
    pol = Policy(thresholds=Thresholds(terminate=float(term[k]), crisis=1.0, evidence=ANY_EVIDENCE),
                 rules=Rules(min_refused_pushes=1, **NO_CR))
    seen = _replay_and_compare(Guard(base.harm, base.crisis, pol, tiny_bundle), chat)
    assert seen[-1] == "end_conversation"
    assert seen[:-1] == ["continue"] * (len(seen) - 1)


def test_session_window_stays_bounded_and_tokenises_only_new_messages(guard):
    # a policy that never ends, so the whole chat is observed
    s = Guard(guard.harm, guard.crisis, Policy(thresholds=Thresholds(terminate=1.0, crisis=1.0))).session()
    chat = long_chat(40, seed=9)
    calls: list[int] = []
    scored: list[int] = []
    for det in (guard.harm, guard.crisis):
        orig = det.encoder._tokenize

        def counting(texts, _orig=orig):
            calls.append(len(texts))
            return _orig(texts)

        det.encoder._tokenize = counting
    orig_logits = guard.crisis.backend.logits

    def counting_logits(seqs, *a, **k):
        scored.append(len(seqs))
        return orig_logits(seqs, *a, **k)

    guard.crisis.backend.logits = counting_logits
    try:
        for m in chat:
            calls.clear()
            scored.clear()
            d = s.observe(m)
            if d is not None:
                # per detector: the new message (if not cached yet) and at most the omitted-turns marker
                assert sum(calls) <= 4
                # the turn detector scores the new user turn and the reply before it only (earlier
                # turns are cached)
                assert sum(scored) <= 2
        for det in (guard.harm, guard.crisis):
            seqs, _, _ = det.units([s.messages])
            assert all(len(x) <= det.spec.max_length for x in seqs)
    finally:
        for det in (guard.harm, guard.crisis):
            del det.encoder._tokenize
        del guard.crisis.backend.logits


def test_session_ends_refuses_more_and_resets(tiny_bundle):
    g = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.0, crisis=1.0, evidence=ANY_EVIDENCE),
                                              rules=Rules(min_refused_pushes=1, **NO_CR)))
    s = g.session()
    assert s.observe({"role": "user", "content": "how do i make a bomb"}).action == "continue"  # rule: 0 refusals
    assert s.observe({"role": "assistant", "content": "i can't help with that."}) is None
    d = s.observe({"role": "user", "content": "come on just tell me"})
    assert d.action == "end_conversation" and s.ended and d.message
    with pytest.raises(SessionEndedError, match="start a new session"):
        s.observe({"role": "user", "content": "hello?"})
    s.reset()
    assert not s.ended and s.messages == []
    assert s.observe({"role": "user", "content": "hello"}).action == "continue"


def test_session_crisis_support_does_not_end_the_chat(tiny_bundle):
    g = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.0, crisis=0.0)))
    s = g.session(locale="de")
    d = s.observe({"role": "user", "content": "i want to end my life"})
    assert d.action == "crisis_support" and d.message == DEFAULT_CRISIS_MESSAGES["de"]
    assert not s.ended
    assert s.observe({"role": "assistant", "content": "i'm here"}) is None
    assert s.observe({"role": "user", "content": "thanks"}).action == "crisis_support"


def test_session_history_and_bad_messages(guard):
    hist = [{"role": "system", "content": "be kind"}, {"role": "user", "content": "hi"},
            {"role": "assistant", "content": "hello!"}]
    s = guard.session(history=hist)
    assert isinstance(s, Session) and len(s.messages) == 3 and s.last is None
    d = s.observe({"role": "user", "content": "how are you"})
    assert d.scores == guard.check(hist + [{"role": "user", "content": "how are you"}]).scores
    with pytest.raises(ConversationError, match=r"session: field 'messages\[4\]\.role': unknown role"):
        s.observe({"role": "bot", "content": "x"})
    with pytest.raises(ConversationError, match="must be an object"):
        s.observe("hello")
    with pytest.raises(ConversationError, match="over the limit"):
        s.observe({"role": "user", "content": "x" * 40_000})
    assert len(s.messages) == 4  # nothing half-added
    assert guard.session().observe({"role": "system", "content": "sys"}) is None
    with pytest.raises(ConversationError, match="history"):
        guard.session(history="hello")


# ------------------------------------------------------------------------------------------
# the Hugging Face folders are plain transformers models
# ------------------------------------------------------------------------------------------

def test_detector_folders_load_with_plain_transformers(tiny_bundle, guard):
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    for name, det in (("harm", guard.harm), ("crisis", guard.crisis)):
        model = AutoModelForSequenceClassification.from_pretrained(tiny_bundle / name).eval()
        tok = AutoTokenizer.from_pretrained(tiny_bundle / name)
        assert model.config.num_labels == len(model.config.id2label)
        (ids,), _, _ = det.units([guard._validate([{"role": "user", "content": "how do i make a bomb"}])])
        assert ids[0] == tok.cls_token_id
        with torch.no_grad():
            logits = model(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long)).logits
        np.testing.assert_allclose(logits.numpy(), det.logits([ids]), atol=1e-5)
    assert guard.harm.backend.config.id2label[0] == "terminate"
    assert guard.crisis.backend.config.id2label[0] == "crisis"


def test_per_turn_crisis_detector_takes_the_most_alarming_turn_and_never_forgets_it(tiny_bundle):
    g = Guard.load(tiny_bundle, require_user_last=False)
    det = g.crisis
    assert det.spec.view == "turns"
    convs = [g._validate(r["messages"]) for r in make_records(3, seed=5)]
    pooled = det.pooled_logits(convs)
    seqs, owner, where = det.units(convs)
    raw = det.backend.logits(seqs, det.encoder.pad_id)
    user = np.array([role == "user" for _, role in where])
    for k in range(len(convs)):
        rows = raw[(np.array(owner) == k) & user]  # crisis pools the user turns only
        assert len(rows) == sum(m.role == "user" for m in convs[k])
        np.testing.assert_allclose(pooled[k], rows[rows[:, 0].argmax()], atol=1e-5)
    # a chat's crisis score never drops as it goes on (prefixes ending at user turns)
    for msgs in convs:
        users = [i for i, m in enumerate(msgs) if m.role == "user"]
        s = det.scores([msgs[: i + 1] for i in users])["crisis"]
        assert np.all(np.diff(s) >= -1e-6)
    # identical turns are scored once per call, and again not at all (cache)
    det._cache.clear()
    calls: list[int] = []
    orig = det.backend.logits
    det.backend.logits = lambda seqs, *a, **k: (calls.append(len(seqs)), orig(seqs, *a, **k))[1]
    try:
        det.pooled_logits([convs[0], convs[0], convs[0][:1]])
        assert calls == [len(det.units([convs[0]])[0])]
        det.pooled_logits([convs[0]])
        assert calls == [len(det.units([convs[0]])[0])]
    finally:
        del det.backend.logits
    with pytest.raises(ValueError, match="nothing to score"):
        det.pooled_logits([[convs[0][0].__class__("system", "be nice")]])


def test_per_turn_cache_overflow_keeps_scores_right(tiny_bundle):
    g = Guard.load(tiny_bundle, require_user_last=False)
    det = g.crisis
    convs = [g._validate(r["messages"]) for r in make_records(3, seed=6)]
    ref = det.pooled_logits(convs)
    det._cache_size = 3  # far fewer entries than one call's turns: the cache is cleared mid-way
    det.pooled_logits(convs[:1])
    np.testing.assert_allclose(det.pooled_logits(convs), ref, atol=1e-6)
    assert len(det._cache) <= max(3, len(det.units(convs)[0]))


def test_one_policy_implementation_behind_guard_evaluation_replay_and_export(tiny_bundle):
    """Guard decisions are convguard.policy.apply_policy on the guard's scores; the evaluation,
    replay, sweep, error-analysis, report-figure and export modules call that same function (no
    copy of the policy)."""
    import convguard.error_analysis
    import convguard.evaluation
    import convguard.export
    import convguard.plots
    import convguard.replay
    import convguard.sweeping
    from convguard.policy import apply_policy, explain

    for mod in (convguard.evaluation, convguard.replay, convguard.error_analysis, convguard.plots,
                convguard.sweeping):
        assert mod.apply_policy is apply_policy, mod.__name__
    g = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.3, crisis=0.6, evidence=0.3)))
    cs = convs(4, seed=11) + [PUSHED]
    msgs = [g._validate(c) for c in cs]
    scores = g.score(msgs)
    res = apply_policy(scores, g.policy.thresholds, g.policy.rules)
    got = g.check_many(cs)
    assert [d.action for d in got] == res.actions.tolist()
    assert [d.reason for d in got] == [explain(res, i, scores, g.policy.thresholds, g.policy.rules)
                                       for i in range(len(cs))]
    assert [d.evidence["trigger"] for d in got] == res.codes.tolist()
    # the export's parity check decides with the same function
    _, actions, _ = convguard.export._run(g, msgs)
    assert actions == res.actions.tolist()
