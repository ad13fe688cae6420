"""The detectors behind :class:`~convguard.guard.Guard`: scoring backends (token ids -> logits) and
the per-detector machinery.

* :class:`TorchBackend` (the Hugging Face model in PyTorch, safetensors only) and
  :class:`OnnxBackend` (ONNX Runtime over a bundle's ``onnx/`` exports), with
  :func:`_resolve_precision` (the torch backend's bf16 autocast, from ``Guard.load``'s ``precision``);
* :class:`Detector`: one detector folder -- encoder rules from its config, a backend and its heads;
* :func:`turn_evidence` and :func:`decision_evidence`: the turn detector's per-turn evidence, and
  the evidence fields of a :class:`~convguard.guard.Decision` built from it;
* :func:`_check_detector_config`: refuse a detector folder this convguard cannot use.

Everything here is also importable from :mod:`convguard.guard`, where it lived before.
"""

from __future__ import annotations

import json
import logging
import threading
from pathlib import Path
from typing import Any, Mapping, Sequence

import numpy as np

from .batching import length_batches, pad_ids
from .bundle import BundleError
from .modeling import EVIDENCE_HEADS, FORMAT_VERSION, encode_spec_of, heads_of, logits_to_scores, pool_rows, taxonomy_of
from .policy import EVIDENCE_TOP_K, refused_push_pairs
from .schema import Message
from .text import ConversationEncoder

#: the logger of :mod:`convguard.guard`: ``Guard.load``'s warnings keep the logger they had before the split
log = logging.getLogger("convguard.guard")

#: heads each detector folder must provide
REQUIRED_HEADS = {"harm": ("terminate", "harm_category", "persistence"), "crisis": ("crisis", "push", "refusal")}


# ------------------------------------------------------------------------------------------
# backends: token ids -> logits
# ------------------------------------------------------------------------------------------

def _resolve_precision(root: Path, manifest: dict, precision: str | None, device: str) -> bool:
    """:meth:`~convguard.guard.Guard.load`'s ``precision`` -> whether the torch backend runs under bf16 autocast."""
    from .modeling import native_bf16, use_bf16

    if precision is not None:
        return use_bf16(precision, device)
    if not manifest and (root / "manifest.json").exists():  # verify=False: read it unchecked
        try:
            manifest = json.loads((root / "manifest.json").read_text())
        except (json.JSONDecodeError, UnicodeDecodeError):
            manifest = {}
    recorded = ((manifest.get("scoring") or {}).get("precision") or "fp32")
    if recorded not in ("fp32", "bf16"):
        raise BundleError(f"{root / 'manifest.json'}: scoring.precision must be fp32 or bf16, got {recorded!r}")
    if recorded == "bf16" and not native_bf16(device):
        log.warning("%s: thresholds were chosen on bf16 scores but %s has no native bf16; scoring in fp32 "
                    "(scores differ by bf16 rounding; pass precision='bf16' to emulate it, slowly)", root, device)
        return False
    return recorded == "bf16"


class TorchBackend:
    """The Hugging Face model in PyTorch (safetensors only)."""

    name = "torch"

    def __init__(self, folder: Path, device: str = "cpu", threads: int | None = None, bf16: bool = False):
        import torch

        from .modeling import load_detector

        self.torch = torch
        self.device = device
        #: bf16 autocast (fp32 weights): see :meth:`~convguard.guard.Guard.load`'s ``precision``
        self.bf16 = bool(bf16)
        if threads:
            torch.set_num_threads(int(threads))
        try:
            self.model, self.tokenizer = load_detector(folder, device)
        except ValueError as e:  # missing/unexpected weights, a bad convguard section
            raise BundleError(str(e)) from None
        self.config = self.model.config

    def logits(self, seqs: list[list[int]], pad_id: int, batch_size: int = 32) -> np.ndarray:
        torch = self.torch
        if len(seqs) == 1:  # the live-chat path: no sorting, no progress bar machinery
            ids, mask = pad_ids(seqs, pad_id)
            with torch.inference_mode(), torch.autocast(device_type=torch.device(self.device).type,
                                                        dtype=torch.bfloat16, enabled=self.bf16):
                out = self.model(input_ids=torch.from_numpy(ids).to(self.device),
                                 attention_mask=torch.from_numpy(mask).to(self.device)).logits
            return out.float().cpu().numpy()
        from .modeling import predict_logits

        return predict_logits(self.model, seqs, pad_id, batch_size, self.device, bf16=self.bf16).numpy()


