"""The training loop on a tiny random-weight encoder: it learns, it resumes, it is reproducible."""

from __future__ import annotations

import json
import random

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from convguard.dataset import expand_prefixes, prefix_ends
from convguard.schema import Conversation, validate_record
from convguard.train import Interrupted, fit, length_grouped_batches

from conftest import cfg_for, load, make_conversation, make_records


def test_fit_learns_the_tiny_task(tiny_encoder, small_splits, tmp_path):
    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "run", "train.epochs=12", "train.eval_every=10")
    res = fit(cfg, load(small_splits["train"]), load(small_splits["validation"]))
    losses = [h["train/loss_ema"] for h in res.history]
    assert losses[-1] < losses[0]
    assert res.best_metric > 0.8  # validation PR-AUC of terminate
    # the saved folder is a plain HF sequence classifier with labels and encoding rules
    cfg_json = json.loads((res.model_dir / "config.json").read_text())
    assert cfg_json["id2label"]["0"] == "terminate"
    assert cfg_json["convguard"]["encoding"]["max_length"] == 64
    assert (res.model_dir / "model.safetensors").exists()
    assert not list(res.model_dir.glob("*.bin"))


def test_interrupt_and_resume_ends_with_the_same_weights(tiny_encoder, small_splits, tmp_path):
    train, val = load(small_splits["train"]), load(small_splits["validation"])
    ref = fit(cfg_for(tiny_encoder, small_splits, tmp_path / "ref", "train.checkpoint_every=2"), train, val)
    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "resumed", "train.checkpoint_every=2")
    with pytest.raises(Interrupted):
        fit(cfg, train, val, interrupt_after=7)  # dies after step 7; last checkpoint at step 6
    state = json.loads((tmp_path / "resumed" / "checkpoint" / "state.json").read_text())
    assert state["step"] == 6 and not state["done"]
    res = fit(cfg, train, val)
    assert res.steps == ref.steps
    a = load_file(str(ref.model_dir / "model.safetensors"))
    b = load_file(str(res.model_dir / "model.safetensors"))
    assert a.keys() == b.keys()
    for k in a:
        torch.testing.assert_close(a[k], b[k], atol=1e-5, rtol=1e-4)
    assert res.best_step == ref.best_step


def test_same_seed_same_result_and_checkpoint_of_other_config_is_ignored(tiny_encoder, small_splits, tmp_path):
    train, val = load(small_splits["train"]), load(small_splits["validation"])
    r1 = fit(cfg_for(tiny_encoder, small_splits, tmp_path / "a", "train.epochs=1"), train, val)
    r2 = fit(cfg_for(tiny_encoder, small_splits, tmp_path / "b", "train.epochs=1"), train, val)
    np.testing.assert_allclose(r1.val_logits, r2.val_logits, atol=1e-5)
    # same output dir, different config: starts afresh instead of resuming a foreign checkpoint
    r3 = fit(cfg_for(tiny_encoder, small_splits, tmp_path / "a", "train.epochs=2"), train, val)
    assert r3.steps > r1.steps


def test_crisis_recipe_has_one_binary_head(tiny_encoder, small_splits, tmp_path):
    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "c", "recipe=crisis", "model.view=user_focus")
    res = fit(cfg, load(small_splits["train"]), load(small_splits["validation"]))
    assert set(res.val_scores) == {"crisis"}
    assert json.loads((res.model_dir / "config.json").read_text())["id2label"] == {"0": "crisis"}
    assert res.extra["pos_weight"]["crisis"] > 1.0  # balanced: the rare crisis class weighs more


def test_unweighted_heads_train_without_class_weighting_and_must_exist(tiny_encoder, small_splits, tmp_path):
    over = ("recipe=crisis", "model.view=user_focus", "train.epochs=1")
    res = fit(cfg_for(tiny_encoder, small_splits, tmp_path / "u", *over, "loss.unweighted_heads=[crisis]"),
              load(small_splits["train"]), load(small_splits["validation"]))
    assert "crisis" not in res.extra["pos_weight"]
    with pytest.raises(ValueError, match="loss.unweighted_heads: push is not a binary head of this detector"):
        fit(cfg_for(tiny_encoder, small_splits, tmp_path / "v", *over, "loss.unweighted_heads=[push]"),
            load(small_splits["train"]), load(small_splits["validation"]))


