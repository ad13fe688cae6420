"""Numbers and tables as text: the cells of the evaluation, sweep and replay pages and of the
command line's tables.

* :func:`fmt`, :func:`fmt_auto`, :func:`fmt_ci`, :func:`fmt_threshold` -- one number (or a
  metrics entry with its bootstrap interval) as a table cell;
* :func:`md_table` -- a GitHub-flavoured Markdown table; :func:`format_table` -- a plain-text one
  with aligned columns for the terminal;
* :func:`slug` -- a system name as a file or folder name.
"""

from __future__ import annotations

import math
from typing import Any, Mapping, Sequence

import numpy as np

__all__ = ["is_number", "fmt", "fmt_auto", "fmt_ci", "fmt_threshold", "md_table", "format_table", "slug"]


def is_number(v: Any) -> bool:
    """A Python or numpy number (not a bool)."""
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def fmt(v: Any, digits: int = 3) -> str:
    """A number for a table: '-' for None/NaN, integers as integers."""
    if v is None:
        return "-"
    if isinstance(v, (bool, np.bool_)):
        return "yes" if v else "no"
    if is_number(v):
        f = float(v)
        if math.isnan(f):
            return "-"
        if float(f).is_integer() and isinstance(v, (int, np.integer)):
            return str(int(f))
        return f"{f:.{digits}f}"
    return str(v)


def fmt_auto(v: Any, digits: int = 3) -> str:
    """Like :func:`fmt`, but integral floats (counts logged as floats) print as integers."""
    if is_number(v) and not math.isnan(float(v)) and float(v).is_integer() and abs(float(v)) < 1e12:
        return str(int(float(v)))
    return fmt(v, digits)


def fmt_ci(entry: Mapping[str, Any] | None, digits: int = 3) -> str:
    """``value [low, high]`` from a metrics entry (bounds left out when undefined)."""
    if not entry:
        return "-"
    v, lo, hi = entry.get("value"), entry.get("low"), entry.get("high")
    s = fmt(v, digits)
    if lo is not None and hi is not None and not (math.isnan(float(lo)) or math.isnan(float(hi))):
        s += f" [{float(lo):.{digits}f}, {float(hi):.{digits}f}]"
    return s


def fmt_threshold(t: float) -> str:
    """A threshold with enough digits to tell clustered scores apart."""
    return f"{float(t):.6g}"


def _cell(x: Any) -> str:
    return str(x).replace("|", "\\|").replace("\n", " ")


def md_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A GitHub-flavoured Markdown table."""
    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    out += ["| " + " | ".join(_cell(c) for c in r) + " |" for r in rows]
    return "\n".join(out)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A plain-text table with aligned columns (for the terminal)."""
    cells = [[str(h) for h in headers]] + [[fmt_auto(c) if not isinstance(c, str) else c for c in r] for r in rows]
    w = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = ["  ".join(c.ljust(w[i]) for i, c in enumerate(r)).rstrip() for r in cells]
    lines.insert(1, "  ".join("-" * x for x in w))
    return "\n".join(lines)


def slug(name: str) -> str:
    """``name`` as a file or folder name (alphanumerics and ``- _ .``; ``system`` when empty)."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in str(name)).strip("_") or "system"
