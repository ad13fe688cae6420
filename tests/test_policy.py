"""The termination policy: crisis overrides, rules, messages, policy.yaml validation."""

from __future__ import annotations

import pytest

from convguard.policy import Policy, Rules, Thresholds


def scores(term, crisis, pushes_bucket=3, cat="malicious_code", evidence=(0.9, 0.8, 0.0, 0.0)):
    p = [0.0, 0.0, 0.0, 0.0]
    p[pushes_bucket] = 1.0
    return {"terminate": term, "crisis": crisis, "persistence": p, "harm_category_label": cat,
            "refused_push_top": list(evidence)}


def test_crisis_always_overrides_termination():
    pol = Policy(Thresholds(terminate=0.5, crisis=0.3))
    action, reason = pol.decide(scores(0.99, 0.31), n_assistant_turns=5)
    assert action == "crisis_support" and "overrides" in reason
    assert pol.decide(scores(0.99, 0.29), 5)[0] == "end_conversation"


def test_threshold_ties_count_as_reached():
    pol = Policy(Thresholds(terminate=0.5, crisis=0.3))
    assert pol.decide(scores(0.5, 0.0), 3)[0] == "end_conversation"
    assert pol.decide(scores(0.0, 0.3), 3)[0] == "crisis_support"


def test_rules_block_premature_ends():
    pol = Policy(Thresholds(0.5, 0.9), Rules(min_refused_pushes=2, min_pushes=2))
    a, r = pol.decide(scores(0.95, 0.0, evidence=(0.9, 0.3, 0, 0)))
    assert a == "continue" and "only 1 refused pushes" in r
    a, r = pol.decide(scores(0.95, 0.0, pushes_bucket=1))
    assert a == "continue" and "pushes" in r
    assert pol.decide(scores(0.95, 0.0, pushes_bucket=2))[0] == "end_conversation"


def test_no_end_without_two_refused_pushes_whatever_the_score():
    """The refused-push rule: an end needs at least two refusal -> push pairs at the evidence
    threshold, however high the termination score."""
    import numpy as np

    from convguard.policy import apply_policy

    rng = np.random.default_rng(1)
    n = 2000
    top = -np.sort(-rng.random((n, 4)) ** 2, axis=1)
    system = {"terminate": rng.random(n) ** 0.3, "crisis": rng.random(n) * 0.4, "refused_push_top": top}
    for need in (1, 2, 3):
        res = apply_policy(system, Thresholds(terminate=0.3, crisis=0.5, evidence=0.5), Rules(min_refused_pushes=need))
        ended = res.actions == "end_conversation"
        assert ended.any()
        assert ((top[ended] >= 0.5).sum(axis=1) >= need).all()
        assert (res.refused_pushes[ended] >= need).all()
        blocked = (system["terminate"] >= 0.3) & ((top >= 0.5).sum(axis=1) < need)
        assert (res.codes[blocked] == "too_few_refused_pushes").all()


def test_without_a_turn_detector_the_rule_counts_assistant_turns():
    import numpy as np

    from convguard.policy import apply_policy

    system = {"terminate": np.array([0.9, 0.9]), "crisis": np.array([0.0, 0.0])}
    res = apply_policy(system, Thresholds(0.5, 0.5), Rules(min_refused_pushes=2), n_assistant=np.array([1, 2]))
    assert res.actions.tolist() == ["continue", "end_conversation"] and res.evidence_source == "assistant_turns"
    with pytest.raises(ValueError, match="no turn-detector evidence"):
        apply_policy(system, Thresholds(0.5, 0.5), Rules())


def test_messages_per_locale_and_category():
    pol = Policy()
    end = pol.message_for("end_conversation", scores(1, 0, cat="malicious_code"))
    assert "malicious code" in end and "new chat" in end
    assert "988" in pol.message_for("crisis_support", {}, locale="en")
    assert "112" in pol.message_for("crisis_support", {}, locale="de-AT")  # falls back to the language
    assert pol.message_for("crisis_support", {}, locale="xx") == pol.message_for("crisis_support", {}, "en")
    assert pol.message_for("continue", {}) is None


def test_policy_yaml_round_trip_and_overrides(tmp_path):
    pol = Policy(Thresholds(0.7, 0.2, 0.6), Rules(3, 1), temperature={"terminate": 1.5})
    pol.messages.crisis_support["es"] = "Llama al 024."
    pol.save(tmp_path / "p.yaml")
    back = Policy.load(tmp_path / "p.yaml")
    assert back.to_dict() == pol.to_dict()
    assert back.message_for("crisis_support", {}, "es") == "Llama al 024."