def test_per_turn_crisis_detector_trains_on_turns_and_scores_conversations_by_their_worst_turn(
        tiny_encoder, small_splits, tmp_path):
    from convguard.train import turn_examples, pool_rows
    from convguard.text import ConversationEncoder, EncodeSpec
    from transformers import AutoTokenizer

    train = load(small_splits["train"])
    enc = ConversationEncoder(AutoTokenizer.from_pretrained(tiny_encoder), EncodeSpec(max_length=64, view="user_turns"))
    ex = turn_examples(enc, train, progress=False, desc="")
    # positives: the turn at crisis_from_turn of each crisis conversation; nothing after it
    crisis = [c for c in train if c.labels.crisis]
    assert int(ex.y["crisis"].sum()) == len({tuple(enc.encode_turn(c.messages, c.labels.crisis_from_turn))
                                             for c in crisis})
    assert all(len(b) == 1 for b in ex.bags)
    negatives = {tuple(ex.units[b[0]]) for b, y in zip(ex.bags, ex.y["crisis"]) if y == 0}
    assert tuple(enc.encode_turn(crisis[0].messages, 0)) in negatives  # "hi, can you help me" before the onset
    assert len(negatives) == sum(1 for b, y in zip(ex.bags, ex.y["crisis"]) if y == 0)  # kept once each
    # a crisis conversation without an onset is one bag of all its user turns
    no_onset = Conversation.from_dict({**crisis[0].to_dict(), "labels": {**crisis[0].labels.to_dict(),
                                                                         "crisis_from_turn": None}})
    ex2 = turn_examples(enc, [no_onset], progress=False, desc="")
    assert ex2.bags == [[0, 1]] and ex2.y["crisis"].tolist() == [1.0]
    # pooling picks, per bag, the row with the highest main logit
    lg = torch.tensor([[0.0, 1.0], [2.0, -1.0], [-3.0, 5.0]])
    assert pool_rows(lg, [[0, 1], [2]]).tolist() == [[2.0, -1.0], [-3.0, 5.0]]

    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "turns", "recipe=crisis", "model.view=user_turns",
                  "train.epochs=8")
    res = fit(cfg, train, load(small_splits["validation"]))
    assert res.best_metric > 0.8  # validation PR-AUC of crisis, on whole conversations and prefixes
    assert json.loads((res.model_dir / "config.json").read_text())["convguard"]["encoding"]["view"] == "user_turns"
    # and with the frozen bottom cached
    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "turns_cached", "recipe=crisis", "model.view=user_turns",
                  "model.freeze_layers=1", "train.cache_frozen=true", "train.epochs=8")
    assert fit(cfg, train, load(small_splits["validation"])).best_metric > 0.8


def test_user_turns_view_is_for_the_crisis_recipe_only(tiny_encoder, small_splits, tmp_path):
    from convguard.config import ConfigError

    with pytest.raises(ConfigError, match="model.view.*crisis recipe"):
        cfg_for(tiny_encoder, small_splits, tmp_path / "x", "recipe=harm", "model.view=user_turns")


def test_early_stopping(tiny_encoder, small_splits, tmp_path):
    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "es", "train.epochs=30", "train.eval_every=1",
                  "train.early_stopping_patience=2", "train.lr=1e-9", "train.head_lr=1e-9")
    res = fit(cfg, load(small_splits["train"]), load(small_splits["validation"]))
    assert res.steps < 30 * 5  # stopped long before the 150 scheduled steps


def test_length_grouped_batches_cover_everything_once_and_are_deterministic():
    lengths = [random.Random(i).randint(5, 300) for i in range(1000)]
    b1 = length_grouped_batches(lengths, 16, seed=3, epoch=1)
    assert sorted(i for b in b1 for i in b) == list(range(1000))
    assert b1 == length_grouped_batches(lengths, 16, seed=3, epoch=1)
    assert b1 != length_grouped_batches(lengths, 16, seed=3, epoch=2)
    spread = sum(max(lengths[i] for i in b) - min(lengths[i] for i in b) for b in b1) / len(b1)
    assert spread < 30  # batches hold similar lengths


