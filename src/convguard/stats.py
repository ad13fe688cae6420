"""Dataset statistics: label counts, family splits, conversation lengths and token lengths.

``compute_stats(convs, tokenizer=None)`` returns a plain dict (JSON-serialisable);
``format_stats(stats)`` renders it as Markdown tables.  Token lengths are counted in the
encoder's layout (see :mod:`convguard.text`): ``[CLS] role content [SEP] role content [SEP] ...``,
before any truncation, so "share over 512" is the share of conversations the encoder has to cut.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from typing import Any, Iterable, Sequence

from .schema import Conversation
from .taxonomy import GROUPS, HARM_CATEGORIES, PERSISTENCE_BUCKETS, SUBTYPES, persistence_bucket

MISSING = "(unlabelled)"


def _summary(values: Sequence[float]) -> dict[str, float]:
    if not values:
        return {"min": 0, "median": 0, "mean": 0.0, "p95": 0, "max": 0}
    v = sorted(values)
    n = len(v)
    median = v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2
    p95 = v[min(n - 1, max(0, math.ceil(0.95 * n) - 1))]
    return {"min": v[0], "median": median, "mean": round(sum(v) / n, 2), "p95": p95, "max": v[-1]}


def _ordered(counter: Counter, order: Sequence[str] = ()) -> dict[str, int]:
    """Known keys in taxonomy order first, then the rest sorted (missing labels last)."""
    out = {k: counter[k] for k in order if counter.get(k)}
    rest = sorted(k for k in counter if k not in out and k != MISSING)
    out.update({k: counter[k] for k in rest})
    if counter.get(MISSING):
        out[MISSING] = counter[MISSING]
    return out


def token_lengths(convs: Sequence[Conversation], tokenizer) -> list[int]:
    """Tokens per conversation in the encoder's layout, without truncation."""
    texts: list[str] = []
    for c in convs:
        for m in c.messages:
            texts.append(m.role)
            texts.append(m.content)
    uniq = list(dict.fromkeys(texts))
    tlog = logging.getLogger("transformers.tokenization_utils_base")
    level = tlog.level
    tlog.setLevel(logging.ERROR)  # silence "sequence longer than the model maximum"
    try:
        lens: dict[str, int] = {}
        for i in range(0, len(uniq), 1024):
            chunk = uniq[i:i + 1024]
            ids = tokenizer(chunk, add_special_tokens=False, truncation=False)["input_ids"]
            lens.update({t: len(x) for t, x in zip(chunk, ids)})
    finally:
        tlog.setLevel(level)
    # [CLS] + per message: role + content + [SEP]
    return [1 + sum(lens[m.role] + lens[m.content] + 1 for m in c.messages) for c in convs]


def _tokenizer_name(tokenizer) -> str:
    name = str(getattr(tokenizer, "name_or_path", "") or type(tokenizer).__name__)
    parts = [p for p in name.replace("\\", "/").split("/") if p]
    return "/".join(parts[-2:]) if len(parts) > 2 else name