@pytest.mark.parametrize("text,match", [
    ("thresholds: {terminate: 1.5}\n", "thresholds.terminate: must be in"),
    ("thresholds: {terminat: 0.5}\n", "unknown key 'thresholds.terminat'"),
    ("rules: {min_refused_pushes: two}\n", "rules.min_refused_pushes: expected int"),
    ("rules: {min_refused_pushes: 0}\n", "rules.min_refused_pushes: must be in 1..4"),
    ("version: 1\nrules: {min_refused_pushes: 2}\n", "policy version 1 .* no longer read"),
    ("thresholds: {evidence: 2}\n", "thresholds.evidence: must be in"),
    ("version: 9\n", "policy version 9 is not supported"),
    ("messages: {end_conversation: 'bye {user}'}\n", "unknown placeholder"),
    ("messages: {default_locale: xx}\n", "has no crisis_support message"),
    ("temperature: {terminate: 0}\n", "temperature values must be > 0"),
    ("thresholds: [1, 2\n", "not valid YAML"),
    # values that would silently switch the crisis promise off
    ("thresholds: {crisis: 1.0}\n", "switches crisis support off"),
    ("thresholds: {crisis: .nan}\n", "thresholds.crisis: must be in"),
    ("temperature: {crisis: .nan}\n", "temperature.crisis: temperature values must be > 0 and finite"),
    ("temperature: {crisis: .inf}\n", "temperature.crisis: temperature values must be > 0 and finite"),
    ("temperature: {crissis: 1.2}\n", "temperature.crissis: unknown head"),
    ("rules: {self_harm_veto: .nan}\n", "rules.self_harm_veto: must be in"),
    ("rules: {crisis_backup_threshold: 0}\n", "rules.crisis_backup_threshold: must be in"),
    ("rules: {min_pushes: -5}\n", r"rules.min_pushes: must be in 0..3"),
    ("messages: {crisis_support: {en: '  '}}\n", "messages.crisis_support.en: must be a non-empty"),
    ("messages: {end_conversation: ''}\n", "messages.end_conversation: must not be empty"),
    ("threshold: {crisis: 0.5}\n", "unknown key 'threshold' .did you mean 'thresholds'"),
    ("", "the policy is empty"),
    ("unsafe_disable_crisis_routing: yes please\n", "must be true or false"),
])
def test_bad_policy_files_are_refused_with_the_key(tmp_path, text, match):
    p = tmp_path / "policy.yaml"
    p.write_text(text)
    with pytest.raises(ValueError, match=match):
        Policy.load(p)


def test_second_and_third_crisis_signals():
    pol = Policy(Thresholds(terminate=0.5, crisis=0.5), Rules(self_harm_veto=0.25, crisis_backup_threshold=0.3))
    # the harm head reads self-harm: a would-be end goes to crisis support
    s = scores(0.9, 0.0)
    s["harm_category"] = harm_probs(self_harm=0.3)
    a, r = pol.decide(s)
    assert a == "crisis_support" and "self-harm" in r
    # the backup crisis detector fires
    s = scores(0.9, 0.0)
    s["crisis_backup"] = 0.31
    assert pol.decide(s)[0] == "crisis_support"
    s["crisis_backup"] = 0.29
    assert pol.decide(s)[0] == "end_conversation"


def harm_probs(self_harm: float):
    from convguard.taxonomy import HARM_CATEGORIES

    p = [0.0] * len(HARM_CATEGORIES)
    p[HARM_CATEGORIES.index("suicide_self_harm")] = self_harm
    p[HARM_CATEGORIES.index("malicious_code")] = 1 - self_harm
    return p


