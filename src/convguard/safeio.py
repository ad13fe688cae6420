"""Opening input files and decoding JSON so that no input can hang, exhaust memory or raise a traceback.

* Only regular files (and, where a reader takes them, directories) are opened: a named pipe with
  no writer would block ``open()`` forever and a device such as ``/dev/zero`` never ends.
* A file that cannot be opened (permission denied, ...) is a :class:`ConversationError` naming it.
* Lines are read at most ``max_line_bytes`` at a time; a longer line is reported and skipped.
* JSON objects with a key twice are refused (``{"id": "a", "id": "b"}``: parsers disagree on
  which copy wins), and so is nesting deeper than :data:`~convguard.schema.MAX_JSON_DEPTH`
  (100,000 levels used to raise ``RecursionError`` and abort the whole file).
"""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path
from typing import IO, Any, Iterator

from .schema import MAX_JSON_DEPTH, MAX_LINE_BYTES, ConversationError, DuplicateKeys, check_json_tree

DEFAULT_MAX_LINE_BYTES = MAX_LINE_BYTES


def check_input_path(path: str | Path, *, allow_dir: bool = True) -> Path:
    """``path`` if it is a regular file (or a directory), else a clear error; never blocks."""
    p = Path(path)
    try:
        st = os.stat(p)
    except FileNotFoundError:
        raise FileNotFoundError(f"{p}: no such file or directory") from None
    except OSError as e:
        raise ConversationError(f"cannot be read: {e.strerror or e}", source=str(p), field="<file>") from None
    if stat.S_ISDIR(st.st_mode):
        if allow_dir:
            return p
        raise ConversationError("is a directory, not a file", source=str(p), field="<file>")
    if not stat.S_ISREG(st.st_mode):
        kind = ("a named pipe" if stat.S_ISFIFO(st.st_mode) else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else "not a regular file")
        raise ConversationError(f"is {kind}: only regular files are read (write the data to a file first)",
                                source=str(p), field="<file>")
    return p


def open_input(path: str | Path, mode: str = "rb", **kwargs: Any) -> IO:
    """Open a regular input file, turning OS errors into a :class:`ConversationError`."""
    p = check_input_path(path, allow_dir=False)
    try:
        return open(p, mode, **kwargs)
    except OSError as e:
        raise ConversationError(f"cannot be opened: {e.strerror or e}", source=str(p), field="<file>") from None


def capped_lines(f: IO, max_line_bytes: int) -> Iterator[tuple[int, bytes | str | None]]:
    """``(line number, line)`` for each line of ``f``; ``None`` in place of a line over the cap
    (the rest of it is read and dropped in chunks, so memory stays bounded)."""
    lineno = 0
    while True:
        raw = f.readline(max_line_bytes + 1)
        if not raw:
            return
        lineno += 1
        nl = "\n" if isinstance(raw, str) else b"\n"
        if len(raw) > max_line_bytes and not raw.endswith(nl):
            while True:
                rest = f.readline(1 << 20)
                if not rest or rest.endswith(nl):
                    break
            yield lineno, None
            continue
        yield lineno, raw


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        dups = [k for k, _ in pairs if k in seen or seen.add(k)]
        d = DuplicateKeys(pairs)
        d.duplicates = dups
    return d


_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}:,]')


def _too_deep_at(text: str) -> tuple[int | None, str | None]:
    """Column (1-based) where ``text`` first nests past MAX_JSON_DEPTH, and the top-level key it is under."""
    depth, key, last_str = 0, None, None
    for m in _TOKEN.finditer(text):
        t = m.group()
        if t in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                return m.start() + 1, key
        elif t in "]}":
            depth -= 1
        elif t == ":":
            if depth == 1 and last_str is not None:
                key = last_str
        elif t == ",":
            pass
        else:
            last_str = t[1:-1]
            continue
        last_str = None
    return None, key


def loads(text: str, *, field: str = "<line>") -> Any:
    """Decode one JSON document: duplicate keys, over-deep nesting and lone surrogates are a
    :class:`ConversationError` (``field`` names where the text came from, e.g. a CSV column)."""
    try:
        obj = json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as e:
        what = "malformed JSON" if field == "<line>" else "not valid JSON"
        raise ConversationError(f"{what}: {e.msg} at column {e.colno}", field=field) from None
    except RecursionError:
        col, key = _too_deep_at(text)
        where = f" (at column {col})" if col else ""
        name = field if field != "<line>" else (key or field)
        raise ConversationError(f"nested more than {MAX_JSON_DEPTH} levels deep{where}", field=name) from None
    check_json_tree(obj, "" if field == "<line>" else field)
    return obj


def jsonl_lines(path: str | Path, max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
                ) -> Iterator[tuple[int, Any]]:
    """``(line, decoded object | ConversationError)`` for each non-blank line of a JSONL file."""
    with open_input(path, "rb") as f:
        for lineno, raw in capped_lines(f, max_line_bytes):
            if raw is None:
                yield lineno, ConversationError(f"line is longer than {max_line_bytes} bytes (max_line_bytes)",
                                                field="<line>")
                continue
            try:
                text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError as e:
                yield lineno, ConversationError(f"invalid UTF-8 at byte {e.start}", field="<line>")
                continue
            if not text.strip():
                continue
            try:
                yield lineno, loads(text)
            except ConversationError as e:
                yield lineno, e
