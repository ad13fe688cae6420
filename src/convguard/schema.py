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

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

# one chat message (chat_messages); the error, the options and the raw JSON checks (record_checks):
# re-exported here
from .chat_messages import (ACCEPTED_ROLES, SYSTEM_ROLES, TEXT_PARTS, TOOL_ROLES, Message,  # noqa: F401
                            validate_messages)
from .record_checks import (MAX_JSON_DEPTH, MAX_LINE_BYTES, TOOL_TURN_RULES, ConversationError,  # noqa: F401
                            DuplicateKeys, ValidationOptions, _err, _has_surrogate, _rebuild_error,
                            check_json_tree)
from .taxonomy import DEFAULT_TAXONOMY, SUBTYPE_GROUPS


REQUIRED_TRAINING_LABELS = ("terminate", "crisis", "harm_category", "persistence")


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
