"""The conversation record: one JSON object per conversation, validated with precise errors.

```
{"id": str,
 "messages": [{"role": "system"|"user"|"assistant", "content": str}, ...],
 "labels": {...optional...},
 "meta": {...optional...}}
```

``messages`` has the OpenAI / Hugging Face chat shape, so real chat logs drop in.  The label
policy (what each label means) is the contract written down in ``data/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .taxonomy import HARM_CATEGORIES, ROLES, SUBTYPE_GROUPS


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


@dataclass(frozen=True)
class ValidationOptions:
    """Limits applied when a record is validated."""

    max_message_chars: int = 32_000
    max_messages: int = 1_000
    #: require the last message to be a user turn (the decision is taken after a user turn)
    require_user_last: bool = False
    #: require the labels a training recipe needs (terminate, crisis, harm_category, persistence)
    require_labels: bool = False


REQUIRED_TRAINING_LABELS = ("terminate", "crisis", "harm_category", "persistence")


@dataclass(frozen=True)
class Message:
    role: str
    content: str

    def to_dict(self) -> dict[str, str]:
        return {"role": self.role, "content": self.content}


@dataclass
class Labels:
    terminate: int | None = None
    crisis: int | None = None
    harm_category: str | None = None
    persistence: int | None = None
    terminate_from_turn: int | None = None
    crisis_from_turn: int | None = None
    subtype: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    @property
    def group(self) -> str:
        """``terminate`` / ``benign_edgy`` / ``crisis`` / ``ordinary``; derived from the subtype
        when it is a known one, else from the binary labels (``unknown`` if there are none)."""
        if self.subtype in SUBTYPE_GROUPS:
            return SUBTYPE_GROUPS[self.subtype]
        if self.crisis == 1:
            return "crisis"
        if self.terminate == 1:
            return "terminate"
        if self.terminate == 0:
            return "benign_edgy"
        return "unknown"


@dataclass
class Conversation:
    id: str
    messages: list[Message]
    labels: Labels = field(default_factory=Labels)
    meta: dict[str, Any] = field(default_factory=dict)

    # -- conversion -------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "messages": [m.to_dict() for m in self.messages]}
        labels = self.labels.to_dict()
        if labels:
            out["labels"] = labels
        if self.meta:
            out["meta"] = self.meta
        return out

    @classmethod
    def from_dict(cls, obj: Any, options: ValidationOptions | None = None) -> "Conversation":
        return validate_record(obj, options or ValidationOptions())

    # -- views ------------------------------------------------------------------------------
    @property
    def user_turn_indices(self) -> list[int]:
        return [i for i, m in enumerate(self.messages) if m.role == "user"]

    def prefix(self, end: int) -> "Conversation":
        """The conversation up to and including message ``end``, labelled as of that point.

        ``terminate`` becomes 1 only once ``end >= terminate_from_turn``; ``crisis`` likewise
        with ``crisis_from_turn`` when it is given.  Persistence counts only pushes so far
        (``meta.push_turns`` when the generator recorded them)."""
        if not 0 <= end < len(self.messages):
            raise IndexError(f"prefix end {end} outside 0..{len(self.messages) - 1}")
        lab = Labels(**self.labels.__dict__)
        if lab.terminate is not None and lab.terminate_from_turn is not None:
            lab.terminate = int(end >= lab.terminate_from_turn)
            if not lab.terminate:
                lab.terminate_from_turn = None
        if lab.crisis is not None and lab.crisis_from_turn is not None:
            lab.crisis = int(end >= lab.crisis_from_turn)
            if not lab.crisis:
                lab.crisis_from_turn = None
        push_turns = self.meta.get("push_turns")
        if lab.persistence is not None and isinstance(push_turns, list):
            lab.persistence = sum(1 for t in push_turns if t <= end)
        harm_turn = self.meta.get("harm_from_turn")
        if lab.harm_category not in (None, "none") and isinstance(harm_turn, int) and end < harm_turn:
            lab.harm_category = "none"
        meta = dict(self.meta, prefix_of=self.id, prefix_end=end)
        return Conversation(id=f"{self.id}@{end}", messages=self.messages[: end + 1], labels=lab, meta=meta)


# ------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------

def _is_int(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _has_surrogate(s: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in s)


def _err(msg: str, fieldname: str, rid: str | None = None) -> ConversationError:
    return ConversationError(msg, field=fieldname, record_id=rid)


def validate_messages(raw: Any, options: ValidationOptions, rid: str | None = None) -> list[Message]:
    if not isinstance(raw, list):
        raise _err(f"must be a list of messages, got {type(raw).__name__}", "messages", rid)
    if not raw:
        raise _err("empty conversation: at least one message is required", "messages", rid)
    if len(raw) > options.max_messages:
        raise _err(f"{len(raw)} messages is over the limit of {options.max_messages}", "messages", rid)
    out = []
    for i, m in enumerate(raw):
        where = f"messages[{i}]"
        if not isinstance(m, dict):
            raise _err(f"must be an object with 'role' and 'content', got {type(m).__name__}", where, rid)
        missing = [k for k in ("role", "content") if k not in m]
        if missing:
            raise _err(f"missing key {missing[0]!r}", f"{where}.{missing[0]}", rid)
        role, content = m["role"], m["content"]
        if not isinstance(role, str):
            raise _err(f"must be a string, got {type(role).__name__}", f"{where}.role", rid)
        if role not in ROLES:
            raise _err(f"unknown role {role!r} (expected one of {', '.join(ROLES)})", f"{where}.role", rid)
        if not isinstance(content, str):
            raise _err(f"must be a string, got {type(content).__name__}", f"{where}.content", rid)
        if len(content) > options.max_message_chars:
            raise _err(f"{len(content)} characters is over the limit of {options.max_message_chars}",
                       f"{where}.content", rid)
        if _has_surrogate(content):
            raise _err("contains a lone surrogate (not valid UTF-8)", f"{where}.content", rid)
        out.append(Message(role, content))
    if not any(m.role == "user" for m in out):
        raise _err("no user message in the conversation", "messages", rid)
    if options.require_user_last and out[-1].role != "user":
        raise _err(f"the last message must be a user turn (decisions are taken after a user turn), "
                   f"got role {out[-1].role!r}", f"messages[{len(out) - 1}].role", rid)
    return out


def validate_labels(raw: Any, messages: list[Message], options: ValidationOptions,
                    rid: str | None = None) -> Labels:
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise _err(f"must be an object, got {type(raw).__name__}", "labels", rid)
    known = set(Labels.__dataclass_fields__)
    for k in raw:
        if k not in known:
            raise _err(f"unknown label {k!r} (known: {', '.join(sorted(known))})", f"labels.{k}", rid)
    lab = Labels()
    for k in ("terminate", "crisis"):
        if raw.get(k) is not None:
            v = raw[k]
            if not _is_int(v) or v not in (0, 1):
                raise _err(f"must be 0 or 1, got {v!r}", f"labels.{k}", rid)
            setattr(lab, k, v)
    if raw.get("harm_category") is not None:
        v = raw["harm_category"]
        if v not in HARM_CATEGORIES:
            raise _err(f"unknown harm category {v!r} (known: {', '.join(HARM_CATEGORIES)})",
                       "labels.harm_category", rid)
        lab.harm_category = v
    if raw.get("persistence") is not None:
        v = raw["persistence"]
        if not _is_int(v) or v < 0:
            raise _err(f"must be a non-negative integer, got {v!r}", "labels.persistence", rid)
        lab.persistence = v
    for k in ("terminate_from_turn", "crisis_from_turn"):
        if raw.get(k) is not None:
            v = raw[k]
            if not _is_int(v) or not 0 <= v < len(messages):
                raise _err(f"must be a message index in 0..{len(messages) - 1}, got {v!r}", f"labels.{k}", rid)
            if messages[v].role != "user":
                raise _err(f"must point at a user message, message {v} has role {messages[v].role!r}",
                           f"labels.{k}", rid)
            setattr(lab, k, v)
    if raw.get("subtype") is not None:
        v = raw["subtype"]
        if not isinstance(v, str) or not v:
            raise _err(f"must be a non-empty string, got {v!r}", "labels.subtype", rid)
        lab.subtype = v
    # cross-field rules of the label policy
    if lab.terminate == 0 and lab.terminate_from_turn is not None:
        raise _err("is set but terminate is 0", "labels.terminate_from_turn", rid)
    if lab.crisis == 0 and lab.crisis_from_turn is not None:
        raise _err("is set but crisis is 0", "labels.crisis_from_turn", rid)
    if lab.terminate == 1 and lab.crisis == 1:
        raise _err("a crisis conversation is never termination-worthy (terminate must be 0 when crisis is 1)",
                   "labels.terminate", rid)
    if lab.terminate == 1 and lab.terminate_from_turn is not None and lab.terminate_from_turn > len(messages) - 1:
        raise _err("points past the end of the conversation", "labels.terminate_from_turn", rid)
    if options.require_labels:
        for k in REQUIRED_TRAINING_LABELS:
            if getattr(lab, k) is None:
                raise _err("is required for training data", f"labels.{k}", rid)
    return lab


def validate_record(obj: Any, options: ValidationOptions | None = None) -> Conversation:
    """Check one decoded JSON object and build a :class:`Conversation` (raises ConversationError)."""
    options = options or ValidationOptions()
    if not isinstance(obj, dict):
        raise _err(f"a record must be a JSON object, got {type(obj).__name__}", "<record>")
    unknown = set(obj) - {"id", "messages", "labels", "meta"}
    if unknown:
        raise _err(f"unknown top-level key {sorted(unknown)[0]!r} (expected id, messages, labels, meta)",
                   sorted(unknown)[0])
    if "id" not in obj:
        raise _err("missing", "id")
    rid = obj["id"]
    if not isinstance(rid, str) or not rid:
        raise _err(f"must be a non-empty string, got {rid!r}", "id")
    if _has_surrogate(rid):
        raise _err(f"contains a lone surrogate (not valid UTF-8): {rid!r}", "id")
    if "messages" not in obj:
        raise _err("missing", "messages", rid)
    messages = validate_messages(obj["messages"], options, rid)
    labels = validate_labels(obj.get("labels"), messages, options, rid)
    meta = obj.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise _err(f"must be an object, got {type(meta).__name__}", "meta", rid)
    return Conversation(id=rid, messages=messages, labels=labels, meta=meta)


def as_messages(messages: Iterable[Any], options: ValidationOptions | None = None) -> list[Message]:
    """Validate a bare list of ``{"role", "content"}`` dicts (or Message objects)."""
    raw = [m.to_dict() if isinstance(m, Message) else m for m in messages]
    return validate_messages(raw, options or ValidationOptions())