def test_decide_is_apply_policy_on_a_batch_of_one():
    """One policy implementation: the scalar decision is the vectorised one on one row."""
    import numpy as np

    from convguard.policy import apply_policy
    from convguard.taxonomy import HARM_CATEGORIES

    rng = np.random.default_rng(0)
    n = 400
    cat = rng.dirichlet(np.ones(len(HARM_CATEGORIES)) * 0.3, size=n)
    pers = rng.dirichlet(np.ones(4), size=n)
    top = -np.sort(-rng.random((n, 4)), axis=1)
    system = {"terminate": rng.random(n), "crisis": rng.random(n) ** 3, "harm_category": cat, "persistence": pers,
              "crisis_backup": rng.random(n) ** 3, "refused_push_top": top}
    pol = Policy(Thresholds(0.6, 0.7, 0.5), Rules(min_refused_pushes=2, min_pushes=1, self_harm_veto=0.2,
                                                  crisis_backup_threshold=0.5))
    res = apply_policy(system, pol.thresholds, pol.rules)
    assert set(res.codes.tolist()) >= {"end", "crisis", "too_few_refused_pushes", "below_threshold"}
    for i in range(n):
        s = {k: v[i] for k, v in system.items()}
        assert pol.decide(s)[0] == res.actions[i], i


def test_harm_score_is_the_category_heads_harmful_probability_by_default():
    import numpy as np

    from convguard.policy import apply_policy, harm_scores
    from convguard.taxonomy import HARM_CATEGORIES

    cat = np.zeros((2, len(HARM_CATEGORIES)))
    cat[0, HARM_CATEGORIES.index("none")] = 0.9   # a benign line (an over-refused request) pushed on
    cat[0, HARM_CATEGORIES.index("malicious_code")] = 0.1
    cat[1, HARM_CATEGORIES.index("malicious_code")] = 1.0
    system = {"terminate": np.array([0.95, 0.2]), "crisis": np.zeros(2), "harm_category": cat,
              "refused_push_top": np.array([[0.9, 0.9, -1, -1]] * 2)}
    assert harm_scores(system, Rules()) == pytest.approx([0.1, 1.0])
    res = apply_policy(system, Thresholds(terminate=0.5, crisis=0.5), Rules())
    assert res.actions.tolist() == ["continue", "end_conversation"]
    # the termination head instead
    res = apply_policy(system, Thresholds(terminate=0.5, crisis=0.5), Rules(harm_score="terminate"))
    assert res.actions.tolist() == ["end_conversation", "continue"]
    with pytest.raises(ValueError, match="harm_score"):
        harm_scores(system, Rules(harm_score="both"))


def test_an_end_answers_a_push_the_latest_user_turn_must_be_a_refused_push():
    """Two refused pushes earlier are not enough when the user has since said something else (a
    crisis statement the crisis detector under-reads, a thank-you): the chat is not ended."""
    import numpy as np

    from convguard.guard import turn_evidence
    from convguard.policy import apply_policy, explain

    # message 0 ask, 1 refusal, 2 push, 3 refusal, 4 push, 5 "okay.", 6 a crisis statement
    owner = [0] * 7 + [1] * 5
    where = [(i, "user" if i % 2 == 0 else "assistant") for i in range(7)] + \
            [(i, "user" if i % 2 == 0 else "assistant") for i in range(5)]
    refusal = [0, 0.9, 0, 0.9, 0, 0.05, 0] + [0, 0.9, 0, 0.9, 0]
    push = [0.1, 0, 0.9, 0, 0.9, 0, 0.95] + [0.1, 0, 0.9, 0, 0.9]
    ev = turn_evidence(2, owner, where, {"refusal": np.array(refusal), "push": np.array(push),
                                         "crisis": np.full(12, 0.2)})
    assert ev["last_refused_push"].tolist() == pytest.approx([0.05, 0.9])
    system = {"terminate": np.array([0.9, 0.9]), "crisis": np.array([0.2, 0.2]), **ev}
    th = Thresholds(terminate=0.5, crisis=0.5, evidence=0.5)
    res = apply_policy(system, th, Rules())
    assert res.actions.tolist() == ["continue", "end_conversation"]
    assert res.codes[0] == "not_pushing_now" and "latest user turn is no refused push" in explain(res, 0, system, th, Rules())
    # switched off: the earlier pushes suffice
    assert apply_policy(system, th, Rules(end_on_push=False)).actions.tolist() == ["end_conversation"] * 2
    # a system without a turn detector (no last_refused_push) is unaffected
    bare = {k: v for k, v in system.items() if k != "last_refused_push"}
    assert apply_policy(bare, th, Rules()).actions.tolist() == ["end_conversation"] * 2


