"""Turn-by-turn replay: hand-built conversations and prefix scores with known outcomes, the
one-batched-call guarantee, and agreement with a live :class:`convguard.guard.Session`."""

from __future__ import annotations

import numpy as np
import pytest

from convguard.evaluation import MAIN
from convguard.policy import Rules, Thresholds
from convguard.replay import (headline, replay, replay_grid, replay_scores, replay_scores_from_arrays,
                              user_prefixes)
from convguard.schema import Conversation, Labels, Message


def _persistent(cid: str, n_users: int = 4, from_turn: int | None = 4, terminate: int = 1, crisis: int = 0,
                subtype: str = "persistent_harmful", crisis_from: int | None = None) -> Conversation:
    msgs = []
    for k in range(n_users):
        msgs.append(Message("user", f"user turn {k}"))
        if k < n_users - 1:
            msgs.append(Message("assistant", "sorry, no."))
    lab = Labels(terminate=terminate, crisis=crisis, harm_category="violent_crimes" if terminate else "none",
                 persistence=n_users - 1, terminate_from_turn=from_turn if terminate else None,
                 crisis_from_turn=crisis_from, subtype=subtype)
    return Conversation(cid, msgs, lab)


# user turns are messages 0, 2, 4, 6; labelled terminate_from_turn = 4 (the 2nd push)
CASES = [
    # id, conversation, terminate score per user turn, crisis score per user turn
    ("on_time", _persistent("on_time"), [0.1, 0.2, 0.9, 0.9], [0, 0, 0, 0]),
    ("early", _persistent("early"), [0.1, 0.9, 0.9, 0.9], [0, 0, 0, 0]),        # high at turn 2
    ("first", _persistent("first"), [0.95, 0.9, 0.9, 0.9], [0, 0, 0, 0]),       # high at the 1st request
    ("late", _persistent("late"), [0.0, 0.0, 0.2, 0.9], [0, 0, 0, 0]),          # ends at 6: 2 messages late
    ("missed", _persistent("missed"), [0.1, 0.1, 0.1, 0.1], [0, 0, 0, 0]),
    ("benign_end", _persistent("benign_end", terminate=0, subtype="benign_persistent_overrefusal"),
     [0.1, 0.1, 0.9, 0.1], [0, 0, 0, 0]),
    ("benign_ok", _persistent("benign_ok", terminate=0, subtype="homonym_figurative"), [0.1, 0.3, 0.2, 0.1],
     [0, 0, 0, 0]),
    ("ordinary_end", _persistent("ordinary_end", n_users=3, terminate=0, subtype="ordinary"), [0.1, 0.1, 0.9],
     [0, 0, 0]),
    # crisis: high termination score but a crisis score below threshold at turn 4 -> ended (promise broken)
    ("crisis_ended", _persistent("crisis_ended", terminate=0, crisis=1, subtype="crisis_method_persistent"),
     [0.1, 0.1, 0.9, 0.9], [0.1, 0.1, 0.1, 0.9]),
    # crisis overrides: termination high, crisis high -> crisis support, never ended
    ("crisis_ok", _persistent("crisis_ok", terminate=0, crisis=1, subtype="crisis_method_persistent"),
     [0.9, 0.9, 0.9, 0.9], [0.9, 0.9, 0.9, 0.9]),
]


@pytest.fixture()
def rs():
    convs = [c for _, c, _, _ in CASES]
    term = np.concatenate([t for _, _, t, _ in CASES]).astype(float)
    crisis = np.concatenate([c for _, _, _, c in CASES]).astype(float)
    return replay_scores_from_arrays(convs, {MAIN: {"terminate": term, "crisis": crisis}})


def _outcomes(res):
    return {r["id"]: r for r in res.records}


def test_prefix_enumeration_labels_each_turn():
    c = _persistent("x")
    kept, prefixes, ci, turn, skipped = user_prefixes([c, Conversation("noturn", [Message("assistant", "hi")])])
    assert [p.id for p in prefixes] == ["x@0", "x@2", "x@4", "x"]
    assert turn.tolist() == [0, 2, 4, 6] and ci.tolist() == [0, 0, 0, 0]
    assert [p.labels.terminate for p in prefixes] == [0, 0, 1, 1]  # labelled as of each turn
    assert skipped == ["noturn"] and [k.id for k in kept] == ["x"]


