"""Issue 12: chat logs as they come -- OpenAI- and Hugging Face-format messages validate, predict and
go through Guard.check, by the documented rule (schema module docstring, data/README.md §1):

* ``developer`` is read as ``system``;
* ``content`` may be a list of parts: text parts (``text``, ``input_text``, ``output_text``,
  ``refusal``) are joined with newlines, other parts (images, audio, files) are skipped and counted;
* tool turns (``tool`` / ``function`` / ``ipython`` messages, assistant messages that only call
  tools) are kept as ``system`` context (``tool_turns="context"``, the default: message indices
  do not move) or skipped (``tool_turns="skip"``);
* ``name``, ``tool_call_id`` and other message keys are not read.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from convguard.cli import main
from convguard.io import read_conversations
from convguard.schema import ConversationError, Message, ValidationOptions, as_messages, validate_record

FIXTURES = Path(__file__).parent / "fixtures" / "chat_formats"
OPENAI = FIXTURES / "openai_chat.jsonl"
HF = FIXTURES / "hf_chat.jsonl"


def _by_id(path, **kw):
    convs, report = read_conversations(path, **kw)
    return {c.id: c for c in convs}, report


def _pairs(conv):
    return [(m.role, m.content) for m in conv.messages]


def test_openai_fixture_validates_with_the_documented_rule():
    convs, report = _by_id(OPENAI)
    assert len(convs) == 7 and report.n_skipped == 0
    assert _pairs(convs["oa-parts"]) == [
        ("system", "You are a helpful assistant."),
        ("user", "What is in this picture?"),              # the image part is skipped ...
        ("assistant", "A cat asleep on a keyboard."),
        ("user", "Ha, thanks.\nIs it a tabby?")]           # ... text parts are joined
    assert convs["oa-parts"].notes == {"non_text_parts:image_url": 1}
    assert _pairs(convs["oa-tools"]) == [
        ("system", "Answer briefly. Use tools when needed."),               # developer -> system
        ("user", "What's the weather in Paris?"),
        ("system", '[tool call] get_weather({"city": "Paris"})'),          # tool-call-only assistant turn
        ("system", '{"temp_c": 22, "sky": "clear"}'),                        # tool result
        ("assistant", "It's 22 °C and clear in Paris."),
        ("user", "great, and tomorrow?")]
    assert convs["oa-tools"].notes == {"developer_as_system": 1, "tool_turns_as_context": 2}
    assert _pairs(convs["oa-legacy-function"])[1:3] == [("system", '[tool call] convert({"miles": 10})'),
                                                        ("system", "16.09")]
    # a refusal given as ``refusal`` (content null) or as a refusal part is the assistant's text
    assert _pairs(convs["oa-refusal"])[1::2] == [("assistant", "I can't help with that."),
                                                 ("assistant", "I won't provide that.")]
    assert convs["oa-refusal"].labels.terminate_from_turn == 4
    assert _pairs(convs["oa-audio-file"]) == [("user", "transcribe this and summarise the pdf")]
    assert convs["oa-audio-file"].notes == {"non_text_parts:input_audio": 1, "non_text_parts:file": 1}
    assert _pairs(convs["oa-responses-api"]) == [("user", "hi there"), ("assistant", "Hello! Nice picture."),
                                                 ("user", "what colour is it?")]
    # an assistant reply that also calls a tool: the reply is read, the call is counted
    assert _pairs(convs["oa-text-and-calls"])[1:3] == [("assistant", "Sure, booking now."), ("system", "booked")]
    assert convs["oa-text-and-calls"].notes == {"tool_calls_beside_text": 1, "tool_turns_as_context": 1}
    # the report sums the notes
    assert report.notes["tool_turns_as_context"] == 5
    assert sum(v for k, v in report.notes.items() if k.startswith("non_text_parts:")) == 4
    line = report.notes_line()
    assert "4 non-text content parts skipped (file: 1, image_url: 1, input_audio: 1, input_image: 1)" in line
    assert "5 tool turns kept as system context" in line and "1 developer messages read as system" in line


def test_hf_fixture_validates():
    convs, report = _by_id(HF)
    assert report.n_skipped == 0
    assert _pairs(convs["hf-multimodal"]) == [("user", "What's in this picture?"), ("assistant", "A dog on a beach."),
                                              ("user", "what breed?")]
    assert convs["hf-multimodal"].notes == {"non_text_parts:image": 2}
    # HF tool calls: no ``content`` key, arguments as an object; the tool turn names the tool
    assert _pairs(convs["hf-tools"])[2:4] == [("system", '[tool call] get_weather({"city": "Oslo"})'),
                                              ("system", "-3C, snow")]
    assert _pairs(convs["hf-ipython"])[1:3] == [("system", '[tool call] python({"code": "print(2**10)"})'),
                                                ("system", "1024")]


def test_a_saved_hf_dataset_of_parts_reads_like_the_jsonl(tmp_path):
    """``datasets`` stores parts as structs (absent keys come back as None)."""
    datasets = pytest.importorskip("datasets")
    recs = [json.loads(x) for x in HF.read_text().splitlines()][:1]
    recs.append({"id": "hf-2", "messages": [{"role": "user", "content": [{"type": "text", "text": "hello"}]}]})
    datasets.Dataset.from_list(recs).save_to_disk(str(tmp_path / "ds"))
    convs, report = read_conversations(tmp_path / "ds")
    assert [c.id for c in convs] == ["hf-multimodal", "hf-2"] and report.n_skipped == 0
    assert _pairs(convs[0]) == _pairs(_by_id(HF)[0]["hf-multimodal"])
    assert report.notes == {"non_text_parts:image": 2}


def test_tool_turns_skip_rule():
    opts = ValidationOptions(tool_turns="skip")
    convs, report = _by_id(OPENAI, options=opts)
    assert _pairs(convs["oa-tools"]) == [("system", "Answer briefly. Use tools when needed."),
                                         ("user", "What's the weather in Paris?"),
                                         ("assistant", "It's 22 °C and clear in Paris."),
                                         ("user", "great, and tomorrow?")]
    assert report.notes["tool_turns_skipped"] == 5 and "tool_turns_as_context" not in report.notes
    with pytest.raises(ValueError, match="tool_turns must be one of context, skip"):
        ValidationOptions(tool_turns="drop")


def test_skip_rule_refuses_labels_that_point_at_message_indices():
    rec = {"id": "x", "messages": [{"role": "user", "content": "a"},
                                   {"role": "assistant", "content": None,
                                    "tool_calls": [{"function": {"name": "f", "arguments": "{}"}}]},
                                   {"role": "tool", "content": "r"},
                                   {"role": "user", "content": "b"}],
           "labels": {"terminate": 1, "terminate_from_turn": 3}}
    assert validate_record(rec).labels.terminate_from_turn == 3  # context: indices unchanged
    with pytest.raises(ConversationError, match=r"field 'labels.terminate_from_turn': points at a message index, "
                                                r"but tool turns were skipped"):
        validate_record(rec, ValidationOptions(tool_turns="skip"))


def test_unknown_roles_are_still_refused_naming_the_accepted_ones():
    with pytest.raises(ConversationError, match=r"field 'messages\[0\].role': unknown role 'model' \(expected one "
                                                r"of system, user, assistant; developer is read as system"):
        as_messages([{"role": "model", "content": "x"}])


def test_as_messages_and_message_objects_still_work():
    assert as_messages([Message("user", "hi"), {"role": "developer", "content": "sys"}]) == [
        Message("user", "hi"), Message("system", "sys")]


def test_data_validate_cli_prints_the_counts(capsys):
    assert main(["data", "validate", str(OPENAI)]) == 0
    out = capsys.readouterr().out
    assert "7 conversations read, 0 invalid skipped" in out and "4 non-text content parts skipped" in out
    assert main(["data", "validate", str(HF), "--tool-turns", "skip"]) == 0
    assert "4 tool turns skipped" in capsys.readouterr().out


def test_data_validate_reports_every_bad_record_then_the_count(tmp_path, capsys):
    good = json.loads(OPENAI.read_text().splitlines()[1])
    lines = []
    for i in range(60):
        rec = dict(good, id=f"r{i}")
        if i % 2:  # 30 bad records, each with a different bad part
            rec = json.loads(json.dumps(rec))
            rec["messages"][3]["content"] = [{"type": "text", "text": i}]
        lines.append(json.dumps(rec))
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    assert main(["data", "validate", str(path), "--max-errors", "100"]) == 2
    out, err = capsys.readouterr()
    assert "30 conversations read, 30 invalid skipped" in out
    for n in range(2, 61, 2):  # file lines of the bad records
        assert f"{path}:{n}: id='r{n - 1}': field 'messages[3].content[0].text': must be a string" in out
    assert "30 invalid record(s)" in err
    # a cap on the list keeps the count exact
    assert main(["data", "validate", str(path)]) == 2
    out = capsys.readouterr().out
    assert "30 invalid skipped" in out and out.count("  skipped ") == 30
    assert main(["data", "validate", str(path), "--max-errors", "5"]) == 2
    out = capsys.readouterr().out
    assert out.count("  skipped ") == 5 and "... and 25 more (the count above is exact)" in out


# ------------------------------------------------------------------------------------------
# through the model: Guard.check, Session and predict
# ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def guard(tiny_bundle):
    from convguard.guard import Guard

    return Guard.load(tiny_bundle)


def test_guard_check_reads_openai_messages_like_their_normalised_form(guard):
    for line in OPENAI.read_text().splitlines() + HF.read_text().splitlines():
        rec = json.loads(line)
        normalised = [m.to_dict() for m in validate_record(rec).messages]
        got, want = guard.check(rec["messages"]), guard.check(normalised)
        assert (got.action, got.scores) == (want.action, want.scores), rec["id"]
    with pytest.raises(ConversationError, match=r"conversation: field 'messages\[0\].content\[0\].text'"):
        guard.check([{"role": "user", "content": [{"type": "text", "text": None}]}])


def test_session_takes_tool_and_developer_messages(guard):
    s = guard.session()
    assert s.observe({"role": "developer", "content": "be brief"}) is None
    assert s.observe({"role": "user", "content": [{"type": "text", "text": "weather?"}, {"type": "image"}]})
    assert s.observe({"role": "assistant", "content": None,
                      "tool_calls": [{"function": {"name": "w", "arguments": "{}"}}]}) is None
    assert s.observe({"role": "tool", "content": "sunny"}) is None
    assert s.observe({"role": "user", "content": "thanks"}).action in ("continue", "crisis_support",
                                                                       "end_conversation")
    assert [m.role for m in s.messages] == ["system", "user", "system", "system", "user"]


@pytest.mark.parametrize("fixture", [OPENAI, HF], ids=["openai", "hf"])
def test_predict_scores_every_fixture_record(tiny_bundle, tmp_path, capsys, fixture):
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--bundle", str(tiny_bundle), "--input", str(fixture), "--output", str(out)]) == 0
    rows = [json.loads(x) for x in out.read_text().splitlines()]
    assert [r["id"] for r in rows] == [json.loads(x)["id"] for x in fixture.read_text().splitlines()]
    assert "non-text content parts skipped" in capsys.readouterr().err
