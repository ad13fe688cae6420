"""Benign side requests that use the crisis statements' words (generator 1.6), by two writers:
``banks_crisiswords_a`` (terse lowercase texting) and ``banks_crisiswords_b`` (medium-length,
conversational adults with some context).

Why: generator 1.5's crisis head had learned words, not statements.  Alone or in an ordinary
sentence, words that are common in the corpus' crisis statements scored as crisis with near
certainty ("tonight" 0.99, "my boss is driving me insane this week" 0.98, "nobody picked up"
0.95, "I worry about locking myself out" 0.997, a question on comforting a friend whose parent
died 0.999), so everyday worry, grief and frustration were sent to crisis support.  The writers
were given the words with the highest log-odds of a crisis onset turn against benign user turns
in generator 1.5's training split (``tonight``, ``burden``, ``locked``, ``disappear``, ``alive``,
``nobody``, ``pills``, ``ending``, ...) and asked for messages from people who are fine that use
them in their everyday senses.  They did not see the challenge set or the crisis banks.

The messages are **side requests**: any conversation's chit-chat before the part that matters
may hold one (and a benign chat's follow-ups may turn to one), answered from its cluster's
answers.  So they reach the crisis head as negatives in every kind of chat -- before harmful
requests, before crisis statements (turns before the onset are crisis-negative), inside benign
chats -- without taking conversations from the families.  Like :data:`ASIDES`' other banks they
are not split by family: in-family conversations draw from the bank's common items, held-out
ones from its reserved quarter half of the time (:class:`~convguard.datagen.text.Bank`), so
generated validation and test still read some of them unseen.  Hand-written for convguard; no
text from any public dataset or benchmark.
"""

from __future__ import annotations

from . import banks_crisiswords_a, banks_crisiswords_b
from .banks_long import BENIGN_POOLS, _collect
from .intents import Cluster
from .text import Bank

WRITERS = (banks_crisiswords_a, banks_crisiswords_b)

#: pool -> the writers' clusters (pools of :data:`convguard.datagen.banks_long.BENIGN_POOLS`)
BY_POOL: dict[str, tuple[Cluster, ...]] = _collect("BENIGN_CRISISWORDS", BENIGN_POOLS, "none", WRITERS)
CLUSTERS: tuple[Cluster, ...] = tuple(c for pool in BENIGN_POOLS for c in BY_POOL[pool])


def _interleaved(clusters: tuple[Cluster, ...]) -> tuple[str, ...]:
    """Every cluster's messages, round-robin over the clusters (so a bank's reserved quarter,
    every 4th item, takes from every cluster); each message once."""
    out: list[str] = []
    seen: set[str] = set()
    for k in range(max(len(c.actions) for c in clusters)):
        for c in clusters:
            if k < len(c.actions) and c.actions[k] not in seen:
                seen.add(c.actions[k])
                out.append(c.actions[k])
    return tuple(out)


#: the side requests (a :class:`Bank`: held-out conversations reserve a quarter)
ASIDES = Bank(_interleaved(CLUSTERS))
#: message -> its cluster (its answers answer it)
CLUSTER_OF: dict[str, Cluster] = {m: c for c in CLUSTERS for m in c.actions}