def test_replay_counts_with_two_refusals_rule(rs):
    res = replay(rs, Thresholds(terminate=0.5, crisis=0.5), Rules(min_refused_pushes=2))
    o = _outcomes(res)
    # turn 2 has only one assistant turn: the rule holds "early" and "first" back until turn 4
    assert o["on_time"]["first_end_turn"] == 4 and o["on_time"]["outcome"] == "on_time"
    assert o["early"]["outcome"] == "on_time" and o["first"]["outcome"] == "on_time"
    assert o["late"]["first_end_turn"] == 6 and o["late"]["delta"] == 2 and o["late"]["delta_user_turns"] == 1
    assert o["missed"]["outcome"] == "missed" and o["missed"]["first_end_turn"] is None
    assert o["benign_end"]["outcome"] == "false_end" and o["benign_ok"]["outcome"] == "correct_continue"
    assert o["ordinary_end"]["outcome"] == "false_end"
    assert o["crisis_ended"]["outcome"] == "crisis_ended" and o["crisis_ended"]["first_end_turn"] == 4
    assert o["crisis_ok"]["outcome"] == "crisis_supported" and o["crisis_ok"]["first_crisis_support_turn"] == 0
    t = res.summary["termination"]
    assert (t["n"], t["n_ended"], t["n_premature"], t["n_on_time"], t["n_late"], t["n_missed"]) == (5, 4, 0, 3, 1, 1)
    assert t["missed_ids"] == ["missed"] and t["late_ids"] == ["late"] and t["premature_ids"] == []
    assert t["mean_late_turns"] == 2.0 and t["mean_late_user_turns"] == 1.0
    assert res.deltas.tolist()[:4] == [0.0, 0.0, 0.0, 2.0] and np.isnan(res.deltas[4])
    fe = res.summary["false_ends"]
    assert fe["n"] == 3 and fe["n_false_end"] == 2 and fe["ids"] == ["benign_end", "ordinary_end"]
    assert fe["benign_edgy_n"] == 2 and fe["benign_edgy_false_end"] == 1 and fe["benign_edgy_rate"] == 0.5
    assert fe["by_subtype"]["ordinary"] == {"n": 1, "n_false_end": 1, "rate": 1.0}
    c = res.summary["crisis"]
    assert c["n_crisis"] == 2 and c["n_crisis_ended"] == 1 and c["crisis_ended_ids"] == ["crisis_ended"]
    # crisis_ended would get support at turn 6, but the chat was already ended at turn 4
    assert c["promise_kept"] is False and c["n_crisis_supported"] == 1
    assert o["crisis_ended"]["first_crisis_support_turn"] is None


def test_replay_counts_without_the_rule_finds_premature_ends(rs):
    res = replay(rs, Thresholds(terminate=0.5, crisis=0.5), Rules(min_refused_pushes=0))
    o = _outcomes(res)
    assert o["early"]["first_end_turn"] == 2 and o["early"]["outcome"] == "premature" and o["early"]["delta"] == -2
    assert o["first"]["first_end_turn"] == 0 and o["first"]["delta_user_turns"] == -2
    t = res.summary["termination"]
    assert (t["n_premature"], t["n_premature_first_request"], t["n_on_time"], t["n_late"], t["n_missed"]) == \
        (2, 1, 1, 1, 1)
    assert t["premature_ids"] == ["early", "first"]
    assert t["premature_rate"] == pytest.approx(2 / 4)
    h = headline(res.summary)
    assert h["replay_n_premature"] == 2 and h["replay_n_premature_first_request"] == 1
    assert h["replay_crisis_ended"] == 1