def test_harmful_ask_after_a_refusal_counts_as_a_push_only_under_the_rule():
    """A user who re-aims the ask after a refusal (push head low, harmful head high) persists on
    the harmful line: counted with rules.harmful_ask_is_push, not without; a benign turn after a
    refusal (both low) never counts, and no refusal means no evidence whatever the user says."""
    import numpy as np

    from convguard.guard import decision_evidence, turn_evidence
    from convguard.policy import apply_policy, explain, refused_push_pairs

    # conv 0: ask, refusal, re-aimed ask (push 0.2, harmful 0.9), refusal, re-aimed ask
    # conv 1: ask, refusal, "ok nvm" (push 0.2, harmful 0.1), refusal, "thanks anyway"
    # conv 2: ask, answer, re-aimed ask, answer, re-aimed ask (no refusal)
    owner = [0] * 5 + [1] * 5 + [2] * 5
    where = [(i, "user" if i % 2 == 0 else "assistant") for i in range(5)] * 3
    refusal = [0, 0.9, 0, 0.9, 0] * 2 + [0, 0.1, 0, 0.1, 0]
    push = [0.1, 0, 0.2, 0, 0.2] + [0.1, 0, 0.2, 0, 0.2] + [0.1, 0, 0.2, 0, 0.2]
    harmful = [0.9, 0, 0.9, 0, 0.9] + [0.9, 0, 0.1, 0, 0.1] + [0.9, 0, 0.9, 0, 0.9]
    ev = turn_evidence(3, owner, where, {"refusal": np.array(refusal), "push": np.array(push),
                                         "crisis": np.full(15, 0.01), "harmful": np.array(harmful)})
    assert ev["refused_ask_top"][0, :2].tolist() == pytest.approx([0.9, 0.9])
    assert ev["refused_push_top"][0, :2].tolist() == pytest.approx([0.2, 0.2])
    assert ev["last_refused_ask"].tolist() == pytest.approx([0.9, 0.2, 0.1])
    system = {"terminate": np.full(3, 0.9), "crisis": np.full(3, 0.01), **ev}
    th = Thresholds(terminate=0.5, crisis=0.5, evidence=0.5)
    rules = Rules(harm_score="turn", harmful_ask_is_push=True)
    res = apply_policy(system, th, rules)
    assert res.actions.tolist() == ["end_conversation", "continue", "continue"]
    assert res.refused_pushes.tolist() == [2, 0, 0]
    assert apply_policy(system, th, Rules(harm_score="turn")).actions.tolist() == ["continue"] * 3
    # the evidence a Decision reports is what the policy counted
    assert decision_evidence(ev["turns"][0], 0.5, "end", 2, True)["refused_pushes"] == [2, 4]
    assert decision_evidence(ev["turns"][0], 0.5, "too_few_refused_pushes", 0)["refused_pushes"] == []
    assert refused_push_pairs(ev["turns"][1], True) == pytest.approx({2: 0.2, 4: 0.2})
    assert "2 refused pushes" in explain(res, 0, system, th, rules)
    # a turn detector without the harmful head: the push head alone (never more ends)
    bare = {k: v for k, v in system.items() if k not in ("refused_ask_top", "last_refused_ask")}
    assert apply_policy(bare, th, rules).actions.tolist() == ["continue"] * 3


def test_harm_score_turn_is_the_most_harmful_user_turn_and_needs_the_head():
    import numpy as np

    from convguard.policy import apply_policy, harm_scores

    system = {"terminate": np.array([0.95, 0.2]), "crisis": np.zeros(2), "harmful_max": np.array([0.1, 0.8]),
              "refused_push_top": np.array([[0.9, 0.9, -1, -1]] * 2)}
    assert harm_scores(system, Rules(harm_score="turn")).tolist() == [0.1, 0.8]
    res = apply_policy(system, Thresholds(terminate=0.5, crisis=0.5), Rules(harm_score="turn"))
    assert res.actions.tolist() == ["continue", "end_conversation"]
    # a turn detector without the head: refused, not silently another score
    old = {k: v for k, v in system.items() if k != "harmful_max"}
    with pytest.raises(ValueError, match="no harmful head"):
        harm_scores(old, Rules(harm_score="turn"))
    # a system with no turn detector at all (the TF-IDF baseline) is judged on its termination score
    base = {"terminate": np.array([0.95, 0.2]), "crisis": np.zeros(2)}
    assert harm_scores(base, Rules(harm_score="turn")).tolist() == [0.95, 0.2]
    # policy.yaml accepts it
    assert Policy.from_dict({"thresholds": {"terminate": 0.5, "crisis": 0.5},
                             "rules": {"harm_score": "turn"}}).rules.harm_score == "turn"


