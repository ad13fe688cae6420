"""Seeded surface noise for user turns: casing, typos, spacing, text-speak, dropped punctuation.

A noise profile is drawn once per conversation, independently of its label, so noise cannot
give the label away.  Assistant turns and pasted text are left clean.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

_TEXTSPEAK = (
    (r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\bplease\b", "pls"), (r"\bbecause\b", "bc"),
    (r"\bdon't\b", "dont"), (r"\bI'm\b", "im"), (r"\bcan't\b", "cant"), (r"\bwhat\b", "wat"),
    (r"\bthanks\b", "thx"), (r"\bare\b", "r"), (r"\bto be honest\b", "tbh"), (r"\bI don't know\b", "idk"),
)
_NEIGHBOURS = {
    "a": "qs", "s": "ad", "d": "sf", "e": "wr", "i": "uo", "o": "ip", "n": "bm", "t": "ry", "r": "et",
    "h": "gj", "l": "k", "u": "yi", "m": "n", "c": "xv", "g": "fh", "p": "o", "y": "tu", "w": "qe",
}


@dataclass(frozen=True)
class NoiseProfile:
    lower: bool = False
    strip_final_punct: bool = False
    typo_rate: float = 0.0
    textspeak: bool = False
    double_spaces: bool = False
    no_apostrophes: bool = False

    @property
    def name(self) -> str:
        parts = [k for k in ("lower", "strip_final_punct", "textspeak", "double_spaces", "no_apostrophes")
                 if getattr(self, k)]
        if self.typo_rate:
            parts.append(f"typos{self.typo_rate:g}")
        return "+".join(parts) or "clean"


def draw_profile(rng: random.Random) -> NoiseProfile:
    """One conversation's noise profile (about a third of conversations stay clean)."""
    if rng.random() < 0.33:
        return NoiseProfile()
    return NoiseProfile(
        lower=rng.random() < 0.4,
        strip_final_punct=rng.random() < 0.35,
        typo_rate=rng.choice((0.0, 0.0, 0.01, 0.02, 0.04)),
        textspeak=rng.random() < 0.15,
        double_spaces=rng.random() < 0.1,
        no_apostrophes=rng.random() < 0.2,
    )


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    op = rng.randrange(4)
    if op == 0:  # swap
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if op == 1:  # drop
        return word[:i] + word[i + 1:]
    if op == 2:  # double
        return word[:i] + word[i] + word[i:]
    near = _NEIGHBOURS.get(word[i].lower())
    return word[:i] + (rng.choice(near) if near else word[i]) + word[i + 1:]


def apply_noise(text: str, profile: NoiseProfile, rng: random.Random) -> str:
    """``text`` with the profile's noise applied (deterministic given ``rng``'s state)."""
    if profile == NoiseProfile():
        return text
    out = text
    if profile.textspeak:
        for pat, rep in _TEXTSPEAK:
            if rng.random() < 0.7:
                out = re.sub(pat, rep, out, flags=re.IGNORECASE)
    if profile.no_apostrophes:
        out = out.replace("'", "")
    if profile.typo_rate:
        words = out.split(" ")
        words = [_typo(w, rng) if rng.random() < profile.typo_rate * 2 else w for w in words]
        out = " ".join(words)
    if profile.lower and not out.isupper():
        out = out.lower()
    if profile.strip_final_punct:
        out = out.rstrip(".!")
    if profile.double_spaces:
        out = re.sub(r" (?=\w)", lambda m: "  " if rng.random() < 0.08 else " ", out)
    return out or text


def shout(text: str) -> str:
    """All caps, for the occasional angry push (used for every label alike)."""
    return text.upper()
