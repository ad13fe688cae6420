"""Small, deterministic helpers shared by the banks and the scripts.

Everything random goes through a :class:`random.Random` passed in by the caller; nothing here
iterates a set or calls ``hash()``, so the same seed always gives the same bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Sequence

#: every ``RESERVE_EVERY``-th item of a :class:`Bank` (index % RESERVE_EVERY == RESERVE_EVERY-1)
#: is reserved for held-out families: it never appears in a training conversation.
RESERVE_EVERY = 4


class _Fill(dict):
    """``str.format_map`` mapping that leaves unknown ``{slots}`` as they are."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def fill(template: str, **slots: str) -> str:
    """Fill ``{slot}`` placeholders; ``{Slot}`` (capitalised) gets the capitalised value."""
    values = _Fill(slots)
    for k, v in slots.items():
        values[k[:1].upper() + k[1:]] = cap(v)
    return template.format_map(values)


def cap(s: str) -> str:
    return s[:1].upper() + s[1:] if s else s


#: first person -> second person, word by word (the assistant restating the user's request)
_SECOND_PERSON = {"i": "you", "me": "you", "my": "your", "mine": "yours", "myself": "yourself", "i'm": "you're",
                  "i've": "you've", "i'd": "you'd", "i'll": "you'll", "am": "are", "we": "you", "us": "you",
                  "our": "your", "ours": "yours", "ourselves": "yourselves"}


def second_person(text: str) -> str:
    """``text`` with first-person words in the second person ("track my wife's phone" -> "track
    your wife's phone"): how an assistant names what the user asked for."""
    def swap(m: re.Match) -> str:
        w = m.group(0)
        return _SECOND_PERSON.get(w.lower(), w)
    return re.sub(r"[A-Za-z]+(?:'[a-z]+)?", swap, text)


def join_sentences(parts: Sequence[str]) -> str:
    return " ".join(p.strip() for p in parts if p and p.strip())


@dataclass(frozen=True)
class Bank:
    """A phrase bank split into a common part and a part reserved for held-out families.

    In-family conversations draw only from ``common``; held-out conversations draw from
    ``reserved`` half of the time, so the held-out test measures transfer to unseen surface
    phrasing as well as unseen intents.  Banks of fewer than ``RESERVE_EVERY`` items reserve
    nothing.
    """

    items: tuple[str, ...]
    common: tuple[str, ...] = field(init=False)
    reserved: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        items = tuple(self.items)
        if not items:
            raise ValueError("empty bank")
        if len(items) < RESERVE_EVERY:
            common, reserved = items, ()
        else:
            common = tuple(x for i, x in enumerate(items) if i % RESERVE_EVERY != RESERVE_EVERY - 1)
            reserved = tuple(x for i, x in enumerate(items) if i % RESERVE_EVERY == RESERVE_EVERY - 1)
        object.__setattr__(self, "items", items)
        object.__setattr__(self, "common", common)
        object.__setattr__(self, "reserved", reserved)

    def pick(self, rng: random.Random, heldout: bool = False) -> str:
        if heldout and self.reserved and rng.random() < 0.5:
            return rng.choice(self.reserved)
        return rng.choice(self.common)

    def __len__(self) -> int:
        return len(self.items)


def B(*items: str) -> Bank:
    return Bank(tuple(items))


def weighted(rng: random.Random, options: Sequence[tuple[object, float]]):
    """Pick one value from ``[(value, weight), ...]`` (order matters for determinism)."""
    total = sum(w for _, w in options)
    r = rng.random() * total
    acc = 0.0
    for value, w in options:
        acc += w
        if r < acc:
            return value
    return options[-1][0]


def sample_distinct(rng: random.Random, seq: Sequence, k: int) -> list:
    k = max(0, min(k, len(seq)))
    return rng.sample(list(seq), k)