class OnnxBackend:
    """ONNX Runtime session over ``<bundle>/onnx/<name>.<variant>.onnx`` (see :mod:`convguard.export`).

    ``threads``: intra-op threads of this session (default: ONNX Runtime's choice).  Sessions are
    created with full graph optimisation, so ONNX Runtime fuses the exported BERT graph into its
    Attention / SkipLayerNormalization kernels at load time."""

    name = "onnx"

    def __init__(self, folder: Path, onnx_path: Path, threads: int | None = None, *,
                 expected_source_sha256: str | None = None, spinning: bool = False):
        import onnxruntime as ort
        from transformers import AutoConfig, AutoTokenizer

        onnx_path = Path(onnx_path)
        if not onnx_path.exists():
            raise BundleError(f"{onnx_path}: no ONNX export in this bundle; run "
                              f"`convguard export --bundle {onnx_path.parent.parent} --format onnx` first")
        opts = ort.SessionOptions()
        if threads:
            opts.intra_op_num_threads = int(threads)
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        # busy-waiting worker threads steal the cores from the other detector / the web server
        opts.add_session_config_entry("session.intra_op.allow_spinning", "1" if spinning else "0")
        opts.log_severity_level = 3
        try:
            self.session = ort.InferenceSession(str(onnx_path), opts, providers=["CPUExecutionProvider"])
        except Exception as e:  # onnxruntime raises its own exception types for corrupt files
            raise BundleError(f"{onnx_path}: ONNX Runtime cannot load it: {e}") from None
        self.path = onnx_path
        self.inputs = {i.name for i in self.session.get_inputs()}
        self.config = AutoConfig.from_pretrained(folder, trust_remote_code=False)
        self.tokenizer = AutoTokenizer.from_pretrained(folder, trust_remote_code=False)
        missing = {"input_ids", "attention_mask"} - self.inputs
        if missing:
            raise BundleError(f"{onnx_path}: not a convguard export (inputs {sorted(self.inputs)}, "
                              f"missing {sorted(missing)})")
        width = self.session.get_outputs()[0].shape[-1]
        if isinstance(width, int) and width != self.config.num_labels:
            raise BundleError(f"{onnx_path}: outputs {width} logits but {folder}/config.json has "
                              f"{self.config.num_labels} labels (an export of another model)")
        meta = self.session.get_modelmeta().custom_metadata_map
        self.metadata = dict(meta)
        src = meta.get("convguard.source_sha256")
        if expected_source_sha256 and src and src != expected_source_sha256:
            raise BundleError(f"{onnx_path}: exported from a different {folder.name}/model.safetensors than the "
                              f"one in this bundle (stale export); re-run `convguard export --format onnx`")

    def logits(self, seqs: list[list[int]], pad_id: int, batch_size: int = 32) -> np.ndarray:
        out = np.empty((len(seqs), self.config.num_labels), dtype=np.float32)
        for b in length_batches([len(s) for s in seqs], batch_size):
            ids, mask = pad_ids([seqs[i] for i in b], pad_id)
            feed = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self.inputs:
                feed["token_type_ids"] = np.zeros_like(ids)
            out[b] = self.session.run(None, feed)[0]
        return out


