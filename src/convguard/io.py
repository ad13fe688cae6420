"""Reading and writing conversations: JSONL, Parquet, CSV and Hugging Face ``datasets``.

Every reader validates each record and either raises a :class:`ConversationError` naming the
file, line (row) and field, or -- with ``skip_invalid=True`` -- skips the record and reports it
in :class:`ReadReport`.  Nothing is dropped silently.

:func:`write_jsonl`, :func:`write_json` and :func:`write_csv` write records and report figures
(numpy values as plain numbers).
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Mapping, Sequence

from . import safeio
from .schema import Conversation, ConversationError, ValidationOptions, validate_record


@dataclass
class ReadReport:
    source: str
    read: int = 0
    skipped: list[ConversationError] = field(default_factory=list)
    #: summed :attr:`Conversation.notes` of the records read (non-text parts skipped, tool turns, ...)
    notes: dict[str, int] = field(default_factory=dict)

    @property
    def n_skipped(self) -> int:
        return len(self.skipped)

    def notes_line(self) -> str | None:
        """One line on what reading the chat format skipped or re-read, or None."""
        if not self.notes:
            return None
        parts = []
        kinds = {k.split(":", 1)[1]: v for k, v in sorted(self.notes.items()) if k.startswith("non_text_parts:")}
        if kinds:
            parts.append(f"{sum(kinds.values())} non-text content parts skipped ("
                         + ", ".join(f"{k}: {v}" for k, v in kinds.items()) + ")")
        for key, text in (("tool_turns_as_context", "tool turns kept as system context"),
                          ("tool_turns_skipped", "tool turns skipped"),
                          ("tool_calls_beside_text", "assistant replies whose tool calls were not read"),
                          ("developer_as_system", "developer messages read as system")):
            if self.notes.get(key):
                parts.append(f"{self.notes[key]} {text}")
        return f"{self.source}: " + "; ".join(parts)

    def summary(self, limit: int = 10) -> str:
        lines = [f"{self.source}: {self.read} conversations read, {self.n_skipped} invalid skipped"]
        for e in self.skipped[:limit]:
            lines.append(f"  skipped {e}")
        if self.n_skipped > limit:
            lines.append(f"  ... and {self.n_skipped - limit} more (the count above is exact)")
        notes = self.notes_line()
        if notes:
            lines.append(notes)
        return "\n".join(lines)


# ------------------------------------------------------------------------------------------
# column mapping (for Parquet/CSV/HF data whose columns are named differently)
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ColumnMap:
    """How a foreign table maps onto the conversation record.

    ``id``/``messages``/``meta`` name source columns; ``labels`` maps label name -> column;
    ``role_key``/``content_key`` name the keys inside each message (ShareGPT uses from/value);
    ``roles`` renames role values (e.g. ``{"human": "user", "gpt": "assistant"}``).
    A missing ``id`` column gets ``<source>-<row>`` ids.
    """

    id: str | None = "id"
    messages: str = "messages"
    labels: Mapping[str, str] = field(default_factory=dict)
    meta: str | None = None
    role_key: str = "role"
    content_key: str = "content"
    roles: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, d: Mapping[str, Any] | None) -> "ColumnMap":
        if not d:
            return cls()
        unknown = set(d) - set(cls.__dataclass_fields__)
        if unknown:
            raise ValueError(f"column map: unknown key {sorted(unknown)[0]!r} "
                             f"(known: {', '.join(cls.__dataclass_fields__)})")
        return cls(**d)

    def apply(self, row: Mapping[str, Any], row_index: int, source: str) -> dict[str, Any]:
        if self.messages not in row:
            raise ConversationError(f"column {self.messages!r} not found (columns: {', '.join(map(str, row))})",
                                    field=self.messages)
        msgs = row[self.messages]
        if isinstance(msgs, str):  # CSV cells hold JSON text
            msgs = safeio.loads(msgs, field=self.messages)
        if hasattr(msgs, "tolist"):  # numpy arrays from parquet
            msgs = msgs.tolist()
        if isinstance(msgs, Mapping):  # a datasets ``Sequence`` of structs comes back as a dict of lists
            msgs = _transpose_struct_sequence(msgs, self.messages)
        if isinstance(msgs, list):
            conv = []
            for m in msgs:
                if isinstance(m, Mapping) and (self.role_key != "role" or self.content_key != "content" or self.roles):
                    role = m.get(self.role_key)
                    rest = {k: v for k, v in m.items() if k not in (self.role_key, self.content_key, "role", "content")}
                    conv.append({**rest, "role": self.roles.get(role, role), "content": m.get(self.content_key)})
                else:
                    conv.append(dict(m) if isinstance(m, Mapping) else m)
            msgs = conv
        rec: dict[str, Any] = {"messages": msgs}
        rid = row.get(self.id) if self.id else None
        if hasattr(rid, "item"):
            rid = rid.item()
        if _is_missing(rid):
            rid = None
        rec["id"] = str(rid) if rid is not None else f"{Path(source).name}-{row_index}"
        labels = {}
        if "labels" in row and not self.labels and isinstance(row["labels"], (Mapping, str)):
            labels = _json_object(row["labels"], "labels", allow_empty=True)
            labels = {k: v for k, v in labels.items() if v is not None}
        for name, col in self.labels.items():
            if col not in row:
                raise ConversationError(f"label column {col!r} not found (columns: {', '.join(map(str, row))})",
                                        field=col)
            v = _coerce_label(name, row[col])
            if v is not None:
                labels[name] = v
        if labels:
            rec["labels"] = labels
        meta_col = self.meta or ("meta" if "meta" in row else None)
        if meta_col and row.get(meta_col) is not None:
            meta = _json_object(row[meta_col], meta_col, allow_empty=True)
            if meta:
                rec["meta"] = meta
        return rec


_INT_LABELS = ("terminate", "crisis", "persistence", "terminate_from_turn", "crisis_from_turn")


def _is_missing(v: Any) -> bool:
    """``None``, NaN (pandas/parquet nulls) or an empty CSV cell."""
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def _coerce_label(name: str, v: Any) -> Any:
    """Undo what tables do to label values from label columns: numpy scalars, integral floats (int
    columns with nulls become float64), numbers as text (CSV cells), boolean 0/1 flags (``True`` /
    ``"false"`` for terminate and crisis) and empty cells (missing).  Anything else is left alone
    for validation to judge."""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)):
        v = v.item()
    if _is_missing(v):
        return None
    if name in _INT_LABELS:
        if isinstance(v, bool) and name in ("terminate", "crisis"):
            return int(v)
        if isinstance(v, str) and name in ("terminate", "crisis") and v.strip().lower() in ("true", "false"):
            return int(v.strip().lower() == "true")
        if isinstance(v, float) and v.is_integer():
            return int(v)
        if isinstance(v, str):
            t = v.strip()
            if t.lstrip("-").isdigit():
                return int(t)
            try:
                f = float(t)
            except ValueError:
                return v
            return int(f) if f.is_integer() else v
    elif isinstance(v, str):
        return v.strip()
    return v


def _json_object(raw: Any, column: str, *, allow_empty: bool = False) -> dict[str, Any]:
    """A JSON-object cell (text in CSV, a struct/dict elsewhere) as a dict, or a ConversationError."""
    if isinstance(raw, str):
        if allow_empty and not raw.strip():
            return {}
        raw = safeio.loads(raw, field=column)
    if raw is None and allow_empty:
        return {}
    if not isinstance(raw, Mapping):
        raise ConversationError(f"must be a JSON object, got {type(raw).__name__}", field=column)
    return dict(raw)


def _transpose_struct_sequence(msgs: Mapping[str, Any], column: str) -> list[dict[str, Any]]:
    cols = {k: (v.tolist() if hasattr(v, "tolist") else v) for k, v in msgs.items()}
    if not cols or not all(isinstance(v, list) for v in cols.values()):
        raise ConversationError("must be a list of messages (or a dict of equal-length lists), got an object",
                                field=column)
    lengths = {len(v) for v in cols.values()}
    if len(lengths) != 1:
        raise ConversationError(f"dict of lists with different lengths {sorted(lengths)}", field=column)
    n = lengths.pop()
    return [{k: v[i] for k, v in cols.items()} for i in range(n)]


# ------------------------------------------------------------------------------------------
# readers
# ------------------------------------------------------------------------------------------

def _validated(records: Iterable[tuple[int, Any]], source: str, options: ValidationOptions,
               skip_invalid: bool, report: ReadReport, *,
               convert: Callable[[Any, int], Conversation] | None = None, id_field: str = "id",
               unit: str = "line") -> Iterator[Conversation]:
    """Validate ``(line, record)`` pairs (``convert`` turns one into a Conversation; default
    :func:`validate_record`), reject duplicate ids, and raise or -- with ``skip_invalid`` --
    record every bad one in ``report``.  Shared by the readers and the benchmark adapters."""
    seen: dict[str, int] = {}
    for line, obj in records:
        try:
            if isinstance(obj, ConversationError):
                raise obj
            conv = convert(obj, line) if convert else validate_record(obj, options)
            if conv.id in seen:
                raise ConversationError(f"duplicate id {conv.id!r} (first seen on {unit} {seen[conv.id]})",
                                        field=id_field, record_id=conv.id)
            seen[conv.id] = line
        except ConversationError as e:
            e = e.located(source=source, line=line)
            if not skip_invalid:
                raise e from None
            report.skipped.append(e)
            continue
        report.read += 1
        for k, v in conv.notes.items():
            report.notes[k] = report.notes.get(k, 0) + v
        yield conv


def _jsonl_records(path: Path, max_line_bytes: int = safeio.DEFAULT_MAX_LINE_BYTES) -> Iterator[tuple[int, Any]]:
    return safeio.jsonl_lines(path, max_line_bytes)


def _mapped_jsonl(records: Iterable[tuple[int, Any]], source: str, cmap: ColumnMap) -> Iterator[tuple[int, Any]]:
    for i, (line, obj) in enumerate(records):
        if isinstance(obj, ConversationError):
            yield line, obj
        elif not isinstance(obj, Mapping):
            yield line, ConversationError(f"a record must be a JSON object, got {type(obj).__name__}",
                                          field="<record>")
        else:
            try:
                yield line, cmap.apply(obj, i, source)
            except ConversationError as e:
                yield line, e


def _table_records(rows: Iterable[Mapping[str, Any]], source: str, cmap: ColumnMap,
                   first_line: int) -> Iterator[tuple[int, Any]]:
    """Rows are dicts (line = index + ``first_line``) or ``(line, row)`` pairs."""
    for i, item in enumerate(rows):
        line, row = item if isinstance(item, tuple) else (i + first_line, item)
        try:
            if isinstance(row, ConversationError):
                raise row
            yield line, cmap.apply(row, i, source)
        except ConversationError as e:
            yield line, e


def _csv_rows(path: str | Path, max_line_bytes: int = safeio.DEFAULT_MAX_LINE_BYTES
              ) -> list[tuple[int, dict[str, Any] | ConversationError]]:
    """``(line, row)`` for each data row of a CSV file; ``line`` is the file line the row starts on
    (the header is line 1; blank lines and quoted multi-line cells are counted).  A UTF-8 BOM is
    dropped; a row with bytes that are not UTF-8, or with more or fewer cells than the header has
    columns, comes back as a :class:`ConversationError` naming it instead of failing the whole
    file.  A duplicated header name, a line over ``max_line_bytes`` or a CSV syntax error stops
    the file with an error naming the line."""
    import csv

    spath = str(path)
    limit = max(csv.field_size_limit(), max_line_bytes)
    csv.field_size_limit(limit)  # the default (128 KiB) is below what the message limits allow
    physical = [0]

    def lines(f) -> Iterator[str]:
        for n, text in safeio.capped_lines(f, max_line_bytes):
            physical[0] = n
            if text is None:
                raise ConversationError(f"line is longer than {max_line_bytes} bytes (max_line_bytes)",
                                        source=spath, line=n, field="<line>")
            yield text

    out: list[tuple[int, dict[str, Any] | ConversationError]] = []
    with safeio.open_input(path, "r", newline="", encoding="utf-8-sig", errors="surrogateescape") as f:
        reader = csv.DictReader(lines(f))
        try:
            header = reader.fieldnames
            if header:
                for col in header:
                    if col and any("\udc80" <= ch <= "\udcff" for ch in col):
                        raise ConversationError("header is not valid UTF-8", source=spath, line=1, field=ascii(col))
                dup = next((c for i, c in enumerate(header) if c in header[:i]), None)
                if dup is not None:
                    raise ConversationError(f"column {dup!r} appears twice in the header", source=spath, line=1,
                                            field=dup)
            for row in reader:
                # DictReader skips blank lines and reads quoted cells across lines: the row ends on
                # ``line_num`` and starts as many lines earlier as its cells hold line breaks
                breaks = sum(len(_LINE_BREAK.findall(v)) for v in row.values() if isinstance(v, str))
                start = reader.line_num - breaks
                if None in row or any(v is None for v in row.values()):
                    n = len(header) + len(row.get(None) or []) - sum(1 for v in row.values() if v is None)
                    out.append((start, ConversationError(f"row has {n} cells, the header has {len(header)} "
                                                         f"columns", field="<row>")))
                    continue
                bad = next((k for k, v in row.items() if isinstance(v, str) and
                            any("\udc80" <= ch <= "\udcff" for ch in v)), None)
                if bad is not None:
                    out.append((start, ConversationError("invalid UTF-8 in this cell", field=str(bad))))
                else:
                    out.append((start, row))
        except csv.Error as e:
            raise ConversationError(f"not valid CSV: {e}", source=spath, line=physical[0], field="<row>") from None
    return out


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def read_conversations(path: str | Path, *, options: ValidationOptions | None = None,
                       skip_invalid: bool = False, column_map: ColumnMap | Mapping | None = None,
                       split: str = "train") -> tuple[list[Conversation], ReadReport]:
    """Read conversations from ``path``.

    * ``*.jsonl`` / ``*.json``: one record per line (line numbers are 1-based file lines); with a
      ``column_map`` each line's object is mapped like a table row (e.g. ShareGPT JSONL);
    * ``*.parquet`` / ``*.csv``: one record per row (line = row number, 1-based; for CSV the
      header is line 1 so data starts at 2); CSV ``messages`` cells hold JSON text;
    * a directory written by ``datasets.Dataset.save_to_disk``;
    * ``hf://OWNER/NAME[:SPLIT]``: a Hugging Face hub dataset (needs internet) -- use a column map.
    """
    options = options or ValidationOptions()
    cmap = column_map if isinstance(column_map, ColumnMap) else ColumnMap.from_dict(column_map)
    spath = str(path)
    report = ReadReport(source=spath)
    if spath.startswith("hf://"):
        name = spath[len("hf://"):]
        if ":" in name:
            name, split = name.split(":", 1)
        records = _table_records(_hf_rows(name, split), spath, cmap, 1)
    else:
        p = safeio.check_input_path(path)
        suffix = p.suffix.lower()
        if p.is_dir():
            records = _table_records(_hf_disk_rows(p, split), spath, cmap, 1)
        elif suffix in (".jsonl", ".json", ".ndjson"):
            records = _jsonl_records(p, options.max_line_bytes)
            if column_map is not None:  # foreign JSONL (e.g. ShareGPT): map each object like a table row
                records = _mapped_jsonl(records, spath, cmap)
        elif suffix == ".parquet":
            records = _table_records(read_parquet_rows(p), spath, cmap, 1)
        elif suffix == ".csv":
            records = _table_records(_csv_rows(p, options.max_line_bytes), spath, cmap, 2)
        else:
            raise ValueError(f"{p}: unsupported file type {suffix!r} (use .jsonl, .parquet, .csv, a saved "
                             f"datasets directory, or hf://owner/name)")
    convs = list(_validated(records, spath, options, skip_invalid, report))
    return convs, report


def read_parquet_rows(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a Parquet file as dicts; a file pyarrow cannot read is a ConversationError."""
    import pyarrow.parquet as pq

    with safeio.open_input(path, "rb") as f:
        try:
            return pq.read_table(f).to_pylist()
        except Exception as e:  # pyarrow raises several types (ArrowInvalid, OSError, ...)
            raise ConversationError(f"not a readable Parquet file: {e}", source=str(path), field="<file>") from None


