"""From config to labelled training examples: loading the splits, the data fingerprint, and the
expansion of conversations into prefixes ending at user turns (so models learn *when*)."""

from __future__ import annotations

import hashlib
import json
import logging
import random
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .config import DataConfig
from .io import read_conversations
from .schema import Conversation, ValidationOptions
from .taxonomy import Taxonomy, persistence_bucket, taxonomy_or_default

log = logging.getLogger(__name__)

SPLITS = ("train", "validation", "test")
IGNORE = -100


@dataclass
class Splits:
    train: list[Conversation]
    validation: list[Conversation]
    test: list[Conversation]
    paths: dict[str, str]

    def __getitem__(self, name: str) -> list[Conversation]:
        return getattr(self, name)


def ensure_generated(data_cfg: DataConfig) -> dict[str, str]:
    """Generate the embedded corpus into ``generated_dir`` unless it is already there with the
    same size, seed, generator version and variations (the generator is deterministic, so reuse
    is exact)."""
    from . import datagen

    out = Path(data_cfg.generated_dir)
    manifest = out / "manifest.json"
    g = data_cfg.generate
    variations = datagen.Variations(specific_refusals=g.specific_refusals, give_ups=g.give_ups)
    want = {"n": g.n, "seed": g.seed}
    fresh = True
    if manifest.exists():
        try:
            m = json.loads(manifest.read_text())
            fresh = not (m.get("n") == want["n"] and m.get("seed") == want["seed"]
                         and m.get("generator_version") == getattr(datagen, "GENERATOR_VERSION", None)
                         and m.get("variations", datagen.Variations().to_dict()) == variations.to_dict()
                         and all((out / f"{s}.jsonl").exists() for s in SPLITS))
        except (ValueError, OSError):
            fresh = True
    if fresh:
        log.info("generating the embedded corpus (n=%d, seed=%d%s) into %s", want["n"], want["seed"],
                 "".join(f", {k}={v:g}" for k, v in variations.to_dict().items() if v), out)
        datagen.generate(out, n=want["n"], seed=want["seed"], variations=variations)
    return {s: str(out / f"{s}.jsonl") for s in SPLITS}


def load_splits(data_cfg: DataConfig, *, need: tuple[str, ...] = SPLITS) -> Splits:
    given = {s: getattr(data_cfg, s) for s in SPLITS}
    if not all(given[s] for s in need):
        generated = ensure_generated(data_cfg)
        paths = {s: given[s] or generated[s] for s in SPLITS}
    else:
        paths = {s: given[s] for s in SPLITS if given[s]}
    opts = ValidationOptions(require_labels=True, taxonomy=data_cfg.taxonomy)
    loaded: dict[str, list[Conversation]] = {}
    for s in SPLITS:
        if s not in paths:
            loaded[s] = []
            continue
        convs, report = read_conversations(paths[s], options=opts, skip_invalid=data_cfg.skip_invalid,
                                           column_map=data_cfg.column_map)
        if report.n_skipped:
            log.warning(report.summary())
        loaded[s] = convs
    return Splits(paths=paths, **loaded)


def fingerprint(convs: list[Conversation]) -> dict[str, Any]:
    """A stable hash of the data plus label counts: logged with every run and in the bundle."""
    h = hashlib.sha256()
    for c in sorted(convs, key=lambda c: c.id):
        h.update(json.dumps(c.to_dict(), sort_keys=True, ensure_ascii=False).encode("utf-8"))
        h.update(b"\n")
    lab = [c.labels for c in convs]
    return {
        "sha256": h.hexdigest(),
        "n": len(convs),
        "terminate": dict(Counter(str(x.terminate) for x in lab)),
        "crisis": dict(Counter(str(x.crisis) for x in lab)),
        "group": dict(sorted(Counter(x.group for x in lab).items())),
    }


# ------------------------------------------------------------------------------------------
# prefixes
# ------------------------------------------------------------------------------------------