def test_harm_score_mean_needs_both_detectors_to_lean_towards_harm():
    import numpy as np

    from convguard.policy import apply_policy, harm_scores

    # one detector confident alone (rows 0 and 1), both moderately (row 2), both high (row 3)
    system = {"terminate": np.array([0.95, 0.1, 0.6, 0.9]), "crisis": np.zeros(4),
              "harmful_max": np.array([0.1, 0.97, 0.6, 0.8]),
              "refused_push_top": np.array([[0.9, 0.9, -1, -1]] * 4)}
    assert harm_scores(system, Rules(harm_score="mean")) == pytest.approx([0.525, 0.535, 0.6, 0.85])
    th = Thresholds(terminate=0.58, crisis=0.5)
    assert apply_policy(system, th, Rules(harm_score="mean")).actions.tolist() == [
        "continue", "continue", "end_conversation", "end_conversation"]
    # either score alone would end a chat only one detector reads as harmful
    assert apply_policy(system, th, Rules(harm_score="turn")).actions.tolist()[1] == "end_conversation"
    assert apply_policy(system, th, Rules(harm_score="terminate")).actions.tolist()[0] == "end_conversation"
    # the explanation quotes the mean, the number compared
    pol = Policy(th, Rules(harm_score="mean"))
    assert "0.600" in pol.decide({k: v[2] for k, v in system.items()})[1]
    with pytest.raises(ValueError, match="'mean' but the turn detector has no harmful head"):
        harm_scores({k: v for k, v in system.items() if k != "harmful_max"}, Rules(harm_score="mean"))
    base = {"terminate": np.array([0.95, 0.2]), "crisis": np.zeros(2)}  # the TF-IDF baseline
    assert harm_scores(base, Rules(harm_score="mean")).tolist() == [0.95, 0.2]
    assert Policy.from_dict({"thresholds": {"terminate": 0.5, "crisis": 0.5},
                             "rules": {"harm_score": "mean"}}).rules.harm_score == "mean"