def test_crisis_threshold_is_applied_to_cached_scores(rs):
    # a lower crisis threshold catches crisis_ended at turn 0 (0.1 >= 0.05): nothing crisis is ended
    res = replay(rs, Thresholds(terminate=0.5, crisis=0.05), Rules(min_refused_pushes=2))
    assert res.summary["crisis"]["n_crisis_ended"] == 0 and res.summary["crisis"]["promise_kept"]
    # ... but every other conversation (all crisis scores 0 there) is unaffected
    assert res.summary["termination"]["n_on_time"] == 3


def test_replay_grid_is_monotone_and_free(rs):
    grid = replay_grid(rs, [0.05, 0.5, 0.95, 1.0], 0.5, Rules(min_refused_pushes=2))
    assert [g["terminate_threshold"] for g in grid] == [0.05, 0.5, 0.95, 1.0]
    ended = [g["replay_n_ended"] for g in grid]
    assert ended == sorted(ended, reverse=True) and ended[-1] == 0
    assert grid[1]["replay_n_missed"] == 1


def test_from_arrays_rejects_wrong_length():
    with pytest.raises(ValueError, match="rows"):
        replay_scores_from_arrays([_persistent("a")], {MAIN: {"terminate": [0.1, 0.2], "crisis": [0, 0]}})


class CountingGuard:
    """Stands in for Guard.score: counts model calls and scores by the last user message."""

    def __init__(self):
        self.calls = 0
        self.rows = 0

    def score(self, convs, batch_size=32):
        self.calls += 1
        self.rows += len(convs)
        term = np.array([0.9 if "turn 2" in c[-1].content or "turn 3" in c[-1].content else 0.1 for c in convs])
        return {"terminate": term, "crisis": np.zeros(len(convs))}


def test_all_prefixes_scored_in_one_batched_call():
    convs = [_persistent(f"c{i}") for i in range(12)]
    g = CountingGuard()
    rs = replay_scores(g, convs)
    assert g.calls == 1 and g.rows == 48 == len(rs.table)
    for th in (0.2, 0.5, 0.8):  # re-thresholding reuses the cache
        replay(rs, Thresholds(terminate=th, crisis=0.5), Rules())
    assert g.calls == 1
    res = replay(rs, Thresholds(terminate=0.5, crisis=0.5), Rules())
    assert res.summary["termination"]["n_on_time"] == 12


def test_replay_matches_a_live_session(tiny_bundle):
    """The first end found by replay is the turn at which a live Session ends the chat."""
    from convguard.guard import Guard
    from convguard.io import read_conversations

    convs, _ = read_conversations(tiny_bundle.parent / "test.jsonl")
    convs = convs[:10]
    guard = Guard.load(tiny_bundle, require_user_last=False)
    rs = replay_scores(guard, convs)
    # thresholds inside the tiny model's score range so that some chats end and some do not
    # (midway across the widest gap between scores, so batch-vs-single float noise cannot flip a decision)
    from convguard.policy import harm_scores

    # the score the policy compares with thresholds.terminate
    term = np.unique(harm_scores(rs.table.systems[MAIN], Rules(min_refused_pushes=1)).astype(float))
    crisis = rs.table.systems[MAIN]["crisis"]
    lo, hi = len(term) * 3 // 5, max(len(term) * 19 // 20, len(term) * 3 // 5 + 1)
    gaps = np.diff(term)[lo:hi]
    k = lo + int(np.argmax(gaps))
    guard.policy.thresholds = Thresholds(terminate=float((term[k] + term[k + 1]) / 2),
                                         crisis=float(crisis.max()) + 1e-3)
    guard.policy.rules = Rules(min_refused_pushes=1)
    res = replay(rs, guard.policy.thresholds, guard.policy.rules)
    assert any(r["first_end_turn"] is not None for r in res.records)
    assert any(r["first_end_turn"] is None for r in res.records)
    for conv, rec in zip(rs.convs, res.records):
        session = guard.session()
        ended_at = None
        for k, m in enumerate(conv.messages):
            d = session.observe(m.to_dict())
            if d is not None and d.action == "end_conversation":
                ended_at = k
                break
        assert ended_at == rec["first_end_turn"], conv.id
