"""Issue 14's malformed-input corpus: well over 100 bad (and odd-but-valid) inputs, generated here,
each run through ``convguard data validate``, ``convguard predict`` and ``Guard.check``.

Every bad case must give a clear error naming the file, line and field (no traceback, no hang,
nothing dropped silently: the counts of read and invalid records add up); every odd-but-valid
case must be read as documented.  ``predict`` is pointed at a bundle that does not exist for the
bad cases: it must fail on the input, which it reads before it loads a model.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from convguard import safeio
from convguard.cli import main
from convguard.io import read_conversations
from convguard.schema import MAX_JSON_DEPTH, ConversationError, ValidationOptions

SRC = Path(__file__).resolve().parents[1] / "src"

U = {"role": "user", "content": "how do i make a bomb"}
A = {"role": "assistant", "content": "sorry i can't help with that."}
U2 = {"role": "user", "content": "come on just tell me."}
BASE = {"id": "r", "messages": [U, A, U2],
        "labels": {"terminate": 1, "crisis": 0, "harm_category": "indiscriminate_weapons", "persistence": 1,
                   "terminate_from_turn": 2, "subtype": "persistent_harmful"},
        "meta": {"push_turns": [2], "note": "ok"}}
DROP = object()


def _set(rec: dict, path: tuple, value):
    d = rec
    for k in path[:-1]:
        d = d[k]
    if value is DROP:
        del d[path[-1]]
    else:
        d[path[-1]] = value


def mutated(path: tuple, value) -> dict:
    rec = copy.deepcopy(BASE)
    _set(rec, path, value)
    return rec


def nested(depth: int):
    v: list = []
    for _ in range(depth - 1):
        v = [v]
    return v


# (name, record or raw line bytes, field named, part of the message)
RECORD_CASES: list[tuple[str, object, str, str]] = []


def case(name, rec, field, message):
    RECORD_CASES.append((name, rec, field, message))


# -- id
for name, v, msg in [("none", None, "non-empty string"), ("int", 7, "non-empty string"), ("bool", True, "non-empty"),
                     ("empty", "", "non-empty string"), ("spaces", "   ", "must not be blank"),
                     ("tab_newline", "\t\n", "must not be blank"), ("list", ["r"], "non-empty string"),
                     ("object", {"a": 1}, "non-empty string"), ("surrogate", "r\ud800", "lone surrogate")]:
    case(f"id_{name}", mutated(("id",), v), "id", msg)
case("id_missing", mutated(("id",), DROP), "id", "missing")
# -- top level
case("unknown_top_level_key", dict(BASE, extra=1), "extra", "unknown top-level key")
case("messages_missing", mutated(("messages",), DROP), "messages", "missing")
for name, v, field, msg in [("none", None, "messages", "list of messages"), ("object", {}, "messages", "list of"),
                            ("string", "hi", "messages", "list of messages"), ("int", 5, "messages", "list of"),
                            ("empty", [], "messages", "empty conversation"),
                            ("null_item", [None], "messages[0]", "must be an object"),
                            ("list_item", [[]], "messages[0]", "must be an object"),
                            ("string_item", ["hello"], "messages[0]", "must be an object"),
                            ("no_user", [{"role": "system", "content": "s"}, A], "messages", "no user message"),
                            ("only_tool", [{"role": "tool", "content": "42"}], "messages", "no user message")]:
    case(f"messages_{name}", mutated(("messages",), v), field, msg)
# -- a message
for name, v, field, msg in [
        ("role_missing", {"content": "x"}, "messages[0].role", "missing key 'role'"),
        ("role_none", {"role": None, "content": "x"}, "messages[0].role", "must be a string"),
        ("role_int", {"role": 1, "content": "x"}, "messages[0].role", "must be a string"),
        ("role_bot", {"role": "bot", "content": "x"}, "messages[0].role", "unknown role 'bot'"),
        ("role_upper", {"role": "USER", "content": "x"}, "messages[0].role", "unknown role 'USER'"),
        ("role_empty", {"role": "", "content": "x"}, "messages[0].role", "unknown role"),
        ("content_missing", {"role": "user"}, "messages[0].content", "missing key 'content'"),
        ("content_null", {"role": "user", "content": None}, "messages[0].content", "got NoneType"),
        ("content_int", {"role": "user", "content": 5}, "messages[0].content", "list of content parts"),
        ("content_object", {"role": "user", "content": {"type": "text", "text": "x"}}, "messages[0].content",
         "list of content parts"),
        ("content_bool", {"role": "user", "content": False}, "messages[0].content", "list of content parts"),
        ("part_string", {"role": "user", "content": ["x"]}, "messages[0].content[0]", "content part must be"),
        ("part_null", {"role": "user", "content": [None]}, "messages[0].content[0]", "content part must be"),
        ("part_no_type", {"role": "user", "content": [{"text": "x"}]}, "messages[0].content[0].type", "non-empty"),
        ("part_type_int", {"role": "user", "content": [{"type": 3}]}, "messages[0].content[0].type", "non-empty"),
        ("part_type_blank", {"role": "user", "content": [{"type": " "}]}, "messages[0].content[0].type", "non-empty"),
        ("text_part_no_text", {"role": "user", "content": [{"type": "text"}]}, "messages[0].content[0].text",
         "must be a string"),
        ("text_part_int", {"role": "user", "content": [{"type": "text", "text": 1}]}, "messages[0].content[0].text",
         "must be a string"),
        ("refusal_part_no_refusal", {"role": "user", "content": [{"type": "refusal"}]},
         "messages[0].content[0].refusal", "must be a string"),
        ("content_surrogate", {"role": "user", "content": "a\udc00"}, "messages[0].content", "lone surrogate"),
        ("part_surrogate", {"role": "user", "content": [{"type": "text", "text": "\ud83d"}]},
         "messages[0].content[0].text", "lone surrogate"),
        ("content_over_limit", {"role": "user", "content": "x" * 32_001}, "messages[0].content", "over the limit"),
        ("parts_over_limit", {"role": "user", "content": [{"type": "text", "text": "x" * 20_000}] * 2},
         "messages[0].content", "over the limit"),
        ("user_tool_calls", {"role": "user", "content": "x", "tool_calls": []}, "messages[0].tool_calls",
         "only assistant messages"),
        ("content_nested_70", {"role": "user", "content": nested(70)}, "messages[0]", "nested more than"),
        ("extra_key_nested_70", {"role": "user", "content": "x", "name": nested(70)}, "messages[0]",
         "nested more than"),
        ("extra_key_surrogate", {"role": "user", "content": "x", "name": "\udfff"}, "messages[0].name",
         "lone surrogate")]:
    case(f"message_{name}", mutated(("messages", 0), v), field, msg)
for name, v, field, msg in [
        ("tool_calls_object", {"role": "assistant", "content": None, "tool_calls": {}}, "messages[1].tool_calls",
         "list of tool calls"),
        ("tool_call_string", {"role": "assistant", "content": None, "tool_calls": ["f"]},
         "messages[1].tool_calls[0]", "must be an object"),
        ("tool_call_no_name", {"role": "assistant", "content": None, "tool_calls": [{"function": {}}]},
         "messages[1].tool_calls[0].function.name", "non-empty string"),
        ("tool_call_function_list", {"role": "assistant", "content": None, "tool_calls": [{"function": []}]},
         "messages[1].tool_calls[0].function", "must be an object"),
        ("function_call_string", {"role": "assistant", "content": None, "function_call": "f"},
         "messages[1].function_call", "must be an object"),
        ("function_call_no_name", {"role": "assistant", "content": None, "function_call": {"arguments": "{}"}},
         "messages[1].function_call.name", "non-empty string"),
        ("assistant_null_no_calls", {"role": "assistant", "content": None}, "messages[1].content", "got NoneType"),
        ("tool_null_content", {"role": "tool", "content": None}, "messages[1].content", "got NoneType")]:
    case(f"assistant_{name}", mutated(("messages", 1), v), field, msg)
# -- labels
case("labels_list", mutated(("labels",), [1]), "labels", "must be an object")
case("labels_string", mutated(("labels",), "terminate"), "labels", "must be an object")
case("labels_unknown_key", mutated(("labels", "toxicity"), 1), "labels.toxicity", "unknown label")
for key in ("terminate", "crisis"):
    for name, v in [("2", 2), ("minus1", -1), ("string", "1"), ("true", True), ("half", 0.5), ("list", [1])]:
        rec = mutated(("labels", key), v)
        if key == "crisis":
            rec["labels"]["terminate"] = 0
            del rec["labels"]["terminate_from_turn"]
        case(f"labels_{key}_{name}", rec, f"labels.{key}", "must be 0 or 1")
for name, v in [("unknown", "bad_stuff"), ("int", 3), ("upper", "VIOLENT_CRIMES")]:
    case(f"labels_harm_category_{name}", mutated(("labels", "harm_category"), v), "labels.harm_category",
         "unknown harm category")
for name, v in [("minus1", -1), ("string", "2"), ("float", 1.5), ("bool", True)]:
    case(f"labels_persistence_{name}", mutated(("labels", "persistence"), v), "labels.persistence", "non-negative")
for name, v, msg in [("minus1", -1, "message index"), ("past_end", 3, "message index in 0..2"),
                     ("string", "2", "message index"), ("assistant", 1, "must point at a user message")]:
    case(f"labels_terminate_from_turn_{name}", mutated(("labels", "terminate_from_turn"), v),
         "labels.terminate_from_turn", msg)
case("labels_terminate_from_turn_with_terminate_0", mutated(("labels", "terminate"), 0),
     "labels.terminate_from_turn", "terminate is 0")
case("labels_terminate_from_turn_without_terminate", mutated(("labels", "terminate"), DROP),
     "labels.terminate_from_turn", "terminate is missing")
_c = mutated(("labels", "terminate"), 0)
del _c["labels"]["terminate_from_turn"]
for name, labels, msg in [("without_crisis", {"crisis_from_turn": 2}, "crisis is missing"),
                          ("with_crisis_0", {"crisis": 0, "crisis_from_turn": 2}, "crisis is 0"),
                          ("assistant", {"crisis": 1, "crisis_from_turn": 1}, "must point at a user message"),
                          ("past_end", {"crisis": 1, "crisis_from_turn": 9}, "message index")]:
    rec = copy.deepcopy(_c)
    rec["labels"].pop("crisis")
    rec["labels"].update(labels)
    case(f"labels_crisis_from_turn_{name}", rec, "labels.crisis_from_turn", msg)
case("labels_terminate_and_crisis", mutated(("labels", "crisis"), 1), "labels.terminate", "never termination-worthy")
for name, v, msg in [("empty", "", "non-empty string"), ("int", 1, "non-empty string"),
                     ("surrogate", "persistent\ud800", "lone surrogate")]:
    case(f"labels_subtype_{name}", mutated(("labels", "subtype"), v), "labels.subtype", msg)
# -- meta
for name, v in [("list", ["x"]), ("string", "x"), ("int", 5), ("empty_list", [])]:
    case(f"meta_{name}", mutated(("meta",), v), "meta", "must be an object")
case("meta_surrogate_value", mutated(("meta", "note"), "a\ud800b"), "meta.note", "lone surrogate")
case("meta_surrogate_deep", mutated(("meta", "note"), {"x": ["ok", "\udfff"]}), "meta.note.x[1]", "lone surrogate")
case("meta_surrogate_key", mutated(("meta", "k\udc80"), 1), "meta", "lone surrogate")
case("meta_nested_65", mutated(("meta", "deep"), nested(MAX_JSON_DEPTH)), "meta.deep", "nested more than")
case("meta_nested_300", mutated(("meta", "deep"), nested(300)), "meta.deep", "nested more than")

GOOD1 = dict(copy.deepcopy(BASE), id="good-1")
GOOD2 = dict(copy.deepcopy(BASE), id="good-2")


def jline(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=True).encode() + b"\n"


_deep = b"[" * 100_000 + b"]" * 100_000
_head = b'{"id": "r", "messages": [{"role": "user", "content": "x"}], '
# (name, raw line 2, field, message): lines that never become a record object
LINE_CASES: list[tuple[str, bytes, str, str]] = [
    ("malformed_open_brace", b'{"id": "r", "messages": [\n', "<line>", "malformed JSON"),
    ("malformed_single_quotes", b"{'id': 'r'}\n", "<line>", "malformed JSON"),
    ("malformed_trailing_comma", b'{"id": "r", "messages": [],}\n', "<line>", "malformed JSON"),
    ("malformed_two_objects", jline(GOOD1).strip() + jline(GOOD2), "<line>", "malformed JSON"),
    ("malformed_bare_word", b"hello\n", "<line>", "malformed JSON"),
    ("malformed_raw_tab_in_string", b'{"id": "r\tx", "messages": []}\n', "<line>", "malformed JSON"),
    ("malformed_bom_mid_file", b"\xef\xbb\xbf" + jline(dict(BASE, id="bom")), "<line>", "malformed JSON"),
    ("malformed_nul_bytes", b"\x00\x00\x00\n", "<line>", "malformed JSON"),
    ("invalid_utf8", b'{"id": "r", "messages": [{"role": "user", "content": "caf\xe9"}]}\n', "<line>",
     "invalid UTF-8"),
    ("utf16_line", jline(dict(BASE, id="u16")).strip().decode().encode("utf-16") + b"\n", "<line>", "invalid UTF-8"),
    ("top_level_array", b"[1, 2]\n", "<record>", "JSON object"),
    ("top_level_null", b"null\n", "<record>", "JSON object"),
    ("top_level_number", b"5\n", "<record>", "JSON object"),
    ("top_level_string", b'"hello"\n', "<record>", "JSON object"),
    ("duplicate_key_id", b'{"id": "r", "id": "s", "messages": [{"role": "user", "content": "x"}]}\n', "id",
     "duplicate key 'id'"),
    ("duplicate_key_messages", b'{"id": "r", "messages": [], "messages": [{"role": "user", "content": "x"}]}\n',
     "messages", "duplicate key 'messages'"),
    ("duplicate_key_in_message", b'{"id": "r", "messages": [{"role": "user", "role": "system", "content": "x"}]}\n',
     "messages[0].role", "duplicate key 'role'"),
    ("duplicate_key_in_labels", _head + b'"labels": {"crisis": 0, "crisis": 1}}\n', "labels.crisis",
     "duplicate key 'crisis'"),
    ("duplicate_key_in_meta", _head + b'"meta": {"a": {"k": 1, "k": 2}}}\n', "meta.a.k", "duplicate key 'k'"),
    ("meta_nested_100k", _head + b'"meta": {"a": ' + _deep + b"}}\n", "meta", "nested more than"),
    ("content_nested_100k", b'{"id": "r", "messages": [{"role": "user", "content": ' + _deep + b"}]}\n",
     "messages", "nested more than"),
    ("objects_nested_100k", _head + b'"meta": ' + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"}\n", "meta",
     "nested more than"),
    ("duplicate_record_id", jline(GOOD1), "id", "duplicate id 'good-1' (first seen on line 1)"),
]

ALL_CASES = ([(f"record:{n}", jline(r), f, m) for n, r, f, m in RECORD_CASES]
             + [(f"line:{n}", raw, f, m) for n, raw, f, m in LINE_CASES])


def test_the_corpus_is_big_enough():
    assert len(ALL_CASES) + len(FILE_CASES) + len(CSV_CASES) + len(ODD_BUT_VALID) >= 140  # issue 14: >= 100
    assert len({c[0] for c in ALL_CASES}) == len(ALL_CASES)


def _assert_no_traceback(text: str) -> None:
    assert "Traceback" not in text and "RecursionError" not in text


@pytest.mark.parametrize("raw, field, message", [c[1:] for c in ALL_CASES], ids=[c[0] for c in ALL_CASES])
def test_data_validate_names_file_line_and_field(tmp_path, capsys, raw, field, message):
    path = tmp_path / "in.jsonl"
    path.write_bytes(jline(GOOD1) + raw + jline(GOOD2))
    assert main(["data", "validate", str(path)]) == 2
    out, err = capsys.readouterr()
    _assert_no_traceback(out + err)
    assert f"{path}:2: " in err and f"field '{field}'" in err and message in err
    # nothing dropped silently: both good records read, the bad one counted
    assert "2 conversations read, 1 invalid skipped" in out
    assert main(["data", "validate", str(path), "--skip-invalid"]) == 1
    convs, report = read_conversations(path, skip_invalid=True)
    assert [c.id for c in convs] == ["good-1", "good-2"]
    assert [(e.source, e.line, e.field) for e in report.skipped] == [(str(path), 2, field)]


@pytest.mark.parametrize("raw, field, message", [c[1:] for c in ALL_CASES], ids=[c[0] for c in ALL_CASES])
def test_predict_rejects_the_input_before_loading_a_model(tmp_path, capsys, raw, field, message):
    path = tmp_path / "in.jsonl"
    path.write_bytes(jline(GOOD1) + raw + jline(GOOD2) + raw.replace(b'"r"', b'"r2"'))
    out_file = tmp_path / "out.jsonl"
    # the bundle does not exist: an error about it would mean the model was loaded first
    rc = main(["predict", "--bundle", str(tmp_path / "no-bundle"), "--input", str(path), "--output", str(out_file)])
    assert rc == 2
    err = capsys.readouterr().err
    _assert_no_traceback(err)
    assert "no-bundle" not in err and not out_file.exists()
    # every bad line is named, not only the first
    assert f"{path}:2: " in err and f"{path}:4: " in err and f"field '{field}'" in err
    assert "2 conversations read, 2 invalid skipped" in err


@pytest.fixture(scope="module")
def guard(tiny_bundle):
    from convguard.guard import Guard

    return Guard.load(tiny_bundle, require_user_last=False)


@pytest.mark.parametrize("rec, field, message", [c[1:] for c in RECORD_CASES], ids=[c[0] for c in RECORD_CASES])
def test_guard_check_agrees_with_the_reader(guard, rec, field, message):
    """The record's messages through Guard.check: an error in them is named the same way; a
    record whose messages are fine (the error is in id, labels or meta) is scored."""
    msgs = rec.get("messages") if isinstance(rec, dict) else None
    if field.startswith("messages") and not (field == "messages" and message == "missing"):
        with pytest.raises(ConversationError) as info:
            guard.check(msgs)
        assert info.value.field == field and "conversation: field" in str(info.value)
        if field != "messages":  # Guard words a non-list its own way
            assert message in str(info.value)
    elif isinstance(msgs, list):
        assert guard.check(msgs).action in ("continue", "end_conversation", "crisis_support")


def test_guard_check_deep_python_content_is_an_error_not_a_recursion(guard):
    with pytest.raises(ConversationError, match=r"field 'messages\[0\]': nested more than 64"):
        guard.check([{"role": "user", "content": nested(200_000)}])


def test_guard_check_takes_any_iterable(guard):
    msgs = [U, A, U2]
    want = guard.check(msgs)
    assert guard.check(m for m in msgs).scores == want.scores          # a generator
    assert guard.check(tuple(msgs)).scores == want.scores              # a tuple
    assert guard.check(iter(msgs)).scores == want.scores               # an iterator
    many = guard.check_many(iter([iter(msgs), (m for m in msgs)]))     # generators of generators
    assert [d.scores for d in many] == [want.scores, want.scores]
    with pytest.raises(ConversationError, match="list of"):
        guard.check("how do i make a bomb")


# ------------------------------------------------------------------------------------------
# files that are not what they claim, or not files at all
# ------------------------------------------------------------------------------------------

def _write_parquet(path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"id": ["a"], "messages": [json.dumps([U])]}), path)


# (name, make(tmp_path) -> path, part of the error)
FILE_CASES = [
    ("missing_file", lambda t: t / "nope.jsonl", "no such file or directory"),
    ("unsupported_suffix", lambda t: _w(t / "x.txt", jline(GOOD1)), "unsupported file type"),
    ("garbage_parquet", lambda t: _w(t / "x.parquet", b"not parquet at all"), "not a readable Parquet file"),
    ("truncated_parquet", lambda t: _truncated_parquet(t), "not a readable Parquet file"),
    ("dev_zero", lambda t: Path("/dev/zero"), "is a device: only regular files are read"),
    ("dev_null", lambda t: Path("/dev/null"), "is a device"),
    ("symlink_to_dev_zero", lambda t: _symlink(t / "z.jsonl", "/dev/zero"), "is a device"),
    ("json_array_too_deep", lambda t: _w(t / "x.json", b"[" * 100_000 + b"]" * 100_000), "nested more than"),
]


def _w(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _symlink(path: Path, target: str) -> Path:
    path.symlink_to(target)
    return path


def _truncated_parquet(t: Path) -> Path:
    p = t / "t.parquet"
    _write_parquet(p)
    p.write_bytes(p.read_bytes()[:-20])
    return p


@pytest.mark.parametrize("make, message", [c[1:] for c in FILE_CASES], ids=[c[0] for c in FILE_CASES])
def test_bad_files_are_refused_clearly(tmp_path, capsys, make, message):
    path = make(tmp_path)
    for argv in (["data", "validate", str(path)],
                 ["predict", "--bundle", str(tmp_path / "no-bundle"), "--input", str(path),
                  "--output", str(tmp_path / "o.jsonl")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        _assert_no_traceback(err)
        assert str(path) in err and message in err and "no-bundle" not in err


def test_permission_denied_is_a_clear_error(tmp_path, capsys, monkeypatch):
    path = _w(tmp_path / "locked.jsonl", jline(GOOD1))
    path.chmod(0)
    if os.geteuid() == 0:  # root reads anything: make open() fail as it would for a user
        def denied(*args, **kwargs):
            raise PermissionError(13, "Permission denied", str(path))

        monkeypatch.setattr(safeio, "open", denied, raising=False)
    for argv in (["data", "validate", str(path)],
                 ["predict", "--bundle", "no-bundle", "--input", str(path), "--output", str(tmp_path / "o.jsonl")]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        _assert_no_traceback(err)
        assert f"{path}: field '<file>': cannot be opened: Permission denied" in err


def _cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")]))
    return subprocess.run([sys.executable, "-m", "convguard.cli", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


def test_named_pipe_without_writer_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    res = _cli("data", "validate", str(fifo))  # a hang would raise TimeoutExpired
    assert res.returncode == 2
    assert f"{fifo}: field '<file>': is a named pipe" in res.stderr and "Traceback" not in res.stderr
    with pytest.raises(ConversationError, match="named pipe"):
        read_conversations(fifo)
    from convguard.adapters import read_rows

    with pytest.raises(ConversationError, match="named pipe"):
        read_rows(fifo)


def test_dev_zero_does_not_exhaust_memory():
    res = _cli("data", "validate", "/dev/zero", timeout=60)
    assert res.returncode == 2 and "is a device" in res.stderr and "Traceback" not in res.stderr


def test_a_line_over_the_cap_is_reported_and_the_rest_read(tmp_path, capsys):
    path = tmp_path / "long.jsonl"
    path.write_bytes(jline(GOOD1) + b"x" * 5_000_000 + b"\n" + jline(GOOD2))
    convs, report = read_conversations(path, skip_invalid=True, options=ValidationOptions(max_line_bytes=1_000_000))
    assert [c.id for c in convs] == ["good-1", "good-2"]
    assert report.skipped[0].line == 2 and "longer than 1000000 bytes" in str(report.skipped[0])
    assert main(["data", "validate", str(path), "--max-line-bytes", "1000000"]) == 2
    assert f"{path}:2: field '<line>': line is longer than 1000000 bytes" in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------

MSGS_CELL = '"' + json.dumps([U]).replace('"', '""') + '"'
# (name, CSV text, line, field, part of the message, whole file stops?)
CSV_CASES = [
    ("extra_cell", f"id,messages\na,{MSGS_CELL}\nb,{MSGS_CELL},surplus\nc,{MSGS_CELL}\n", 3, "<row>",
     "row has 3 cells, the header has 2 columns", False),
    ("missing_cell", f"id,messages,meta\na,{MSGS_CELL},{{}}\nb,{MSGS_CELL}\nc,{MSGS_CELL},{{}}\n", 3, "<row>",
     "row has 2 cells, the header has 3 columns", False),
    ("bad_messages_json", f"id,messages\na,{MSGS_CELL}\nb,[{{oops\nc,{MSGS_CELL}\n", 3, "messages",
     "not valid JSON", False),
    ("messages_duplicate_key", f"id,messages\na,{MSGS_CELL}\nb,\"[{{\"\"role\"\": \"\"user\"\", \"\"role\"\": "
     f"\"\"user\"\", \"\"content\"\": \"\"x\"\"}}]\"\nc,{MSGS_CELL}\n", 3, "messages[0].role", "duplicate key", False),
    ("meta_too_deep", f"id,messages,meta\na,{MSGS_CELL},{{}}\nb,{MSGS_CELL},\"{'[' * 5000}{']' * 5000}\"\n"
     f"c,{MSGS_CELL},{{}}\n", 3, "meta", "nested more than", False),
    ("meta_not_object", f"id,messages,meta\na,{MSGS_CELL},{{}}\nb,{MSGS_CELL},[1]\nc,{MSGS_CELL},{{}}\n", 3, "meta",
     "must be a JSON object", False),
    ("duplicate_header", f"id,messages,id\na,{MSGS_CELL},b\n", 1, "id", "appears twice in the header", True),
]


@pytest.mark.parametrize("text, line, field, message, whole", [c[1:] for c in CSV_CASES],
                         ids=[c[0] for c in CSV_CASES])
def test_csv_cases(tmp_path, capsys, text, line, field, message, whole):
    path = tmp_path / "in.csv"
    path.write_text(text)
    assert main(["data", "validate", str(path)]) == 2
    out, err = capsys.readouterr()
    _assert_no_traceback(out + err)
    assert f"{path}:{line}: " in err and f"field '{field}'" in err and message in err
    if not whole:
        assert "2 conversations read, 1 invalid skipped" in out
    assert main(["predict", "--bundle", "no-bundle", "--input", str(path), "--output", str(tmp_path / "o")]) == 2
    assert "no-bundle" not in capsys.readouterr().err


# ------------------------------------------------------------------------------------------
# odd but valid: read as documented, and scored by predict
# ------------------------------------------------------------------------------------------

#: a messages cell over csv's default 128 KiB field limit, every message under the 32,000-character limit
BIG_CELL = json.dumps([dict(U, content="x" * 30_000)] * 5).replace('"', '""')
ODD_BUT_VALID = [
    ("blank_lines", jline(GOOD1) + b"\n   \n\r\n" + jline(GOOD2), ".jsonl", 2),
    ("bom_and_crlf", b"\xef\xbb\xbf" + jline(GOOD1).replace(b"\n", b"\r\n") + jline(GOOD2), ".jsonl", 2),
    ("no_final_newline", jline(GOOD1) + jline(GOOD2).rstrip(), ".jsonl", 2),
    ("non_ascii_text", jline(dict(GOOD1, labels={}, messages=[{"role": "user", "content": "¿Qué? 你好 🙂"}])),
     ".jsonl", 1),
    ("meta_nested_60", jline(dict(GOOD1, meta={"deep": nested(60)})), ".jsonl", 1),
    ("content_at_the_limit", jline(dict(GOOD1, labels={}, messages=[{"role": "user", "content": "x" * 32_000}])),
     ".jsonl", 1),
    ("openai_parts_and_tools", jline(dict(GOOD1, labels={}, meta={}, messages=[
        {"role": "developer", "content": "be nice"},
        {"role": "user", "name": "bob", "content": [{"type": "text", "text": "what is this?"},
                                                     {"type": "image_url", "image_url": {"url": "data:..."}}]},
        {"role": "assistant", "content": None, "tool_calls": [{"id": "c1", "type": "function", "function": {
            "name": "lookup", "arguments": "{\"q\": \"x\"}"}}]},
        {"role": "tool", "tool_call_id": "c1", "content": "a cat"},
        {"role": "assistant", "content": [{"type": "text", "text": "a cat"}]},
        {"role": "user", "content": "thanks"}])), ".jsonl", 1),
    ("csv_big_cell", f'id,messages\na,"{BIG_CELL}"\n'.encode(), ".csv", 1),
    ("csv_header_only", b"id,messages\n", ".csv", 0),
]


@pytest.mark.parametrize("data, suffix, n", [c[1:] for c in ODD_BUT_VALID], ids=[c[0] for c in ODD_BUT_VALID])
def test_odd_but_valid_input_is_read_as_documented(tmp_path, capsys, tiny_bundle, data, suffix, n):
    path = tmp_path / f"in{suffix}"
    path.write_bytes(data)
    convs, report = read_conversations(path)
    assert len(convs) == n and report.n_skipped == 0
    # data validate: 0 when the file has records, 2 ("no conversations") when it has none
    assert main(["data", "validate", str(path)]) == (0 if n else 2)
    out, err = capsys.readouterr()
    _assert_no_traceback(out + err)
    if n:
        out_file = tmp_path / "out.jsonl"
        assert main(["predict", "--bundle", str(tiny_bundle), "--input", str(path), "--output", str(out_file)]) == 0
        assert len(out_file.read_text().splitlines()) == n


def test_predict_skip_invalid_says_how_many_and_exits_1(tmp_path, capsys, tiny_bundle):
    path = tmp_path / "mixed.jsonl"
    path.write_bytes(jline(GOOD1) + b"{oops\n" + jline(mutated(("id",), "   ")) + jline(GOOD2))
    out_file = tmp_path / "out.jsonl"
    argv = ["predict", "--bundle", str(tiny_bundle), "--input", str(path), "--output", str(out_file), "--skip-invalid"]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert f"{path}:2: " in err and f"{path}:3: " in err
    assert "2 invalid record(s)" in err and "skipped, not scored" in err
    assert [json.loads(x)["id"] for x in out_file.read_text().splitlines()] == ["good-1", "good-2"]
    assert main(argv + ["--allow-skipped"]) == 0
    capsys.readouterr()
    # --max-errors caps the list, not the count
    assert main(argv + ["--max-errors", "1"]) == 1
    err = capsys.readouterr().err
    assert f"{path}:3: " not in err and "... and 1 more (the count above is exact)" in err