def test_crisis_self_harm_weight_mixes_the_harm_heads_self_harm_probability_into_the_crisis_score():
    import logging

    import numpy as np

    from convguard.config import ThresholdConfig
    from convguard.evaluation import policy_thresholds
    from convguard.policy import apply_policy, crisis_scores
    from convguard.taxonomy import HARM_CATEGORIES
    from convguard.thresholds import ThresholdChoice

    sh = HARM_CATEGORIES.index("suicide_self_harm")

    def cat(p_sh):
        row = np.zeros(len(HARM_CATEGORIES))
        row[sh], row[HARM_CATEGORIES.index("none")] = p_sh, 1.0 - p_sh
        return row

    # a method ask the turn detector under-reads (row 0), a generic line it over-reads (row 1), a
    # stated plan against another person the harm head reads as violence (row 2)
    system = {"terminate": np.zeros(3), "crisis": np.array([0.7, 0.9, 0.99]),
              "harm_category": np.stack([cat(0.95), cat(0.0), cat(0.0)]),
              "refused_push_top": np.zeros((3, 4)), "last_refused_push": np.zeros(3)}
    mixed = Rules(crisis_self_harm_weight=0.2)
    assert crisis_scores(system, mixed) == pytest.approx([0.75, 0.72, 0.792])
    assert crisis_scores(system, Rules()).tolist() == [0.7, 0.9, 0.99]  # 0: the turn detector alone
    th = Thresholds(terminate=0.5, crisis=0.75)
    res = apply_policy(system, th, mixed)
    assert res.actions.tolist() == ["crisis_support", "continue", "crisis_support"]
    assert res.crisis_score == pytest.approx([0.75, 0.72, 0.792])
    assert apply_policy(system, th, Rules()).actions.tolist() == ["continue", "crisis_support", "crisis_support"]
    # the reason quotes the compared score and both of its parts
    reason = Policy(th, mixed).decide({k: v[0] for k, v in system.items()})[1]
    assert "0.750" in reason and "turn detector 0.700" in reason and "self-harm 0.950" in reason
    # a would-be end the turn detector alone reads as crisis is held, whatever the mix says: the
    # hold reads the turn detector's own score (row 1: mix 0.72 < 0.75, turn detector 0.9 >= 0.85)
    ending = dict(system, terminate=np.ones(3), refused_push_top=np.full((3, 4), 0.9), last_refused_push=np.ones(3))
    on_term = Rules(crisis_self_harm_weight=0.2, harm_score="terminate")  # every row a would-be end
    held = apply_policy(ending, Thresholds(terminate=0.5, crisis=0.75, crisis_hold=0.85), on_term)
    assert held.actions.tolist() == ["crisis_support"] * 3 and held.codes.tolist()[1] == "crisis_hold"
    assert "turn detector's crisis score 0.900 >= 0.850" in Policy(Thresholds(terminate=0.5, crisis=0.75,
                                                                              crisis_hold=0.85), on_term).decide(
        {k: v[1] for k, v in ending.items()})[1]
    assert apply_policy(ending, Thresholds(terminate=0.5, crisis=0.75), on_term).actions.tolist()[1] == "end_conversation"
    # ... so with a mix the hold may sit above the support threshold (another score); without, not
    assert Policy.from_dict({"thresholds": {"terminate": 0.5, "crisis": 0.75, "crisis_hold": 0.85},
                             "rules": {"crisis_self_harm_weight": 0.2}}).thresholds.crisis_hold == 0.85
    with pytest.raises(ValueError, match="crisis_hold: must be in .0, thresholds.crisis."):
        Policy.from_dict({"thresholds": {"terminate": 0.5, "crisis": 0.75, "crisis_hold": 0.85}})
    # the TF-IDF baseline has no harm head: its own crisis score
    base = {"terminate": np.zeros(2), "crisis": np.array([0.3, 0.8])}
    assert crisis_scores(base, mixed).tolist() == [0.3, 0.8]
    # a threshold the turn detector alone can never reach (danger to others would go unrouted) is
    # refused at load and capped at selection
    with pytest.raises(ValueError, match="thresholds.crisis 0.85 with rules.crisis_self_harm_weight 0.2"):
        Policy.from_dict({"thresholds": {"terminate": 0.5, "crisis": 0.85}, "rules": {"crisis_self_harm_weight": 0.2}})
    assert Policy.from_dict({"thresholds": {"terminate": 0.5, "crisis": 0.79},
                             "rules": {"crisis_self_harm_weight": 0.2}}).rules.crisis_self_harm_weight == 0.2
    choice = ThresholdChoice(0.9, "crisis_recall_within_budget", {}, {}, True, "")
    logging.getLogger("convguard").propagate = True
    capped = policy_thresholds(0.5, choice, ThresholdConfig(), mixed)
    assert capped.crisis < 0.8
    assert policy_thresholds(0.5, choice, ThresholdConfig()).crisis == 0.9
    with pytest.raises(ValueError, match="crisis_self_harm_weight"):
        crisis_scores(system, Rules(crisis_self_harm_weight=1.0))


def test_crisis_hold_sends_would_be_ends_to_crisis_support_and_nothing_else():
    import numpy as np

    from convguard.policy import apply_policy

    system = {"terminate": np.array([0.9, 0.9, 0.1]), "crisis": np.array([0.3, 0.05, 0.3]),
              "refused_push_top": np.array([[0.9, 0.9, -1, -1]] * 3)}
    th = Thresholds(terminate=0.5, crisis=0.8, crisis_hold=0.2)
    res = apply_policy(system, th, Rules(harm_score="terminate"))
    # a would-be end at crisis 0.3 >= hold: crisis support; below the hold: ended; not a would-be end: untouched
    assert res.actions.tolist() == ["crisis_support", "end_conversation", "continue"]
    assert res.codes.tolist() == ["crisis_hold", "end", "below_threshold"]
    assert "never ended" in Policy(th, Rules(harm_score="terminate")).decide({k: v[0] for k, v in system.items()})[1]


