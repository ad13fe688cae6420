"""How a conversation record is refused (:mod:`convguard.schema`): :class:`ConversationError`,
which names the file, line and field; the limits of validation (:class:`ValidationOptions`,
:data:`MAX_LINE_BYTES`, :data:`MAX_JSON_DEPTH`); and the check every decoded JSON value gets
first -- no lone surrogates, no key twice in one object, no nesting deeper than the limit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .taxonomy import Taxonomy


class ConversationError(ValueError):
    """A record that breaks the schema.  ``str()`` names the file, line and field."""

    def __init__(self, message: str, *, source: str | None = None, line: int | None = None,
                 field: str | None = None, record_id: str | None = None):
        self.message = message
        self.source = source
        self.line = line
        self.field = field
        self.record_id = record_id
        super().__init__(self._format())

    def _format(self) -> str:
        where = self.source or "<input>"
        if self.line is not None:
            where += f":{self.line}"
        parts = [where]
        if self.record_id is not None:
            parts.append(f"id={self.record_id!r}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ": ".join(parts) + f": {self.message}"

    def __reduce__(self):  # keep the location through pickling (multiprocessing workers)
        return (_rebuild_error, (self.message, self.source, self.line, self.field, self.record_id))

    def located(self, *, source: str | None = None, line: int | None = None) -> "ConversationError":
        """A copy of this error with the location filled in (keeps what is already known)."""
        return ConversationError(self.message, source=self.source or source,
                                 line=self.line if self.line is not None else line,
                                 field=self.field, record_id=self.record_id)


def _rebuild_error(message, source, line, field, record_id) -> ConversationError:
    return ConversationError(message, source=source, line=line, field=field, record_id=record_id)


#: longest line a JSONL/CSV reader accepts, bytes (:attr:`ValidationOptions.max_line_bytes`)
MAX_LINE_BYTES = 16 * 2**20


@dataclass(frozen=True)
class ValidationOptions:
    """Limits applied when a record is validated."""

    max_message_chars: int = 32_000
    max_messages: int = 1_000
    #: require the last message to be a user turn (the decision is taken after a user turn)
    require_user_last: bool = False
    #: require the labels a training recipe needs (terminate, crisis, harm_category, persistence)
    require_labels: bool = False
    #: tool turns (``tool`` / ``function`` / ``ipython`` messages and assistant messages that only
    #: call tools): ``"context"`` keeps each as a ``system`` message (message indices unchanged),
    #: ``"skip"`` drops them (counted in ``Conversation.notes``; refused for records whose labels
    #: point at message indices, which would shift)
    tool_turns: str = "context"
    #: longest line a JSONL/CSV reader accepts (bytes); longer lines are reported, not read
    max_line_bytes: int = MAX_LINE_BYTES
    #: the harm categories ``labels.harm_category`` may name (and which are termination-worthy:
    #: ``terminate: 1`` needs one of those); None: the default taxonomy (convguard.taxonomy)
    taxonomy: Taxonomy | None = field(default=None, hash=False)

    def __post_init__(self) -> None:
        if self.tool_turns not in TOOL_TURN_RULES:
            raise ValueError(f"tool_turns must be one of {', '.join(TOOL_TURN_RULES)}, got {self.tool_turns!r}")
        if not isinstance(self.max_line_bytes, int) or self.max_line_bytes < 1:
            raise ValueError(f"max_line_bytes must be a positive integer, got {self.max_line_bytes!r}")


#: how deep a record may nest (the record object is level 1, ``meta`` level 2, ...)
MAX_JSON_DEPTH = 64
#: what is done with tool turns (:attr:`ValidationOptions.tool_turns`)
TOOL_TURN_RULES = ("context", "skip")


def _has_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _err(msg: str, fieldname: str, rid: str | None = None) -> ConversationError:
    return ConversationError(msg, field=fieldname, record_id=rid)


def check_json_tree(value: Any, path: str = "", rid: str | None = None, *, depth: int = 1) -> None:
    """Refuse, naming the field, any string or key with a lone surrogate (not valid UTF-8, so it
    cannot be written back out), any value nested deeper than :data:`MAX_JSON_DEPTH`, and any
    object that had a key twice (``DuplicateKeys``, made by :func:`convguard.safeio.loads`).
    Iterative, so no nesting depth can raise ``RecursionError``."""
    stack = [(value, path, depth, path)]
    while stack:
        v, where, d, anchor = stack.pop()
        if d <= 3:  # errors deep down name the field at the third level (meta.key, messages[i], ...)
            anchor = where
        if isinstance(v, str):
            if _has_surrogate(v):
                raise _err("contains a lone surrogate (not valid UTF-8)", where or "<record>", rid)
            continue
        if not isinstance(v, (Mapping, list, tuple)):
            continue
        if d > MAX_JSON_DEPTH:
            raise _err(f"nested more than {MAX_JSON_DEPTH} levels deep", anchor or "<record>", rid)
        if isinstance(v, DuplicateKeys):
            k = v.duplicates[0]
            raise _err(f"duplicate key {k!r} in one object (JSON readers disagree on which copy wins)",
                       f"{where}.{k}" if where else str(k), rid)
        if isinstance(v, Mapping):
            for k, item in v.items():
                if isinstance(k, str) and _has_surrogate(k):
                    raise _err(f"key {k!r} contains a lone surrogate (not valid UTF-8)", where or "<record>", rid)
                stack.append((item, f"{where}.{k}" if where else str(k), d + 1, anchor))
        else:
            for i, item in enumerate(v):
                stack.append((item, f"{where}[{i}]", d + 1, anchor))


class DuplicateKeys(dict):
    """A decoded JSON object that had a key more than once (refused by :func:`check_json_tree`)."""

    duplicates: list[str]