def _hf_disk_rows(path: Path, split: str) -> Iterator[Mapping[str, Any]]:
    import datasets

    ds = datasets.load_from_disk(str(path))
    if isinstance(ds, datasets.DatasetDict):
        if split not in ds:
            raise ValueError(f"{path}: split {split!r} not found (splits: {', '.join(ds)})")
        ds = ds[split]
    yield from ds


def _hf_rows(name: str, split: str) -> Iterator[Mapping[str, Any]]:
    import datasets

    yield from datasets.load_dataset(name, split=split)


def load_conversations(path: str | Path, **kwargs: Any) -> list[Conversation]:
    """Like :func:`read_conversations` but returns only the list (raises on any invalid record)."""
    return read_conversations(path, **kwargs)[0]


def write_jsonl(convs: Iterable[Conversation | Mapping[str, Any]], path: str | Path) -> int:
    """Write records deterministically (sorted keys off, compact, UTF-8, '\\n' newlines)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with open(p, "w", encoding="utf-8", newline="\n") as f:
        for c in convs:
            d = c.to_dict() if isinstance(c, Conversation) else c
            f.write(json.dumps(d, ensure_ascii=False) + "\n")
            n += 1
    return n


def _json_default(o: Any) -> Any:
    import numpy as np

    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    if isinstance(o, Path):
        return str(o)
    if hasattr(o, "__dict__"):
        return o.__dict__
    return str(o)


def write_json(obj: Any, path: str | Path) -> Path:
    """``obj`` as indented JSON (numpy values as numbers, paths as strings, NaN kept)."""
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(json.dumps(obj, indent=1, default=_json_default, allow_nan=True), encoding="utf-8")
    return p


def write_csv(rows: Sequence[Mapping[str, Any]], path: str | Path) -> Path:
    """``rows`` as CSV; the columns are every key, in the order they first appear."""
    import numpy as np

    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    keys: list[str] = []
    for r in rows:
        keys += [k for k in r if k not in keys]
    with open(p, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=keys)
        w.writeheader()
        for r in rows:
            w.writerow({k: (v.item() if isinstance(v, np.generic) else v) for k, v in r.items()})
    return p


def to_hf_dataset(convs: list[Conversation]):
    """A ``datasets.Dataset`` with the record columns (messages as a list of structs)."""
    import datasets

    return datasets.Dataset.from_list([
        {"id": c.id, "messages": [m.to_dict() for m in c.messages],
         "labels": json.dumps(c.labels.to_dict()), "meta": json.dumps(c.meta)} for c in convs
    ])
