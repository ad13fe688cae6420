"""Where each encoder architecture keeps its layers, and the split forward built on that.

:class:`EncoderLayout` (:func:`encoder_layout`) says, per architecture (BERT, DistilBERT, RoBERTa /
XLM-R, DeBERTa / -v2 / -v3), where the embeddings and encoder layers are, what the layers share,
and how to run the top of the model from the hidden states after layer ``k``.  On it stand
``model.freeze_layers`` (:func:`freeze_lower_layers`), the head's own learning rate
(:func:`head_parameter_ids`) and ``train.cache_frozen``'s split forward -- frozen bottom once,
trainable top many times (CPU training speed; :func:`forward_from_layer`).  Everything here is
also importable from :mod:`convguard.modeling`, where it lived before.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Callable

import torch


@dataclass(frozen=True)
class EncoderLayout:
    """Where a sequence classifier keeps what ``model.freeze_layers`` and ``train.cache_frozen``
    touch (:func:`encoder_layout`).

    ``embeddings`` and ``layers``: the bottom ``freeze_layers`` freezes; ``shared``: modules the
    layers read besides their input, frozen with them (DeBERTa: the relative-position embeddings
    and their layer norm, the convolution after layer 0); ``top(hidden, attention_mask, layer)``:
    logits from the hidden states after encoder layer ``layer`` -- the remaining layers and the
    head (:func:`head_modules`), the same computation as ``model(...)`` -- or None where
    convguard has no exact split forward for the architecture."""
    model_type: str
    embeddings: torch.nn.Module
    layers: torch.nn.ModuleList
    shared: tuple[torch.nn.Module, ...]
    top: Callable[[torch.Tensor, torch.Tensor, int], torch.Tensor] | None


def _additive_mask(attention_mask: torch.Tensor, dtype: torch.dtype) -> torch.Tensor:
    """``(batch, length)`` 1/0 -> the ``(batch, 1, 1, length)`` additive mask BERT-style layers take."""
    return (1.0 - attention_mask[:, None, None, :].to(dtype)) * torch.finfo(dtype).min


def _run_layers(layers, hidden: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
    ext = _additive_mask(attention_mask, hidden.dtype)
    h = hidden
    for blk in layers:
        o = blk(h, attention_mask=ext)
        h = o[0] if isinstance(o, tuple) else o
    return h


def _bert_top(model, base):
    # BertForSequenceClassification: pooler (dense + tanh of the first token), dropout, classifier
    def top(hidden, attention_mask, layer):
        h = _run_layers(base.encoder.layer[layer:], hidden, attention_mask)
        return model.classifier(model.dropout(base.pooler(h)))
    return top


def _roberta_top(model, base):
    # RobertaForSequenceClassification (XLM-R alike): no pooler; the classification head
    # (dropout, dense, tanh, dropout, out_proj) reads the first token itself
    def top(hidden, attention_mask, layer):
        return model.classifier(_run_layers(base.encoder.layer[layer:], hidden, attention_mask))
    return top


def _distilbert_top(model, base):
    # DistilBertForSequenceClassification: first token, pre_classifier, ReLU, dropout, classifier
    blocks = base.transformer.layer
    # transformers 4.x (the declared floor, 4.56): the blocks take ``attn_mask`` in the form their
    # attention class reads -- SDPA an additive mask, eager the 1/0 one; 5.x: ``attention_mask``, as BERT's
    legacy = len(blocks) > 0 and "attn_mask" in inspect.signature(blocks[0].forward).parameters

    def top(hidden, attention_mask, layer):
        if not legacy:
            h = _run_layers(blocks[layer:], hidden, attention_mask)
        else:
            sdpa = getattr(model.config, "_attn_implementation", None) == "sdpa"
            mask = _additive_mask(attention_mask, hidden.dtype) if sdpa else attention_mask
            h = hidden
            for blk in blocks[layer:]:
                h = blk(h, mask)[-1]
        return model.classifier(model.dropout(torch.relu(model.pre_classifier(h[:, 0]))))
    return top


def _deberta_top(model, base):
    # Deberta(V2)Encoder.forward from layer `layer` on: every layer reads the relative positions
    # and (layer-normed) relative embeddings; the convolution (DeBERTa-v2 with conv_kernel_size)
    # follows layer 0 and reads that layer's input.  Then ContextPooler, dropout, classifier.
    enc = base.encoder

    def top(hidden, attention_mask, layer):
        mask = enc.get_attention_mask(attention_mask)
        rel_pos = enc.get_rel_pos(hidden)
        rel_emb = enc.get_rel_embedding()
        conv = getattr(enc, "conv", None)
        h = hidden
        for i in range(layer, len(enc.layer)):
            out, _ = enc.layer[i](h, mask, relative_pos=rel_pos, rel_embeddings=rel_emb)
            if i == 0 and conv is not None:
                out = conv(h, out, attention_mask)
            h = out
        return model.classifier(model.dropout(model.pooler(h)))
    return top


_DEBERTA_SHARED = ("rel_embeddings", "LayerNorm", "conv")  # those the encoder has (v1: rel_embeddings only)
#: model_type -> (where the encoder layers are under the base model, the encoder's modules they
#: share (EncoderLayout.shared), the split forward's top)
_LAYOUTS: dict[str, tuple[str, tuple[str, ...], Callable]] = {
    "bert": ("encoder.layer", (), _bert_top),
    "roberta": ("encoder.layer", (), _roberta_top),
    "xlm-roberta": ("encoder.layer", (), _roberta_top),
    "distilbert": ("transformer.layer", (), _distilbert_top),
    "deberta": ("encoder.layer", _DEBERTA_SHARED, _deberta_top),
    "deberta-v2": ("encoder.layer", _DEBERTA_SHARED, _deberta_top),
}
#: the architectures ``train.cache_frozen`` runs (an exact split forward, checked in the tests)
SPLIT_FORWARD_TYPES = tuple(_LAYOUTS)


def encoder_layout(model) -> EncoderLayout:
    """The :class:`EncoderLayout` of a sequence classifier: per architecture for
    :data:`SPLIT_FORWARD_TYPES`; any other model whose base has ``embeddings`` and
    ``encoder.layer`` (or ``transformer.layer``) gets a layout without a split forward (it can
    freeze layers, not cache them)."""
    mt = str(getattr(model.config, "model_type", "") or type(model).__name__)
    prefix = model.base_model_prefix
    base = getattr(model, prefix, None)
    where, shared_names, make_top = _LAYOUTS.get(mt, (None, (), None))
    layers = None
    for path in ([where] if where else ["encoder.layer", "transformer.layer"]):
        obj = base
        for part in path.split("."):
            obj = getattr(obj, part, None)
        if isinstance(obj, torch.nn.ModuleList):
            layers = obj
            break
    embeddings = getattr(base, "embeddings", None)
    if layers is None or not isinstance(embeddings, torch.nn.Module):
        raise ValueError(f"model.freeze_layers: convguard does not know where a {mt!r} model keeps its embeddings "
                         f"and encoder layers (it knows {', '.join(SPLIT_FORWARD_TYPES)} and BERT-like layouts); "
                         f"set model.freeze_layers: 0")
    enc = getattr(base, "encoder", None)
    shared = tuple(m for m in (getattr(enc, n, None) for n in shared_names) if isinstance(m, torch.nn.Module))
    return EncoderLayout(mt, embeddings, layers, shared, make_top(model, base) if make_top else None)


def head_modules(model) -> tuple[torch.nn.Module, ...]:
    """The modules above the encoder of any sequence classifier: the base model's pooler where
    it has one (BERT), and everything beside the base model (BERT: dropout + classifier;
    DistilBERT: pre_classifier, classifier; RoBERTa: the classification head; DeBERTa:
    ContextPooler, classifier)."""
    prefix = model.base_model_prefix
    pooler = getattr(getattr(model, prefix, None), "pooler", None)
    own = tuple(m for name, m in model.named_children() if name != prefix)
    return ((pooler,) if isinstance(pooler, torch.nn.Module) else ()) + own


def supports_split_forward(model) -> bool:
    """Whether ``train.cache_frozen`` can train ``model`` (:data:`SPLIT_FORWARD_TYPES`)."""
    try:
        return encoder_layout(model).top is not None
    except ValueError:
        return False


def head_parameter_ids(model) -> set[int]:
    """``id()`` of the parameters of the model's head (:func:`head_modules`): the optimiser
    trains them at ``train.head_lr``."""
    return {id(p) for m in head_modules(model) for p in m.parameters()}


def freeze_lower_layers(model, n_layers: int) -> int:
    """Freeze embeddings and the lowest ``n_layers`` encoder layers (and what they read besides
    their input: DeBERTa's relative-position embeddings, see :func:`encoder_layout`); returns
    frozen params."""
    if n_layers <= 0:
        return 0
    layout = encoder_layout(model)
    frozen = 0
    modules = [layout.embeddings, *layout.shared] + list(layout.layers[:n_layers])
    for m in modules:
        for p in m.parameters():
            p.requires_grad_(False)
            frozen += p.numel()
    return frozen


def forward_from_layer(model, hidden: torch.Tensor, attention_mask: torch.Tensor, layer: int) -> torch.Tensor:
    """Logits from hidden states after encoder layer ``layer``: the remaining layers and the
    head, the same computation as ``model(...)`` (:attr:`EncoderLayout.top`; checked in the
    tests for every architecture of :data:`SPLIT_FORWARD_TYPES`)."""
    top = encoder_layout(model).top
    if top is None:
        raise ValueError(split_forward_refusal(model))
    return top(hidden, attention_mask, layer)


def split_forward_refusal(model) -> str:
    """Why ``train.cache_frozen`` cannot train ``model``."""
    mt = getattr(model.config, "model_type", None) or type(model).__name__
    return (f"train.cache_frozen: convguard has no exact split forward for {mt!r} models (it has one for "
            f"{', '.join(SPLIT_FORWARD_TYPES)}); set train.cache_frozen: false (model.freeze_layers still "
            f"freezes the bottom layers)")
