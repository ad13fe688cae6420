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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .bundle import BundleError
# the backends and the per-detector machinery live in convguard.detectors; re-exported here, their
# historical home (tests, benchmarks, docs and model cards import them from convguard.guard)
from .detectors import (REQUIRED_HEADS, Detector, OnnxBackend, TorchBackend, _check_detector_config,  # noqa: F401
                        _resolve_precision, decision_evidence, turn_evidence)
from .policy import Policy, PolicyResult, evidence_keys, harm_scores, self_harm_probs, terminate_thresholds
from .schema import ConversationError, Message, ValidationOptions, validate_messages
from .taxonomy import PERSISTENCE_VALUES, Taxonomy

log = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx")
ONNX_VARIANTS = ("fp32", "int8")


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

    def _raw_logit(self, p: Any, head: str) -> tuple[np.ndarray, float]:
        """``(logit before temperature, temperature)`` of ``head``'s probabilities ``p``."""
        temp = float(self.policy.temperature.get(head, 1.0))
        eps = 1e-7
        p = np.clip(np.asarray(p, dtype=np.float64), eps, 1 - eps)
        return np.log(p / (1 - p)) * temp, temp

    def _near_threshold(self, scores: Mapping[str, np.ndarray], head: str, threshold: float) -> np.ndarray:
        """Rows whose ``head`` logit (before temperature) is within the margin of the threshold's."""
        z, _ = self._raw_logit(scores[head], head)
        zt, _ = self._raw_logit(float(threshold), head)
        return np.abs(z - zt) < self.fallback_margin

    def _interval(self, p: np.ndarray, head: str, logits: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
        """Where ``head``'s probability can lie when its logit (before temperature) is off by up to
        the margin: the int8 score's fp32 counterpart is inside.  ``logits``: how many logits' errors
        move it (2 for one class's probability of a softmax: its log-odds move by at most two)."""
        z, temp = self._raw_logit(p, head)
        m = float(self.fallback_margin) * logits
        return 1 / (1 + np.exp(-(z - m) / temp)), 1 / (1 + np.exp(-(z + m) / temp))

    @staticmethod
    def _contains(lo: np.ndarray, hi: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
        """Rows whose interval ``[lo, hi]`` contains one of ``thresholds``."""
        out = np.zeros(len(lo), dtype=bool)
        for t in thresholds:
            out |= (lo <= t) & (t <= hi)
        return out

    def _mean_near(self, terminate: np.ndarray, harmful: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
        """Rows whose mean harm score (``rules.harm_score: mean``) may lie on either side of a
        threshold: the interval of the two probabilities' mean, each within the margin in its own
        logit units, contains it.  (The mean's own logit is no measure of its error: its threshold
        sits mid-scale, where a logit margin covers nearly every row.)"""
        lo_t, hi_t = self._interval(terminate, "terminate")
        lo_h, hi_h = self._interval(harmful, "harmful_max")
        return self._contains((lo_t + lo_h) / 2, (hi_t + hi_h) / 2, thresholds)

    def _crisis_near(self, cs: Mapping[str, np.ndarray], sh: np.ndarray | None) -> tuple[np.ndarray, np.ndarray]:
        """``(rows whose crisis decision may flip, those of them where the harm detector's
        self-harm probability is part of the score that may flip)``.  The hold
        (``thresholds.crisis_hold``) reads the turn detector's own score: its logit within the
        margin of the hold's.  The support threshold reads the policy's crisis score: the turn
        detector's alone the same way, or, mixed with the harm head's self-harm probability ``sh``
        (``rules.crisis_self_harm_weight``), where the interval of the mix contains the threshold."""
        th = self.policy.thresholds
        w = float(self.policy.rules.crisis_self_harm_weight)
        out = np.zeros(len(np.asarray(cs["crisis"])), dtype=bool)
        if th.crisis_hold is not None:
            out |= self._near_threshold(cs, "crisis", th.crisis_hold)
        if w == 0 or sh is None:
            return out | self._near_threshold(cs, "crisis", th.crisis), np.zeros(len(out), dtype=bool)
        lo_c, hi_c = self._interval(cs["crisis"], "crisis")
        lo_s, hi_s = self._interval(sh, "harm_category", logits=2)  # no temperature: a softmax class
        mixed = self._contains((1 - w) * lo_c + w * lo_s, (1 - w) * hi_c + w * hi_s, [th.crisis])
        return out | mixed, mixed

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

        mean_near = np.zeros(len(convs), dtype=bool)
        if rules.harm_score == "turn":
            # the harm score is the turn detector's (below): no harm-detector score meets a threshold
            harm_near = np.zeros(len(convs), dtype=bool)
        elif rules.harm_score == "mean" and "harmful_max" in cs:
            # the mean of both detectors' scores meets the threshold: where it may fall on either
            # side of one, re-score both
            mean_near = self._mean_near(hs["terminate"], cs["harmful_max"], term_ths)
            harm_near = mean_near
        elif rules.harm_score == "harmful" and "harm_category" in hs:
            # the score the policy compares: P(harmful) from the category head (no temperature)
            harm_near = near_any({"harmful": harm_scores(hs, rules, self.taxonomy)}, "harmful")
        else:
            harm_near = near_any(hs, "terminate")
        if th.terminate_by_category and "harm_category" in hs:
            # the predicted category picks the threshold: re-score rows whose top two categories are close
            top2 = np.sort(np.log(np.clip(hs["harm_category"], 1e-7, 1.0)), axis=1)[:, -2:]
            harm_near = harm_near | ((top2[:, 1] - top2[:, 0]) < 2 * self.fallback_margin)
        # the crisis score meets thresholds.crisis (and the hold's): where it may fall on either side
        # of one, re-score the turn detector -- and the harm detector when its self-harm
        # probability is part of the score
        sh = self_harm_probs(hs, self.taxonomy)  # the crisis mix and the self-harm veto read it
        crisis_near, mixed_near = self._crisis_near(cs, sh)
        harm_near = harm_near | mixed_near
        # the self-harm veto compares the harm head's self-harm probability with rules.self_harm_veto,
        # on would-be ends only: rows at or over a termination threshold (those near one are re-scored
        # already), where that probability may lie on either side of the veto's
        if sh is not None and rules.self_harm_veto < 1.0:
            over = harm_scores({**hs, **cs}, rules, self.taxonomy) >= min(term_ths)
            harm_near = harm_near | (over & self._contains(*self._interval(sh, "harm_category", logits=2),
                                                            [float(rules.self_harm_veto)]))
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
        crisis_near |= mean_near
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
             "harm_score": float(result.harm_score[i]),
             # what the policy compared with thresholds.crisis (rules.crisis_self_harm_weight)
             "crisis_score": float(result.crisis_score[i])}
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
