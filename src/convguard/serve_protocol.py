"""The request side of ``convguard serve``'s protocol (MLflow's scoring protocol): a body (JSON
``dataframe_records`` / ``dataframe_split`` / ``instances`` / ``inputs``, or CSV) parsed into rows
and params, and each row validated -- every malformed request is a :class:`RequestError` with a
short message that names the row and the field and echoes no input (see :mod:`convguard.serve`)."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

FORMATS = ("dataframe_records", "dataframe_split", "instances", "inputs")
ROW_FIELDS = ("messages", "locale")
JSON_TYPE = "application/json"
CSV_TYPE = "text/csv"
MAX_MESSAGE_CHARS = 300  # an error message is never longer than this
MAX_QUOTED_CHARS = 40  # a quoted value in an error message longer than this is elided


class RequestError(Exception):
    """A request answered with ``status`` and a short ``message``."""

    def __init__(self, status: int, message: str, code: str = "BAD_REQUEST"):
        super().__init__(message)
        self.status, self.message, self.code = status, message, code


def short(text: str) -> str:
    """``text`` safe to send back: long quoted values elided, the whole capped."""
    text = re.sub(r"'([^']{%d,})'" % (MAX_QUOTED_CHARS + 1), lambda m: f"'<{len(m.group(1))} characters>'", text)
    text = text.encode("utf-8", "replace").decode("utf-8")  # lone surrogates
    return text if len(text) <= MAX_MESSAGE_CHARS else text[: MAX_MESSAGE_CHARS - 3] + "..."


def _type_name(v: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null",
            int: "a number", float: "a number"}.get(type(v), type(v).__name__)


# ------------------------------------------------------------------------------------------
# parsing: body -> rows [(where, messages, locale)] and params
# ------------------------------------------------------------------------------------------

def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    d = dict(pairs)
    if len(d) != len(pairs):
        seen: set[str] = set()
        for k, _ in pairs:
            if k in seen:
                raise RequestError(400, short(f"the body is not valid: duplicate key '{k}' in an object"))
            seen.add(k)
    return d


def _loads(body: bytes) -> Any:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RequestError(400, f"the body is not valid UTF-8 (byte {e.start})") from None
    try:
        return json.loads(text, object_pairs_hook=_no_duplicate_keys)
    except json.JSONDecodeError as e:
        raise RequestError(400, f"the body is not valid JSON: {e.msg} at line {e.lineno} column {e.colno}") from None
    except RecursionError:
        raise RequestError(400, "the body is not valid: JSON nested too deeply") from None


def _row(obj: Any, where: str) -> tuple[Any, Any]:
    if not isinstance(obj, dict):
        raise RequestError(400, f"{where}: must be an object with a 'messages' list, got {_type_name(obj)}")
    unknown = [k for k in obj if k not in ROW_FIELDS]
    if unknown:
        raise RequestError(400, short(f"{where}: unknown field '{unknown[0]}' (a row has 'messages' and an optional "
                                      f"'locale')"))
    if "messages" not in obj:
        raise RequestError(400, f"{where}: field 'messages': missing (a list of {{'role', 'content'}} messages)")
    return obj["messages"], obj.get("locale")


def rows_from_json(obj: Any) -> tuple[list[tuple[str, Any, Any]], dict[str, Any]]:
    """The rows and params of a JSON request (MLflow's scoring protocol)."""
    expected = "'dataframe_records' (or 'dataframe_split', 'instances', 'inputs') and an optional 'params'"
    if not isinstance(obj, dict):
        raise RequestError(400, f"the body must be a JSON object with {expected}, got {_type_name(obj)}")
    unknown = [k for k in obj if k not in FORMATS and k != "params"]
    if unknown:
        raise RequestError(400, short(f"unknown top-level field '{unknown[0]}': send {expected}"))
    fmts = [k for k in FORMATS if k in obj]
    if len(fmts) != 1:
        raise RequestError(400, f"the body needs exactly one of 'dataframe_records', 'dataframe_split', 'instances', "
                                f"'inputs' (got {len(fmts)})")
    params = obj.get("params")
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise RequestError(400, f"field 'params': must be an object, got {_type_name(params)}")
    bad = [k for k in params if k != "locale"]
    if bad:
        raise RequestError(400, short(f"field 'params': unknown parameter '{bad[0]}' (the model takes 'locale')"))
    fmt, data = fmts[0], obj[fmts[0]]
    records: list[Any]
    if fmt == "dataframe_split":
        if not isinstance(data, dict) or not isinstance(data.get("columns"), list) or \
                not isinstance(data.get("data"), list):
            raise RequestError(400, "field 'dataframe_split': must be an object with 'columns' and 'data' lists")
        extra = [k for k in data if k not in ("columns", "data", "index")]
        if extra:
            raise RequestError(400, short(f"field 'dataframe_split': unknown field '{extra[0]}'"))
        cols = data["columns"]
        if not all(isinstance(c, str) for c in cols) or len(set(cols)) != len(cols):
            raise RequestError(400, "field 'dataframe_split.columns': must be distinct column names")
        records = []
        for i, r in enumerate(data["data"]):
            if not isinstance(r, list) or len(r) != len(cols):
                raise RequestError(400, f"conversation[{i}]: field 'dataframe_split.data[{i}]': must be a list of "
                                        f"{len(cols)} values (one per column)")
            records.append(dict(zip(cols, r)))
    elif isinstance(data, dict) and fmt in ("instances", "inputs"):  # columns: {"messages": [...], "locale": [...]}
        cols = {k: v for k, v in data.items()}
        if not all(isinstance(v, list) for v in cols.values()) or len({len(v) for v in cols.values()}) > 1:
            raise RequestError(400, f"field '{fmt}': an object must map each column to a list, all of one length")
        n = len(next(iter(cols.values()))) if cols else 0
        records = [{k: v[i] for k, v in cols.items()} for i in range(n)]
    elif isinstance(data, list):
        records = data
    else:
        raise RequestError(400, f"field '{fmt}': must be a list of rows, got {_type_name(data)}")
    rows = []
    for i, r in enumerate(records):
        where = f"conversation[{i}]"
        msgs, loc = _row(r, where)
        rows.append((where, msgs, loc))
    return rows, params


def rows_from_csv(body: bytes, max_field: int) -> list[tuple[str, Any, Any]]:
    """The rows of a CSV request: a header with ``messages`` (each cell JSON text) and an optional
    ``locale``."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise RequestError(400, f"the body is not valid UTF-8 (byte {e.start})") from None
    if csv.field_size_limit() < max_field:
        csv.field_size_limit(max_field)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        header = next(reader, None)
        if not header:
            raise RequestError(400, "CSV line 1: the header is missing (columns 'messages' and optional 'locale')")
        header = [h.strip() for h in header]
        for h in header:
            if h not in ROW_FIELDS:
                raise RequestError(400, short(f"CSV line 1: unknown column '{h}' (columns 'messages' and optional "
                                              f"'locale')"))
        if len(set(header)) != len(header):
            raise RequestError(400, "CSV line 1: a column is named twice")
        if "messages" not in header:
            raise RequestError(400, "CSV line 1: no 'messages' column")
        for cells in reader:
            if not cells:  # a blank line
                continue
            i = len(rows)
            where = f"conversation[{i}] (CSV line {reader.line_num})"
            if len(cells) != len(header):
                raise RequestError(400, f"{where}: {len(cells)} cells, the header has {len(header)}")
            rec = dict(zip(header, cells))
            rows.append((where, rec["messages"], rec.get("locale") or None))
    except csv.Error as e:
        raise RequestError(400, short(f"CSV line {reader.line_num}: not valid CSV ({e})")) from None
    return rows


def parse_request(body: bytes, content_type: str | None, max_field: int) -> tuple[list[tuple[str, Any, Any]], dict]:
    if not content_type:
        raise RequestError(415, f"the request has no Content-Type: send {JSON_TYPE} (or {CSV_TYPE})",
                           "UNSUPPORTED_MEDIA_TYPE")
    mime, *opts = [p.strip() for p in content_type.split(";")]
    for o in opts:
        k, _, v = o.partition("=")
        if k.strip().lower() != "charset" or v.strip().strip('"').lower() not in ("utf-8", "utf8"):
            raise RequestError(415, short(f"Content-Type parameter '{o}' is not supported (only charset=utf-8)"),
                               "UNSUPPORTED_MEDIA_TYPE")
    mime = mime.lower()
    if mime == JSON_TYPE:
        return rows_from_json(_loads(body))
    if mime == CSV_TYPE:
        return rows_from_csv(body, max_field), {}
    raise RequestError(415, short(f"Content-Type '{mime}' is not supported: send {JSON_TYPE} (or {CSV_TYPE})"),
                       "UNSUPPORTED_MEDIA_TYPE")


def validate_rows(guard, rows: list[tuple[str, Any, Any]], params: dict[str, Any]) -> tuple[list, list]:
    """(validated message lists, locales), or a 400 naming the row and field."""
    from .schema import ConversationError

    default = params.get("locale")
    if default is not None and not isinstance(default, str):
        raise RequestError(400, f"field 'params.locale': must be a string such as 'en' or 'de-AT', got "
                                f"{_type_name(default)}")
    convs, locales = [], []
    for where, msgs, loc in rows:
        if isinstance(msgs, str):  # JSON text (CSV cells, or JSON clients that pre-encode)
            try:
                msgs = json.loads(msgs, object_pairs_hook=_no_duplicate_keys)
            except json.JSONDecodeError as e:
                raise RequestError(400, f"{where}: field 'messages': not a JSON list of messages ({e.msg} at "
                                        f"column {e.colno})") from None
            except RecursionError:
                raise RequestError(400, f"{where}: field 'messages': JSON nested too deeply") from None
            except RequestError as e:
                raise RequestError(400, f"{where}: field 'messages': {e.message}") from None
        if loc is not None and not isinstance(loc, str):
            raise RequestError(400, f"{where}: field 'locale': must be a string such as 'en' or 'de-AT', got "
                                    f"{_type_name(loc)}")
        try:
            convs.append(guard._validate(msgs))
        except ConversationError as e:
            field = f"field '{e.field}': " if e.field else ""
            raise RequestError(400, short(f"{where}: {field}{e.message}")) from None
        except RecursionError:
            raise RequestError(400, f"{where}: field 'messages': nested too deeply") from None
        locales.append(loc or default or None)
    return convs, locales