class Detector:
    """One detector: encoder rules from its config, a backend, and its heads.

    A conversation is scored as one sequence, or in the ``user_turns`` view as one sequence per
    user turn pooled by the highest main-head logit.  Identical sequences in one call are scored
    once (a replay's prefixes share their turns); per-turn detectors also keep the logits of
    recent turns, so a live chat scores only its new turn."""

    def __init__(self, folder: Path, backend, fallback=None, cache_size: int = 100_000):
        self.folder = folder
        self.backend = backend
        #: a more exact backend (ONNX fp32 beside int8) for scores too close to a threshold to trust
        self.fallback = fallback
        self.heads = heads_of(backend.config)
        #: the harm categories of the harm_category head (None: a detector without it)
        self.taxonomy = taxonomy_of(backend.config, str(folder / "config.json"))
        self.spec = encode_spec_of(backend.config)
        self.encoder = ConversationEncoder(backend.tokenizer, self.spec)
        self._lock = threading.Lock()  # the token cache is shared by every caller of this detector
        # unit -> logits, per backend (per-turn view only): a live chat scores only its new turn
        self._cache: dict[tuple[int, ...], np.ndarray] = {}
        self._exact_cache: dict[tuple[int, ...], np.ndarray] = {}
        self._cache_size = cache_size if self.encoder.per_turn else 0

    def encode(self, convs: Sequence[Sequence[Message]]) -> list[list[int]]:
        """One sequence per conversation (the sequence views only; see :meth:`units`)."""
        if self.encoder.per_turn:
            raise ValueError(f"{self.folder}: this detector reads one sequence per user turn "
                             f"(view 'user_turns'); use Detector.units / pooled_logits")
        with self._lock:
            return self.encoder.encode_many(convs)

    @property
    def evidence_heads(self) -> tuple[str, ...]:
        """The evidence heads this detector has (``push``, ``refusal``: the ``turns`` view)."""
        names = {h.name for h in self.heads}
        return tuple(h for h in EVIDENCE_HEADS if h in names)

    def units(self, convs: Sequence[Sequence[Message]]) -> tuple[list[list[int]], list[int], list[tuple[int, str]]]:
        """The sequences to score, for each the index of its conversation, and ``(message index,
        role)`` of the turn it reads (``(-1, "conversation")`` in the sequence views)."""
        seqs: list[list[int]] = []
        owner: list[int] = []
        where: list[tuple[int, str]] = []
        with self._lock:
            for k, msgs in enumerate(convs):
                if self.encoder.per_turn:
                    for i, role, ids in self.encoder.turn_units(msgs):
                        seqs.append(ids)
                        owner.append(k)
                        where.append((i, role))
                else:
                    seqs.append(self.encoder.encode(msgs))
                    owner.append(k)
                    where.append((-1, "conversation"))
        return seqs, owner, where

    def logits(self, seqs: list[list[int]], batch_size: int = 32) -> np.ndarray:
        return self.backend.logits(seqs, self.encoder.pad_id, batch_size)

    def unit_logits(self, convs: Sequence[Sequence[Message]], batch_size: int = 32, *, exact: bool = False
                    ) -> tuple[np.ndarray, list[int], list[tuple[int, str]]]:
        """Logits of every unit (see :meth:`units`), identical sequences scored once; per-turn
        detectors keep recent turns' logits, so a live chat scores only its new turns."""
        seqs, owner, where = self.units(convs)
        width = self.backend.config.num_labels
        if not seqs:
            return np.empty((0, width), dtype=np.float32), owner, where
        use_exact = exact and self.fallback is not None
        backend = self.fallback if use_exact else self.backend
        cache = self._exact_cache if use_exact else self._cache
        use_cache = self._cache_size > 0
        keys = [tuple(s) for s in seqs]
        uniq = list(dict.fromkeys(keys))
        table: dict[tuple[int, ...], np.ndarray] = {}
        if use_cache:
            with self._lock:
                table = {key: cache[key] for key in uniq if key in cache}
        todo = [key for key in uniq if key not in table]
        if todo:
            new = dict(zip(todo, backend.logits([list(k) for k in todo], self.encoder.pad_id, batch_size)))
            table.update(new)
            if use_cache:
                with self._lock:
                    if len(cache) + len(new) > self._cache_size:
                        cache.clear()
                    cache.update(new)
        rows = np.stack([table[key] for key in keys]).astype(np.float32, copy=False)
        return rows, owner, where

    def pooled_logits(self, convs: Sequence[Sequence[Message]], batch_size: int = 32, *,
                      exact: bool = False) -> np.ndarray:
        """Logits per conversation (n x num_labels): each conversation's user-turn unit with the
        highest main-head logit (its only unit in the sequence views)."""
        return self._pool(convs, *self.unit_logits(convs, batch_size, exact=exact))

    def _pool(self, convs, rows: np.ndarray, owner: list[int], where: list[tuple[int, str]]) -> np.ndarray:
        import torch

        bags: list[list[int]] = [[] for _ in convs]
        for j, (k, (_, role)) in enumerate(zip(owner, where)):
            if role != "assistant":
                bags[k].append(j)
        empty = [k for k, b in enumerate(bags) if not b]
        if empty:
            raise ValueError(f"conversation(s) {empty[:5]} have nothing to score (no user turn)")
        if not len(rows):
            return np.empty((0, self.backend.config.num_labels), dtype=np.float32)
        return pool_rows(torch.from_numpy(rows), bags).numpy()

    def scores(self, convs: Sequence[Sequence[Message]], temperature: Mapping[str, float] | None = None,
               batch_size: int = 32, *, exact: bool = False) -> dict[str, np.ndarray]:
        """Probabilities per head; ``exact``: score with the fallback backend (if any).  A turn
        detector adds its evidence (:func:`turn_evidence`): ``refused_push_top`` (n, k) and
        ``turns`` (per conversation, the per-turn probabilities)."""
        import torch

        rows, owner, where = self.unit_logits(convs, batch_size, exact=exact)
        lg = self._pool(convs, rows, owner, where)
        out = logits_to_scores(torch.from_numpy(lg), self.heads, dict(temperature or {}))
        ev = self.evidence_heads
        for h in ev:
            out.pop(h, None)  # a pooled push/refusal value means nothing: evidence is per turn
        if ev:
            per_unit = logits_to_scores(torch.from_numpy(rows), self.heads, dict(temperature or {}))
            out.update(turn_evidence(len(convs), owner, where, per_unit))
        return out