def compute_stats(convs: Iterable[Conversation], tokenizer=None) -> dict[str, Any]:
    """Counts per group/subtype/harm_category/terminate/crisis/persistence, family splits (when
    ``meta`` has them), distributions of messages and characters per conversation, and token
    lengths when a Hugging Face tokenizer is passed."""
    convs = list(convs)

    def lab(v: Any) -> str:
        return MISSING if v is None else str(v)

    stats: dict[str, Any] = {"conversations": len(convs)}
    stats["group"] = _ordered(Counter(c.labels.group for c in convs), GROUPS + ("unknown",))
    stats["subtype"] = _ordered(Counter(lab(c.labels.subtype) for c in convs), SUBTYPES)
    stats["harm_category"] = _ordered(Counter(lab(c.labels.harm_category) for c in convs), HARM_CATEGORIES)
    stats["terminate"] = _ordered(Counter(lab(c.labels.terminate) for c in convs), ("0", "1"))
    stats["crisis"] = _ordered(Counter(lab(c.labels.crisis) for c in convs), ("0", "1"))
    stats["persistence"] = _ordered(Counter(
        MISSING if c.labels.persistence is None else PERSISTENCE_BUCKETS[persistence_bucket(c.labels.persistence)]
        for c in convs), PERSISTENCE_BUCKETS)
    if any("split_family" in c.meta for c in convs):
        stats["split_family"] = _ordered(Counter(lab(c.meta.get("split_family")) for c in convs),
                                         ("in_family", "heldout_family"))
    fams = [c.meta.get("family") for c in convs if c.meta.get("family") is not None]
    if fams:
        stats["families"] = len(dict.fromkeys(map(str, fams)))
        held = [str(c.meta["family"]) for c in convs
                if c.meta.get("family") is not None and c.meta.get("split_family") == "heldout_family"]
        if held:
            stats["heldout_families"] = len(dict.fromkeys(held))
    # persistent-harmful conversations per harm category (the categories termination covers)
    term_cats = Counter(lab(c.labels.harm_category) for c in convs if c.labels.terminate == 1)
    if term_cats:
        stats["terminate_by_harm_category"] = _ordered(term_cats, HARM_CATEGORIES)

    turns = [len(c.messages) for c in convs]
    chars = [sum(len(m.content) for m in c.messages) for c in convs]
    stats["messages_per_conversation"] = _summary(turns)
    stats["messages_per_conversation"]["single_message"] = sum(1 for t in turns if t == 1)
    stats["messages_per_conversation"]["over_30"] = sum(1 for t in turns if t > 30)
    stats["chars_per_conversation"] = _summary(chars)
    if tokenizer is not None and convs:
        toks = token_lengths(convs, tokenizer)
        s = _summary(toks)
        s["share_over_256"] = round(sum(1 for t in toks if t > 256) / len(toks), 4)
        s["share_over_512"] = round(sum(1 for t in toks if t > 512) / len(toks), 4)
        s["tokenizer"] = _tokenizer_name(tokenizer)
        stats["tokens_per_conversation"] = s
    return stats


def _table(title: str, counts: dict[str, int], total: int) -> list[str]:
    lines = [f"### {title}", "", "| value | count | share |", "|---|---:|---:|"]
    for k, v in counts.items():
        share = f"{100 * v / total:.1f}%" if total else "-"
        lines.append(f"| {k} | {v} | {share} |")
    return lines + [""]


def _dist_table(title: str, rows: dict[str, dict[str, Any]]) -> list[str]:
    keys = ("min", "median", "mean", "p95", "max")
    lines = [f"### {title}", "", "| | " + " | ".join(keys) + " |", "|---|" + "---:|" * len(keys)]
    for name, d in rows.items():
        lines.append(f"| {name} | " + " | ".join(f"{d[k]:g}" if isinstance(d[k], float) else str(d[k])
                                               for k in keys) + " |")
    return lines + [""]


def format_stats(stats: dict[str, Any]) -> str:
    """A readable Markdown rendering of :func:`compute_stats` output."""
    n = stats.get("conversations", 0)
    out = [f"## Dataset statistics ({n} conversations)", ""]
    extra = []
    if "families" in stats:
        extra.append(f"families: {stats['families']}")
    if "heldout_families" in stats:
        extra.append(f"held-out families: {stats['heldout_families']}")
    if extra:
        out += [", ".join(extra), ""]
    for key, title in (("group", "Groups"), ("subtype", "Subtypes"), ("harm_category", "Harm categories"),
                       ("terminate_by_harm_category", "Harm categories of terminate=1 conversations"),
                       ("terminate", "terminate"), ("crisis", "crisis"), ("persistence", "Persistence (pushes)"),
                       ("split_family", "Family split")):
        if key in stats:
            total = sum(stats[key].values())
            out += _table(title, stats[key], total)
    rows = {"messages": stats["messages_per_conversation"], "characters": stats["chars_per_conversation"]}
    if "tokens_per_conversation" in stats:
        rows["tokens"] = stats["tokens_per_conversation"]
    out += _dist_table("Length per conversation", rows)
    m = stats["messages_per_conversation"]
    notes = [f"- single-message conversations: {m['single_message']}",
             f"- conversations over 30 messages: {m['over_30']}"]
    if "tokens_per_conversation" in stats:
        t = stats["tokens_per_conversation"]
        notes += [f"- share over 256 tokens: {100 * t['share_over_256']:.1f}%",
                  f"- share over 512 tokens: {100 * t['share_over_512']:.1f}%",
                  f"- tokenizer: `{t['tokenizer']}` (encoder layout `[CLS] role content [SEP] ...`, untruncated)"]
    out += notes
    return "\n".join(out) + "\n"
