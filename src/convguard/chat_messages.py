"""One chat message (:mod:`convguard.schema`): the :class:`Message` dataclass, and a message in
the OpenAI / Hugging Face chat shape read into one -- ``developer`` as ``system``, tool turns and
tool-call-only assistant turns as ``system`` context (or skipped), ``content`` parts joined, with
what was skipped or re-read counted in the conversation's notes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Mapping

from .record_checks import ValidationOptions, _err, check_json_tree
from .taxonomy import ROLES

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
