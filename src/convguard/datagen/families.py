"""Families: the unit of the split.

A family is one intent cluster (a ``(subtype/category, intent cluster)`` unit).  One family can
serve several subtypes that share its intents, on purpose:

* a harmful cluster serves ``persistent_harmful`` (pushed on: terminate) and ``harmful_dropped``
  (asked once or dropped: not terminate) -- the same requests, only persistence differs;
* a benign-edgy cluster serves its own subtype and ``benign_persistent_overrefusal`` (the same
  benign request, wrongly refused and insisted on: not terminate);
* an abuse cluster serves ``sustained_abuse`` and ``one_off_rudeness``.

Families are grouped into pools (a harm category, or a benign/crisis area).  Within each pool
the families are partitioned ~70% train-families, ~15% validation-only, ~15% test-only, so every
pool has held-out families in both validation and test.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from . import banks_abuse, banks_benign, banks_crisis, banks_harm
from .intents import Cluster

PARTITIONS = ("train", "validation", "test")


@dataclass(frozen=True)
class Family:
    id: str
    pool: str
    subtypes: tuple[str, ...]
    category: str
    cluster: Cluster | None = None
    mixed: str | None = None  # key into banks_crisis.MIXED


def _benign(pool: str, subtype: str, clusters, overrefusable: bool = True) -> list[Family]:
    subs = (subtype, "benign_persistent_overrefusal") if overrefusable else (subtype,)
    return [Family(f"{pool}.{c.name}", pool, subs, "none", c) for c in clusters]


def build_families() -> list[Family]:
    """All families, in a fixed order."""
    fams: list[Family] = []
    for cat, clusters in banks_harm.HARM_CLUSTERS.items():
        for c in clusters:
            fams.append(Family(f"harm.{cat}.{c.name}", f"harm.{cat}", ("persistent_harmful", "harmful_dropped"), cat, c))
    for c in banks_abuse.ABUSE:
        fams.append(Family(f"abuse.{c.name}", "abuse", ("sustained_abuse", "one_off_rudeness"), "abuse", c))
    fams += _benign("homonym", "homonym_figurative", banks_benign.HOMONYM)
    fams += _benign("fiction", "dark_fiction_history", banks_benign.FICTION)
    fams += _benign("security", "security_education", banks_benign.SECURITY)
    fams += _benign("medical", "medical_harm_reduction", banks_benign.MEDICAL)
    fams += _benign("debate", "controversial_debate", banks_benign.DEBATE)
    fams += _benign("public_figure", "public_figure_privacy", banks_benign.PUBLIC_FIGURE)
    fams += _benign("profanity", "profanity_benign", banks_benign.PROFANITY)
    fams += _benign("ordinary", "ordinary", banks_benign.ORDINARY, overrefusable=False)
    for pool, subtype, clusters in (
        ("crisis.explicit", "crisis_explicit_ideation", banks_crisis.EXPLICIT),
        ("crisis.indirect", "crisis_indirect_ideation", banks_crisis.INDIRECT),
        ("crisis.hopeless", "crisis_hopelessness", banks_crisis.HOPELESS),
        ("crisis.method", "crisis_method_persistent", banks_crisis.METHOD),
        ("crisis.danger", "crisis_danger_to_others", banks_crisis.DANGER),
    ):
        fams += [Family(f"{pool}.{c.name}", pool, (subtype,), c.category, c) for c in clusters]
    for key, spec in banks_crisis.MIXED.items():
        fams.append(Family(f"crisis.mixed.{key}", "crisis.mixed", ("crisis_mixed_edgy",), str(spec["category"]),
                           None, key))
    ids = [f.id for f in fams]
    if len(ids) != len(dict.fromkeys(ids)):
        raise AssertionError("duplicate family id")
    return fams


def families_by_subtype(fams: list[Family]) -> dict[str, list[Family]]:
    out: dict[str, list[Family]] = {}
    for f in fams:
        for s in f.subtypes:
            out.setdefault(s, []).append(f)
    return out


def _counts(n: int, fractions: tuple[float, float, float]) -> tuple[int, int, int]:
    """How many families of a pool of ``n`` go to train / validation-only / test-only."""
    if n < 3:
        return n, 0, 0
    n_val = max(1, int(n * fractions[1] + 1e-9))
    n_test = max(1, int(n * fractions[2] + 1e-9))
    while n - n_val - n_test < 1:
        if n_val >= n_test and n_val > 1:
            n_val -= 1
        elif n_test > 1:
            n_test -= 1
        else:
            break
    return n - n_val - n_test, n_val, n_test


def partition_families(family_ids: list[str], pools: list[str], seed: int,
                       fractions: tuple[float, float, float] = (0.7, 0.15, 0.15)) -> dict[str, str]:
    """``family id -> "train" | "validation" | "test"``, stratified by pool and seeded.

    ``train`` means an in-family family (its conversations are split ~80/10/10 across all
    three splits); ``validation``/``test`` mean the family is held out in that split only.
    """
    by_pool: dict[str, list[str]] = {}
    for fid, pool in zip(family_ids, pools):
        lst = by_pool.setdefault(pool, [])
        if fid not in lst:
            lst.append(fid)
    out: dict[str, str] = {}
    for pool in sorted(by_pool):
        ids = sorted(by_pool[pool])
        random.Random(f"convguard-partition:{seed}:{pool}").shuffle(ids)
        n_train, n_val, _ = _counts(len(ids), fractions)
        for i, fid in enumerate(ids):
            out[fid] = "train" if i < n_train else ("validation" if i < n_train + n_val else "test")
    return out