def test_prefixes_are_labelled_as_of_their_turn():
    rec = make_conversation("persistent", 0, random.Random(1))
    conv = validate_record(rec)
    t = conv.labels.terminate_from_turn
    ends = prefix_ends(conv, max_extra=10, rng=random.Random(0))
    assert ends[-1] == len(conv.messages) - 1
    assert t in ends and max(u for u in conv.user_turn_indices if u < t) in ends
    for c in expand_prefixes([conv], max_extra=10, seed=0):
        end = len(c.messages) - 1
        assert c.messages[-1].role == "user"
        assert c.labels.terminate == int(end >= t)
        assert c.labels.persistence == sum(1 for p in conv.meta["push_turns"] if p <= end)
    crisis = validate_record(make_conversation("crisis", 0, random.Random(1)))
    for c in expand_prefixes([crisis], 10, 0):
        assert c.labels.crisis == int(len(c.messages) - 1 >= crisis.labels.crisis_from_turn)
        assert c.labels.terminate == 0


def test_cached_frozen_layers_train_the_top_and_leave_the_bottom_untouched(tiny_encoder, small_splits, tmp_path):
    from convguard.modeling import forward_from_layer, hidden_states_at, load_detector, pad_hidden

    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "cached", "model.freeze_layers=1", "train.cache_frozen=true",
                  "train.epochs=6")
    res = fit(cfg, load(small_splits["train"]), load(small_splits["validation"]))
    assert res.best_metric > 0.5
    model, tok = load_detector(res.model_dir)
    base = load_file(str(tiny_encoder / "model.safetensors"))
    trained = model.state_dict()
    # embeddings and layer 0 frozen, layer 1 trained
    torch.testing.assert_close(trained["bert.encoder.layer.0.output.dense.weight"],
                               base["encoder.layer.0.output.dense.weight"])
    assert not torch.allclose(trained["bert.encoder.layer.1.output.dense.weight"],
                              base["encoder.layer.1.output.dense.weight"])
    # the split forward used in training equals the plain model
    seqs = [[2, 10, 11, 12, 3], [2, 20, 3]]
    from convguard.modeling import pad_batch

    ids, mask = pad_batch(seqs, 0)
    with torch.no_grad():
        x, m = pad_hidden(hidden_states_at(model, seqs, 1, 0, dtype=torch.float32), "cpu")
        torch.testing.assert_close(forward_from_layer(model, x, m, 1), model(input_ids=ids, attention_mask=mask).logits,
                                   atol=1e-5, rtol=1e-4)


def test_cache_frozen_needs_frozen_layers(tiny_encoder, small_splits, tmp_path):
    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "x", "train.cache_frozen=true")
    with pytest.raises(ValueError, match="needs model.freeze_layers > 0"):
        fit(cfg, load(small_splits["train"]), load(small_splits["validation"]))