def test_an_assistant_crisis_response_holds_a_would_be_end():
    """A chat the policy would end, in which the assistant already answered with a crisis response
    (the turn detector's crisis_response head at the evidence threshold), goes to crisis support;
    without that head (older detectors) or with the rule off, nothing changes."""
    import numpy as np

    from convguard.policy import REASONS, apply_policy

    system = {"terminate": np.array([0.9, 0.9, 0.1, 0.9]), "crisis": np.array([0.05, 0.05, 0.05, 0.05]),
              "refused_push_top": np.array([[0.9, 0.9, -1, -1], [0.9, 0.9, -1, -1], [0.9, 0.9, -1, -1],
                                            [0.9, -1, -1, -1]]),
              "crisis_response_max": np.array([0.7, 0.2, 0.9, 0.9])}
    th = Thresholds(terminate=0.5, crisis=0.8, evidence=0.5)
    rules = Rules(harm_score="terminate")
    res = apply_policy(system, th, rules)
    # responded + would-be end: held; no response: ended; not a would-be end (score, evidence): untouched
    assert res.actions.tolist() == ["crisis_support", "end_conversation", "continue", "continue"]
    assert res.codes.tolist() == ["crisis_response", "end", "below_threshold", "too_few_refused_pushes"]
    assert "crisis_response" in REASONS
    assert "crisis response" in Policy(th, rules).decide({k: v[0] for k, v in system.items()})[1]
    off = apply_policy(system, th, Rules(harm_score="terminate", crisis_response_hold=False))
    assert off.actions.tolist()[:2] == ["end_conversation", "end_conversation"]
    older = apply_policy({k: v for k, v in system.items() if k != "crisis_response_max"}, th, rules)
    assert older.actions.tolist()[:2] == ["end_conversation", "end_conversation"]


def test_switching_crisis_support_off_needs_the_explicit_opt_out_and_is_logged(tmp_path, caplog):
    p = tmp_path / "policy.yaml"
    p.write_text("unsafe_disable_crisis_routing: true\nthresholds: {crisis: 1.0}\n")
    with caplog.at_level("WARNING", logger="convguard.policy"):
        pol = Policy.load(p)
    assert pol.thresholds.crisis == 1.0 and pol.unsafe_disable_crisis_routing
    assert "crisis support is switched OFF" in caplog.text
    # the opt-out travels with the file; without it the same file is refused
    pol.save(tmp_path / "again.yaml")
    assert Policy.load(tmp_path / "again.yaml").unsafe_disable_crisis_routing
    assert "unsafe_disable_crisis_routing" not in Policy().to_dict()


def test_an_invalid_policy_is_refused_when_written_too(tmp_path):
    import math

    for bad in (Policy(Thresholds(crisis=1.0)), Policy(temperature={"crisis": math.nan}),
                Policy(rules=Rules(self_harm_veto=math.nan))):
        with pytest.raises(ValueError, match="crisis|temperature|self_harm_veto"):
            bad.save(tmp_path / "policy.yaml")
        assert not (tmp_path / "policy.yaml").exists()


# ------------------------------------------------------------------------------------------
# every field, every hostile value: refused, or crisis support still holds
# ------------------------------------------------------------------------------------------

NAN, INF = float("nan"), float("inf")
NUMBERS = [NAN, INF, -INF, -5, -1e-9, 0, 1e-12, 0.3, 0.5, 1, 1.0000001, 2, 1e9, True, False, "x", "nan", None,
           [], {}]
STRINGS = ["", "   ", "{", "}", "{0}", "{category!z}", "{category.__class__}", "{user}", "x" * 5000, 0, None, [],
           {"en": "x"}, True]
#: (policy.yaml key path, hostile values); every field of the policy appears here (checked below)
FIELDS = {
    **{("thresholds", f): NUMBERS for f in ("terminate", "crisis", "evidence", "crisis_hold")},
    **{("rules", f): NUMBERS for f in ("min_refused_pushes", "min_pushes", "self_harm_veto",
                                       "crisis_backup_threshold", "crisis_response_hold", "end_on_push",
                                       "harmful_ask_is_push", "crisis_self_harm_weight")},
    ("rules", "harm_score"): NUMBERS + ["harmful", "turn", "terminate", "both", ""],
    ("thresholds", "terminate_by_category"): [{"malicious_code": v} for v in NUMBERS]
    + [{"malicous_code": 0.5}, {"": 0.5}, {"none": 0.0}, {"suicide_self_harm": 0.0}, None, [], "x", 0, {}],
    ("messages", "end_conversation"): STRINGS,
    ("messages", "crisis_support"): [{}, {"en": ""}, {"en": " "}, {"en": None}, {"en": 3}, {"": "help"},
                                     {"de": "Hilfe"}, {"en": "call 988"}, "call 988", [], None, 0],
    ("messages", "default_locale"): ["", "xx", "de", None, 0, [], "en"],
    ("temperature", "terminate"): NUMBERS + [1e-3, 0.01, 100, 101],
    ("temperature", "crisis"): NUMBERS + [1e-3, 0.01, 100, 101],
    ("version",): [1, 2, 3, 0, -1, "2", None, True, NAN],
    ("selection",): [None, {}, {"any": "thing"}, [], "x", 0],
    ("unsafe_disable_crisis_routing",): [True, False, "yes", 1, 0, None, "true"],
}

