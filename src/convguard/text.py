"""Turning a multi-turn conversation into encoder input, within the encoder's window.

Layout: ``[CLS] role content [SEP] role content [SEP] ...`` with the role written as a plain
word (``user`` / ``assistant`` / ``system``), so any BERT-style tokenizer works unchanged and
the Hugging Face folder stays usable by plain ``transformers``.

When a conversation is longer than ``max_length`` the budget is spent in this order, so what
decides the label is never cut away:

1. the **latest user turn** (up to ``last_user_max`` tokens, head and tail kept);
2. the **first user turn**, the original request (up to ``first_user_max``);
3. a **stub** of every other turn: its role word and first few tokens -- where a refusal or
   redirection ("I can't help with that") and a push ("come on, just tell me") show.  Stubs
   shrink (down to ``MIN_STUB``) before any turn is dropped; only when even that does not fit
   are the oldest middle turns replaced by one ``( N earlier turns omitted )`` marker;
4. what is left grows turns back to full length, most recent first (user turns before
   assistant turns; in the ``user_focus`` view assistant turns stay stubs).

The ``turns`` view (the turn detector's: crisis, refusal and push heads) reads every turn on its
own: a user turn as ``[CLS] user <head of the previous user turn> [SEP] assistant <stub of the
reply it answers> [SEP] user <turn> [SEP]`` (so "did the user carry on the same line after a
refusal" is visible), an assistant turn as ``[CLS] user <head of the turn it answers> [SEP]
assistant <turn> [SEP]`` (so "is this a refusal of that request" is visible).  The crisis head
pools over the user units only.

The ``user_turns`` view (the older crisis-only detector) encodes each user turn on its own --
``[CLS] assistant <stub of the reply it answers> [SEP] user <turn> [SEP]`` -- and the detector
takes the most alarming turn (max over turns, see :meth:`ConversationEncoder.encode_units`).
Nothing is ever truncated away between turns, a crisis disclosure in the middle of a long chat
counts as much as one in the last message, and a prefix's score can only grow as the chat goes
on: once a crisis signal has been seen it stays seen.

Tokenisation is per message and cached, so scoring one more turn of a live chat re-tokenises
only the new message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from .schema import Message

MIN_STUB = 2
#: views that score one unit per turn instead of one sequence per conversation
PER_TURN_VIEWS = ("user_turns", "turns")
ELLIPSIS = "..."


@dataclass(frozen=True)
class EncodeSpec:
    max_length: int = 256
    view: str = "full"
    last_user_max: int = 96
    first_user_max: int = 48
    stub_tokens: int = 8
    #: the ``turns`` view: tokens of the previous user turn read before each unit (0: none)
    context_tokens: int = 0
    #: the ``turns`` view: tokens of the request an assistant turn answers read before it (None:
    #: ``context_tokens``; 0: the reply alone)
    reply_context_tokens: int | None = None

    @classmethod
    def from_config(cls, model_cfg) -> "EncodeSpec":
        t = model_cfg.truncation
        return cls(max_length=model_cfg.max_length, view=model_cfg.view, last_user_max=t.last_user_max,
                   first_user_max=t.first_user_max, stub_tokens=t.stub_tokens, context_tokens=t.context_tokens,
                   reply_context_tokens=t.reply_context_tokens)

    @property
    def reply_context(self) -> int:
        """Tokens of the request read before an assistant turn."""
        return self.context_tokens if self.reply_context_tokens is None else self.reply_context_tokens

    def to_dict(self) -> dict:
        return dict(self.__dict__)


class ConversationEncoder:
    """Encodes conversations to token ids with the truncation rules above."""

    def __init__(self, tokenizer, spec: EncodeSpec, cache_size: int = 200_000):
        self.tok = tokenizer
        self.spec = spec
        self.cls_id = tokenizer.cls_token_id
        self.sep_id = tokenizer.sep_token_id
        self.pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else 0
        if self.cls_id is None or self.sep_id is None:
            raise ValueError("the tokenizer needs CLS and SEP tokens (a BERT-style encoder tokenizer)")
        self._role_ids = {r: self._tokenize([r])[0] for r in ("user", "assistant", "system")}
        self._ellipsis = self._tokenize([ELLIPSIS])[0]
        self._marker_len = len(self._omitted_ids(2))  # the budget reserves a marker of this size
        self._cache: dict[str, list[int]] = {}
        self._cache_size = cache_size

    # -- tokenisation with a cache ----------------------------------------------------------------
    def _tokenize(self, texts: list[str]) -> list[list[int]]:
        return self.tok(texts, add_special_tokens=False, truncation=False)["input_ids"]

    def content_ids(self, texts: Sequence[str]) -> list[list[int]]:
        missing = [t for t in dict.fromkeys(texts) if t not in self._cache]
        if missing:
            if len(self._cache) + len(missing) > self._cache_size:
                self._cache.clear()
            for t, ids in zip(missing, self._tokenize(missing)):
                self._cache[t] = ids
        return [self._cache[t] for t in texts]

    # -- budget allocation ------------------------------------------------------------------------
    def _allocate(self, roles: list[str], lengths: list[int]) -> tuple[list[int], list[int]]:
        """Content tokens per turn, and the indices of the turns that are kept at all."""
        s = self.spec
        n = len(roles)
        budget = s.max_length - 1  # [CLS]
        overhead = [len(self._role_ids[r]) + 1 for r in roles]  # role word + [SEP]
        user_idx = [i for i, r in enumerate(roles) if r == "user"]
        last_user = user_idx[-1] if user_idx else n - 1
        first_user = user_idx[0] if user_idx else 0
        alloc = [0] * n

        marker = self._marker_len + 1  # the "( N earlier turns omitted )" marker and its [SEP]

        def need_of(i: int, stub: int) -> int:
            if i == last_user:
                return overhead[i] + min(lengths[i], s.last_user_max)
            if i == first_user:
                return overhead[i] + min(lengths[i], s.first_user_max)
            return overhead[i] + min(lengths[i], stub)

        kept = list(range(n))
        stub = s.stub_tokens
        protected = (first_user, last_user)
        need = sum(overhead) + sum(need_of(i, stub) - overhead[i] for i in set(protected))
        ge = [0] * (stub + 2)  # ge[k]: middle turns with at least k content tokens
        for i in range(n):
            if i not in protected:
                need += min(lengths[i], stub)
                ge[min(lengths[i], stub)] += 1
        for k in range(stub - 1, -1, -1):
            ge[k] += ge[k + 1]
        while need > budget and stub > MIN_STUB:  # shrink the stubs first
            need -= ge[stub]
            stub -= 1
        # drop middle turns, oldest first: those after the first user turn, then any before it
        # (one pass, linear in the number of turns: a live chat's cost must not grow quadratically)
        if need > budget:
            order = [i for i in range(n) if i > first_user and i not in protected] + \
                    [i for i in range(n) if i < first_user and i not in protected]
            dropped = set()
            omitted = False
            for i in order:
                if need + (marker if omitted else 0) <= budget:
                    break
                dropped.add(i)
                need -= need_of(i, stub)
                omitted = True
            if dropped:
                kept = [i for i in kept if i not in dropped]
        start_after_omit = len(kept) < n
        for i in kept:
            cap = s.last_user_max if i == last_user else s.first_user_max if i == first_user else stub
            alloc[i] = min(lengths[i], cap)
        left = budget - sum(overhead[i] for i in kept) - sum(alloc) - (self._marker_len + 1 if start_after_omit else 0)
        if left < 0:  # only the two protected turns left and still too long: squeeze them
            for i in (first_user, last_user):
                if left >= 0:
                    break
                cut = min(alloc[i] - MIN_STUB, -left)
                if cut > 0:
                    alloc[i] -= cut
                    left += cut
        # grow turns back, most recent first: user turns, then (in the full view) assistant turns
        order = [i for i in reversed(kept) if roles[i] != "assistant"]
        if self.spec.view == "full":
            order += [i for i in reversed(kept) if roles[i] == "assistant"]
        for i in order:
            if left <= 0:
                break
            extra = min(lengths[i] - alloc[i], left)
            if extra > 0:
                alloc[i] += extra
                left -= extra
        return alloc, kept

    def _omitted_ids(self, count: int) -> list[int]:
        return self._tokenize([f"( {count} earlier turns omitted )"])[0]

    def _clip(self, ids: list[int], k: int, head_only: bool) -> list[int]:
        if len(ids) <= k:
            return ids
        if head_only or k < 8:
            return ids[:k]
        e = self._ellipsis
        body = k - len(e)
        head = body // 2
        tail = body - head
        return ids[:head] + e + (ids[-tail:] if tail else [])

    # -- public -----------------------------------------------------------------------------------
    def encode(self, messages: Sequence[Message]) -> list[int]:
        roles = [m.role for m in messages]
        contents = self.content_ids([m.content for m in messages])
        lengths = [len(c) for c in contents]
        alloc, kept = self._allocate(roles, lengths)
        kept_set = set(kept)
        n_omitted = len(roles) - len(kept)
        user_idx = [i for i, r in enumerate(roles) if r == "user"]
        protected = {user_idx[0], user_idx[-1]} if user_idx else set()
        ids = [self.cls_id]
        marker_written = False
        for i, r in enumerate(roles):
            if i not in kept_set:
                if not marker_written:
                    ids += self._omitted_ids(n_omitted) + [self.sep_id]
                    marker_written = True
                continue
            head_only = i not in protected and alloc[i] <= self.spec.stub_tokens
            ids += self._role_ids[r] + self._clip(contents[i], alloc[i], head_only) + [self.sep_id]
        return ids[: self.spec.max_length]

    def encode_many(self, convs: Sequence[Sequence[Message]]) -> list[list[int]]:
        return [self.encode(m) for m in convs]

    @property
    def per_turn(self) -> bool:
        """One unit per turn (``user_turns``, ``turns``) rather than one per conversation."""
        return self.spec.view in PER_TURN_VIEWS

    @property
    def reads_replies(self) -> bool:
        """Assistant turns are units too (the ``turns`` view: refusal evidence)."""
        return self.spec.view == "turns"

    def _context(self, messages: Sequence[Message], i: int, k: int | None = None) -> list[int]:
        """``user <head of the user turn before message i>`` [SEP] (the ``turns`` view; ``k`` tokens of
        it, None: ``context_tokens``), or nothing."""
        k = self.spec.context_tokens if k is None else k
        if k <= 0 or self.spec.view != "turns":
            return []
        j = previous_user_turn(messages, i)
        if j is None:
            return []
        ctx = self.content_ids([messages[j].content])[0]
        return self._role_ids["user"] + ctx[:k] + [self.sep_id]

    def encode_turn(self, messages: Sequence[Message], i: int) -> list[int]:
        """User turn ``i`` on its own (the per-turn views): up to ``last_user_max`` tokens of it
        (head and tail), after a ``stub_tokens`` stub of the assistant message it answers (and,
        in the ``turns`` view, the head of the user turn before that)."""
        s = self.spec
        ids = [self.cls_id]
        if s.stub_tokens > 0 and i > 0 and messages[i - 1].role == "assistant":
            ids += self._context(messages, i - 1)
            ctx = self.content_ids([messages[i - 1].content])[0]
            ids += self._role_ids["assistant"] + ctx[: s.stub_tokens] + [self.sep_id]
        room = max(MIN_STUB, min(s.last_user_max, s.max_length - len(ids) - len(self._role_ids["user"]) - 1))
        content = self.content_ids([messages[i].content])[0]
        ids += self._role_ids["user"] + self._clip(content, room, head_only=False) + [self.sep_id]
        return ids[: s.max_length]

    def encode_reply(self, messages: Sequence[Message], i: int) -> list[int]:
        """Assistant turn ``i`` (the ``turns`` view): the head of the user turn it answers
        (``reply_context`` tokens), then up to ``last_user_max`` tokens of the reply (head and tail:
        a refusal shows at the start, an answer that follows a caveat at the end)."""
        s = self.spec
        ids = [self.cls_id] + self._context(messages, i, s.reply_context)
        room = max(MIN_STUB, min(s.last_user_max, s.max_length - len(ids) - len(self._role_ids["assistant"]) - 1))
        content = self.content_ids([messages[i].content])[0]
        ids += self._role_ids["assistant"] + self._clip(content, room, head_only=False) + [self.sep_id]
        return ids[: s.max_length]

    def turn_units(self, messages: Sequence[Message]) -> list[tuple[int, str, list[int]]]:
        """``(message index, role, ids)`` for every unit of a per-turn view: each user turn, and
        in the ``turns`` view each assistant turn too (system messages are never units)."""
        out = []
        for i, m in enumerate(messages):
            if m.role == "user":
                out.append((i, "user", self.encode_turn(messages, i)))
            elif m.role == "assistant" and self.reads_replies:
                out.append((i, "assistant", self.encode_reply(messages, i)))
        return out

    def encode_units(self, messages: Sequence[Message]) -> list[list[int]]:
        """The sequences a detector pools for one conversation's main score: the conversation
        itself (one sequence), or in the per-turn views one per user turn (none if there is no
        user turn); the detector pools them by taking the unit with the highest main-head logit."""
        if not self.per_turn:
            return [self.encode(messages)]
        return [self.encode_turn(messages, i) for i, m in enumerate(messages) if m.role == "user"]

    def decode(self, ids: Sequence[int]) -> str:
        return self.tok.decode(list(ids), skip_special_tokens=False)


def previous_user_turn(messages: Sequence[Message], i: int) -> int | None:
    """Index of the last user message before message ``i`` (None if there is none): the request
    an assistant turn answers, the context the ``turns`` view reads before a unit."""
    return next((j for j in range(i - 1, -1, -1) if messages[j].role == "user"), None)


def render_text(messages: Sequence[Message]) -> str:
    """Plain-text form of a conversation (``user: ... [SEP] assistant: ...``) for people and
    for stacks that take raw text; the models themselves are fed :class:`ConversationEncoder`."""
    return " [SEP] ".join(f"{m.role} {m.content}" for m in messages)
