"""Long first-person user turns by three writers (generator 1.3), each in one voice:
``banks_long_a`` (rambling lowercase phone text), ``banks_long_b`` (careful, detailed adults,
some non-native English), ``banks_long_c`` (excitable slang, emoji, gamers and students).

Why: in generator 1.2 benign user turns were short (median 11 words) and the long, emotional,
first-person turns were almost all crisis statements, so the crisis detector learned "long and
emotional" rather than the statement.  Here both sides are long and emotional: benign turns full
of grief, exhaustion, medication, drinking, hyperbole and dark humour that end in an ordinary
request, and crisis turns whose statement sits inside the same everyday detail.

They join the existing clusters of their pools (:mod:`banks_benign`, :mod:`banks_crisis`), so
they are split by family like everything else.  Hand-written for convguard; no text from any
public dataset or benchmark.
"""

from __future__ import annotations

from . import banks_long_a, banks_long_b, banks_long_c
from .intents import Cluster

WRITERS = (banks_long_a, banks_long_b, banks_long_c)
BENIGN_POOLS = ("medical", "ordinary", "homonym", "fiction", "profanity")
CRISIS_POOLS = ("explicit", "indirect", "hopeless")


def _collect(attr: str, pools: tuple[str, ...], category: str) -> dict[str, tuple[Cluster, ...]]:
    out: dict[str, tuple[Cluster, ...]] = {p: () for p in pools}
    for mod in WRITERS:
        for pool, clusters in getattr(mod, attr).items():
            if pool not in out:
                raise ValueError(f"{mod.__name__}.{attr}: unknown pool {pool!r} (one of {', '.join(pools)})")
            for c in clusters:
                if c.category != category or c.kind != "q":
                    raise ValueError(f"{mod.__name__}: cluster {c.name} must be a {category!r} 'q' cluster")
                if category == "none" and not c.answers:
                    raise ValueError(f"{mod.__name__}: benign cluster {c.name} has no answers")
            out[pool] = out[pool] + tuple(clusters)
    return out


BENIGN = _collect("BENIGN_LONG", BENIGN_POOLS, "none")
CRISIS = _collect("CRISIS_LONG", CRISIS_POOLS, "suicide_self_harm")