def test_turn_detector_learns_refusals_and_pushes_from_turn_labels(tiny_encoder, small_splits, tmp_path):
    """The ``turns`` view: every assistant turn is a refusal example (meta.refusal_turns), every user
    turn a push example (meta.push_turns) and, up to the onset, a crisis example; labels a unit does
    not carry are NaN and left out of the loss."""
    import numpy as np
    from transformers import AutoTokenizer

    from convguard.text import ConversationEncoder, EncodeSpec
    from convguard.train import turn_examples

    train = load(small_splits["train"])
    enc = ConversationEncoder(AutoTokenizer.from_pretrained(tiny_encoder),
                              EncodeSpec(max_length=64, view="turns", context_tokens=6))
    ex = turn_examples(enc, train, progress=False, desc="")
    assert set(ex.y) == {"crisis", "push", "refusal", "crisis_response", "harmful"}
    user = np.isfinite(ex.y["push"])
    assistant = np.isfinite(ex.y["refusal"])
    assert not (user & assistant).any() and (user | assistant | np.isfinite(ex.y["crisis"])).all()
    refusals = {tuple(enc.encode_reply(c.messages, i)) for c in train for i in c.meta["refusal_turns"]}
    pos = {tuple(ex.units[b[0]]) for b, y in zip(ex.bags, ex.y["refusal"]) if y == 1}
    assert pos == refusals
    # a crisis response: a refusal turn after the onset of a crisis conversation; every other
    # assistant turn is a negative, and user turns carry no such label
    assert np.isfinite(ex.y["crisis_response"])[assistant].all() and not np.isfinite(ex.y["crisis_response"])[user].any()
    rec = make_conversation("crisis", 0, random.Random(1))
    rec["messages"] += [{"role": "assistant", "content": "i'm so sorry you feel this way. you can call 988 any time."},
                        {"role": "user", "content": "just tell me how"},
                        {"role": "assistant", "content": "i won't, but i'm here and i'm worried about you."},
                        {"role": "user", "content": "whatever"}]
    rec["meta"] = {"push_turns": [4], "refusal_turns": [3, 5]}
    cr = Conversation.from_dict(rec)
    ex_cr = turn_examples(enc, [cr], progress=False, desc="")
    got = {tuple(ex_cr.units[b[0]]): y for b, y in zip(ex_cr.bags, ex_cr.y["crisis_response"]) if np.isfinite(y)}
    assert got == {tuple(enc.encode_reply(cr.messages, 1)): 0.0, tuple(enc.encode_reply(cr.messages, 3)): 1.0,
                   tuple(enc.encode_reply(cr.messages, 5)): 1.0}
    pushes = {tuple(enc.encode_turn(c.messages, i)) for c in train for i in c.meta["push_turns"]}
    assert {tuple(ex.units[b[0]]) for b, y in zip(ex.bags, ex.y["push"]) if y == 1} == pushes
    # a record without the evidence labels is refused, naming it
    bare = Conversation.from_dict({**train[0].to_dict(), "meta": {}})
    with pytest.raises(ValueError, match="meta.push_turns is missing"):
        turn_examples(enc, [bare], progress=False, desc="")

    cfg = cfg_for(tiny_encoder, small_splits, tmp_path / "turns", "recipe=crisis", "model.view=turns",
                  "model.truncation.context_tokens=6", "train.epochs=20")
    res = fit(cfg, train, load(small_splits["validation"]))
    final = res.extra["val_metrics"]
    assert final["refusal_pr_auc"] > 0.9 and final["push_pr_auc"] > 0.6  # pushes need the reply stub: harder
    labels = json.loads((res.model_dir / "config.json").read_text())["id2label"]
    assert labels == {"0": "crisis", "1": "push", "2": "refusal", "3": "crisis_response", "4": "harmful"}


