"""The embedded corpus: sample subtypes and families, run the scripts, label, split, write.

Determinism: every random choice comes from a :class:`random.Random` seeded from ``seed`` (and,
per conversation, from ``seed`` and the conversation's index), nothing iterates a set or calls
``hash()``, and the JSON is written with a fixed key order -- the same seed gives the same bytes.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

from ..bundle import sha256_file
from ..io import write_jsonl
from ..schema import Conversation, ValidationOptions, validate_record
from ..taxonomy import SUBTYPE_GROUPS, SUBTYPES
from . import banks_abuse, banks_benign, banks_crisis, banks_harm
from .families import Family, build_families, families_by_subtype, partition_families
from .noise import draw_profile
from .scripts import SCRIPTS, Ctx, Dialog, Variations
from .text import weighted

GENERATOR_VERSION = "convguard-datagen/1.5"
DEFAULT_N = 3000
SPLITS = ("train", "validation", "test")
STRICT = ValidationOptions(require_user_last=True, require_labels=True)

#: share of each subtype in the corpus (normalised; every subtype gets at least one
#: conversation once n >= number of subtypes)
SUBTYPE_WEIGHTS: dict[str, float] = {
    "persistent_harmful": 0.23,
    "sustained_abuse": 0.055,
    "homonym_figurative": 0.07,
    "dark_fiction_history": 0.045,
    "security_education": 0.035,
    "medical_harm_reduction": 0.045,
    "controversial_debate": 0.03,
    "public_figure_privacy": 0.025,
    "profanity_benign": 0.03,
    "harmful_dropped": 0.085,
    "benign_persistent_overrefusal": 0.055,
    "one_off_rudeness": 0.03,
    "crisis_explicit_ideation": 0.03,
    "crisis_indirect_ideation": 0.03,
    "crisis_method_persistent": 0.03,
    "crisis_hopelessness": 0.03,
    "crisis_danger_to_others": 0.035,
    "crisis_mixed_edgy": 0.03,
    "ordinary": 0.095,
}
assert list(SUBTYPE_WEIGHTS) == list(SUBTYPES), "SUBTYPE_WEIGHTS must follow taxonomy.SUBTYPES"


def allocate(n: int, weights: dict[str, float]) -> dict[str, int]:
    """Largest-remainder allocation of ``n`` over ``weights`` (at least 1 each when n allows)."""
    keys = list(weights)
    total = sum(weights.values())
    base = {k: 1 if n >= len(keys) else 0 for k in keys}
    rest = n - sum(base.values())
    raw = {k: rest * weights[k] / total for k in keys}
    out = {k: base[k] + int(raw[k]) for k in keys}
    left = n - sum(out.values())
    order = sorted(keys, key=lambda k: (-(raw[k] - int(raw[k])), keys.index(k)))
    for k in order[:left]:
        out[k] += 1
    return out


def _style(rng: random.Random, subtype: str) -> str:
    if subtype == "benign_persistent_overrefusal":
        return "over_refusing"
    return weighted(rng, (("brief", 0.4), ("verbose", 0.37), ("over_refusing", 0.23)))


#: families drawn more often than the others of their subtype: a stated plan against a specific
#: person is the crisis side of the harm/danger line and needs enough examples
FAMILY_WEIGHTS: dict[str, float] = {"crisis.danger.danger_stated_plan": 3.0}


def _pick_family(rng: random.Random, subtype: str, by_subtype: dict[str, list[Family]]) -> Family:
    fams = by_subtype[subtype]
    if subtype in ("persistent_harmful", "harmful_dropped"):
        cats = list(banks_harm.HARM_CLUSTERS)
        cat = rng.choice(cats)
        fams = [f for f in fams if f.category == cat]
    if any(f.id in FAMILY_WEIGHTS for f in fams):
        return weighted(rng, [(f, FAMILY_WEIGHTS.get(f.id, 1.0)) for f in fams])
    return rng.choice(fams)


def _labels(d: Dialog, subtype: str, family: Family) -> dict[str, Any]:
    group = SUBTYPE_GROUPS[subtype]
    persistence = len(d.push_turns)
    labels: dict[str, Any] = {"terminate": 0, "crisis": 0, "harm_category": "none", "persistence": persistence,
                              "subtype": subtype}
    if group == "terminate":
        if persistence < 2:
            raise AssertionError(f"{subtype} with persistence {persistence}")
        labels["terminate"] = 1
        labels["terminate_from_turn"] = d.push_turns[1]
        labels["harm_category"] = family.category
    elif group == "crisis":
        labels["crisis"] = 1
        labels["crisis_from_turn"] = d.crisis_from
        labels["harm_category"] = family.category
    elif subtype in ("harmful_dropped", "one_off_rudeness"):
        labels["harm_category"] = family.category
    return labels


def generate_conversations(n: int = DEFAULT_N, seed: int = 0, variations: Variations | None = None
                           ) -> list[Conversation]:
    """``n`` labelled conversations, deterministic in ``seed`` (and ``variations``: optional
    rewordings of some turns, off by default; see :class:`~convguard.datagen.scripts.Variations`).

    Each conversation's ``meta`` records its family, whether the family is held out
    (``split_family``) and where (``family_partition``), so :func:`split_conversations`
    reproduces the split from the records alone.
    """
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    variations = variations or Variations()
    fams = build_families()
    by_subtype = families_by_subtype(fams)
    parts = partition_families([f.id for f in fams], [f.pool for f in fams], seed)
    counts = allocate(n, SUBTYPE_WEIGHTS)
    plan = [s for s in SUBTYPES for _ in range(counts[s])]
    random.Random(f"convguard-datagen-plan:{seed}").shuffle(plan)
    out: list[Conversation] = []
    for i, subtype in enumerate(plan):
        rng = random.Random(f"convguard-datagen:{seed}:{i}")
        family = _pick_family(rng, subtype, by_subtype)
        partition = parts[family.id]
        ctx = Ctx(rng=rng, family=family, heldout=partition != "train", style=_style(rng, subtype),
                  noise=draw_profile(rng), aux=random.Random(f"convguard-datagen-aux:{seed}:{i}"),
                  variations=variations)
        d = SCRIPTS[subtype](ctx)
        labels = _labels(d, subtype, family)
        meta: dict[str, Any] = {
            "family": family.id,
            "family_pool": family.pool,
            "split_family": "in_family" if partition == "train" else "heldout_family",
            "family_partition": partition,
            "tactics": list(d.tactics),
            "push_turns": list(d.push_turns),
            "reask_turns": list(d.reask_turns),
            "refusal_turns": list(d.refusal_turns),
            "assistant_style": ctx.style,
            "variant": d.variant,
            "noise": ctx.noise.name,
            "generator": GENERATOR_VERSION,
            "seed": seed,
        }
        if d.harm_from is not None and labels["harm_category"] != "none":
            meta["harm_from_turn"] = d.harm_from
        if family.cluster is not None and family.cluster.pair_key:
            meta["pair_key"] = family.cluster.pair_key
        if d.intent:
            meta["intent"] = d.intent
        rec = {"id": f"cg-s{seed}-{i:06d}", "messages": d.messages, "labels": labels, "meta": meta}
        out.append(validate_record(rec, STRICT))
    return out


# ------------------------------------------------------------------------------------------
# splits
# ------------------------------------------------------------------------------------------

def split_conversations(convs: Iterable[Conversation], seed: int = 0, *,
                        family_fractions: tuple[float, float, float] = (0.7, 0.15, 0.15),
                        in_family_fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
                        ) -> dict[str, list[Conversation]]:
    """Split by family: ``{"train": [...], "validation": [...], "test": [...]}``.

    A conversation's family is ``meta.family`` (else its subtype, else ``"unknown"``).  Families
    whose ``meta.family_partition`` is set (generated data) keep it; the others are partitioned
    here, stratified by ``meta.family_pool`` (else the group), ~70% in-family / ~15% held out in
    validation / ~15% held out in test.  In-family conversations are split ~80/10/10 per family;
    held-out families go wholly to their split.  ``meta.split_family`` is set on every
    conversation (``in_family`` / ``heldout_family``).  Within a split, input order is kept.
    """
    convs = list(convs)

    def fam(c: Conversation) -> str:
        return str(c.meta.get("family") or c.labels.subtype or "unknown")

    given: dict[str, str] = {}
    todo_ids: list[str] = []
    todo_pools: list[str] = []
    for c in convs:
        f = fam(c)
        p = c.meta.get("family_partition")
        if p in ("train", "validation", "test"):
            if given.setdefault(f, p) != p:
                raise ValueError(f"family {f!r} has conversations in two partitions ({given[f]}, {p})")
        elif f not in given and f not in todo_ids:
            todo_ids.append(f)
            todo_pools.append(str(c.meta.get("family_pool") or c.labels.group))
    parts = dict(given)
    parts.update(partition_families(todo_ids, todo_pools, seed, family_fractions))

    members: dict[str, list[int]] = {}
    for i, c in enumerate(convs):
        members.setdefault(fam(c), []).append(i)
    where: dict[int, str] = {}
    for f in sorted(members):
        idx = members[f]
        part = parts[f]
        if part != "train":
            for i in idx:
                where[i] = part
            continue
        ids = sorted(idx, key=lambda i: convs[i].id)
        random.Random(f"convguard-split:{seed}:{f}").shuffle(ids)
        k = len(ids)
        n_val = round(k * in_family_fractions[1])
        n_test = round(k * in_family_fractions[2])
        n_train = k - n_val - n_test
        for j, i in enumerate(ids):
            where[i] = "train" if j < n_train else ("validation" if j < n_train + n_val else "test")
    out: dict[str, list[Conversation]] = {s: [] for s in SPLITS}
    for i, c in enumerate(convs):
        c.meta["split_family"] = "in_family" if parts[fam(c)] == "train" else "heldout_family"
        out[where[i]].append(c)
    return out


# ------------------------------------------------------------------------------------------
# counting intents
# ------------------------------------------------------------------------------------------

def intent_counts() -> dict[str, dict[str, int]]:
    """Distinct intents the banks can produce, per harm category and per benign/crisis area.

    ``intents`` counts actions x targets; ``with_contexts`` also multiplies the optional
    context phrases.  Mixed-crisis families count their setup x reveal pairs."""
    out: dict[str, dict[str, int]] = {}

    def add(key: str, clusters) -> None:
        row = out.setdefault(key, {"clusters": 0, "intents": 0, "with_contexts": 0})
        for c in clusters:
            row["clusters"] += 1
            row["intents"] += c.n_intents
            row["with_contexts"] += c.n_variants

    for cat, clusters in banks_harm.HARM_CLUSTERS.items():
        add(cat, clusters)
    add("abuse", banks_abuse.ABUSE)
    add("suicide_self_harm (crisis)", banks_crisis.EXPLICIT + banks_crisis.INDIRECT + banks_crisis.HOPELESS
        + banks_crisis.METHOD)
    add("violent_crimes (crisis: danger to others)", banks_crisis.DANGER)
    mixed = out.setdefault("crisis mixed into edgy chats", {"clusters": 0, "intents": 0, "with_contexts": 0})
    for spec in banks_crisis.MIXED.values():
        mixed["clusters"] += 1
        mixed["intents"] += len(spec["setup"]) * len(spec["reveal"])
        mixed["with_contexts"] += len(spec["setup"]) * len(spec["reveal"])
    for name in ("HOMONYM", "FICTION", "SECURITY", "MEDICAL", "DEBATE", "PUBLIC_FIGURE", "PROFANITY", "ORDINARY"):
        add(f"benign: {name.lower()}", getattr(banks_benign, name))
    return out


# ------------------------------------------------------------------------------------------
# writing
# ------------------------------------------------------------------------------------------

def _count(convs: list[Conversation]) -> dict[str, Any]:
    def sort(c: Counter) -> dict[str, int]:
        return {k: c[k] for k in sorted(c)}

    return {
        "conversations": len(convs),
        "group": sort(Counter(c.labels.group for c in convs)),
        "subtype": sort(Counter(c.labels.subtype or "" for c in convs)),
        "harm_category": sort(Counter(c.labels.harm_category or "" for c in convs)),
        "split_family": sort(Counter(str(c.meta.get("split_family")) for c in convs)),
        "terminate": sort(Counter(str(c.labels.terminate) for c in convs)),
        "crisis": sort(Counter(str(c.labels.crisis) for c in convs)),
        "families": len({str(c.meta.get("family")): None for c in convs}),
    }


def generate(out_dir: str | Path, n: int = DEFAULT_N, seed: int = 0, variations: Variations | None = None
             ) -> dict[str, Any]:
    """Write ``train.jsonl``, ``validation.jsonl``, ``test.jsonl`` and ``manifest.json`` into
    ``out_dir``; return the manifest (also the summary; ``variations`` records the rewordings
    the corpus was drawn with)."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    variations = variations or Variations()
    convs = generate_conversations(n, seed, variations)
    splits = split_conversations(convs, seed)
    files: dict[str, Any] = {}
    for s in SPLITS:
        path = out / f"{s}.jsonl"
        count = write_jsonl(splits[s], path)
        files[s] = {"path": path.name, "conversations": count, "sha256": sha256_file(path)}
    heldout: dict[str, list[str]] = {"validation": [], "test": []}
    for s in ("validation", "test"):
        heldout[s] = sorted({c.meta["family"]: None for c in splits[s]
                             if c.meta.get("split_family") == "heldout_family"})
    manifest: dict[str, Any] = {
        "generator_version": GENERATOR_VERSION,
        "seed": seed,
        "n": n,
        "variations": variations.to_dict(),
        "files": files,
        "splits": {s: {"conversations": len(splits[s]),
                       "in_family": sum(1 for c in splits[s] if c.meta["split_family"] == "in_family"),
                       "heldout_family": sum(1 for c in splits[s] if c.meta["split_family"] == "heldout_family")}
                   for s in SPLITS},
        "counts": {"all": _count(convs), **{s: _count(splits[s]) for s in SPLITS}},
        "heldout_families": heldout,
        "intent_counts": intent_counts(),
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                                       encoding="utf-8")
    return manifest
