"""The conversation record: every promised validation error names file, line and field."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pytest

from convguard.io import read_conversations
from convguard.schema import (Conversation, ConversationError, Labels, Message, ValidationOptions, as_messages,
                              validate_record)

FIXTURES = Path(__file__).parent / "fixtures"

U = {"role": "user", "content": "hello"}
A = {"role": "assistant", "content": "hi"}
GOOD = {"id": "ok", "messages": [U]}
#: the valid records around each bad line carry every training label, so require_labels passes them
FULL = dict(GOOD, labels={"terminate": 0, "crisis": 0, "harm_category": "none", "persistence": 0})


def rec(**kw):
    d = {"id": "r", "messages": [U, A, dict(U, content="again")]}
    d.update(kw)
    return d


def line(obj) -> bytes:
    return json.dumps(obj).encode() + b"\n"


# (case name, raw line 2, field named in the error, part of the message, options)
CASES = [
    ("malformed_json", b'{"id": "r", "messages": [\n', "<line>", "malformed JSON", None),
    ("not_an_object", b'[1, 2]\n', "<record>", "JSON object", None),
    ("missing_id", line({"messages": [U]}), "id", "missing", None),
    ("missing_messages", line({"id": "r"}), "messages", "missing", None),
    ("id_int", line({"id": 7, "messages": [U]}), "id", "non-empty string", None),
    ("id_empty", line({"id": "", "messages": [U]}), "id", "non-empty string", None),
    ("unknown_top_level_key", line(rec(extra=1)), "extra", "unknown top-level key", None),
    ("messages_not_list", line(rec(messages={"role": "user"})), "messages", "list of messages", None),
    ("message_not_object", line(rec(messages=["hello"])), "messages[0]", "object", None),
    ("message_missing_content", line(rec(messages=[{"role": "user"}])), "messages[0].content", "missing", None),
    ("content_list_of_strings", line(rec(messages=[{"role": "user", "content": ["a", "b"]}])),
     "messages[0].content[0]", "a content part must be an object with a 'type'", None),
    ("content_number", line(rec(messages=[{"role": "user", "content": 3}])), "messages[0].content",
     "must be a string, got int (or a list of content parts", None),
    ("content_null_user", line(rec(messages=[{"role": "user", "content": None}])), "messages[0].content",
     "got NoneType", None),
    ("content_part_without_type", line(rec(messages=[{"role": "user", "content": [{"text": "x"}]}])),
     "messages[0].content[0].type", "non-empty string", None),
    ("text_part_without_text", line(rec(messages=[{"role": "user", "content": [{"type": "text"}]}])),
     "messages[0].content[0].text", "must be a string", None),
    ("tool_calls_not_list", line(rec(messages=[U, {"role": "assistant", "content": None, "tool_calls": {}}, U])),
     "messages[1].tool_calls", "list of tool calls", None),
    ("tool_call_without_name", line(rec(messages=[U, {"role": "assistant", "content": None,
                                                      "tool_calls": [{"function": {"arguments": "{}"}}]}, U])),
     "messages[1].tool_calls[0].function.name", "non-empty string", None),
    ("user_with_tool_calls", line(rec(messages=[dict(U, tool_calls=[])])), "messages[0].tool_calls",
     "only assistant messages call tools", None),
    ("role_int", line(rec(messages=[{"role": 1, "content": "x"}])), "messages[0].role", "must be a string", None),
    ("unknown_role", line(rec(messages=[U, {"role": "bot", "content": "x"}])), "messages[1].role",
     "unknown role 'bot'", None),
    ("empty_conversation", line(rec(messages=[])), "messages", "empty conversation", None),
    ("no_user_message", line(rec(messages=[{"role": "system", "content": "s"}, A])), "messages",
     "no user message", None),
    ("not_ending_on_user", line(rec(messages=[U, A])), "messages[1].role", "last message must be a user turn",
     ValidationOptions(require_user_last=True)),
    ("over_long_content", line(rec(messages=[dict(U, content="x" * 11)])), "messages[0].content",
     "over the limit of 10", ValidationOptions(max_message_chars=10)),
    ("too_many_messages", line(rec()), "messages", "3 messages is over the limit of 2",
     ValidationOptions(max_messages=2)),
    ("invalid_utf8", b'{"id": "r", "messages": [{"role": "user", "content": "caf\xe9"}]}\n', "<line>",
     "invalid UTF-8", None),
    ("lone_surrogate", b'{"id": "r", "messages": [{"role": "user", "content": "a\\ud800b"}]}\n',
     "messages[0].content", "lone surrogate", None),
    ("lone_surrogate_in_id", b'{"id": "r\\udfff", "messages": [{"role": "user", "content": "a"}]}\n',
     "id", "lone surrogate", None),
    ("labels_not_object", line(rec(labels=[1])), "labels", "must be an object", None),
    ("unknown_label_key", line(rec(labels={"toxicity": 1})), "labels.toxicity", "unknown label", None),
    ("terminate_2", line(rec(labels={"terminate": 2})), "labels.terminate", "must be 0 or 1", None),
    ("terminate_bool", line(rec(labels={"terminate": True})), "labels.terminate", "must be 0 or 1", None),
    ("crisis_str", line(rec(labels={"crisis": "1"})), "labels.crisis", "must be 0 or 1", None),
    ("unknown_harm_category", line(rec(labels={"harm_category": "bad_stuff"})), "labels.harm_category",
     "unknown harm category", None),
    ("negative_persistence", line(rec(labels={"persistence": -1})), "labels.persistence", "non-negative", None),
    ("terminate_from_turn_assistant", line(rec(labels={"terminate": 1, "terminate_from_turn": 1})),
     "labels.terminate_from_turn", "must point at a user message", None),
    ("terminate_from_turn_out_of_range", line(rec(labels={"terminate": 1, "terminate_from_turn": 3})),
     "labels.terminate_from_turn", "message index in 0..2", None),
    ("terminate_from_turn_negative", line(rec(labels={"terminate": 1, "terminate_from_turn": -1})),
     "labels.terminate_from_turn", "message index", None),
    ("terminate_from_turn_with_terminate_0", line(rec(labels={"terminate": 0, "terminate_from_turn": 2})),
     "labels.terminate_from_turn", "terminate is 0", None),
    ("crisis_from_turn_with_crisis_0", line(rec(labels={"crisis": 0, "crisis_from_turn": 2})),
     "labels.crisis_from_turn", "crisis is 0", None),
    ("crisis_from_turn_assistant", line(rec(labels={"crisis": 1, "crisis_from_turn": 1})),
     "labels.crisis_from_turn", "must point at a user message", None),
    ("terminate_and_crisis", line(rec(labels={"terminate": 1, "crisis": 1})), "labels.terminate",
     "never termination-worthy", None),
    ("empty_subtype", line(rec(labels={"subtype": ""})), "labels.subtype", "non-empty string", None),
    ("missing_training_label", line(rec(labels={"terminate": 0})), "labels.crisis", "required for training",
     ValidationOptions(require_labels=True)),
    ("meta_not_object", line(rec(meta=["x"])), "meta", "must be an object", None),
    ("meta_empty_list", line(rec(meta=[])), "meta", "must be an object", None),
    ("meta_empty_string", line(rec(meta="")), "meta", "must be an object", None),
    ("duplicate_id", line(GOOD), "id", "duplicate id 'ok' (first seen on line 1)", None),
    # issue 14: input that used to escape
    ("blank_id", line({"id": "   ", "messages": [U]}), "id", "must not be blank", None),
    ("duplicate_json_key", b'{"id": "r", "id": "s", "messages": [{"role": "user", "content": "x"}]}\n', "id",
     "duplicate key 'id'", None),
    ("duplicate_key_in_meta", b'{"id": "r", "messages": [{"role": "user", "content": "x"}], '
     b'"meta": {"a": {"k": 1, "k": 2}}}\n', "meta.a.k", "duplicate key 'k'", None),
    ("lone_surrogate_in_meta", line(rec(meta={"note": "a\ud800"})), "meta.note", "lone surrogate", None),
    ("lone_surrogate_in_meta_key", line(rec(meta={"k\udc00": 1})), "meta", "lone surrogate", None),
    ("lone_surrogate_in_subtype", line(rec(labels={"subtype": "x\udfff"})), "labels.subtype", "lone surrogate",
     None),
    ("crisis_from_turn_without_crisis", line(rec(labels={"crisis_from_turn": 2})), "labels.crisis_from_turn",
     "crisis is missing", None),
    ("terminate_from_turn_without_terminate", line(rec(labels={"terminate_from_turn": 2})),
     "labels.terminate_from_turn", "terminate is missing", None),
    ("meta_nested_70_levels", line(rec(meta={"a": json.loads("[" * 70 + "]" * 70)})), "meta.a",
     "nested more than 64 levels deep", None),
    ("meta_nested_100k_levels", b'{"id": "r", "messages": [{"role": "user", "content": "x"}], "meta": {"a": '
     + b"[" * 100_000 + b"]" * 100_000 + b"}}\n", "meta", "nested more than 64 levels deep", None),
    ("content_nested_100k_levels", b'{"id": "r", "messages": [{"role": "user", "content": '
     + b"[" * 100_000 + b"]" * 100_000 + b"}]}\n", "messages", "nested more than 64 levels deep", None),
    ("line_over_the_cap", line(rec(meta={"pad": "x" * 300})), "<line>", "line is longer than 200 bytes",
     ValidationOptions(max_line_bytes=200)),
]


@pytest.mark.parametrize("raw, field, message, options", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_error_names_file_line_and_field(tmp_path, raw, field, message, options):
    path = tmp_path / "data.jsonl"
    path.write_bytes(line(FULL) + raw + line(dict(FULL, id="ok2")))
    with pytest.raises(ConversationError) as info:
        read_conversations(path, options=options)
    err = info.value
    text = str(err)
    assert f"{path}:2" in text
    assert f"field '{field}'" in text
    assert message in text
    assert (err.source, err.line, err.field) == (str(path), 2, field)


@pytest.mark.parametrize("raw, field, message, options", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_skip_invalid_keeps_the_good_records(tmp_path, raw, field, message, options):
    path = tmp_path / "data.jsonl"
    path.write_bytes(line(FULL) + raw + line(dict(FULL, id="ok2")))
    convs, report = read_conversations(path, options=options, skip_invalid=True)
    assert [c.id for c in convs] == ["ok", "ok2"]
    assert report.read == 2 and report.n_skipped == 1
    assert report.skipped[0].line == 2 and report.skipped[0].field == field


def test_error_shows_record_id(tmp_path):
    path = tmp_path / "x.jsonl"
    path.write_bytes(line(rec(id="abc", labels={"terminate": 2})))
    with pytest.raises(ConversationError, match=r"x\.jsonl:1: id='abc': field 'labels.terminate'"):
        read_conversations(path)


def test_skip_invalid_report_lists_every_bad_line(tmp_path):
    path = tmp_path / "mixed.jsonl"
    lines = [
        line(dict(GOOD, id="a")),                     # 1 good
        b"{oops\n",                                    # 2 malformed
        b"\n",                                         # 3 blank: ignored, not an error
        line({"id": "b", "messages": []}),             # 4 empty
        line(dict(GOOD, id="c")),                      # 5 good
        line(dict(GOOD, id="a")),                      # 6 duplicate
        b'{"id": "d", "messages": [{"role": "user", "content": "\xff"}]}\n',  # 7 invalid utf-8
        line(dict(GOOD, id="e")),                      # 8 good
    ]
    path.write_bytes(b"".join(lines))
    convs, report = read_conversations(path, skip_invalid=True)
    assert [c.id for c in convs] == ["a", "c", "e"]
    assert report.read == 3
    assert report.n_skipped == 4
    assert [e.line for e in report.skipped] == [2, 4, 6, 7]
    summary = report.summary()
    assert "3 conversations read, 4 invalid skipped" in summary
    for n in (2, 4, 6, 7):
        assert f"{path}:{n}" in summary
    assert "... and 2 more" in report.summary(limit=2)


def test_validate_record_without_file_still_names_field():
    with pytest.raises(ConversationError, match=r"<input>: id='r': field 'messages\[0\].role'"):
        validate_record(rec(messages=[{"role": "robot", "content": "x"}]))


def test_located_keeps_known_location():
    e = ConversationError("bad", source="a.jsonl", line=3, field="id")
    assert e.located(source="b.jsonl", line=9).line == 3
    assert e.located(source="b.jsonl", line=9).source == "a.jsonl"
    e2 = ConversationError("bad", field="id").located(source="b.jsonl", line=9)
    assert str(e2) == "b.jsonl:9: field 'id': bad"


def test_error_pickles_with_its_location():
    e = ConversationError("bad", source="a.jsonl", line=3, field="id", record_id="r1")
    e2 = pickle.loads(pickle.dumps(e))
    assert str(e2) == str(e)
    assert (e2.source, e2.line, e2.field, e2.record_id) == ("a.jsonl", 3, "id", "r1")


def test_unicode_content_is_fine():
    conv = validate_record(rec(messages=[dict(U, content="naïve 日本語 🙂")]))
    assert conv.messages[0].content == "naïve 日本語 🙂"


def test_as_messages_accepts_dicts_and_messages():
    msgs = as_messages([U, Message("assistant", "hi")])
    assert msgs == [Message("user", "hello"), Message("assistant", "hi")]
    with pytest.raises(ConversationError, match="messages"):
        as_messages([])


# ------------------------------------------------------------------------------------------
# round trip and views
# ------------------------------------------------------------------------------------------

def test_round_trip_to_dict_from_dict():
    for raw in (json.loads(x) for x in (FIXTURES / "conversations.jsonl").read_text(encoding="utf-8").splitlines()):
        conv = Conversation.from_dict(raw)
        assert conv.to_dict() == raw
        assert Conversation.from_dict(conv.to_dict()) == conv


def test_to_dict_omits_empty_labels_and_meta():
    assert Conversation.from_dict(GOOD).to_dict() == GOOD


def test_from_dict_applies_options():
    with pytest.raises(ConversationError, match="last message"):
        Conversation.from_dict(rec(messages=[U, A]), ValidationOptions(require_user_last=True))


def test_labels_group():
    assert Labels(subtype="persistent_harmful").group == "terminate"
    assert Labels(subtype="homonym_figurative").group == "benign_edgy"
    assert Labels(crisis=1).group == "crisis"
    assert Labels(terminate=1).group == "terminate"
    assert Labels(terminate=0).group == "benign_edgy"
    assert Labels().group == "unknown"


def _persistent() -> Conversation:
    msgs = [{"role": "user", "content": f"u{i}"} if i % 2 == 0 else {"role": "assistant", "content": f"a{i}"}
            for i in range(7)]  # users at 0, 2, 4, 6
    return Conversation.from_dict({
        "id": "p", "messages": msgs,
        "labels": {"terminate": 1, "terminate_from_turn": 4, "harm_category": "violent_crimes",
                   "persistence": 3, "crisis": 0, "subtype": "persistent_harmful"},
        "meta": {"push_turns": [2, 4, 6], "harm_from_turn": 2},
    })


def test_user_turn_indices():
    assert _persistent().user_turn_indices == [0, 2, 4, 6]


def test_prefix_terminate_before_and_after_terminate_from_turn():
    conv = _persistent()
    before, at, after = conv.prefix(2), conv.prefix(4), conv.prefix(6)
    assert before.labels.terminate == 0 and before.labels.terminate_from_turn is None
    assert at.labels.terminate == 1 and at.labels.terminate_from_turn == 4
    assert after.labels.terminate == 1
    assert len(before.messages) == 3 and before.messages[-1].content == "u2"
    assert before.id == "p@2" and before.meta["prefix_of"] == "p" and before.meta["prefix_end"] == 2
    # the original is untouched
    assert conv.labels.terminate == 1 and len(conv.messages) == 7
    # a prefix is itself a valid record
    Conversation.from_dict(before.to_dict())
    Conversation.from_dict(at.to_dict())


def test_prefix_persistence_counts_pushes_so_far():
    conv = _persistent()
    assert [conv.prefix(i).labels.persistence for i in range(7)] == [0, 0, 1, 1, 2, 2, 3]


def test_prefix_persistence_without_push_turns_is_kept():
    conv = Conversation.from_dict(rec(labels={"persistence": 2}))
    assert conv.prefix(0).labels.persistence == 2


def test_prefix_harm_category_before_harm_from_turn():
    conv = _persistent()
    assert conv.prefix(0).labels.harm_category == "none"
    assert conv.prefix(2).labels.harm_category == "violent_crimes"


def test_prefix_crisis_from_turn():
    conv = Conversation.from_dict(rec(labels={"terminate": 0, "crisis": 1, "crisis_from_turn": 2,
                                              "subtype": "crisis_hopelessness"}))
    assert conv.prefix(0).labels.crisis == 0
    assert conv.prefix(0).labels.crisis_from_turn is None
    assert conv.prefix(2).labels.crisis == 1
    assert conv.prefix(2).labels.crisis_from_turn == 2
    Conversation.from_dict(conv.prefix(0).to_dict())


def test_prefix_without_from_turn_keeps_labels():
    conv = Conversation.from_dict(rec(labels={"terminate": 0, "crisis": 0}))
    assert conv.prefix(0).labels.terminate == 0 and conv.prefix(0).labels.crisis == 0


def test_prefix_out_of_range():
    conv = _persistent()
    with pytest.raises(IndexError):
        conv.prefix(7)
    with pytest.raises(IndexError):
        conv.prefix(-1)
