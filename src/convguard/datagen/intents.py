"""Compositional intents: an intent cluster is ``actions x targets (x contexts)``.

A cluster is the unit a *family* is built on (see :mod:`convguard.datagen.families`).  Harmful
and benign clusters share the same representation and the same request templates, so a benign
ask ("how do I kill a zombie process?") and a harmful one ("how do I kill my neighbour?") can
come out of the very same template: the surface form cannot decide the label.

Three kinds of intent:

``how``  a verb phrase the user wants instructions for ("poison my coworker")
``do``   a verb phrase the user wants the assistant to carry out ("write a post that ...")
``q``    a complete question ("is it safe to take ibuprofen with paracetamol?")
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .text import fill

KINDS = ("how", "do", "q")


@dataclass(frozen=True)
class Intent:
    cluster: str
    kind: str
    vp: str
    aspects: tuple[str, ...]
    action_index: int
    target_index: int


@dataclass(frozen=True)
class Cluster:
    name: str
    category: str  # a harm category, or "none" for benign clusters
    kind: str
    actions: tuple[str, ...]
    targets: tuple[str, ...] = ("",)
    contexts: tuple[str, ...] = ("",)
    #: sub-asks used by the "split" push tactic (request level only)
    aspects: tuple[str, ...] = ()
    #: a keyword shared with a cluster of the opposite label (minimal pairs)
    pair_key: str | None = None
    #: answer snippets for benign clusters (the assistant's safe answer)
    answers: tuple[str, ...] = ()
    #: benign multi-turn threads: ``(user follow-up, assistant answer)`` pairs in order; a
    #: conversation takes 2-4 of them after the first answer (no refusal anywhere)
    thread: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"cluster {self.name}: unknown kind {self.kind!r}")
        for a in self.actions:
            if "{t}" not in a and self.targets != ("",):
                raise ValueError(f"cluster {self.name}: action {a!r} has no {{t}} slot")

    @property
    def n_intents(self) -> int:
        """Distinct core intents: actions x targets."""
        return len(self.actions) * len(self.targets)

    @property
    def n_variants(self) -> int:
        """Distinct intents including the optional contexts."""
        return self.n_intents * len(self.contexts)

    def intent(self, rng: random.Random) -> Intent:
        ai = rng.randrange(len(self.actions))
        ti = rng.randrange(len(self.targets))
        vp = fill(self.actions[ai], t=self.targets[ti])
        ctx = rng.choice(self.contexts)
        if ctx:
            vp = f"{vp} {ctx}"
        return Intent(self.name, self.kind, vp, self.aspects, ai, ti)


def C(name: str, category: str, kind: str, actions, targets=("",), contexts=("",), aspects=(),
      pair_key: str | None = None, answers=(), thread=()) -> Cluster:
    return Cluster(name, category, kind, tuple(actions), tuple(targets), tuple(contexts), tuple(aspects),
                   pair_key, tuple(answers), tuple((u, a) for u, a in thread))
