"""Readers and writers: JSONL, Parquet, CSV, saved datasets, hub ids (monkeypatched), column maps."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import datasets
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from convguard.io import ColumnMap, load_conversations, read_conversations, to_hf_dataset, write_jsonl
from convguard.schema import Conversation, ConversationError, ValidationOptions

FIXTURES = Path(__file__).parent / "fixtures"
CONVS_JSONL = FIXTURES / "conversations.jsonl"


@pytest.fixture
def convs() -> list[Conversation]:
    return load_conversations(CONVS_JSONL)


def _rows(convs, *, json_text: bool):
    """Table rows in the record layout (labels/meta as JSON text for CSV, dicts otherwise)."""
    out = []
    for c in convs:
        d = c.to_dict()
        msgs = d["messages"]
        out.append({"id": d["id"],
                    "messages": json.dumps(msgs, ensure_ascii=False) if json_text else msgs,
                    "labels": json.dumps(d.get("labels", {})) if json_text else json.dumps(d.get("labels", {})),
                    "meta": json.dumps(d.get("meta", {}), ensure_ascii=False)})
    return out


def _write_csv(path: Path, rows: list[dict], fieldnames=None, encoding="utf-8"):
    with open(path, "w", newline="", encoding=encoding) as f:
        w = csv.DictWriter(f, fieldnames=fieldnames or list(rows[0]))
        w.writeheader()
        w.writerows(rows)


# ------------------------------------------------------------------------------------------
# JSONL
# ------------------------------------------------------------------------------------------

def test_jsonl_fixture(convs):
    assert [c.id for c in convs] == ["c1", "c2", "c3"]
    c2 = convs[1]
    assert c2.messages[0].role == "system"
    assert c2.labels.terminate == 1 and c2.labels.terminate_from_turn == 5
    assert c2.meta["push_turns"] == [3, 5]
    assert convs[2].messages[0].content == "Ça va ? 日本語 ✓"


def test_jsonl_report(convs):
    got, report = read_conversations(CONVS_JSONL)
    assert got == convs
    assert report.read == 3 and report.n_skipped == 0 and report.source == str(CONVS_JSONL)


def test_jsonl_with_bom_and_crlf(tmp_path, convs):
    path = tmp_path / "bom.jsonl"
    text = "\r\n".join(json.dumps(c.to_dict(), ensure_ascii=False) for c in convs) + "\r\n"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_conversations(path) == convs


def test_ndjson_and_json_suffixes(tmp_path, convs):
    for name in ("a.ndjson", "a.json"):
        write_jsonl(convs, tmp_path / name)
        assert load_conversations(tmp_path / name) == convs


def test_write_jsonl_then_read_back_equals_original(tmp_path, convs):
    path = tmp_path / "sub" / "out.jsonl"
    assert write_jsonl(convs, path) == 3
    assert load_conversations(path) == convs
    raw = path.read_bytes()
    assert "日本語".encode() in raw  # UTF-8, not \u escapes
    assert b"\r\n" not in raw and raw.endswith(b"\n")
    # dicts are written as they are
    write_jsonl([c.to_dict() for c in convs], tmp_path / "dicts.jsonl")
    assert (tmp_path / "dicts.jsonl").read_bytes() == raw


def test_jsonl_with_column_map_sharegpt():
    cmap = ColumnMap(messages="conversations", role_key="from", content_key="value",
                     roles={"human": "user", "gpt": "assistant"})
    convs = load_conversations(FIXTURES / "sharegpt_sample.jsonl", column_map=cmap)
    assert [c.id for c in convs] == ["sg1", "sg2"]
    assert [m.role for m in convs[0].messages] == ["system", "user", "assistant", "user"]
    assert convs[0].messages[3].content == "Write one about rain."


def test_jsonl_without_column_map_rejects_foreign_records():
    with pytest.raises(ConversationError, match=r"sharegpt_sample\.jsonl:1: field 'conversations'"):
        load_conversations(FIXTURES / "sharegpt_sample.jsonl")


# ------------------------------------------------------------------------------------------
# Parquet
# ------------------------------------------------------------------------------------------

def test_parquet_record_layout(tmp_path, convs):
    path = tmp_path / "c.parquet"
    pd.DataFrame(_rows(convs, json_text=False)).to_parquet(path)
    assert load_conversations(path) == convs


def test_parquet_struct_labels(tmp_path):
    table = pa.Table.from_pylist([
        {"id": "a", "messages": [{"role": "user", "content": "x"}], "labels": {"terminate": 0, "crisis": None}},
        {"id": "b", "messages": [{"role": "user", "content": "y"}], "labels": {"terminate": None, "crisis": 1}},
    ])
    pq.write_table(table, tmp_path / "s.parquet")
    a, b = load_conversations(tmp_path / "s.parquet")
    assert (a.labels.terminate, a.labels.crisis) == (0, None)
    assert (b.labels.terminate, b.labels.crisis) == (None, 1)


def test_parquet_label_columns_with_nulls(tmp_path):
    # an int column with a null becomes float64 in pandas: 1.0 must read as 1, NaN as missing
    df = pd.DataFrame({
        "uid": ["a", "b", "c"],
        "chat": [[{"role": "user", "content": "x"}]] * 3,
        "end": [1, None, 0],
        "cat": ["violent_crimes", None, "none"],
    })
    df.to_parquet(tmp_path / "l.parquet")
    cmap = ColumnMap(id="uid", messages="chat", labels={"terminate": "end", "harm_category": "cat"})
    a, b, c = load_conversations(tmp_path / "l.parquet", column_map=cmap)
    assert a.labels.terminate == 1 and a.labels.harm_category == "violent_crimes"
    assert b.labels.terminate is None and b.labels.harm_category is None
    assert c.labels.terminate == 0


def test_bool_label_columns(tmp_path, monkeypatch):
    ds = datasets.Dataset.from_list([
        {"messages": [{"role": "user", "content": "x"}], "flag": True, "risk": False},
        {"messages": [{"role": "user", "content": "y"}], "flag": False, "risk": True},
    ])
    ds.save_to_disk(str(tmp_path / "b"))
    a, b = load_conversations(tmp_path / "b", column_map={"labels": {"terminate": "flag", "crisis": "risk"}})
    assert (a.labels.terminate, a.labels.crisis, b.labels.terminate, b.labels.crisis) == (1, 0, 0, 1)
    assert a.id == "b-0"


def test_parquet_error_names_row(tmp_path):
    rows = [{"id": "a", "messages": [{"role": "user", "content": "x"}]},
            {"id": "b", "messages": [{"role": "wizard", "content": "x"}]}]
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "e.parquet")
    with pytest.raises(ConversationError) as info:
        load_conversations(tmp_path / "e.parquet")
    assert f"{tmp_path / 'e.parquet'}:2" in str(info.value)
    assert info.value.field == "messages[0].role"


# ------------------------------------------------------------------------------------------
# CSV
# ------------------------------------------------------------------------------------------

def test_csv_messages_as_json_text(tmp_path, convs):
    path = tmp_path / "c.csv"
    _write_csv(path, _rows(convs, json_text=True))
    assert load_conversations(path) == convs


def test_csv_with_bom(tmp_path, convs):
    path = tmp_path / "bom.csv"
    _write_csv(path, _rows(convs, json_text=True), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert [c.id for c in load_conversations(path)] == ["c1", "c2", "c3"]


def test_csv_label_columns_are_text(tmp_path):
    path = tmp_path / "l.csv"
    msgs = json.dumps([{"role": "user", "content": "hi"}])
    _write_csv(path, [
        {"id": "a", "messages": msgs, "end": "1", "pushes": "2", "cat": "violent_crimes"},
        {"id": "b", "messages": msgs, "end": "", "pushes": "0.0", "cat": ""},
    ])
    cmap = {"labels": {"terminate": "end", "persistence": "pushes", "harm_category": "cat"}}
    a, b = load_conversations(path, column_map=cmap)
    assert (a.labels.terminate, a.labels.persistence, a.labels.harm_category) == (1, 2, "violent_crimes")
    assert (b.labels.terminate, b.labels.persistence, b.labels.harm_category) == (None, 0, None)


def test_csv_label_column_bad_value_is_reported(tmp_path):
    path = tmp_path / "l.csv"
    msgs = json.dumps([{"role": "user", "content": "hi"}])
    _write_csv(path, [{"id": "a", "messages": msgs, "end": "yes"}])
    with pytest.raises(ConversationError, match=r"l\.csv:2: id='a': field 'labels.terminate': must be 0 or 1"):
        load_conversations(path, column_map={"labels": {"terminate": "end"}})


def test_csv_line_numbers_start_after_header(tmp_path):
    path = tmp_path / "e.csv"
    good = json.dumps([{"role": "user", "content": "hi"}])
    _write_csv(path, [{"id": "a", "messages": good}, {"id": "b", "messages": "[{not json"},
                      {"id": "c", "messages": "[]"}])
    convs, report = read_conversations(path, skip_invalid=True)
    assert [c.id for c in convs] == ["a"]
    assert [(e.line, e.field) for e in report.skipped] == [(3, "messages"), (4, "messages")]
    assert "not valid JSON" in str(report.skipped[0])


def test_csv_line_numbers_count_blank_lines_and_multiline_cells(tmp_path):
    path = tmp_path / "m.csv"
    good = json.dumps([{"role": "user", "content": "hi"}])
    pretty = json.dumps([{"role": "user", "content": "hi"}], indent=1)  # spans several lines
    bad = json.dumps([{"role": "robot", "content": "hi"}])
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["id", "messages"])       # line 1
        w.writerow(["a", good])              # line 2
        f.write("\n")                        # line 3 (blank)
        w.writerow(["b", pretty])            # lines 4..
        w.writerow(["c", bad])
    n_pretty = pretty.count("\n") + 1
    bad_line = 4 + n_pretty
    convs, report = read_conversations(path, skip_invalid=True)
    assert [c.id for c in convs] == ["a", "b"]
    assert report.skipped[0].line == bad_line
    assert f"m.csv:{bad_line}" in str(report.skipped[0])


def test_csv_invalid_utf8_row_is_skippable(tmp_path):
    path = tmp_path / "u.csv"
    good = json.dumps([{"role": "user", "content": "hi"}]).replace('"', '""')
    path.write_bytes(b'id,messages\n'
                     b'a,"' + good.encode() + b'"\n'
                     b'b\xff,"' + good.encode() + b'"\n'
                     b'c,"' + good.encode() + b'"\n')
    with pytest.raises(ConversationError, match=r"u\.csv:3: field 'id': invalid UTF-8"):
        load_conversations(path)
    convs, report = read_conversations(path, skip_invalid=True)
    assert [c.id for c in convs] == ["a", "c"]
    assert report.skipped[0].line == 3


def test_csv_bad_meta_json(tmp_path):
    path = tmp_path / "meta.csv"
    good = json.dumps([{"role": "user", "content": "hi"}])
    _write_csv(path, [{"id": "a", "messages": good, "meta": "{broken"},
                      {"id": "b", "messages": good, "meta": ""},
                      {"id": "c", "messages": good, "meta": "[1]"}])
    convs, report = read_conversations(path, skip_invalid=True)
    assert [c.id for c in convs] == ["b"]
    assert [(e.line, e.field) for e in report.skipped] == [(2, "meta"), (4, "meta")]


def test_csv_without_id_column_gets_row_ids(tmp_path):
    path = tmp_path / "noid.csv"
    good = json.dumps([{"role": "user", "content": "hi"}])
    _write_csv(path, [{"messages": good}, {"messages": good}])
    assert [c.id for c in load_conversations(path)] == ["noid.csv-0", "noid.csv-1"]


def test_missing_messages_column_is_named(tmp_path):
    path = tmp_path / "x.csv"
    _write_csv(path, [{"id": "a", "text": "hello"}])
    with pytest.raises(ConversationError) as info:
        load_conversations(path)
    text = str(info.value)
    assert "x.csv:2" in text and "field 'messages'" in text and "columns: id, text" in text


def test_missing_label_column_is_named(tmp_path):
    path = tmp_path / "x.csv"
    _write_csv(path, [{"id": "a", "messages": json.dumps([{"role": "user", "content": "hi"}])}])
    with pytest.raises(ConversationError, match=r"x\.csv:2: field 'end': label column 'end' not found"):
        load_conversations(path, column_map={"labels": {"terminate": "end"}})


# ------------------------------------------------------------------------------------------
# datasets: save_to_disk, hub ids, to_hf_dataset
# ------------------------------------------------------------------------------------------

def test_to_hf_dataset(convs):
    ds = to_hf_dataset(convs)
    assert isinstance(ds, datasets.Dataset)
    assert ds.column_names == ["id", "messages", "labels", "meta"]
    assert len(ds) == 3
    assert ds[1]["messages"][0] == {"role": "system", "content": "Be kind."}
    assert json.loads(ds[1]["labels"])["terminate_from_turn"] == 5
    assert json.loads(ds[2]["meta"]) == {"lang": "fr"}


def test_saved_dataset_directory_round_trip(tmp_path, convs):
    to_hf_dataset(convs).save_to_disk(str(tmp_path / "ds"))
    assert load_conversations(tmp_path / "ds") == convs


def test_saved_dataset_dict_split(tmp_path, convs):
    dd = datasets.DatasetDict({"train": to_hf_dataset(convs[:2]), "test": to_hf_dataset(convs[2:])})
    dd.save_to_disk(str(tmp_path / "dd"))
    assert load_conversations(tmp_path / "dd", split="test") == convs[2:]
    assert load_conversations(tmp_path / "dd") == convs[:2]
    with pytest.raises(ValueError, match="split 'dev' not found"):
        load_conversations(tmp_path / "dd", split="dev")


def test_hub_id_with_column_map(fake_hub):
    fake_hub[("someone/chats", "train")] = datasets.Dataset.from_list([
        {"uid": 10, "dialog": [{"speaker": "human", "text": "Hello"}, {"speaker": "bot", "text": "Hi"},
                               {"speaker": "human", "text": "Bye"}],
         "should_end": 0, "risk": 1, "kind": "none", "extra": "x"},
        {"uid": 11, "dialog": [{"speaker": "human", "text": "Again"}],
         "should_end": 0, "risk": 0, "kind": "none", "extra": "y"},
    ])
    cmap = ColumnMap(id="uid", messages="dialog", role_key="speaker", content_key="text",
                     roles={"human": "user", "bot": "assistant"},
                     labels={"terminate": "should_end", "crisis": "risk", "harm_category": "kind"})
    convs, report = read_conversations("hf://someone/chats", column_map=cmap)
    assert fake_hub.calls == [("someone/chats", "train")]
    assert [c.id for c in convs] == ["10", "11"]
    assert [m.role for m in convs[0].messages] == ["user", "assistant", "user"]
    assert convs[0].messages[1].content == "Hi"
    assert (convs[0].labels.terminate, convs[0].labels.crisis, convs[0].labels.harm_category) == (0, 1, "none")
    assert report.source == "hf://someone/chats" and report.read == 2


def test_hub_id_split_and_sharegpt_roles(fake_hub):
    fake_hub[("someone/sharegpt", "test")] = datasets.Dataset.from_list([
        {"id": "s1", "conversations": [{"from": "system", "value": "Be brief."}, {"from": "human", "value": "Hi"},
                                       {"from": "gpt", "value": "Hello"}]},
    ])
    cmap = {"messages": "conversations", "role_key": "from", "content_key": "value",
            "roles": {"human": "user", "gpt": "assistant"}}
    (conv,) = load_conversations("hf://someone/sharegpt:test", column_map=cmap)
    assert fake_hub.calls == [("someone/sharegpt", "test")]
    assert [m.to_dict() for m in conv.messages] == [
        {"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"},
        {"role": "assistant", "content": "Hello"}]


def test_hub_sequence_of_structs_comes_as_dict_of_lists(fake_hub):
    features = datasets.Features({
        "id": datasets.Value("string"),
        "conversations": datasets.Sequence({"from": datasets.Value("string"), "value": datasets.Value("string")}),
    })
    fake_hub[("someone/seq", "train")] = datasets.Dataset.from_dict(
        {"id": ["q1"], "conversations": [{"from": ["human", "gpt", "human"], "value": ["a", "b", "c"]}]},
        features=features)
    cmap = ColumnMap(messages="conversations", role_key="from", content_key="value",
                     roles={"human": "user", "gpt": "assistant"})
    (conv,) = load_conversations("hf://someone/seq", column_map=cmap)
    assert [(m.role, m.content) for m in conv.messages] == [("user", "a"), ("assistant", "b"), ("user", "c")]


def test_hub_unknown_role_is_reported(fake_hub):
    fake_hub[("someone/tools", "train")] = datasets.Dataset.from_list([
        {"conversations": [{"from": "human", "value": "a"}, {"from": "narrator", "value": "b"}]},
    ])
    cmap = ColumnMap(id=None, messages="conversations", role_key="from", content_key="value",
                     roles={"human": "user"})
    with pytest.raises(ConversationError, match=r"hf://someone/tools:1: id='tools-0': field 'messages\[1\].role'"):
        load_conversations("hf://someone/tools", column_map=cmap)
    # a ShareGPT 'tool' turn is a tool turn (issue 12): kept as system context
    fake_hub[("someone/tools", "train")] = datasets.Dataset.from_list([
        {"conversations": [{"from": "human", "value": "a"}, {"from": "tool", "value": "b"}]},
    ])
    conv, = load_conversations("hf://someone/tools", column_map=cmap)
    assert [(m.role, m.content) for m in conv.messages] == [("user", "a"), ("system", "b")]


def test_hub_record_layout_from_to_hf_dataset(fake_hub, convs):
    fake_hub[("me/mine", "train")] = to_hf_dataset(convs)
    assert load_conversations("hf://me/mine") == convs


# ------------------------------------------------------------------------------------------
# errors and options
# ------------------------------------------------------------------------------------------

def test_unsupported_extension(tmp_path):
    path = tmp_path / "data.txt"
    path.write_text("hello")
    with pytest.raises(ValueError, match=r"unsupported file type '\.txt'"):
        read_conversations(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="no such file"):
        read_conversations(tmp_path / "nope.jsonl")


def test_column_map_unknown_key():
    with pytest.raises(ValueError, match="unknown key 'msgs'"):
        ColumnMap.from_dict({"msgs": "x"})
    assert ColumnMap.from_dict(None) == ColumnMap()


def test_options_apply_to_every_reader(tmp_path, convs):
    path = tmp_path / "c.parquet"
    pd.DataFrame(_rows(convs, json_text=False)).to_parquet(path)
    got, report = read_conversations(path, options=ValidationOptions(require_user_last=True), skip_invalid=True)
    assert [c.id for c in got] == ["c1", "c2"]
    assert report.skipped[0].line == 3 and report.skipped[0].field == "messages[1].role"
