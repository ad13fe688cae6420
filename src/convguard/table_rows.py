"""The rows of any table, for the single-turn adapters (:mod:`convguard.adapters`): a path
(``.csv``, ``.jsonl``/``.ndjson``, ``.json`` (JSONL or one array), ``.parquet``, a
``datasets.save_to_disk`` directory, or ``hf://owner/name[:split]``), a list of dicts, a
``datasets.Dataset`` / ``DatasetDict`` or a pandas ``DataFrame``, numbered by file line or row; a
row that cannot be read comes back as a :class:`~convguard.schema.ConversationError` in its place."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Iterable, Mapping

from .io import _csv_rows, read_parquet_rows
from .safeio import check_input_path, jsonl_lines, loads, open_input
from .schema import ConversationError

Row = Mapping[str, Any]


def read_rows(rows_or_path: Any, *, split: str = "train") -> tuple[str, list[tuple[int, Row | ConversationError]]]:
    """``(source, [(line, row), ...])`` for a path, ``hf://`` id, list of dicts, ``datasets.Dataset``
    / ``DatasetDict`` or pandas ``DataFrame``.  ``line`` is the file line for CSV (header = line 1)
    and JSONL, the 1-based row otherwise.  A row that cannot be read (malformed JSON, bytes that are
    not UTF-8, not an object) comes back as a :class:`ConversationError` in its place."""
    if isinstance(rows_or_path, (str, Path)):
        return _path_rows(rows_or_path, split)
    try:
        import datasets
    except ImportError:  # pragma: no cover - datasets is a dependency
        datasets = None
    if datasets is not None and isinstance(rows_or_path, datasets.DatasetDict):
        if split not in rows_or_path:
            raise ValueError(f"<DatasetDict>: split {split!r} not found (splits: {', '.join(rows_or_path)})")
        rows_or_path = rows_or_path[split]
    if datasets is not None and isinstance(rows_or_path, datasets.Dataset):
        return "<Dataset>", _numbered(rows_or_path, 1)
    if type(rows_or_path).__name__ == "DataFrame" and hasattr(rows_or_path, "to_dict"):
        return "<DataFrame>", _numbered(rows_or_path.to_dict("records"), 1)
    if isinstance(rows_or_path, Mapping):
        raise TypeError("expected rows (a list of dicts), a path or a dataset, got a single mapping")
    if not isinstance(rows_or_path, Iterable):
        raise TypeError(f"expected rows, a path or a dataset, got {type(rows_or_path).__name__}")
    return "<rows>", _numbered(rows_or_path, 1)


def _numbered(rows: Iterable[Any], first: int) -> list[tuple[int, Row | ConversationError]]:
    out: list[tuple[int, Row | ConversationError]] = []
    for i, row in enumerate(rows):
        if not isinstance(row, Mapping):
            row = ConversationError(f"a row must be an object, got {type(row).__name__}", field="<row>")
        out.append((i + first, row))
    return out


def _path_rows(path: str | Path, split: str) -> tuple[str, list[tuple[int, Row | ConversationError]]]:
    spath = str(path)
    if spath.startswith("hf://"):
        import datasets

        name = spath[len("hf://"):]
        if ":" in name:
            name, split = name.split(":", 1)
        return spath, _numbered(datasets.load_dataset(name, split=split), 1)
    p = check_input_path(path)
    if p.is_dir():
        import datasets

        ds = datasets.load_from_disk(str(p))
        if isinstance(ds, datasets.DatasetDict):
            if split not in ds:
                raise ValueError(f"{p}: split {split!r} not found (splits: {', '.join(ds)})")
            ds = ds[split]
        return spath, _numbered(ds, 1)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        return spath, _csv_rows(p)
    if suffix == ".parquet":
        return spath, _numbered(read_parquet_rows(p), 1)
    if suffix in (".jsonl", ".ndjson", ".json"):
        if suffix == ".json":
            with open_input(p, "rb") as f:
                head = f.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            if head == b"[":
                with open_input(p, "rb") as f:
                    raw = f.read()
                try:
                    data = loads(raw.decode("utf-8-sig"), field="<file>")
                except UnicodeDecodeError as e:
                    raise ConversationError(f"not a valid JSON array: {e}", source=spath, field="<file>") from None
                except ConversationError as e:
                    raise e.located(source=spath) from None
                return spath, _numbered(data, 1)
        return spath, _jsonl_rows(p)
    raise ValueError(f"{p}: unsupported file type {suffix!r} (use .csv, .jsonl, .json, .parquet, a saved "
                     f"datasets directory, or hf://owner/name)")


def _jsonl_rows(path: Path) -> list[tuple[int, Row | ConversationError]]:
    out: list[tuple[int, Row | ConversationError]] = []
    for lineno, obj in jsonl_lines(path):
        if not isinstance(obj, (Mapping, ConversationError)):
            obj = ConversationError(f"a row must be a JSON object, got {type(obj).__name__}", field="<line>")
        out.append((lineno, obj))
    return out