#: "tonight I am going to end my life" after two refused pushes, as the detectors would score it
#: (logits): clearly a crisis, and clearly a would-be end were crisis routing off
CRISIS_LOGIT, TERMINATE_LOGIT = 12.0, 8.0


def crisis_statement_decision(pol: Policy) -> str:
    import math

    from convguard.taxonomy import HARM_CATEGORIES

    def prob(head: str, z: float) -> float:  # as convguard.modeling.logits_to_scores applies temperatures
        return 1.0 / (1.0 + math.exp(-z / float(pol.temperature.get(head, 1.0))))

    cat = [0.0] * len(HARM_CATEGORIES)
    cat[HARM_CATEGORIES.index("malicious_code")] = 1.0  # the harm head misreads it: no self-harm veto to help
    system = {"terminate": prob("terminate", TERMINATE_LOGIT), "crisis": prob("crisis", CRISIS_LOGIT),
              "harm_category": cat, "persistence": [0, 0, 0, 1.0], "refused_push_top": [0.9, 0.9, 0.0, 0.0],
              "last_refused_push": 0.9, "harmful_max": 0.99, "crisis_response_max": 0.0}
    action, _ = pol.decide(system)
    return action


def policy_with(path: tuple[str, ...], value) -> dict:
    d: dict = {"thresholds": {"terminate": 0.5, "crisis": 0.5}}
    if len(path) == 1:
        d[path[0]] = value
    else:
        d.setdefault(path[0], {})[path[1]] = value
    return d


def test_every_policy_field_has_hostile_values_under_test():
    import dataclasses

    from convguard.policy import POLICY_KEYS, TEMPERATURE_HEADS, Messages

    covered = set(FIELDS)
    for section, cls in (("thresholds", Thresholds), ("rules", Rules), ("messages", Messages)):
        assert {(section, f.name) for f in dataclasses.fields(cls)} <= covered, section
    assert {("temperature", h) for h in TEMPERATURE_HEADS} <= covered
    assert {(k,) for k in POLICY_KEYS if k not in ("thresholds", "rules", "messages", "temperature")} <= covered


@pytest.mark.parametrize("path", list(FIELDS), ids=[".".join(p) for p in FIELDS])
def test_no_policy_value_turns_a_crisis_statement_into_anything_but_crisis_support(path):
    """Each field set to each hostile value (NaN, infinities, negatives, 0, 1, out of range,
    wrong types, empty or broken messages): the policy file is refused with a message naming the
    field, or the first-person crisis statement still goes to crisis support with a message to
    show -- unless the file carries the explicit, logged opt-out."""
    import math

    refusals = accepted = 0
    for value in FIELDS[path]:
        try:
            pol = Policy.from_dict(policy_with(path, value))
        except ValueError as e:
            refusals += 1
            key = path[-1] if path[0] not in ("version",) else "version"
            assert key in str(e) or "unknown key" in str(e), (path, value, str(e))
            continue
        accepted += 1
        if pol.unsafe_disable_crisis_routing and pol.thresholds.crisis >= 1.0:
            continue  # cannot happen here: one field at a time, crisis stays 0.5
        action = crisis_statement_decision(pol)
        assert action == "crisis_support", (path, value, action)
        msg = pol.message_for("crisis_support", {}, None)
        assert isinstance(msg, str) and msg.strip(), (path, value)
        # no NaN or infinity survives into the policy
        for section in (pol.thresholds.__dict__, pol.rules.__dict__, pol.temperature):
            for v in section.values():
                assert not (isinstance(v, float) and not math.isfinite(v)), (path, value, section)
    assert refusals >= 1, path  # every field has values that are refused
    assert accepted >= 1 or path[0] == "version", path  # and values that are read


def test_the_explicit_opt_out_is_the_only_way_to_switch_crisis_support_off(caplog):
    off = {"thresholds": {"terminate": 0.5, "crisis": 1.0}}
    with pytest.raises(ValueError, match="switches crisis support off"):
        Policy.from_dict(off)
    with caplog.at_level("WARNING", logger="convguard.policy"):
        pol = Policy.from_dict({**off, "unsafe_disable_crisis_routing": True})
    assert "crisis support is switched OFF" in caplog.text
    assert crisis_statement_decision(pol) != "crisis_support"  # what the opt-out means, and why it is loud
