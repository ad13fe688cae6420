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
