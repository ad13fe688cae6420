"""The small predict API (detoxify-style)::

    from convguard import Guard
    guard = Guard.load("quickstart/bundle")                  # PyTorch
    guard = Guard.load("quickstart/bundle", backend="onnx",   # ONNX Runtime (after `convguard export`)
                       onnx_variant="int8")
    d = guard.check([{"role": "user", "content": "..."}])
    d.action, d.scores, d.reason, d.message
    guard.check_many([conv1, conv2, ...])                    # batched

    session = guard.session()          # live chats: one decision per user turn
    session.observe({"role": "user", "content": "..."})      # -> Decision
    session.observe({"role": "assistant", "content": "..."}) # -> None (no decision after assistant turns)

Scoring runs in PyTorch by default, or through ONNX Runtime (``backend="onnx"``) when the bundle
holds exports (``convguard export --format onnx``).  The bundle is verified (hashes, formats, no
pickles) before anything is loaded; a bad bundle raises :class:`~convguard.bundle.BundleError`.
Bad input raises :class:`~convguard.schema.ConversationError` naming the conversation, message and
field -- never anything else, and nothing is left half-done.

Costs of a live chat (:class:`Session`): each message is tokenised once (per-message token cache in
:class:`~convguard.text.ConversationEncoder`), the truncation budget is re-allocated in time linear
in the number of turns, and the model reads a window of at most ``max_length`` tokens -- the
detectors are bidirectional encoders, so the window itself must be re-read after every user turn;
that, not the length of the chat, bounds the cost of a turn.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .batching import length_batches, pad_ids
from .bundle import BundleError
from .modeling import EVIDENCE_HEADS, FORMAT_VERSION, encode_spec_of, heads_of, logits_to_scores, pool_rows, taxonomy_of
from .policy import (EVIDENCE_TOP_K, Policy, PolicyResult, evidence_keys, harm_scores, refused_push_pairs,
                     terminate_thresholds)
from .schema import ConversationError, Message, ValidationOptions, validate_messages
from .taxonomy import PERSISTENCE_VALUES, Taxonomy
from .text import ConversationEncoder

log = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx")
ONNX_VARIANTS = ("fp32", "int8")
#: heads each detector folder must provide
REQUIRED_HEADS = {"harm": ("terminate", "harm_category", "persistence"), "crisis": ("crisis", "push", "refusal")}


class SessionEndedError(RuntimeError):
    """``observe`` after the policy ended the conversation: start a new session (a fresh chat)."""


@dataclass
class Decision:
    """What the policy decided after the last message, and why.

    ``evidence``: what the turn detector saw -- ``refusal_turns`` (assistant messages read as
    refusals/redirections), ``push_turns`` (user messages read as pushes), ``refused_pushes``
    (pushes right after a refusal: what the end rule counts), ``crisis_turn`` and
    ``crisis_turn_score`` (the most alarming user message and its crisis probability) and
    ``trigger`` (the policy's reason code, :data:`convguard.policy.REASONS`).  Message indices
    are 0-based indices into the conversation."""

    action: str
    scores: dict[str, Any]
    reason: str
    message: str | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "scores": self.scores, "reason": self.reason, "message": self.message,
                "evidence": self.evidence}


def decision_evidence(turns: Mapping[str, Mapping[int, float]], threshold: float, trigger: str,
                      n_refused_pushes: int, harmful_asks: bool = False) -> dict[str, Any]:
    """The evidence fields of a :class:`Decision` from one conversation's per-turn probabilities
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


# ------------------------------------------------------------------------------------------
# backends: token ids -> logits
# ------------------------------------------------------------------------------------------

def _resolve_precision(root: Path, manifest: dict, precision: str | None, device: str) -> bool:
    """:meth:`Guard.load`'s ``precision`` -> whether the torch backend runs under bf16 autocast."""
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
        #: bf16 autocast (fp32 weights): see :meth:`Guard.load`'s ``precision``
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
      array: the evidence a :class:`Decision` reports), plus ``"crisis_response"`` on assistant
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


# ------------------------------------------------------------------------------------------
# Guard
# ------------------------------------------------------------------------------------------

