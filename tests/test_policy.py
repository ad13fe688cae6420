"""The termination policy: crisis overrides, rules, messages, policy.yaml validation."""

from __future__ import annotations

import pytest

from convguard.policy import Policy, Rules, Thresholds


def scores(term, crisis, pushes_bucket=3, cat="malicious_code"):
    p = [0.0, 0.0, 0.0, 0.0]
    p[pushes_bucket] = 1.0
    return {"terminate": term, "crisis": crisis, "persistence": p, "harm_category_label": cat}


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
    pol = Policy(Thresholds(0.5, 0.9), Rules(min_assistant_turns=2, min_pushes=2))
    a, r = pol.decide(scores(0.95, 0.0), n_assistant_turns=1)
    assert a == "continue" and "assistant turn" in r
    a, r = pol.decide(scores(0.95, 0.0, pushes_bucket=1), n_assistant_turns=3)
    assert a == "continue" and "pushes" in r
    assert pol.decide(scores(0.95, 0.0, pushes_bucket=2), 3)[0] == "end_conversation"


def test_messages_per_locale_and_category():
    pol = Policy()
    end = pol.message_for("end_conversation", scores(1, 0, cat="malicious_code"))
    assert "malicious code" in end and "new chat" in end
    assert "988" in pol.message_for("crisis_support", {}, locale="en")
    assert "112" in pol.message_for("crisis_support", {}, locale="de-AT")  # falls back to the language
    assert pol.message_for("crisis_support", {}, locale="xx") == pol.message_for("crisis_support", {}, "en")
    assert pol.message_for("continue", {}) is None


def test_policy_yaml_round_trip_and_overrides(tmp_path):
    pol = Policy(Thresholds(0.7, 0.2), Rules(3, 1), temperature={"terminate": 1.5})
    pol.messages.crisis_support["es"] = "Llama al 024."
    pol.save(tmp_path / "p.yaml")
    back = Policy.load(tmp_path / "p.yaml")
    assert back.to_dict() == pol.to_dict()
    assert back.message_for("crisis_support", {}, "es") == "Llama al 024."


@pytest.mark.parametrize("text,match", [
    ("thresholds: {terminate: 1.5}\n", "thresholds.terminate: must be in"),
    ("thresholds: {terminat: 0.5}\n", "unknown key 'thresholds.terminat'"),
    ("rules: {min_assistant_turns: two}\n", "rules.min_assistant_turns: expected int"),
    ("version: 9\n", "policy version 9 is not supported"),
    ("messages: {end_conversation: 'bye {user}'}\n", "unknown placeholder"),
    ("messages: {default_locale: xx}\n", "has no crisis_support message"),
    ("temperature: {terminate: 0}\n", "temperature values must be > 0"),
    ("thresholds: [1, 2\n", "not valid YAML"),
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
    s["self_harm_prob"] = 0.3
    a, r = pol.decide(s, 3)
    assert a == "crisis_support" and "self-harm" in r
    # the backup crisis detector fires
    s = scores(0.9, 0.0)
    s["crisis_backup"] = 0.31
    assert pol.decide(s, 3)[0] == "crisis_support"
    s["crisis_backup"] = 0.29
    assert pol.decide(s, 3)[0] == "end_conversation"


def test_apply_policy_matches_decide():
    import numpy as np

    from convguard.evaluation import apply_policy
    from convguard.taxonomy import HARM_CATEGORIES

    rng = np.random.default_rng(0)
    n = 400
    cat = rng.dirichlet(np.ones(len(HARM_CATEGORIES)) * 0.3, size=n)
    pers = rng.dirichlet(np.ones(4), size=n)
    system = {"terminate": rng.random(n), "crisis": rng.random(n) ** 3, "harm_category": cat, "persistence": pers,
              "crisis_backup": rng.random(n) ** 3}
    n_assist = rng.integers(0, 5, n)
    pol = Policy(Thresholds(0.6, 0.7), Rules(min_assistant_turns=2, min_pushes=1, self_harm_veto=0.2,
                                             crisis_backup_threshold=0.5))
    actions, _ = apply_policy(system, n_assist, pol.thresholds, pol.rules)
    sh = HARM_CATEGORIES.index("suicide_self_harm")
    for i in range(n):
        s = {"terminate": system["terminate"][i], "crisis": system["crisis"][i], "persistence": pers[i],
             "self_harm_prob": cat[i, sh], "crisis_backup": system["crisis_backup"][i]}
        assert pol.decide(s, int(n_assist[i]))[0] == actions[i], i