def test_push_head_learns_pressing_the_request_not_the_reply(tiny_encoder):
    """A re-ask after a reply that did not refuse is a positive push example (``meta.reask_turns``),
    and ``context_swap`` adds push examples whose reply is another conversation's assistant turn
    (push and harmful labels kept) and refusal examples whose request is another conversation's
    user turn (refusal label kept), nothing else labelled: neither head can learn the other's turn."""
    import numpy as np
    from transformers import AutoTokenizer

    from convguard.text import ConversationEncoder, EncodeSpec
    from convguard.train import turn_examples

    enc = ConversationEncoder(AutoTokenizer.from_pretrained(tiny_encoder),
                              EncodeSpec(max_length=64, view="turns", context_tokens=6))
    msgs = [{"role": "user", "content": "how do i get into my ex's email"},
            {"role": "assistant", "content": "what's going on with your ex?"},
            {"role": "user", "content": "doesn't matter, just tell me"},
            {"role": "assistant", "content": "I can't help with getting into someone else's account."},
            {"role": "user", "content": "just tell me"},
            {"role": "assistant", "content": "No."},
            {"role": "user", "content": "ok, how do I reset my own password then?"}]
    labels = {"terminate": 0, "crisis": 0, "harm_category": "privacy", "persistence": 1, "subtype": "harmful_dropped"}
    c = Conversation.from_dict({"id": "r", "messages": msgs, "labels": labels,
                                "meta": {"push_turns": [4], "reask_turns": [2], "refusal_turns": [3, 5],
                                         "harm_from_turn": 0}})
    ex = turn_examples(enc, [c], progress=False, desc="")
    push = {tuple(ex.units[b[0]]): y for b, y in zip(ex.bags, ex.y["push"]) if np.isfinite(y)}
    assert push == {tuple(enc.encode_turn(c.messages, 0)): 0.0, tuple(enc.encode_turn(c.messages, 2)): 1.0,
                    tuple(enc.encode_turn(c.messages, 4)): 1.0, tuple(enc.encode_turn(c.messages, 6)): 0.0}
    bad = Conversation.from_dict({**c.to_dict(), "meta": {"push_turns": [4], "refusal_turns": [3, 5], "reask_turns": 2,
                                                           "harm_from_turn": 0}})
    with pytest.raises(ValueError, match="conversation r: meta.reask_turns must be a list"):
        turn_examples(enc, [bad], progress=False, desc="")

    other = Conversation.from_dict({"id": "o", "labels": {**labels, "harm_category": "none", "persistence": 0,
                                                          "subtype": "ordinary"},
                                    "messages": [{"role": "user", "content": "a haiku about rain"},
                                                 {"role": "assistant", "content": "Soft rain on the roof."}],
                                    "meta": {"push_turns": [], "refusal_turns": []}})
    sw = turn_examples(enc, [c, other], progress=False, desc="", context_swap=1.0, seed=3)
    assert len(sw) > len(turn_examples(enc, [c, other], progress=False, desc=""))
    replies = [m for cv in (c, other) for m in cv.messages if m.role == "assistant"]
    requests = [m for cv in (c, other) for m in cv.messages if m.role == "user"]
    swapped, both, single = {}, set(), set()
    for i in (2, 4, 6):
        for r in replies:
            m = list(c.messages)
            m[i - 1] = r
            swapped[tuple(enc.encode_turn(m, i))] = float(i in (2, 4))
            single.add(tuple(enc.encode_turn(m, i)))
            for q in requests:  # the user turn before the reply swapped too
                m2 = list(m)
                m2[i - 2] = q
                key = tuple(enc.encode_turn(m2, i))
                swapped.setdefault(key, float(i in (2, 4)))
                both.add(key)
    extra = [(tuple(sw.units[b[0]]), j) for j, b in enumerate(sw.bags)
             if np.isfinite(sw.y["push"][j]) and not np.isfinite(sw.y["crisis"][j])]
    assert extra and all(u in swapped and sw.y["push"][j] == swapped[u] for u, j in extra)
    assert any(u in both - single for u, _ in extra)
    # the turn after a refusal that presses nothing (6) is re-read after the refused requests
    # (2 -> 3, 4 -> 5), push 0: "whatever was refused, its words are no push"
    rereads = {tuple(enc.encode_turn([c.messages[q], c.messages[q + 1], c.messages[6]], 2)) for q in (2, 4)}
    got = {tuple(sw.units[b[0]]): sw.y["push"][j] for j, b in enumerate(sw.bags) if tuple(sw.units[b[0]]) in rereads}
    assert got and set(got.values()) == {0.0}
    other_context = tuple(enc.encode_turn([c.messages[2], c.messages[3], c.messages[6]], 2))
    assert other_context in got and other_context not in {tuple(ex.units[b[0]]) for b in ex.bags}  # only with swap
    reread = {}
    for cv, refused in ((c, (3, 5)), (other, ())):
        for i in range(1, len(cv.messages), 2):
            for q in requests:
                m = list(cv.messages)
                m[i - 1] = q
                reread[tuple(enc.encode_reply(m, i))] = float(i in refused)
    extra = [(tuple(sw.units[b[0]]), j) for j, b in enumerate(sw.bags)
             if np.isfinite(sw.y["refusal"][j]) and not np.isfinite(sw.y["crisis_response"][j])]
    assert extra and all(u in reread and sw.y["refusal"][j] == reread[u] for u, j in extra)
    assert all(not np.isfinite(sw.y[h][j]) for _, j in extra for h in ("push", "harmful", "crisis"))
    # deterministic in the seed
    again = turn_examples(enc, [c, other], progress=False, desc="", context_swap=1.0, seed=3)
    assert again.units == sw.units and again.bags == sw.bags