class Guard:
    """Both detectors and the policy.  Thread-safe for concurrent ``check`` calls."""

    def __init__(self, harm: Detector, crisis: Detector, policy: Policy, bundle_dir: Path | None = None,
                 manifest: dict | None = None, require_user_last: bool = True, *, parallel: bool = False,
                 fallback_margin: float | None = None):
        self.harm = harm
        self.crisis = crisis
        #: the harm categories the bundle predicts (its harm detector's; the policy reads the same)
        self.taxonomy: Taxonomy = harm.taxonomy
        if policy.taxonomy != self.taxonomy:
            terminate_thresholds(0, policy.thresholds, self.taxonomy)  # per-category thresholds must name its categories
            import dataclasses

            policy = dataclasses.replace(policy, taxonomy=self.taxonomy)
        self.policy = policy
        self.bundle_dir = bundle_dir
        self.manifest = manifest or {}
        self.validation = ValidationOptions(require_user_last=require_user_last)
        #: score the two detectors concurrently (ONNX Runtime releases the GIL while it runs)
        self.parallel = parallel
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="convguard-crisis") if parallel else None
        #: int8 cascade: a conversation whose terminate/crisis logit lies within this distance of the
        #: threshold's logit is re-scored by the fp32 fallback (see :meth:`score`)
        self.fallback_margin = fallback_margin
        self.stats = {"scored": 0, "fallback": 0}
        #: the torch backend's arithmetic (``fp32`` | ``bf16``; see :meth:`load`)
        self.precision = "bf16" if getattr(harm.backend, "bf16", False) else "fp32"

    @property
    def backend(self) -> str:
        return self.harm.backend.name

    @classmethod
    def load(cls, bundle_dir: str | Path, *, backend: str = "torch", onnx_variant: str = "fp32",
             device: str = "cpu", verify: Any = True, threads: int | None = None,
             policy: Policy | str | Path | None = None, require_user_last: bool = True,
             parallel: bool | None = None, fallback_margin: float | str | None = "auto",
             precision: str | None = None) -> "Guard":
        """Load a bundle.

        backend: ``torch`` or ``onnx`` (needs ``convguard export --format onnx``); onnx_variant:
        ``fp32`` or ``int8``; threads: intra-op threads (torch: process-wide; onnx: per detector,
        default half the cores each when the detectors run in parallel);
        policy: a :class:`Policy` or a YAML file overriding the bundle's ``policy.yaml`` (thresholds,
        rules, message templates); parallel: run the two detectors concurrently, each on half the
        cores (onnx; lower p50 latency for single conversations on an idle machine, lower throughput
        for batches); verify: check the manifest's hashes first (leave on; ``False`` skips the
        check); a public key instead (an ``Ed25519PublicKey``, PEM / OpenSSH bytes or the path of a
        ``.pub.pem`` file) also requires the bundle's Ed25519 signature by that key
        (:func:`convguard.bundle.sign_bundle`) and refuses an unsigned or re-signed bundle.

        fallback_margin (int8 only): conversations whose terminate or crisis logit lies within this
        distance of the threshold are re-scored with the fp32 export, so int8's rounding cannot flip
        a decision; ``"auto"`` takes the margin the export's parity check measured (1.5 x the
        largest int8 logit error seen), ``None`` turns the cascade off (pure int8).

        precision (torch backend): ``fp32``, ``bf16`` (autocast, fp32 weights) or ``auto`` (bf16
        where the device runs it natively).  None: the precision the bundle's thresholds were
        chosen at (``manifest.json`` ``scoring.precision``, fp32 when absent), or fp32 with a
        warning when that is bf16 and this device has no native bf16 (scores then differ from
        the calibrated ones by bf16 rounding, ~1e-2 in a logit)."""
        from .bundle import sha256_file, verify_bundle

        if backend not in BACKENDS:
            raise ValueError(f"unknown backend {backend!r} (one of {', '.join(BACKENDS)})")
        if onnx_variant not in ONNX_VARIANTS:
            raise ValueError(f"unknown onnx_variant {onnx_variant!r} (one of {', '.join(ONNX_VARIANTS)})")
        root = Path(bundle_dir)
        if verify is None:  # an unset key (verify=os.environ.get(...)) must not switch the hash check off
            verify = True
        manifest = verify_bundle(root, public_key=None if verify is True else verify) if verify is not False else {}
        if verify is False and not root.is_dir():
            raise BundleError(f"{root}: not a bundle directory")
        if parallel is None:
            parallel = False  # measured: no clear win on 2 shared cores (docs/BENCHMARKS.md)
        if parallel and backend == "onnx" and not threads:
            # the two detectors run side by side: give each its share of the cores, not all of them
            threads = max(1, (os.cpu_count() or 2) // 2)
        files = manifest.get("files", {})
        bf16 = False
        if backend == "torch":
            bf16 = _resolve_precision(root, manifest, precision, device)
        dets = {}
        for name in ("harm", "crisis"):
            folder = root / name
            _check_detector_config(name, folder)
            if backend == "torch":
                be = TorchBackend(folder, device, threads, bf16=bf16)
            else:
                onnx_path = root / "onnx" / f"{name}.{onnx_variant}.onnx"
                src = files.get(f"{name}/model.safetensors", {}).get("sha256") if verify else None
                if src is None and (folder / "model.safetensors").exists() and verify:
                    src = sha256_file(folder / "model.safetensors")
                be = OnnxBackend(folder, onnx_path, threads, expected_source_sha256=src)
            dets[name] = Detector(folder, be)
        margin = None
        if backend == "onnx" and onnx_variant == "int8" and fallback_margin is not None:
            if fallback_margin == "auto":
                margin = _parity_margin(root)
            else:
                margin = float(fallback_margin)
                if not margin >= 0:
                    raise ValueError(f"fallback_margin must be >= 0, got {fallback_margin!r}")
            if margin:
                for name in ("harm", "crisis"):
                    dets[name].fallback = OnnxBackend(root / name, root / "onnx" / f"{name}.fp32.onnx", threads,
                                                      expected_source_sha256=dets[name].backend.metadata.get(
                                                          "convguard.source_sha256"))
        if backend == "onnx":
            _warn_failed_parity(root, onnx_variant, cascade=bool(margin))
        try:
            tax = dets["harm"].taxonomy
            if policy is None:
                pol = Policy.load(root / "policy.yaml", taxonomy=tax)
            elif isinstance(policy, Policy):
                pol = policy
            else:
                pol = Policy.load(policy, taxonomy=tax)
        except FileNotFoundError as e:
            raise BundleError(f"policy file missing: {e}") from None
        except ValueError as e:
            raise BundleError(str(e)) from None
        return cls(dets["harm"], dets["crisis"], pol, root, manifest, require_user_last, parallel=parallel,
                   fallback_margin=margin)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False)
            self._pool = None

    # -- validation --------------------------------------------------------------------------------
    def _validate(self, messages: Any, options: ValidationOptions | None = None) -> list[Message]:
        if isinstance(messages, Mapping):
            hint = " (pass its 'messages' list)" if "messages" in messages else ""
            raise ConversationError(f"must be a list of {{'role', 'content'}} messages, got an object{hint}",
                                    field="messages")
        if isinstance(messages, (str, bytes)) or not isinstance(messages, Iterable):
            raise ConversationError(f"must be a list of {{'role', 'content'}} messages, got "
                                    f"{type(messages).__name__}", field="messages")
        opts = options or self.validation
        if not isinstance(messages, (list, tuple)):  # any iterable (a generator, say), read up to the limit
            import itertools

            messages = list(itertools.islice(messages, opts.max_messages + 1))
        raw = [m.to_dict() if isinstance(m, Message) else m for m in messages]
        return validate_messages(raw, opts)

    @staticmethod
    def _check_locale(locale: Any) -> None:
        if locale is not None and not isinstance(locale, str):
            raise ConversationError(f"must be a string such as 'en' or 'de-AT', got {type(locale).__name__}",
                                    field="locale")

    # -- scoring ---------------------------------------------------------------------------------
    def score(self, convs: Sequence[Sequence[Message]], batch_size: int = 32) -> dict[str, np.ndarray]:
        """Raw scores for already validated conversations: terminate, crisis, harm_category
        (probabilities, n x K), persistence (n x 4)."""
        t = self.policy.temperature
        if self._pool is not None:
            fut = self._pool.submit(self.crisis.scores, convs, t, batch_size)
            hs = self.harm.scores(convs, t, batch_size)
            cs = fut.result()
        else:
            hs = self.harm.scores(convs, t, batch_size)
            cs = self.crisis.scores(convs, t, batch_size)
        self.stats["scored"] += len(convs)
        if self.fallback_margin:
            self._cascade(convs, hs, cs, batch_size)
        out = {**hs, **cs}
        backup = self._crisis_backup()
        if backup is not None:
            out["crisis_backup"] = backup.score_message_lists(convs)
        return out

    def _crisis_backup(self):
        """The bundle's TF-IDF crisis baseline, when the policy uses it as a second crisis signal
        (``rules.crisis_backup_threshold``)."""
        if self.policy.rules.crisis_backup_threshold is None:
            return None
        if getattr(self, "_backup", None) is None:
            from .baselines import BaselineModel
            from .bundle import BundleError

            folder = (self.bundle_dir or Path(".")) / "baselines"
            if not (folder / "crisis.skops").exists():
                raise BundleError(f"{folder}: policy.yaml sets rules.crisis_backup_threshold but the bundle has no "
                                  f"crisis baseline (baselines/crisis.skops)")
            self._backup = BaselineModel.load(folder, "crisis")
        return self._backup

    def _near_threshold(self, scores: Mapping[str, np.ndarray], head: str, threshold: float) -> np.ndarray:
        """Rows whose ``head`` logit (before temperature) is within the margin of the threshold's."""
        temp = float(self.policy.temperature.get(head, 1.0))
        eps = 1e-7
        p = np.clip(np.asarray(scores[head], dtype=np.float64), eps, 1 - eps)
        th = min(max(float(threshold), eps), 1 - eps)
        z, zt = np.log(p / (1 - p)) * temp, np.log(th / (1 - th)) * temp
        return np.abs(z - zt) < self.fallback_margin

    def _cascade(self, convs, hs: dict, cs: dict, batch_size: int) -> None:
        th, rules = self.policy.thresholds, self.policy.rules
        # every termination threshold a row may be compared with (per-category ones included)
        term_ths = sorted({float(th.terminate), *(float(v) for v in (th.terminate_by_category or {}).values())})

        def near_any(scores: Mapping[str, np.ndarray], head: str) -> np.ndarray:
            out = np.zeros(len(convs), dtype=bool)
            for t in term_ths:
                k = self._near_threshold(scores, head, t)
                out |= k.any(axis=1) if k.ndim == 2 else k
            return out

        if rules.harm_score == "turn":
            # the harm score is the turn detector's (below): no harm-detector score meets a threshold
            harm_near = np.zeros(len(convs), dtype=bool)
        elif rules.harm_score == "harmful" and "harm_category" in hs:
            # the score the policy compares: P(harmful) from the category head (no temperature)
            harm_near = near_any({"harmful": harm_scores(hs, rules, self.taxonomy)}, "harmful")
        else:
            harm_near = near_any(hs, "terminate")
        if th.terminate_by_category and "harm_category" in hs:
            # the predicted category picks the threshold: re-score rows whose top two categories are close
            top2 = np.sort(np.log(np.clip(hs["harm_category"], 1e-7, 1.0)), axis=1)[:, -2:]
            harm_near = harm_near | ((top2[:, 1] - top2[:, 0]) < 2 * self.fallback_margin)
        crisis_near = self._near_threshold(cs, "crisis", th.crisis)
        # the turn detector's evidence, each where the policy compares it
        top_key, last_key = evidence_keys(cs, rules)
        for key, threshold, used in ((top_key, th.evidence, True),
                                     (last_key, th.evidence, rules.end_on_push),
                                     ("crisis_response_max", th.evidence, rules.crisis_response_hold)):
            if used and key in cs:
                near_k = self._near_threshold(cs, key, threshold)
                crisis_near |= near_k.any(axis=1) if near_k.ndim == 2 else near_k
        if rules.harm_score == "turn" and "harmful_max" in cs:
            crisis_near |= near_any(cs, "harmful_max")
        for det, scores, near in ((self.harm, hs, harm_near), (self.crisis, cs, crisis_near)):
            if det.fallback is None:
                continue
            if det is self.harm and rules.min_pushes and "persistence" in hs:
                top2 = np.sort(np.log(np.clip(hs["persistence"], 1e-7, 1.0)), axis=1)[:, -2:]
                near = near | ((top2[:, 1] - top2[:, 0]) < 2 * self.fallback_margin)
            idx = np.flatnonzero(near)
            if len(idx):
                exact = det.scores([convs[i] for i in idx], self.policy.temperature, batch_size, exact=True)
                for k, v in exact.items():
                    scores[k][idx] = v
                self.stats["fallback"] += len(idx)

    def _decision(self, scores: Mapping[str, np.ndarray], result: PolicyResult, i: int,
                  locale: str | None) -> Decision:
        cat_p = scores["harm_category"][i]
        k = int(np.argmax(cat_p))
        pers = scores["persistence"][i]
        expected_pushes = float(sum(p * v for p, v in zip(pers, PERSISTENCE_VALUES)))
        s = {"terminate": float(scores["terminate"][i]), "crisis": float(scores["crisis"][i]),
             "harm_category": self.taxonomy.names[k], "harm_category_prob": float(cat_p[k]),
             "persistence": expected_pushes,
             # what the policy compared with thresholds.terminate (rules.harm_score)
             "harm_score": float(result.harm_score[i])}
        if "crisis_backup" in scores:
            s["crisis_backup"] = float(scores["crisis_backup"][i])
        action = str(result.actions[i])
        reason = self.policy.explain(result, i, scores)
        evidence = decision_evidence(scores["turns"][i], self.policy.thresholds.evidence, str(result.codes[i]),
                                     int(result.refused_pushes[i]), self.policy.rules.harmful_ask_is_push)
        return Decision(action, s, reason, self.policy.message_for(action, s, locale), evidence)

    def check(self, messages: Iterable[Any], *, locale: str | None = None) -> Decision:
        """The decision after the last message of one conversation (a list of
        ``{"role": "system"|"user"|"assistant", "content": str}``)."""
        self._check_locale(locale)
        try:
            msgs = self._validate(messages)
        except ConversationError as e:
            raise ConversationError(e.message, source="conversation", field=e.field) from None
        return self._decide([msgs], locale)[0]

    def check_many(self, conversations: Iterable[Iterable[Any]], *, locale: str | None = None,
                   batch_size: int = 32) -> list[Decision]:
        """Decisions for a batch of conversations (one bad conversation rejects the batch, naming it)."""
        self._check_locale(locale)
        if isinstance(conversations, (str, bytes, Mapping)) or not isinstance(conversations, Iterable):
            raise ConversationError(f"must be a list of conversations, got {type(conversations).__name__}",
                                    field="conversations")
        convs = []
        for i, m in enumerate(conversations):
            try:
                convs.append(self._validate(m))
            except ConversationError as e:
                hint = ""
                if isinstance(m, Mapping) and "role" in m:
                    hint = " (a single conversation? use check(), or wrap it in a list)"
                raise ConversationError(e.message + hint, source=f"conversation[{i}]", field=e.field) from None
        if not convs:
            return []
        return self._decide(convs, locale, batch_size)

    def _decide(self, convs: list[list[Message]], locale: str | None, batch_size: int = 32) -> list[Decision]:
        scores = self.score(convs, batch_size)
        result = self.policy.apply(scores)
        return [self._decision(scores, result, i, locale) for i in range(len(convs))]

    def session(self, *, locale: str | None = None, history: Sequence[Any] | None = None) -> "Session":
        """A live chat.  ``history``: messages already exchanged (validated, not scored)."""
        self._check_locale(locale)
        s = Session(self, locale)
        if history is not None:
            if isinstance(history, (str, bytes, Mapping)) or not isinstance(history, (list, tuple)):
                raise ConversationError(f"must be a list of messages, got {type(history).__name__}", field="history")
            for m in history:
                s._append(s._validate_one(m))
        return s


