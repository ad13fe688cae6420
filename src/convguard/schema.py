"""The conversation record: one JSON object per conversation, validated with precise errors.

```
{"id": str,
 "messages": [{"role": "system"|"user"|"assistant", "content": str}, ...],
 "labels": {...optional...},
 "meta": {...optional...}}
```

``messages`` has the OpenAI / Hugging Face chat shape, so real chat logs drop in: besides the
three roles above, ``developer`` is read as ``system``, ``tool`` / ``function`` / ``ipython``
turns and tool-call-only assistant turns are kept as ``system`` context (or skipped:
``ValidationOptions.tool_turns``), ``content`` may be a list of parts whose text parts are joined
(non-text parts -- images, audio, files -- are skipped and counted in ``Conversation.notes``), and
``name`` / ``tool_call_id`` / other message keys are not read.  Every string must be valid UTF-8
(no lone surrogates) and no value may nest deeper than :data:`MAX_JSON_DEPTH` levels.  The label
policy (what each label means) is the contract written down in ``data/README.md``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from .taxonomy import DEFAULT_TAXONOMY, ROLES, SUBTYPE_GROUPS, Taxonomy


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


REQUIRED_TRAINING_LABELS = ("terminate", "crisis", "harm_category", "persistence")

#: how deep a record may nest (the record object is level 1, ``meta`` level 2, ...)
MAX_JSON_DEPTH = 64
#: what is done with tool turns (:attr:`ValidationOptions.tool_turns`)
TOOL_TURN_RULES = ("context", "skip")
#: OpenAI / Hugging Face roles read as one of :data:`~convguard.taxonomy.ROLES`
SYSTEM_ROLES = ("developer",)
TOOL_ROLES = ("tool", "function", "ipython")
ACCEPTED_ROLES = ROLES + SYSTEM_ROLES + TOOL_ROLES
#: content part type -> the key holding its text; every other part type is skipped and counted
TEXT_PARTS = {"text": "text", "input_text": "text", "output_text": "text", "refusal": "refusal"}


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
    #: what validation changed while reading the chat format, e.g. ``{"non_text_parts:image_url": 2,
    #: "tool_turns_as_context": 1}`` (not written back by :meth:`to_dict`)
    notes: dict[str, int] = field(default_factory=dict, compare=False, repr=False)

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


def _content_text(content: Any, where: str, rid: str | None, notes: dict[str, int]) -> str | None:
    """The text of a message's ``content``: a string, ``None``, or a list of parts whose text
    parts are joined with newlines (other parts are skipped and counted)."""
    if content is None or isinstance(content, str):
        return content
    if not isinstance(content, (list, tuple)):
        raise _err(f"must be a string, got {type(content).__name__} (or a list of content parts such as "
                   f"[{{'type': 'text', 'text': ...}}])", f"{where}.content", rid)
    texts = []
    for j, part in enumerate(content):
        pw = f"{where}.content[{j}]"
        if not isinstance(part, Mapping):
            raise _err(f"a content part must be an object with a 'type' (e.g. {{'type': 'text', 'text': ...}}), "
                       f"got {type(part).__name__}", pw, rid)
        ptype = part.get("type")
        if not isinstance(ptype, str) or not ptype.strip():
            raise _err(f"must be a non-empty string such as 'text' or 'image_url', got {ptype!r}", f"{pw}.type", rid)
        key = TEXT_PARTS.get(ptype)
        if key is None:
            name = f"non_text_parts:{ptype[:40]}"
            notes[name] = notes.get(name, 0) + 1
            continue
        text = part.get(key)
        if not isinstance(text, str):
            raise _err(f"must be a string, got {type(text).__name__}", f"{pw}.{key}", rid)
        texts.append(text)
    return "\n".join(texts)


def _tool_calls_text(m: Mapping[str, Any], where: str, rid: str | None) -> str | None:
    """``[tool call] name(arguments)`` for each call of an assistant message (OpenAI ``tool_calls``
    / legacy ``function_call``, HF ``tool_calls``), or None when it calls no tool."""
    calls: list[tuple[Any, Any, str]] = []
    raw = m.get("tool_calls")
    if raw is not None:
        if not isinstance(raw, (list, tuple)):
            raise _err(f"must be a list of tool calls, got {type(raw).__name__}", f"{where}.tool_calls", rid)
        for k, c in enumerate(raw):
            cw = f"{where}.tool_calls[{k}]"
            if not isinstance(c, Mapping):
                raise _err(f"must be an object, got {type(c).__name__}", cw, rid)
            fn = c.get("function", c)
            if not isinstance(fn, Mapping):
                raise _err(f"must be an object with 'name' and 'arguments', got {type(fn).__name__}",
                           f"{cw}.function", rid)
            calls.append((fn.get("name"), fn.get("arguments"), f"{cw}.function" if "function" in c else cw))
    fc = m.get("function_call")
    if fc is not None:
        if not isinstance(fc, Mapping):
            raise _err(f"must be an object with 'name' and 'arguments', got {type(fc).__name__}",
                       f"{where}.function_call", rid)
        calls.append((fc.get("name"), fc.get("arguments"), f"{where}.function_call"))
    if not calls:
        return None
    out = []
    for name, args, cw in calls:
        if not isinstance(name, str) or not name.strip():
            raise _err(f"must be a non-empty string, got {name!r}", f"{cw}.name", rid)
        if args is None or isinstance(args, str):
            text = args or ""
        else:
            try:
                text = json.dumps(args, ensure_ascii=False)
            except (TypeError, ValueError) as e:
                raise _err(f"not JSON-serialisable: {e}", f"{cw}.arguments", rid) from None
        out.append(f"[tool call] {name}({text})")
    return "\n".join(out)


def _normalise(m: Mapping[str, Any], where: str, options: ValidationOptions, rid: str | None,
               notes: dict[str, int]) -> Message | None:
    """One OpenAI / HF message as a :class:`Message` (None: a tool turn skipped by the rule)."""
    if "role" not in m:
        raise _err("missing key 'role'", f"{where}.role", rid)
    role = m["role"]
    if not isinstance(role, str):
        raise _err(f"must be a string, got {type(role).__name__}", f"{where}.role", rid)
    if role not in ACCEPTED_ROLES:
        raise _err(f"unknown role {role!r} (expected one of {', '.join(ROLES)}; {', '.join(SYSTEM_ROLES)} is read "
                   f"as system, {', '.join(TOOL_ROLES)} as tool turns)", f"{where}.role", rid)
    calls = _tool_calls_text(m, where, rid) if role == "assistant" else None
    if role != "assistant" and (m.get("tool_calls") is not None or m.get("function_call") is not None):
        raise _err(f"only assistant messages call tools (this one has role {role!r})", f"{where}.tool_calls", rid)
    if "content" not in m and calls is None and not isinstance(m.get("refusal"), str):
        raise _err("missing key 'content'", f"{where}.content", rid)
    text = _content_text(m.get("content"), where, rid, notes)
    if text is None and role == "assistant" and isinstance(m.get("refusal"), str):
        text = m["refusal"]  # OpenAI: a refusal comes as ``refusal`` with ``content: null``
    if text is None and calls is None:
        raise _err("must be a string, got NoneType (only an assistant message that calls a tool may have null "
                   "content)", f"{where}.content", rid)
    tool_turn = role in TOOL_ROLES or (calls is not None and not (text or "").strip())
    if tool_turn:
        if options.tool_turns == "skip":
            notes["tool_turns_skipped"] = notes.get("tool_turns_skipped", 0) + 1
            return None
        notes["tool_turns_as_context"] = notes.get("tool_turns_as_context", 0) + 1
        role, text = "system", (text if role in TOOL_ROLES else calls) or ""
    elif calls is not None:  # an assistant reply that also calls tools: the reply is read, the calls are not
        notes["tool_calls_beside_text"] = notes.get("tool_calls_beside_text", 0) + 1
    if role in SYSTEM_ROLES:
        notes["developer_as_system"] = notes.get("developer_as_system", 0) + 1
        role = "system"
    if len(text) > options.max_message_chars:
        raise _err(f"{len(text)} characters is over the limit of {options.max_message_chars}", f"{where}.content", rid)
    return Message(role, text)


def validate_messages(raw: Any, options: ValidationOptions, rid: str | None = None, *,
                      notes: dict[str, int] | None = None, _checked: bool = False) -> list[Message]:
    """Validate and normalise a list of chat messages (see the module docstring for the OpenAI / HF
    shapes read); ``notes`` collects what was skipped or re-read (counts)."""
    notes = {} if notes is None else notes
    if not isinstance(raw, list):
        raise _err(f"must be a list of messages, got {type(raw).__name__}", "messages", rid)
    if not raw:
        raise _err("empty conversation: at least one message is required", "messages", rid)
    if len(raw) > options.max_messages:
        raise _err(f"{len(raw)} messages is over the limit of {options.max_messages}", "messages", rid)
    out: list[Message] = []
    last_index = 0
    for i, m in enumerate(raw):
        where = f"messages[{i}]"
        if not isinstance(m, Mapping):
            raise _err(f"must be an object with 'role' and 'content', got {type(m).__name__}", where, rid)
        if not _checked:
            check_json_tree(m, where, rid, depth=3)
        msg = _normalise(m, where, options, rid, notes)
        if msg is not None:
            out.append(msg)
            last_index = i
    if not any(m.role == "user" for m in out):
        raise _err("no user message in the conversation", "messages", rid)
    if options.require_user_last and out[-1].role != "user":
        raise _err(f"the last message must be a user turn (decisions are taken after a user turn), "
                   f"got role {out[-1].role!r}", f"messages[{last_index}].role", rid)
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
    taxonomy = options.taxonomy or DEFAULT_TAXONOMY
    if raw.get("harm_category") is not None:
        v = raw["harm_category"]
        if not isinstance(v, str) or v not in taxonomy.names:
            which = "the default taxonomy" if options.taxonomy is None else "the configured taxonomy (data.taxonomy)"
            raise _err(f"unknown harm category {v!r}: not in {which} (known: {', '.join(taxonomy.names)})",
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
    for k, flag in (("terminate_from_turn", "terminate"), ("crisis_from_turn", "crisis")):
        if getattr(lab, k) is not None and getattr(lab, flag) is None:
            raise _err(f"is set but {flag} is missing ({k} needs {flag}: 1)", f"labels.{k}", rid)
    if lab.terminate == 1 and lab.crisis == 1:
        raise _err("a crisis conversation is never termination-worthy (terminate must be 0 when crisis is 1)",
                   "labels.terminate", rid)
    if lab.terminate == 1 and lab.harm_category is not None and lab.harm_category not in taxonomy.terminating:
        raise _err(f"terminate is 1 but harm category {lab.harm_category!r} is not termination-worthy in the "
                   f"taxonomy (termination-worthy: {', '.join(taxonomy.terminating)})", "labels.harm_category", rid)
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
    if not rid.strip():
        raise _err(f"must not be blank (only whitespace: {rid!r})", "id")
    check_json_tree(obj, "", rid)
    if "messages" not in obj:
        raise _err("missing", "messages", rid)
    notes: dict[str, int] = {}
    messages = validate_messages(obj["messages"], options, rid, notes=notes, _checked=True)
    raw_labels = obj.get("labels")
    if notes.get("tool_turns_skipped") and isinstance(raw_labels, Mapping):
        for k in ("terminate_from_turn", "crisis_from_turn"):
            if raw_labels.get(k) is not None:
                raise _err("points at a message index, but tool turns were skipped (tool_turns='skip' renumbers "
                           "the messages); read labelled data with tool_turns='context'", f"labels.{k}", rid)
    labels = validate_labels(raw_labels, messages, options, rid)
    meta = obj.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise _err(f"must be an object, got {type(meta).__name__}", "meta", rid)
    return Conversation(id=rid, messages=messages, labels=labels, meta=meta, notes=notes)


def as_messages(messages: Iterable[Any], options: ValidationOptions | None = None) -> list[Message]:
    """Validate a bare list of ``{"role", "content"}`` dicts (or Message objects)."""
    raw = [m.to_dict() if isinstance(m, Message) else m for m in messages]
    return validate_messages(raw, options or ValidationOptions())