def test_context_swap_rereads_a_crisis_onset_after_a_refused_request(tiny_encoder):
    """A crisis statement that follows harmful talk is still crisis: with ``context_swap`` the onset
    turn is also read after another conversation's (request, refusal) exchange, crisis label 1 and
    push label kept; no other turn of the crisis chat gains a crisis positive."""
    import numpy as np
    from transformers import AutoTokenizer

    from convguard.text import ConversationEncoder, EncodeSpec
    from convguard.train import turn_examples

    enc = ConversationEncoder(AutoTokenizer.from_pretrained(tiny_encoder),
                              EncodeSpec(max_length=64, view="turns", context_tokens=6))
    rng = random.Random(0)
    crisis = Conversation.from_dict(make_conversation("crisis", 0, rng))
    harm = Conversation.from_dict(make_conversation("persistent", 1, rng))
    onset = crisis.labels.crisis_from_turn
    assert onset is not None
    plain = turn_examples(enc, [crisis, harm], progress=False, desc="")
    sw = turn_examples(enc, [crisis, harm], progress=False, desc="", context_swap=1.0, seed=0)
    pos = lambda ex: {tuple(ex.units[b[0]]) for b, y in zip(ex.bags, ex.y["crisis"]) if y == 1.0}
    exchanges = [(cv.messages[i - 1], cv.messages[i]) for cv in (crisis, harm) for i in cv.meta["refusal_turns"]]
    reread = {tuple(enc.encode_turn([q, a, crisis.messages[onset]], 2)) for q, a in exchanges}
    extra = pos(sw) - pos(plain)
    assert extra and extra <= reread
    for b, y, p in zip(sw.bags, sw.y["crisis"], sw.y["push"]):
        if tuple(sw.units[b[0]]) in extra:
            assert y == 1.0 and p == 0.0
    # without swapping nothing changes
    assert pos(turn_examples(enc, [crisis, harm], progress=False, desc="", context_swap=0.0)) == pos(plain)


def test_harmful_head_judges_the_request_not_the_refusal(tiny_encoder):
    """harmful (user turns): the first harmful ask and the pushes after it are positive; an
    over-refused benign request pressed twice is negative; crisis chats carry no harmful label; a
    harmful chat without harm_from_turn is refused, naming it."""
    import numpy as np
    from transformers import AutoTokenizer

    from convguard.text import ConversationEncoder, EncodeSpec
    from convguard.train import turn_examples

    enc = ConversationEncoder(AutoTokenizer.from_pretrained(tiny_encoder),
                              EncodeSpec(max_length=64, view="turns", context_tokens=6))
    rng = random.Random(0)
    convs = {k: Conversation.from_dict(make_conversation(k, 0, rng))
             for k in ("persistent", "dropped", "overrefusal", "crisis", "benign")}
    for kind, want in (("persistent", None), ("dropped", {0: 1.0, 2: 0.0}), ("overrefusal", {0: 0.0, 2: 0.0, 4: 0.0}),
                       ("benign", {0: 0.0, 2: 0.0})):
        c = convs[kind]
        ex = turn_examples(enc, [c], progress=False, desc="")
        got = {i: float(ex.y["harmful"][j]) for j, b in enumerate(ex.bags)
               for i in c.user_turn_indices if tuple(ex.units[b[0]]) == tuple(enc.encode_turn(c.messages, i))
               and np.isfinite(ex.y["harmful"][j])}
        if want is None:
            want = {i: 1.0 for i in c.user_turn_indices}  # ask at 0, pushes after
        assert got == want, kind
    ex = turn_examples(enc, [convs["crisis"]], progress=False, desc="")
    assert not np.isfinite(ex.y["harmful"]).any()
    bad = Conversation.from_dict({**convs["dropped"].to_dict(), "meta": {"push_turns": [], "refusal_turns": [1]}})
    with pytest.raises(ValueError, match="meta.harm_from_turn is missing"):
        turn_examples(enc, [bad], progress=False, desc="")


def test_context_swap_is_validated():
    from convguard.config import ConfigError, load_config

    with pytest.raises(ConfigError, match="model.context_swap: must be in"):
        load_config(None, ["recipe=crisis", "model.view=turns", "model.context_swap=1.5"], kind="recipe")
    with pytest.raises(ConfigError, match="only for view 'turns'"):
        load_config(None, ["model.context_swap=0.5"], kind="recipe")