def turn_evidence(n: int, owner: Sequence[int], where: Sequence[tuple[int, str]],
                  per_unit: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Per conversation, from the turn detector's per-unit probabilities:

    * ``turns``: ``{"refusal": {message index: p}, "push": {...}, "crisis": {...}}`` (an object
      array: the evidence a :class:`~convguard.guard.Decision` reports), plus ``"crisis_response"`` on assistant
      turns and ``"harmful"`` on user turns when the detector has those heads;
    * ``crisis_response_max`` (n,), with that head: the strongest crisis response among the
      conversation's assistant turns (0 if it has none);
    * ``harmful_max`` (n,), with that head: the most harmful user turn (``rules.harm_score: turn``);
    * ``refused_push_top`` (n x :data:`EVIDENCE_TOP_K`): for every user turn right after an
      assistant turn, ``min(p_refusal(reply), p_push(user turn))`` -- the strength of "the
      assistant refused and the user pushed on" -- the largest first, padded with -1 (never
      evidence at any threshold).  The policy counts
      how many reach its evidence threshold (:func:`convguard.policy.refused_push_counts`);
    * ``last_refused_push`` (n,): that strength for the conversation's latest user turn (-1 when
      no assistant turn comes right before it): ``rules.end_on_push``;
    * ``refused_ask_top`` and ``last_refused_ask``, with the harmful head: the same with the user
      turn's side ``max(p_push, p_harmful)`` (``rules.harmful_ask_is_push``)."""
    has_cr = "crisis_response" in per_unit
    has_harmful = "harmful" in per_unit
    turns = np.empty(n, dtype=object)
    for k in range(n):
        turns[k] = ({"refusal": {}, "push": {}, "crisis": {}} | ({"crisis_response": {}} if has_cr else {})
                    | ({"harmful": {}} if has_harmful else {}))
    for j, (k, (i, role)) in enumerate(zip(owner, where)):
        t = turns[k]
        if role == "assistant":
            t["refusal"][i] = float(per_unit["refusal"][j])
            if has_cr:
                t["crisis_response"][i] = float(per_unit["crisis_response"][j])
        elif role == "user":
            t["push"][i] = float(per_unit["push"][j])
            t["crisis"][i] = float(per_unit["crisis"][j])
            if has_harmful:
                t["harmful"][i] = float(per_unit["harmful"][j])
    out: dict[str, np.ndarray] = {"turns": turns}
    for harmful_asks, top_key, last_key in ((False, "refused_push_top", "last_refused_push"),
                                            (True, "refused_ask_top", "last_refused_ask"))[: 1 + has_harmful]:
        top = np.full((n, EVIDENCE_TOP_K), -1.0, dtype=np.float64)
        last = np.full(n, -1.0, dtype=np.float64)
        for k in range(n):
            pairs = refused_push_pairs(turns[k], harmful_asks)
            cand = sorted(pairs.values(), reverse=True)[:EVIDENCE_TOP_K]
            top[k, : len(cand)] = cand
            if turns[k]["push"]:
                last[k] = pairs.get(max(turns[k]["push"]), -1.0)
        out[top_key], out[last_key] = top, last
    if has_cr:
        out["crisis_response_max"] = np.array([max(t["crisis_response"].values(), default=0.0) for t in turns])
    if has_harmful:
        out["harmful_max"] = np.array([max(t["harmful"].values(), default=0.0) for t in turns])
    return out


