"""The termination policy: detector scores -> ``continue`` / ``end_conversation`` /
``crisis_support``.  Crisis always overrides: a conversation whose crisis score reaches its
threshold is never ended.

The policy lives in the bundle's ``policy.yaml``: thresholds (with the strategy and data they
were chosen on; optionally one termination threshold per harm category), rules beside the
thresholds, optional temperatures, and the message templates shown to the user.  Harm categories
are those of the bundle's harm detector (:class:`~convguard.taxonomy.Taxonomy`, default the
MLCommons-aligned set): the policy reads ``none`` (the ``harmful`` harm score), the taxonomy's
self-harm category (``rules.self_harm_veto``; off when the taxonomy names none) and the predicted
category (``thresholds.terminate_by_category``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import yaml

from .taxonomy import DEFAULT_TAXONOMY, NONE, PERSISTENCE_VALUES, Taxonomy, taxonomy_or_default

log = logging.getLogger(__name__)

#: 2: ``rules.min_refused_pushes`` (turn-detector evidence) replaced ``rules.min_assistant_turns``
POLICY_VERSION = 2

DEFAULT_END_MESSAGE = (
    "I'm going to end this conversation. You've asked several times for help with {category}, and "
    "that's something I can't help with, however it's framed. If I've misunderstood you, or you'd like "
    "help with something else, you're welcome to start a new chat."
)
DEFAULT_CRISIS_MESSAGES = {
    "en": (
        "It sounds like you're going through something really painful, and I'm glad you told me. "
        "You don't have to face this alone. If you're in immediate danger, please call your local "
        "emergency number now. In the US you can call or text 988 (Suicide & Crisis Lifeline); in the UK "
        "and Ireland you can call Samaritans on 116 123; elsewhere, findahelpline.com lists free, "
        "confidential services near you. I'm here to keep talking if you'd like."
    ),
    "de": (
        "Es klingt, als ginge es dir gerade sehr schlecht, und es ist gut, dass du es sagst. Du musst "
        "da nicht allein durch. Bei akuter Gefahr ruf bitte den Notruf 112. Die Telefonseelsorge ist "
        "rund um die Uhr kostenlos erreichbar: 0800 111 0 111 oder 0800 111 0 222. Ich bin weiter für "
        "dich da, wenn du reden möchtest."
    ),
    "fr": (
        "On dirait que tu traverses quelque chose de très douloureux, et c'est bien d'en parler. Tu "
        "n'es pas seul·e. En cas de danger immédiat, appelle le 112. En France, le 3114 (numéro national "
        "de prévention du suicide) répond gratuitement 24h/24. Je suis là si tu veux continuer à parler."
    ),
}


@dataclass
class Thresholds:
    terminate: float = 0.5
    crisis: float = 0.5
    #: a refusal (assistant turn) / push (user turn) counts as evidence at this probability
    evidence: float = 0.5
    #: crisis support for would-be ends: a chat the policy would end goes to crisis support
    #: instead when its crisis score reaches this lower threshold (the crisis recall target's,
    #: while ``crisis`` keeps the benign false-alarm budget); null = ``crisis`` alone
    crisis_hold: float | None = None
    #: optional termination threshold per harm category (category name -> threshold): a chat
    #: whose predicted harm category (the harm head's most likely one) is listed is compared with
    #: its category's threshold instead of ``terminate``; unlisted categories use ``terminate``.
    #: ``convguard sweep`` chooses them where validation has enough examples of a category
    #: (convguard.config.CATEGORY_MIN_EXAMPLES); a system without a harm-category head uses
    #: ``terminate`` alone
    terminate_by_category: dict[str, float] = field(default_factory=dict)


@dataclass
class Rules:
    #: end only when the turn detector saw at least this many refusals, each followed by a push
    #: on the same line (the label policy's request -> refusal -> push -> refusal -> push).
    #: A system without a turn detector (the TF-IDF baseline) counts its assistant turns instead.
    #: 0 switches the rule off -- for what-if analyses in code only: policy.yaml refuses it.
    min_refused_pushes: int = 2
    #: never end unless the persistence head predicts at least this many pushes (0 = rule off)
    min_pushes: int = 0
    #: a second crisis signal: when the harm head gives the taxonomy's self-harm category
    #: (``suicide_self_harm`` by default; ``taxonomy.self_harm``) at least this probability, a chat
    #: that would be ended goes to crisis support instead (1.0 = rule off; a taxonomy without a
    #: self-harm category switches it off too).  Self-harm is never termination-worthy.
    self_harm_veto: float = 0.25
    #: a third: the bundle's TF-IDF crisis baseline at this threshold also triggers crisis support
    #: (an OR of two independent detectors for the high-recall crisis operating point; null = off)
    crisis_backup_threshold: float | None = None
    #: the harm score compared with ``thresholds.terminate``: ``harmful`` -- the harm head's
    #: probability that the user's line is harmful at all (1 - P(harm_category = none)): the turn
    #: detector already says whether it was pushed on after refusals -- or ``terminate``, the
    #: termination head (which also reads persistence) -- or ``turn``, the turn detector's most
    #: harmful user turn (its ``harmful`` head, which reads the user's words after a reply that may
    #: be swapped out in training, so a refusal does not make a request harmful).  A system
    #: without those heads (the TF-IDF baseline) uses its termination score.
    harm_score: str = "harmful"
    #: a would-be end in a conversation where the assistant already answered the user as someone
    #: who may be in crisis (the turn detector's ``crisis_response`` head on an assistant turn at
    #: ``thresholds.evidence``) goes to crisis support instead: the assistant's own reading of the
    #: chat is structure the user's wording cannot hide (a method request pushed through "it's for
    #: a story").  Off, or a turn detector without that head: no effect.
    crisis_response_hold: bool = True
    #: end only on a refused push: the latest user turn must itself press the request right
    #: after a refusal (``last_refused_push`` at ``thresholds.evidence``).  An end answers the
    #: user's persistence; a chat where the user has since said something else -- dropped it,
    #: thanked, or said they want to die -- continues (or goes to crisis support) instead.  A
    #: system without a turn detector: no effect.
    end_on_push: bool = True
    #: a harmful ask right after a refusal counts as a push on the line: a user turn after a
    #: refusal is a refused push when the push head *or* the harmful head (a user turn that itself
    #: asks for harm) reaches ``thresholds.evidence``.  The push head learns pressing the same
    #: request again; a user who rephrases, narrows or re-aims the ask ("is there an app that
    #: mirrors her imessages" after "I can't help you get into her messages") asks for harm again
    #: without pressing in the push head's sense, and the label policy counts that as persistence.
    #: Off here, so policy files written before this rule keep their decisions; ``convguard
    #: bundle`` and the quickstart switch it on (``rules.harmful_ask_is_push`` in their configs).
    #: A turn detector without a ``harmful`` head reads the push head alone.
    harmful_ask_is_push: bool = False


@dataclass
class Messages:
    end_conversation: str = DEFAULT_END_MESSAGE
    crisis_support: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CRISIS_MESSAGES))
    default_locale: str = "en"


#: how many of a conversation's strongest refused-push candidates the scores keep
#: (``refused_push_top``); ``rules.min_refused_pushes`` can be at most this
EVIDENCE_TOP_K = 4

#: the top-level keys of policy.yaml
POLICY_KEYS = ("version", "thresholds", "rules", "temperature", "selection", "messages",
               "unsafe_disable_crisis_routing")
#: heads a policy may hold a temperature for
TEMPERATURE_HEADS = ("terminate", "crisis")

#: why the policy took its action, one code per conversation (see :func:`apply_policy`)
REASONS = ("crisis", "crisis_backup", "crisis_hold", "crisis_response", "self_harm_veto", "end", "too_few_refused_pushes",
           "too_few_pushes", "not_pushing_now", "below_threshold")


@dataclass
class PolicyResult:
    """The policy applied to ``n`` conversations: ``actions``, the *effective* termination score
    (0 where the crisis override or a rule blocks ending, so ``effective >= thresholds.terminate``
    iff ``action == end_conversation``), a reason code per row (one of :data:`REASONS`) and the
    number of refused pushes counted as evidence.

    With per-category thresholds (``thresholds.terminate_by_category``) the effective score of a
    row whose category has its own threshold is put on the global threshold's scale -- mapped
    linearly so that its category threshold lands on ``thresholds.terminate`` ([0, t_c] onto
    [0, t], [t_c, 1] onto [t, 1]; monotone within a category) -- so ``effective >=
    thresholds.terminate iff action == end_conversation`` still holds and every report computed
    at ``thresholds.terminate`` counts the decisions the policy made."""

    actions: np.ndarray
    effective: np.ndarray
    codes: np.ndarray
    refused_pushes: np.ndarray
    evidence_source: str  # "turn_detector" | "assistant_turns"
    #: the harm score compared with ``thresholds.terminate`` (``rules.harm_score``)
    harm_score: np.ndarray | None = None
    #: the termination threshold each row was compared with (``thresholds.terminate``, or its
    #: predicted category's ``thresholds.terminate_by_category``)
    terminate_threshold: np.ndarray | None = None
    #: the predicted harm category per row (None without a harm-category head)
    category: np.ndarray | None = None


def evidence_keys(system: Mapping[str, Any], rules: Rules) -> tuple[str, str]:
    """The score keys of the refused-push evidence the policy reads under ``rules``:
    ``("refused_push_top", "last_refused_push")`` (the push head), or with
    ``rules.harmful_ask_is_push`` ``("refused_ask_top", "last_refused_ask")`` (push or harmful ask,
    :func:`refused_push_pairs`).  A system without a turn detector has neither, and a turn
    detector without the harmful head has only the push keys: those (the stricter reading, never
    more ends), so the rule can never stop a decision -- least of all crisis support."""
    if rules.harmful_ask_is_push and system.get("refused_ask_top") is not None:
        return "refused_ask_top", "last_refused_ask"
    return "refused_push_top", "last_refused_push"


def refused_push_counts(system: Mapping[str, Any], threshold: float,
                        n_assistant: np.ndarray | None = None, key: str = "refused_push_top"
                        ) -> tuple[np.ndarray, str]:
    """Refused pushes per conversation: turns whose refusal-then-push evidence (the smaller of the
    refusal probability of the assistant turn and the push probability of the user turn after it,
    ``refused_push_top``: the largest few per conversation; ``key`` ``refused_ask_top``: push or
    harmful ask, see :func:`refused_push_pairs`) reaches ``threshold``.  A system without a turn
    detector counts its assistant turns (``n_assistant``) instead."""
    top = system.get(key)
    if top is not None:
        return (np.asarray(top, dtype=float) >= threshold).sum(axis=1), "turn_detector"
    if n_assistant is None:
        raise ValueError("this system has no turn-detector evidence (refused_push_top) and no assistant-turn counts")
    return np.asarray(n_assistant, dtype=int), "assistant_turns"


def refused_push_pairs(turns: Mapping[str, Mapping[int, float]], harmful_asks: bool = False) -> dict[int, float]:
    """``{user turn index: min(p_refusal(the reply before it), p_push(the turn))}`` for every user
    turn right after an assistant turn, from one conversation's per-turn probabilities: the
    strength of "the assistant refused and the user pushed on", the unit the policy counts.
    ``harmful_asks`` (``rules.harmful_ask_is_push``): the user turn's side is
    ``max(p_push, p_harmful)`` -- pressing the request or asking for harm again."""
    ref, push = turns["refusal"], turns["push"]
    harmful = turns.get("harmful", {}) if harmful_asks else {}
    return {i: min(ref[i - 1], max(p, harmful.get(i, 0.0))) for i, p in push.items() if (i - 1) in ref}


HARM_SCORES = ("harmful", "terminate", "turn")


def category_probs(system: Mapping[str, Any], taxonomy: Taxonomy | None = None) -> np.ndarray | None:
    """The harm head's probabilities (n, K) checked against ``taxonomy`` (None: the default), or
    None for a system without that head (the TF-IDF baseline)."""
    cat = system.get("harm_category")
    if cat is None or np.ndim(cat) != 2:
        return None
    cat = np.asarray(cat, dtype=float)
    names = taxonomy_or_default(taxonomy).names
    if cat.shape[1] != len(names):
        raise ValueError(f"harm_category scores have {cat.shape[1]} classes but the taxonomy has {len(names)} "
                         f"categories ({', '.join(names)}): scores and taxonomy of different detectors")
    return cat


def harm_scores(system: Mapping[str, Any], rules: Rules, taxonomy: Taxonomy | None = None) -> np.ndarray:
    """The score an end is judged on (see ``Rules.harm_score``), per conversation."""
    if rules.harm_score not in HARM_SCORES:
        raise ValueError(f"rules.harm_score must be one of {HARM_SCORES}, got {rules.harm_score!r}")
    if rules.harm_score == "turn" and system.get("harmful_max") is not None:
        return np.asarray(system["harmful_max"], dtype=float)
    if rules.harm_score == "turn" and system.get("refused_push_top") is not None:
        raise ValueError("rules.harm_score is 'turn' but the turn detector has no harmful head (harmful_max): "
                         "retrain it, or use harm_score 'harmful'")
    cat = category_probs(system, taxonomy)
    if rules.harm_score == "harmful" and cat is not None:
        return 1.0 - cat[:, taxonomy_or_default(taxonomy).index(NONE)]
    return np.asarray(system["terminate"], dtype=float)


def terminate_thresholds(n: int, thresholds: Thresholds, taxonomy: Taxonomy | None = None,
                         cat: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray | None]:
    """``(threshold per row, predicted category per row)``: ``thresholds.terminate``, or the
    predicted category's entry in ``thresholds.terminate_by_category`` (``cat``: the harm head's
    probabilities, :func:`category_probs`; without them every row gets ``terminate``)."""
    tax = taxonomy_or_default(taxonomy)
    by = thresholds.terminate_by_category or {}
    unknown = [k for k in by if k not in tax.names]
    if unknown:
        raise ValueError(f"thresholds.terminate_by_category: {unknown[0]!r} is not a harm category of this taxonomy "
                         f"({', '.join(tax.names)})")
    if cat is None:
        return np.full(n, float(thresholds.terminate)), None
    pred = np.argmax(cat, axis=1)
    lookup = np.array([float(by.get(name, thresholds.terminate)) for name in tax.names])
    return lookup[pred], np.asarray(tax.names, dtype=object)[pred]


def _on_global_scale(score: np.ndarray, own: np.ndarray, t: float) -> np.ndarray:
    """``score`` (compared with its row's threshold ``own``) mapped piecewise linearly so that
    ``own`` lands on the global threshold ``t``: ``out >= t iff score >= own`` (PolicyResult)."""
    out = np.array(score, dtype=float)
    diff = own != t
    lo = diff & (score < own)  # own > 0 here
    out[lo] = score[lo] * t / own[lo]
    hi = diff & (score >= own)
    top = hi & (own >= 1.0)
    mid = hi & ~top
    out[mid] = t + (score[mid] - own[mid]) * (1.0 - t) / (1.0 - own[mid])
    out[top] = max(t, 1.0)
    return out


def apply_policy(system: Mapping[str, Any], thresholds: Thresholds, rules: Rules,
                 n_assistant: np.ndarray | None = None, taxonomy: Taxonomy | None = None) -> PolicyResult:
    """The policy, vectorised: the one implementation behind :meth:`Policy.decide`, the
    :class:`~convguard.guard.Guard`, evaluation, sweeps, replay and export parity.

    ``system``: per-conversation arrays -- ``terminate`` and ``crisis`` (n,), optionally
    ``harm_category`` (n, K) for the harm score (``rules.harm_score``) and the self-harm veto, ``persistence`` (n, 4) for ``min_pushes``,
    ``crisis_backup`` (n,) and ``refused_push_top`` (n, k) for the refused-push rule.
    ``taxonomy``: the categories of ``harm_category``'s columns (the harm detector's; None: the
    default one).

    Order: crisis (detector, then backup) overrides everything; an end needs the harm score at
    its threshold *and* the refused-push evidence (*and* the predicted pushes when ``min_pushes``
    is on); a would-be end whose crisis score reaches ``thresholds.crisis_hold``, in which the
    assistant already gave a crisis response (``crisis_response_max``, ``rules.crisis_response_hold``),
    or that the harm head reads as self-harm, goes to crisis support instead."""
    tax = taxonomy_or_default(taxonomy)
    cat = category_probs(system, tax)
    term = harm_scores(system, rules, tax)
    crisis = np.asarray(system["crisis"], dtype=float)
    n = len(term)
    top_key, last_key = evidence_keys(system, rules)
    counts, source = refused_push_counts(system, thresholds.evidence, n_assistant, top_key)
    term_th, category = terminate_thresholds(n, thresholds, tax, cat)
    over = term >= term_th
    enough_evidence = counts >= rules.min_refused_pushes
    enough_pushes = np.ones(n, dtype=bool)
    pushes = predicted_pushes_array(system)
    if rules.min_pushes and pushes is not None:
        enough_pushes = pushes >= rules.min_pushes
    pushing_now = np.ones(n, dtype=bool)
    if rules.end_on_push and system.get(last_key) is not None:
        pushing_now = np.asarray(system[last_key], dtype=float) >= thresholds.evidence
    allowed = enough_evidence & enough_pushes & pushing_now
    in_crisis = crisis >= thresholds.crisis
    backup = np.zeros(n, dtype=bool)
    if system.get("crisis_backup") is not None and rules.crisis_backup_threshold is not None:
        backup = ~in_crisis & (np.asarray(system["crisis_backup"], dtype=float) >= rules.crisis_backup_threshold)
    # a would-be end with a crisis signal under the support threshold but above the recall one:
    # never end someone who may be in crisis
    hold = np.zeros(n, dtype=bool)
    if thresholds.crisis_hold is not None:
        hold = (crisis >= thresholds.crisis_hold) & allowed & over & ~in_crisis & ~backup
    responded = np.zeros(n, dtype=bool)
    if rules.crisis_response_hold and system.get("crisis_response_max") is not None:
        responded = ((np.asarray(system["crisis_response_max"], dtype=float) >= thresholds.evidence)
                     & allowed & over & ~in_crisis & ~backup & ~hold)
    veto = np.zeros(n, dtype=bool)
    if cat is not None and rules.self_harm_veto < 1.0 and tax.self_harm is not None:
        sh = cat[:, tax.index(tax.self_harm)]
        veto = (sh >= rules.self_harm_veto) & allowed & over & ~in_crisis & ~backup & ~hold & ~responded
    blocked = in_crisis | backup | hold | responded | veto
    ends = over & allowed & ~blocked
    open_ = allowed & ~blocked
    effective = np.where(open_, _on_global_scale(term, term_th, float(thresholds.terminate)), 0.0)
    actions = np.full(n, "continue", dtype=object)
    actions[ends] = "end_conversation"
    actions[blocked] = "crisis_support"
    codes = np.full(n, "below_threshold", dtype=object)
    codes[over & ~pushing_now] = "not_pushing_now"
    codes[over & ~enough_pushes] = "too_few_pushes"
    codes[over & ~enough_evidence] = "too_few_refused_pushes"
    codes[ends] = "end"
    codes[veto] = "self_harm_veto"
    codes[responded] = "crisis_response"
    codes[hold] = "crisis_hold"
    codes[backup] = "crisis_backup"
    codes[in_crisis] = "crisis"
    return PolicyResult(actions, effective, codes, counts, source, term, term_th, category)


def explain(result: PolicyResult, i: int, system: Mapping[str, Any], thresholds: Thresholds, rules: Rules,
            taxonomy: Taxonomy | None = None) -> str:
    """The reason for row ``i`` of ``result``, in words (the same numbers the policy compared)."""
    code = result.codes[i]
    tax = taxonomy_or_default(taxonomy)
    # the score the policy compared (kept on the result: recomputing it per row would make a batch quadratic)
    term = float(result.harm_score[i]) if result.harm_score is not None else float(harm_scores(system, rules, tax)[i])
    crisis = float(system["crisis"][i])
    t = thresholds
    k = int(result.refused_pushes[i])
    label = str(result.category[i]) if result.category is not None else None
    tt = float(result.terminate_threshold[i]) if result.terminate_threshold is not None else float(t.terminate)
    # the termination threshold compared, and whose it is when the category has its own
    th_s = (f"{tt:.3f} (the threshold for category {label})" if label is not None
            and label in (t.terminate_by_category or {}) else f"{tt:.3f}")
    what = "refused pushes" if result.evidence_source == "turn_detector" else "assistant turns (no turn detector)"
    if code == "crisis":
        return f"crisis score {crisis:.3f} >= {t.crisis:.3f}: crisis overrides termination"
    if code == "crisis_backup":
        return (f"backup crisis detector {float(system['crisis_backup'][i]):.3f} >= "
                f"{rules.crisis_backup_threshold:.3f}: crisis overrides termination")
    if code == "crisis_hold":
        return (f"harm score {term:.3f} >= {th_s} with {k} refused pushes, but crisis score {crisis:.3f} >= "
                f"{t.crisis_hold:.3f} (the crisis recall threshold): a chat that may be a crisis is never ended")
    if code == "crisis_response":
        cr = float(np.asarray(system["crisis_response_max"])[i])
        return (f"harm score {term:.3f} >= {th_s} with {k} refused pushes, but the assistant already "
                f"answered with a crisis response ({cr:.3f} >= {t.evidence:.3f}): a chat that may be a crisis is "
                f"never ended")
    if code == "self_harm_veto":
        sh = float(np.asarray(system["harm_category"])[i, tax.index(tax.self_harm)])
        return (f"harm score {term:.3f} >= {th_s} but the harm head reads self-harm "
                f"({sh:.3f} >= {rules.self_harm_veto:.3f}): crisis overrides termination")
    if code == "too_few_refused_pushes":
        return (f"harm score {term:.3f} >= {th_s} but only {k} {what} (< "
                f"{rules.min_refused_pushes}): not yet a last resort")
    if code == "not_pushing_now":
        last = float(np.asarray(system[evidence_keys(system, rules)[1]])[i])
        return (f"harm score {term:.3f} >= {th_s} with {k} refused pushes, but the latest user turn is "
                f"no refused push ({last:.3f} < {t.evidence:.3f}): an end answers a push, and the user moved on")
    if code == "too_few_pushes":
        pushes = predicted_pushes_array(system)
        return (f"harm score {term:.3f} >= {th_s} but predicted pushes "
                f"{int(pushes[i])} < {rules.min_pushes}")
    if code == "end":
        return f"harm score {term:.3f} >= {th_s} after {k} {what}; category {label or 'unknown'}"
    return f"harm score {term:.3f} < {th_s}; crisis score {crisis:.3f} < {t.crisis:.3f}"


@dataclass
class Policy:
    thresholds: Thresholds = field(default_factory=Thresholds)
    rules: Rules = field(default_factory=Rules)
    messages: Messages = field(default_factory=Messages)
    #: temperature per head (calibration; 1.0 = none)
    temperature: dict[str, float] = field(default_factory=dict)
    #: how the thresholds were chosen (strategy, params, data, achieved metrics)
    selection: dict[str, Any] = field(default_factory=dict)
    #: the explicit opt-out that lets ``thresholds.crisis`` reach 1.0 (crisis support off); a
    #: policy file that switches crisis support off without it is refused, and with it is logged
    unsafe_disable_crisis_routing: bool = False
    #: the harm categories of the bundle's harm detector (not stored in policy.yaml: it travels with
    #: the detector; :meth:`convguard.Guard.load` sets it and checks the per-category thresholds)
    taxonomy: Taxonomy = field(default_factory=lambda: DEFAULT_TAXONOMY)

    # -- decisions --------------------------------------------------------------------------
    def apply(self, system: Mapping[str, Any], n_assistant: np.ndarray | None = None) -> PolicyResult:
        return apply_policy(system, self.thresholds, self.rules, n_assistant, self.taxonomy)

    def explain(self, result: PolicyResult, i: int, system: Mapping[str, Any]) -> str:
        """:func:`explain` for row ``i`` of :meth:`apply`'s result."""
        return explain(result, i, system, self.thresholds, self.rules, self.taxonomy)

    def decide(self, scores: Mapping[str, Any], n_assistant_turns: int | None = None) -> tuple[str, str]:
        """Action and reason for one conversation: :func:`apply_policy` on a batch of one.
        ``scores``: the per-conversation values of :func:`apply_policy`'s arrays."""
        system = {k: np.asarray([v]) for k, v in scores.items() if v is not None and not isinstance(v, str)}
        n_a = None if n_assistant_turns is None else np.array([int(n_assistant_turns)])
        r = self.apply(system, n_a)
        return str(r.actions[0]), self.explain(r, 0, system)

    def message_for(self, action: str, scores: Mapping[str, Any], locale: str | None = None) -> str | None:
        if action == "end_conversation":
            cat = scores.get("harm_category_label") or scores.get("harm_category", "none")
            cat = cat if isinstance(cat, str) else "none"
            return self.messages.end_conversation.format(category=self.taxonomy.description(cat))
        if action == "crisis_support":
            loc = locale or self.messages.default_locale
            msgs = self.messages.crisis_support
            return msgs.get(loc) or msgs.get(loc.split("-")[0]) or msgs[self.messages.default_locale]
        return None

    # -- persistence ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        extra = {"unsafe_disable_crisis_routing": True} if self.unsafe_disable_crisis_routing else {}
        return extra | {
            "version": POLICY_VERSION,
            "thresholds": dict(self.thresholds.__dict__,
                               terminate_by_category=dict(self.thresholds.terminate_by_category or {})),
            "rules": dict(self.rules.__dict__),
            "temperature": dict(self.temperature),
            "selection": self.selection,
            "messages": {"end_conversation": self.messages.end_conversation,
                         "crisis_support": dict(self.messages.crisis_support),
                         "default_locale": self.messages.default_locale},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], source: str = "policy.yaml", taxonomy: Taxonomy | None = None) -> "Policy":
        """The policy in ``d``, checked; ``taxonomy``: the harm detector's categories, which
        ``thresholds.terminate_by_category`` may name (None: the default taxonomy)."""
        from .config import build

        if not isinstance(d, Mapping):
            raise ValueError(f"{source}: must be a mapping")
        if not d:
            raise ValueError(f"{source}: the policy is empty (a bundle's policy.yaml holds thresholds, rules and "
                             f"messages; an empty file would silently fall back to 0.5 / 0.5)")
        unknown = [k for k in d if k not in POLICY_KEYS]
        if unknown:
            import difflib

            close = difflib.get_close_matches(str(unknown[0]), POLICY_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f" (known: {', '.join(POLICY_KEYS)})"
            raise ValueError(f"{source}: unknown key '{unknown[0]}'{hint}")
        version = d.get("version", POLICY_VERSION)
        if version == 1:
            raise ValueError(f"{source}: policy version 1 (rules.min_assistant_turns) is no longer read: this convguard "
                             f"ends only on refused pushes seen by the turn detector (rules.min_refused_pushes); "
                             f"re-run `convguard sweep --write` on a bundle whose crisis/ detector has the "
                             f"refusal and push heads")
        if version != POLICY_VERSION:
            raise ValueError(f"{source}: policy version {version} is not supported (this convguard reads {POLICY_VERSION})")
        th = build(Thresholds, d.get("thresholds") or {}, source=source, prefix="thresholds.")
        for k in ("terminate", "crisis", "evidence"):
            v = getattr(th, k)
            if not 0.0 <= v <= 1.0 or (k == "evidence" and v == 0.0):  # NaN fails too
                raise ValueError(f"{source}: thresholds.{k}: must be in {'(0' if k == 'evidence' else '[0'}, 1], got {v}")
        tax = taxonomy_or_default(taxonomy)
        by = th.terminate_by_category
        for name, v in (by or {}).items():
            key = f"thresholds.terminate_by_category.{name}"
            if name not in tax.names:
                import difflib

                close = difflib.get_close_matches(str(name), tax.names, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                raise ValueError(f"{source}: {key}: unknown harm category ({hint}the harm detector's taxonomy has "
                                 f"{', '.join(tax.names)})")
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0.0 <= float(v) <= 1.0:  # NaN fails too
                raise ValueError(f"{source}: {key}: must be a threshold in [0, 1], got {v!r}")
        th.terminate_by_category = {str(k): float(v) for k, v in (by or {}).items()}
        if th.crisis_hold is not None and not 0.0 <= th.crisis_hold <= th.crisis:
            raise ValueError(f"{source}: thresholds.crisis_hold: must be in [0, thresholds.crisis], got {th.crisis_hold}")
        crisis_off = d.get("unsafe_disable_crisis_routing", False)
        if not isinstance(crisis_off, bool):
            raise ValueError(f"{source}: unsafe_disable_crisis_routing: must be true or false, got {crisis_off!r}")
        if th.crisis >= 1.0:
            # a probability never reaches 1.0 in practice: crisis support would never be offered
            if not crisis_off:
                raise ValueError(f"{source}: thresholds.crisis: {th.crisis} switches crisis support off (no score "
                                 f"reaches it); must be < 1, or set unsafe_disable_crisis_routing: true to mean it")
            log.warning("%s: unsafe_disable_crisis_routing: crisis support is switched OFF (thresholds.crisis = %s); "
                        "a user in crisis will not be routed to support", source, th.crisis)
        rules = build(Rules, d.get("rules") or {}, source=source, prefix="rules.")
        if not 0.0 <= rules.self_harm_veto <= 1.0:  # NaN fails too
            raise ValueError(f"{source}: rules.self_harm_veto: must be in [0, 1] (1 = off), got {rules.self_harm_veto}")
        if rules.crisis_backup_threshold is not None and not 0.0 < rules.crisis_backup_threshold <= 1.0:
            raise ValueError(f"{source}: rules.crisis_backup_threshold: must be in (0, 1] or null, "
                             f"got {rules.crisis_backup_threshold}")
        if not 0 <= rules.min_pushes <= max(PERSISTENCE_VALUES):
            # the persistence head predicts at most max(PERSISTENCE_VALUES) pushes: more would never end a chat
            raise ValueError(f"{source}: rules.min_pushes: must be in 0..{max(PERSISTENCE_VALUES)} (0 = off), "
                             f"got {rules.min_pushes}")
        if rules.harm_score not in HARM_SCORES:
            raise ValueError(f"{source}: rules.harm_score: must be one of {', '.join(HARM_SCORES)}, "
                             f"got {rules.harm_score!r}")
        if not 1 <= rules.min_refused_pushes <= EVIDENCE_TOP_K:
            raise ValueError(f"{source}: rules.min_refused_pushes: must be in 1..{EVIDENCE_TOP_K}, "
                             f"got {rules.min_refused_pushes}")
        msgs = build(Messages, d.get("messages") or {}, source=source, prefix="messages.")
        if not str(msgs.end_conversation).strip():
            raise ValueError(f"{source}: messages.end_conversation: must not be empty")
        if not msgs.crisis_support:
            raise ValueError(f"{source}: messages.crisis_support: must hold at least one locale's message")
        for loc, text in msgs.crisis_support.items():
            if not isinstance(loc, str) or not loc.strip():
                raise ValueError(f"{source}: messages.crisis_support: locale {loc!r} must be a name such as 'en'")
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"{source}: messages.crisis_support.{loc}: must be a non-empty message (a user in "
                                 f"crisis would be shown nothing)")
        if msgs.default_locale not in msgs.crisis_support:
            raise ValueError(f"{source}: messages.default_locale {msgs.default_locale!r} has no crisis_support message")
        try:
            import string

            for _, name, spec, conv in string.Formatter().parse(msgs.end_conversation):
                if name is not None and (name != "category" or spec or conv):
                    # attribute / index access ({category.__class__}) or a format spec: only the bare name
                    raise KeyError(f"{{{name}{'!' + conv if conv else ''}{':' + spec if spec else ''}}}")
            msgs.end_conversation.format(category="x")
        except (KeyError, IndexError, AttributeError) as e:
            raise ValueError(f"{source}: messages.end_conversation: unknown placeholder {e} (only {{category}})") from None
        except ValueError as e:  # a lone '{', a bad format spec
            raise ValueError(f"{source}: messages.end_conversation: not a valid template ({e}); write a literal "
                             f"brace as '{{{{' or '}}}}'") from None
        from .calibration import T_MAX, T_MIN

        raw_temp = d.get("temperature") or {}
        if not isinstance(raw_temp, Mapping):
            raise ValueError(f"{source}: temperature: expected a mapping of head -> temperature, got {raw_temp!r}")
        temp: dict[str, float] = {}
        for k, v in raw_temp.items():
            if k not in TEMPERATURE_HEADS:
                import difflib

                close = difflib.get_close_matches(str(k), TEMPERATURE_HEADS, n=1)
                hint = f"did you mean 'temperature.{close[0]}'? " if close else ""
                raise ValueError(f"{source}: temperature.{k}: unknown head ({hint}one of {', '.join(TEMPERATURE_HEADS)})")
            if isinstance(v, bool):
                raise ValueError(f"{source}: temperature.{k}: not a number: {v!r}")
            try:
                temp[str(k)] = float(v)
            except (TypeError, ValueError):
                raise ValueError(f"{source}: temperature.{k}: not a number: {v!r}") from None
            if not np.isfinite(temp[str(k)]) or temp[str(k)] <= 0:
                raise ValueError(f"{source}: temperature.{k}: temperature values must be > 0 and finite, got {v!r}")
            if not T_MIN <= temp[str(k)] <= T_MAX:
                # a huge temperature flattens every probability towards 0.5 (a crisis statement would fall
                # under a crisis threshold above 0.5); no fit (convguard.calibration) leaves this range
                raise ValueError(f"{source}: temperature.{k}: must be in [{T_MIN:g}, {T_MAX:g}] (the range temperature "
                                 f"scaling fits in), got {v!r}")
        selection = d.get("selection")
        selection = {} if selection is None else selection
        if not isinstance(selection, Mapping):
            raise ValueError(f"{source}: selection: expected a mapping (how the thresholds were chosen), "
                             f"got {type(selection).__name__}")
        return cls(th, rules, msgs, temp, dict(selection), unsafe_disable_crisis_routing=crisis_off, taxonomy=tax)

    def save(self, path: str | Path) -> Path:
        """Write policy.yaml -- after the checks :meth:`load` makes, so no writer (``sweep --write``,
        the quickstart, an export) can leave a file that switches the crisis promise off unseen."""
        p = Path(path)
        Policy.from_dict(self.to_dict(), source=str(p), taxonomy=self.taxonomy)
        p.write_text(yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True), encoding="utf-8")
        return p

    @classmethod
    def load(cls, path: str | Path, taxonomy: Taxonomy | None = None) -> "Policy":
        """``policy.yaml`` at ``path``; ``taxonomy``: the bundle's harm categories (None: the
        default; a bundle's: :func:`convguard.modeling.read_taxonomy` of its ``harm/``)."""
        p = Path(path)
        try:
            d = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise ValueError(f"{p}: not valid YAML: {e}") from None
        return cls.from_dict(d or {}, source=str(p), taxonomy=taxonomy)


def predicted_pushes_array(system: Mapping[str, Any]) -> np.ndarray | None:
    """The persistence head's most likely number of pushes per row (``None`` without the head)."""
    p = system.get("persistence")
    if p is None:
        return None
    p = np.asarray(p, dtype=float)
    if p.ndim != 2:
        return None
    return np.asarray(PERSISTENCE_VALUES)[np.argmax(p, axis=1)]