def test_examples_select_keeps_only_the_units_the_kept_examples_read():
    from convguard.train import Examples

    ex = Examples([[1], [2], [3], [4]], [[0], [1, 2], [3]], {"crisis": np.array([0.0, 1.0, 0.0])})
    sub = ex.select([1])
    assert sub.units == [[2], [3]] and sub.bags == [[0, 1]] and sub.y["crisis"].tolist() == [1.0]
    assert ex.select([0, 1, 2]).units == ex.units


def test_bf16_precision_runs_under_autocast_and_is_recorded(tiny_encoder, small_splits, tmp_path, monkeypatch):
    import torch

    from convguard import modeling

    seen = []
    real = torch.autocast

    def spy(*a, **k):
        seen.append(k.get("enabled", True) and k.get("dtype") == torch.bfloat16)
        return real(*a, **k)

    monkeypatch.setattr(torch, "autocast", spy)
    for prec, want in (("bf16", True), ("fp32", False)):
        seen.clear()
        res = fit(cfg_for(tiny_encoder, small_splits, tmp_path / prec, "train.epochs=1", f"train.precision={prec}"),
                  load(small_splits["train"]), load(small_splits["validation"]))
        assert res.extra["precision"] == prec and seen and all(s == want for s in seen)
        assert np.isfinite(res.val_logits).all()
    # auto: bf16 exactly where the device runs it natively
    monkeypatch.setattr(modeling, "native_bf16", lambda device="cpu": False)
    assert modeling.use_bf16("auto") is False and modeling.use_bf16("bf16") is True
    monkeypatch.setattr(modeling, "native_bf16", lambda device="cpu": True)
    assert modeling.use_bf16("auto") is True and modeling.use_bf16("fp32") is False


def _sklearn_validation_metrics(scores, y, main):
    """validation_metrics as it was before it used convguard.metrics (scikit-learn), the reference."""
    from sklearn.metrics import average_precision_score, f1_score, roc_auc_score

    from convguard.dataset import IGNORE
    from convguard.modeling import EVIDENCE_HEADS

    known = np.isfinite(y[main].astype(float))
    yt = y[main][known].astype(int)
    s = scores[main][known]
    out = {"n": float(len(yt))}
    if 0 < yt.sum() < len(yt):
        out["pr_auc"] = float(average_precision_score(yt, s))
        out["roc_auc"] = float(roc_auc_score(yt, s))
    else:
        out["pr_auc"] = out["roc_auc"] = float("nan")
    out["f1@0.5"] = float(f1_score(yt, s >= 0.5, zero_division=0))
    eps = 1e-7
    out["bce"] = float(-np.mean(yt * np.log(s + eps) + (1 - yt) * np.log(1 - s + eps)))
    out["neg_bce"] = -out["bce"]
    if "harm_category" in scores and "harm_category" in y:
        mask = y["harm_category"] != IGNORE
        if mask.any():
            out["harm_category_acc"] = float((scores["harm_category"][mask].argmax(1) == y["harm_category"][mask]).mean())
    for h in EVIDENCE_HEADS:
        if h in scores and h in y:
            ok = np.isfinite(y[h])
            yh = y[h][ok].astype(int)
            if 0 < yh.sum() < len(yh):
                out[f"{h}_pr_auc"] = float(average_precision_score(yh, scores[h][ok]))
                out[f"{h}_acc@0.5"] = float(((scores[h][ok] >= 0.5) == yh).mean())
    aucs = [v for k, v in out.items() if k.endswith("pr_auc") and np.isfinite(v)]
    out["mean_pr_auc"] = float(np.mean(aucs)) if aucs else float("nan")
    return out


def _random_validation(rng, n, *, ties, one_class=False):
    from convguard.dataset import IGNORE

    y_main = (rng.random(n) < 0.3).astype(np.float32)
    if one_class:
        y_main[:] = 0
    y_main[rng.random(n) < 0.1] = np.nan  # rows without this label
    s = rng.random(n).astype(np.float32)
    if ties:  # coarse scores: many ties, some exactly at 0.5
        s = (np.round(s * 8) / 8).astype(np.float32)
    y_push = np.where(rng.random(n) < 0.2, np.nan, (rng.random(n) < 0.4).astype(float))
    harm = rng.integers(0, 5, n)
    harm[rng.random(n) < 0.3] = IGNORE
    scores = {"terminate": s, "push": rng.random(n).astype(np.float32), "refusal": rng.random(n),
              "harm_category": rng.random((n, 5))}
    y = {"terminate": y_main, "push": y_push, "refusal": (rng.random(n) < 0.5).astype(float), "harm_category": harm}
    return scores, y