# ------------------------------------------------------------------------------------------
# live chats
# ------------------------------------------------------------------------------------------

@dataclass
class Session:
    """A live chat: feed every message as it happens; a decision comes back after each user turn.

    Each new turn tokenises only the new message (per-message token cache), the window is
    re-allocated in linear time and the model scores at most ``max_length`` tokens, so the cost of
    a turn is bounded by the model's window, not by the length of the conversation.  Decisions
    equal re-scoring the whole conversation with :meth:`Guard.check` (the same code path on the
    same prefix).  Unlike ``check``, a session has no cap on the number of messages: older turns
    fall out of the window as training defined.  After ``end_conversation`` the session refuses
    further messages (:class:`SessionEndedError`); after ``crisis_support`` it goes on."""

    guard: Guard
    locale: str | None = None
    messages: list[Message] = field(default_factory=list)
    ended: bool = False
    last: Decision | None = None
    decisions: list[Decision] = field(default_factory=list)

    def observe(self, message: Mapping[str, Any] | Message) -> Decision | None:
        """Add one message; returns the decision after a user turn, ``None`` after others."""
        if self.ended:
            raise SessionEndedError("this conversation was ended by the policy; start a new session (a fresh chat)")
        msg = self._validate_one(message)
        self._append(msg)
        if msg.role != "user":
            return None
        d = self.guard._decide([self.messages], self.locale)[0]
        self.last = d
        self.decisions.append(d)
        if d.action == "end_conversation":
            self.ended = True
        return d

    def _append(self, msg: Message) -> None:
        self.messages.append(msg)

    def _validate_one(self, message: Any) -> Message:
        idx = len(self.messages)
        if isinstance(message, Message):
            message = message.to_dict()
        if not isinstance(message, Mapping):
            raise ConversationError(f"must be an object with 'role' and 'content', got {type(message).__name__}",
                                    source="session", field=f"messages[{idx}]")
        opts = ValidationOptions(max_message_chars=self.guard.validation.max_message_chars)
        try:
            # a lone assistant/system message is valid here, so validate it behind a user turn
            return validate_messages([{"role": "user", "content": ""}, dict(message)], opts)[1]
        except ConversationError as e:
            fieldname = (e.field or "").replace("messages[1]", f"messages[{idx}]", 1)
            raise ConversationError(e.message, source="session", field=fieldname) from None

    def reset(self) -> None:
        """Start over (a fresh chat) with the same guard and locale."""
        self.messages.clear()
        self.decisions.clear()
        self.ended = False
        self.last = None


