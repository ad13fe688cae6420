"""The cells of a benchmark row, read leniently for the single-turn adapters
(:mod:`convguard.adapters`): JSON-friendly copies (numpy scalars -> Python, NaN -> None), what
counts as missing, and label values matched whatever their spelling (``"1"``, ``1``, ``1.0``,
``True``, ``" Unsafe"``)."""

from __future__ import annotations

from typing import Any, Mapping

from .table_rows import Row

_MISSING = object()


def _plain(v: Any) -> Any:
    """A JSON-friendly copy of a cell (numpy scalars -> Python, NaN -> None)."""
    if hasattr(v, "item") and not isinstance(v, (str, bytes)) and getattr(v, "ndim", 0) == 0:
        v = v.item()
    if hasattr(v, "tolist") and not isinstance(v, (str, bytes)):
        v = v.tolist()
    if isinstance(v, float) and v != v:
        return None
    if v is None or isinstance(v, (str, int, float, bool)):
        return v
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return str(v)


def _is_missing(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v) or (isinstance(v, str) and not v.strip())


def _columns(row: Row) -> str:
    return ", ".join(map(str, row)) or "none"


def _label_candidates(v: Any) -> list[Any]:
    """Spellings of a label value to look up in a label map: as is, stripped, lower-case, and as an
    integer when it is one (CSV gives ``"1"``, pandas gives ``1.0``, JSON gives ``true``)."""
    v = _plain(v)
    cands: list[Any] = [v]
    if isinstance(v, str):
        t = v.strip()
        cands += [t, t.lower()]
        try:
            f = float(t)
        except ValueError:
            f = None
        if f is not None and f.is_integer():
            cands.append(int(f))
        if t.lower() in ("true", "false"):
            cands.append(int(t.lower() == "true"))
    elif isinstance(v, bool):
        cands.append(int(v))
    elif isinstance(v, float) and v.is_integer():
        cands.append(int(v))
    if any(isinstance(c, int) and not isinstance(c, bool) for c in cands):
        cands += [str(c) for c in cands if isinstance(c, int) and not isinstance(c, bool)]
    return cands


def _label_value(v: Any) -> Any:
    """An original label for ``meta.source_labels``, the same whatever the input form: integers and
    booleans written as text (CSV) become ``int`` / ``bool``, integral floats ``int``."""
    v = _plain(v)
    if isinstance(v, str):
        t = v.strip()
        if t.lstrip("-").isdigit():
            return int(t)
        if t.lower() in ("true", "false"):
            return t.lower() == "true"
        return t
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def _lookup_label(v: Any, label_map: Mapping[Any, str]) -> Any:
    for c in _label_candidates(v):
        try:
            if c in label_map:
                return label_map[c]
        except TypeError:  # unhashable cell
            break
    return _MISSING