def prefix_ends(conv: Conversation, max_extra: int, rng: random.Random) -> list[int]:
    """Message indices at which to cut ``conv`` (always including its last message).

    The boundary turns come first -- the user turn just before ``terminate_from_turn`` (not yet
    termination-worthy) and the turn itself, likewise for ``crisis_from_turn`` -- then random
    earlier user turns."""
    users = conv.user_turn_indices
    last = len(conv.messages) - 1
    ends = [last]
    candidates: list[int] = []
    for t in (conv.labels.terminate_from_turn, conv.labels.crisis_from_turn):
        if t is None:
            continue
        before = [u for u in users if u < t]
        if before:
            candidates.append(before[-1])
        candidates.append(t)
    others = [u for u in users if u not in candidates and u != last]
    rng.shuffle(others)
    for e in candidates + others:
        if len(ends) > max_extra:
            break
        if e not in ends and conv.messages[e].role == "user":
            ends.append(e)
    return sorted(ends)


def expand_prefixes(convs: list[Conversation], max_extra: int, seed: int) -> list[Conversation]:
    rng = random.Random(seed)
    out = []
    for c in convs:
        for e in prefix_ends(c, max_extra, rng):
            out.append(c if e == len(c.messages) - 1 else c.prefix(e))
    return out


def targets(conv: Conversation, recipe: str, taxonomy: Taxonomy | None = None) -> dict[str, float | int]:
    """A conversation's training targets; ``harm_category`` as an index into ``taxonomy`` (None:
    the default one)."""
    lab = conv.labels
    if recipe == "crisis":
        return {"crisis": float(lab.crisis or 0)}
    names = taxonomy_or_default(taxonomy).names
    if lab.harm_category and lab.harm_category not in names:
        raise ValueError(f"conversation {conv.id}: labels.harm_category {lab.harm_category!r} is not in the taxonomy "
                         f"(data.taxonomy: {', '.join(names)})")
    return {
        "terminate": float(lab.terminate or 0),
        "harm_category": names.index(lab.harm_category) if lab.harm_category else IGNORE,
        "persistence": persistence_bucket(lab.persistence) if lab.persistence is not None else IGNORE,
    }


def subsample(items: list, k: int | None, seed: int) -> list:
    if k is None or len(items) <= k:
        return items
    rng = random.Random(seed)
    idx = sorted(rng.sample(range(len(items)), k))
    return [items[i] for i in idx]


def read_folder(path: str | Path, *, options: ValidationOptions | None = None, skip_invalid: bool = False):
    """Every ``*.jsonl`` file in a folder (sorted), as one list; ids must be unique across the
    files.  Returns ``(conversations, report)`` like :func:`convguard.io.read_conversations`
    (the report of the last file with the skipped records of all of them)."""
    from .io import ReadReport

    folder = Path(path)
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(f"{folder}: no *.jsonl files")
    convs: list[Conversation] = []
    report = ReadReport(source=str(folder))
    seen: dict[str, str] = {}
    for f in files:
        got, rep = read_conversations(str(f), options=options, skip_invalid=skip_invalid)
        for c in got:
            if c.id in seen:
                raise ValueError(f"{f}: id {c.id!r} is also in {seen[c.id]} (ids must be unique across the folder)")
            seen[c.id] = f.name
        convs += got
        report.read += rep.read
        report.skipped += rep.skipped
    return convs, report


def load_challenge(path: str | None, taxonomy: Taxonomy | None = None) -> list[Conversation]:
    """The hand-written challenge set for the quickstart: every ``*.jsonl`` in ``path`` (or the
    file itself), validated strictly (harm categories against ``taxonomy``; None: the default) --
    a bad record is an error naming file, line and field.  ``[]`` (with a warning) when ``path``
    is empty or does not exist."""
    if not path:
        return []
    p = Path(path)
    if not p.exists():
        log.warning("challenge set: nothing at %s; skipped", path)
        return []
    opts = ValidationOptions(require_user_last=True, require_labels=True, taxonomy=taxonomy)
    if p.is_dir():
        return read_folder(p, options=opts)[0]
    return read_conversations(str(p), options=opts)[0]