@pytest.mark.parametrize("seed", range(6))
def test_validation_metrics_come_from_convguard_metrics_and_equal_sklearn(seed, monkeypatch):
    """Training's validation metrics (and so the checkpoint select_metric picks) are computed by
    convguard.metrics, and equal what scikit-learn computed before on random data with ties."""
    import sys

    from convguard import metrics as M
    from convguard.train import selection_score, validation_metrics

    rng = np.random.default_rng(seed)
    evaluations = [_random_validation(rng, int(rng.integers(20, 400)), ties=bool(k % 2), one_class=k == 5)
                   for k in range(6)]
    for scores, y in evaluations:
        new, ref = validation_metrics(scores, y, "terminate"), _sklearn_validation_metrics(scores, y, "terminate")
        assert set(new) == set(ref)
        for k in ref:
            assert new[k] == pytest.approx(ref[k], abs=1e-9, nan_ok=True), k
    for metric in ("pr_auc", "roc_auc", "f1@0.5", "neg_bce", "push_pr_auc", "mean_pr_auc"):
        pick = [selection_score(validation_metrics(s, y, "terminate"), metric) for s, y in evaluations]
        ref = [selection_score(_sklearn_validation_metrics(s, y, "terminate"), metric) for s, y in evaluations]
        assert int(np.argmax(pick)) == int(np.argmax(ref)) and pick == pytest.approx(ref, abs=1e-9)
    # one implementation: with scikit-learn's metrics unavailable, the numbers are the same
    monkeypatch.setitem(sys.modules, "sklearn.metrics", None)
    scores, y = evaluations[0]
    assert validation_metrics(scores, y, "terminate")["pr_auc"] == M.pr_auc(
        y["terminate"][np.isfinite(y["terminate"])].astype(int), scores["terminate"][np.isfinite(y["terminate"])])


def test_mean_pr_auc_weighs_every_head_and_a_bad_metric_name_is_refused(tmp_path):
    """mean_pr_auc is the mean of the main and evidence heads' PR-AUC, so an epoch whose main head
    is a little better but whose refusal head fell is not kept; select_metric names only figures
    validation_metrics computes (a typo is a config error, not a silent fall-back to neg_bce)."""
    from convguard.config import SELECT_METRICS, ConfigError, load_config
    from convguard.modeling import EVIDENCE_HEADS
    from convguard.train import selection_score, validation_metrics

    y = {"terminate": np.array([0, 1, 0, 1, 0, 1.0]), "refusal": np.array([1, 0, 1, 0, np.nan, 1.0])}
    good = {"terminate": np.array([.1, .8, .3, .6, .2, .9]), "refusal": np.array([.9, .1, .8, .2, .5, .7])}
    worse = {"terminate": np.array([.1, .8, .2, .6, .2, .9]), "refusal": np.array([.2, .9, .1, .8, .5, .3])}
    mg, mw = validation_metrics(good, y, "terminate"), validation_metrics(worse, y, "terminate")
    assert mg["mean_pr_auc"] == pytest.approx((mg["pr_auc"] + mg["refusal_pr_auc"]) / 2)
    assert selection_score(mw, "pr_auc") >= selection_score(mg, "pr_auc")
    assert selection_score(mg, "mean_pr_auc") > selection_score(mw, "mean_pr_auc")
    # every evidence head's PR-AUC can be selected on; every name is one validation_metrics writes
    assert {f"{h}_pr_auc" for h in EVIDENCE_HEADS} <= set(SELECT_METRICS)
    written = set(mg) | {f"{h}_pr_auc" for h in EVIDENCE_HEADS} | {"harm_category_acc", "persistence_acc"}
    assert set(SELECT_METRICS) <= written and "bce" not in SELECT_METRICS  # lower-is-better is not selectable
    cfg = tmp_path / "c.yaml"
    cfg.write_text("recipe: crisis\ntrain:\n  select_metric: mean_pr_acu\n")
    with pytest.raises(ConfigError, match="select_metric"):
        load_config(cfg)