def decision_evidence(turns: Mapping[str, Mapping[int, float]], threshold: float, trigger: str,
                      n_refused_pushes: int, harmful_asks: bool = False) -> dict[str, Any]:
    """The evidence fields of a :class:`~convguard.guard.Decision` from one conversation's per-turn probabilities
    (``harmful_asks``: ``rules.harmful_ask_is_push``, what counts as a refused push)."""
    ref, push, crisis = turns["refusal"], turns["push"], turns["crisis"]
    worst = max(crisis, key=lambda i: crisis[i]) if crisis else None
    return {
        "refusal_turns": sorted(i for i, p in ref.items() if p >= threshold),
        # assistant turns that answered the user as someone who may be in crisis (empty when the
        # turn detector predates that head)
        "crisis_response_turns": sorted(i for i, p in turns.get("crisis_response", {}).items() if p >= threshold),
        "push_turns": sorted(i for i, p in push.items() if p >= threshold),
        # user turns that ask for harm (empty when the turn detector predates that head)
        "harmful_turns": sorted(i for i, p in turns.get("harmful", {}).items() if p >= threshold),
        # the user turns the policy counted: a push (or, with rules.harmful_ask_is_push, a harmful
        # ask) right after a refusal
        "refused_pushes": sorted(i for i, p in refused_push_pairs(turns, harmful_asks).items() if p >= threshold),
        "n_refused_pushes": int(n_refused_pushes),
        "crisis_turn": worst,
        "crisis_turn_score": None if worst is None else float(crisis[worst]),
        "trigger": trigger,
    }


def _check_detector_config(name: str, folder: Path) -> None:
    """Read ``config.json`` (JSON only) and refuse a detector this convguard cannot use."""
    p = folder / "config.json"
    try:
        cfg = json.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BundleError(f"{p}: missing (the bundle's {name} detector is incomplete)") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BundleError(f"{p}: not valid JSON: {e}") from None
    meta = cfg.get("convguard") if isinstance(cfg, dict) else None
    if not isinstance(meta, dict):
        raise BundleError(f"{p}: no 'convguard' section: not a convguard detector")
    if "auto_map" in cfg:
        raise BundleError(f"{p}: 'auto_map' points a model loader at custom code; a convguard detector is a stock "
                          f"transformers model and never runs code from a bundle")
    from transformers import CONFIG_MAPPING

    if cfg.get("model_type") not in CONFIG_MAPPING:
        raise BundleError(f"{p}: model_type {cfg.get('model_type')!r} is not a model transformers knows; refusing "
                          f"to load it (custom model types need code from the bundle)")
    fv = meta.get("format_version")
    if not isinstance(fv, int) or fv > FORMAT_VERSION:
        raise BundleError(f"{p}: detector format {fv!r} is not supported by this convguard (reads up to "
                          f"{FORMAT_VERSION}); upgrade convguard or re-export the bundle")
    heads = {h.get("name") for h in meta.get("heads", []) if isinstance(h, dict)}
    lacking = [h for h in REQUIRED_HEADS[name] if h not in heads]
    if lacking:
        hint = "are harm/ and crisis/ swapped?"
        if name == "crisis" and "crisis" in heads:
            hint = ("this crisis detector predates the turn detector (model.view 'turns'), whose refusal and push "
                    "evidence the policy needs before it ends a chat; retrain it (convguard quickstart, or "
                    "convguard train configs/crisis_minilm.yaml)")
        raise BundleError(f"{p}: the {name} detector lacks head(s) {lacking} (heads: {sorted(heads)}); {hint}")
    if name == "harm":
        try:
            taxonomy_of(cfg, str(p))
        except ValueError as e:
            raise BundleError(str(e)) from None