def _parity_report(root: Path) -> dict:
    p = root / "onnx" / "parity.json"
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError, UnicodeDecodeError):
        return {}


def _parity_margin(root: Path) -> float | None:
    m = _parity_report(root).get("variants", {}).get("int8", {}).get("fallback_margin")
    return float(m) if isinstance(m, (int, float)) and m > 0 else None


def _warn_failed_parity(root: Path, variant: str, cascade: bool = False) -> None:
    p = root / "onnx" / "parity.json"
    rep = _parity_report(root)
    v = rep.get("variants", {}).get(variant, {})
    if cascade:
        c = rep.get("variants", {}).get("int8_cascade", {})
        log.info("ONNX int8 with fp32 fallback near the thresholds (margin %.3f logits; at export: agreement %s, "
                 "fallback on %s of rows)", _parity_margin(root) or 0.0, c.get("decision_agreement"),
                 c.get("fallback_fraction"))
        if c and not c.get("passed", True):
            log.warning("ONNX int8 cascade FAILED its parity check at export time; see %s", p)
        return
    if v and not v.get("passed", True):
        log.warning("ONNX %s export of this bundle FAILED its parity check at export time (decision agreement "
                    "%.4f < %.4f): decisions may differ from PyTorch; see %s", variant,
                    v.get("decision_agreement", float("nan")), v.get("min_agreement", float("nan")), p)
