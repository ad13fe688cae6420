"""Encoders beyond BERT (issue 12): DistilBERT, RoBERTa / XLM-R and DeBERTa(-v2/v3) freeze their
bottom, run the split forward of ``train.cache_frozen`` exactly, train, save, reload and score."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from safetensors.torch import load_file

from convguard.guard import Detector, TorchBackend
from convguard.modeling import (build_model, forward_from_layer, freeze_lower_layers, head_parameter_ids, heads_for,
                                hidden_states_at, pad_batch, pad_hidden)
from convguard.text import EncodeSpec
from convguard.train import fit

from conftest import build_tiny_encoder, cfg_for, load

#: per architecture: the parameter-name prefixes freeze_layers=1 freezes (embeddings, layer 0 and,
#: for DeBERTa, the relative-position embeddings every layer reads), and those of the head
LAYOUT = {
    "bert": (("bert.embeddings.", "bert.encoder.layer.0."), ("bert.pooler.", "classifier.")),
    "distilbert": (("distilbert.embeddings.", "distilbert.transformer.layer.0."), ("pre_classifier.", "classifier.")),
    "roberta": (("roberta.embeddings.", "roberta.encoder.layer.0."), ("classifier.",)),
    "deberta-v2": (("deberta.embeddings.", "deberta.encoder.layer.0.", "deberta.encoder.rel_embeddings.",
                    "deberta.encoder.LayerNorm."), ("pooler.", "classifier.")),
}
SPLIT_ARCHS = ("bert", "distilbert", "roberta", "xlm-roberta", "deberta", "deberta-v2", "deberta-v2-conv")


@pytest.fixture(scope="module")
def encoders(tmp_path_factory):
    """arch -> a tiny random encoder folder (3 layers; built on first use)."""
    root = tmp_path_factory.mktemp("encoders")
    built = {}

    def get(arch: str, layers: int = 3):
        if (arch, layers) not in built:
            built[arch, layers] = build_tiny_encoder(root / f"{arch}-{layers}", layers=layers, arch=arch)
        return built[arch, layers]
    return get


def detector(folder):
    return build_model(str(folder), heads_for("harm"), spec=EncodeSpec(max_length=64), recipe="harm")


@pytest.mark.parametrize("arch", sorted(LAYOUT))
def test_freeze_layers_freezes_the_embeddings_and_the_lowest_layers(encoders, arch):
    model, _ = detector(encoders(arch))
    n = freeze_lower_layers(model, 1)
    frozen_prefixes, head_prefixes = LAYOUT[arch]
    names = dict(model.named_parameters())
    frozen = {k for k, p in names.items() if not p.requires_grad}
    assert frozen == {k for k in names if k.startswith(frozen_prefixes)}
    assert n == sum(names[k].numel() for k in frozen)
    assert any(".layer.1." in k for k in names) and not any(".layer.1." in k for k in frozen)
    # the head (pooler and classification head) is what trains at train.head_lr
    ids = head_parameter_ids(model)
    assert {k for k, p in names.items() if id(p) in ids} == {k for k in names if k.startswith(head_prefixes)}
    assert freeze_lower_layers(detector(encoders(arch))[0], 0) == 0


@pytest.mark.parametrize("arch", SPLIT_ARCHS)
def test_split_forward_equals_the_full_forward(encoders, arch):
    model, tok = detector(encoders(arch))
    torch.manual_seed(1)
    with torch.no_grad():  # weights far from the tiny init, so that a missed step shows in the logits
        for p in model.parameters():
            p.normal_(0.0, 0.5)
    model.eval()
    seqs = [[2, 10, 11, 12, 13, 14, 15, 3], [2, 20, 3], [2, 30, 31, 32, 3]]  # padded rows, other lengths
    pad = tok.pad_token_id
    ids, mask = pad_batch(seqs, pad)
    with torch.no_grad():
        full = model(input_ids=ids, attention_mask=mask).logits
        assert float((full[0] - full[1]).abs().max()) > 1e-2  # the rows differ: the check can fail
        for layer in range(len(seqs) + 1):  # 0 (embeddings) .. 3 (every layer cached)
            # padded to another length than the full batch, as training pads cached states
            x, m = pad_hidden(hidden_states_at(model, seqs, layer, pad, dtype=torch.float32), "cpu",
                              pad_to_multiple_of=16)
            torch.testing.assert_close(forward_from_layer(model, x, m, layer), full, atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("cache", [True, False], ids=["cache_frozen", "no_cache"])
@pytest.mark.parametrize("arch", sorted(LAYOUT))
def test_trains_saves_reloads_and_scores(encoders, arch, cache, small_splits, tmp_path):
    enc = encoders(arch, layers=2)
    cfg = cfg_for(enc, small_splits, tmp_path / "run", "train.epochs=1", "data.prefixes=false",
                  "model.freeze_layers=1", f"train.cache_frozen={str(cache).lower()}")
    val = load(small_splits["validation"])
    res = fit(cfg, load(small_splits["train"]), val)
    assert res.steps == 5 and np.isfinite(res.best_metric)
    # the bottom stayed as it was, the top trained
    base = load_file(str(enc / "model.safetensors"))
    trained = load_file(str(res.model_dir / "model.safetensors"))
    frozen_prefixes = LAYOUT[arch][0]
    prefix = frozen_prefixes[0].split(".")[0]  # the base model's (bert, distilbert, roberta, deberta)
    bottom = [k for k in base if f"{prefix}.{k}".startswith(frozen_prefixes)]
    top = [k for k in base if ".layer.1." in k and k.endswith("weight") and "LayerNorm" not in k
           and "layer_norm" not in k]
    assert bottom and top
    for k in bottom:
        torch.testing.assert_close(trained[f"{prefix}.{k}"], base[k], atol=0, rtol=0)
    assert all(not torch.equal(trained[f"{prefix}.{k}"], base[k]) for k in top)
    # loaded as a bundle loads a detector (AutoModelForSequenceClassification, safetensors), it
    # scores the validation set as training last scored it (the split forward when cached)
    det = Detector(res.model_dir, TorchBackend(res.model_dir))
    assert det.backend.config.model_type == arch
    by_id = {c.id: c for c in val}
    scores = det.scores([by_id[i].messages for i in res.extra["val_ids"]])
    for head, v in res.val_scores.items():
        np.testing.assert_allclose(scores[head], v, atol=1e-5, rtol=0)
    assert ((scores["terminate"] >= 0) & (scores["terminate"] <= 1)).all()


def test_an_encoder_without_an_exact_split_forward_freezes_but_is_refused_caching(encoders, small_splits, tmp_path):
    enc = encoders("electra", layers=2)
    model, _ = detector(enc)
    assert freeze_lower_layers(model, 1) > 0
    assert not model.electra.encoder.layer[0].output.dense.weight.requires_grad
    assert model.electra.encoder.layer[1].output.dense.weight.requires_grad
    with pytest.raises(ValueError, match=r"no exact split forward for 'electra'.*train.cache_frozen: false"):
        forward_from_layer(model, torch.zeros(1, 3, 32), torch.ones(1, 3, dtype=torch.long), 1)
    cfg = cfg_for(enc, small_splits, tmp_path / "run", "train.epochs=1", "data.prefixes=false",
                  "model.freeze_layers=1", "train.cache_frozen=true")
    with pytest.raises(ValueError, match=r"no exact split forward for 'electra'.*train.cache_frozen: false"):
        fit(cfg, load(small_splits["train"]), load(small_splits["validation"]))
    # without caching it trains with the bottom frozen
    cfg = cfg_for(enc, small_splits, tmp_path / "run2", "train.max_steps=2", "data.prefixes=false",
                  "model.freeze_layers=1")
    assert fit(cfg, load(small_splits["train"]), load(small_splits["validation"])).steps == 2
