"""The policy, vectorised: :func:`apply_policy` -- the one implementation behind
:meth:`convguard.policy.Policy.decide`, the Guard, evaluation, sweeps, replay and export parity --
turns detector scores into actions and a reason code per conversation (:data:`REASONS`), and
:func:`explain` puts a code into words with the numbers the policy compared.  The helpers read
the scores the way the policy does: the refused-push evidence, the harm score, the per-category
termination threshold, the predicted pushes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

import numpy as np

from .policy_settings import HARM_SCORES, Rules, Thresholds
from .taxonomy import NONE, PERSISTENCE_VALUES, Taxonomy, taxonomy_or_default

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
    #: the crisis score compared with ``thresholds.crisis`` (``rules.crisis_self_harm_weight``)
    crisis_score: np.ndarray | None = None


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
    turn = rules.harm_score in ("turn", "mean")
    if turn and system.get("harmful_max") is not None:
        harmful = np.asarray(system["harmful_max"], dtype=float)
        if rules.harm_score == "turn":
            return harmful
        return (harmful + np.asarray(system["terminate"], dtype=float)) / 2.0
    if turn and system.get("refused_push_top") is not None:
        raise ValueError(f"rules.harm_score is {rules.harm_score!r} but the turn detector has no harmful head "
                         "(harmful_max): retrain it, or use harm_score 'harmful'")
    cat = category_probs(system, taxonomy)
    if rules.harm_score == "harmful" and cat is not None:
        return 1.0 - cat[:, taxonomy_or_default(taxonomy).index(NONE)]
    return np.asarray(system["terminate"], dtype=float)


def _self_harm_column(cat: np.ndarray | None, tax: Taxonomy) -> np.ndarray | None:
    return None if cat is None or tax.self_harm is None else cat[:, tax.index(tax.self_harm)]


def self_harm_probs(system: Mapping[str, Any], taxonomy: Taxonomy | None = None) -> np.ndarray | None:
    """The harm head's probability of the taxonomy's self-harm category per row, or None (no
    harm-category head, or a taxonomy without a self-harm category)."""
    tax = taxonomy_or_default(taxonomy)
    return _self_harm_column(category_probs(system, tax), tax)


def _mixed_crisis(system: Mapping[str, Any], rules: Rules, sh: np.ndarray | None) -> np.ndarray:
    """:func:`crisis_scores` given the self-harm probabilities ``sh`` (None: none)."""
    crisis = np.asarray(system["crisis"], dtype=float)
    w = float(rules.crisis_self_harm_weight)
    if not 0.0 <= w < 1.0:
        raise ValueError(f"rules.crisis_self_harm_weight must be in [0, 1), got {w!r}")
    if w == 0 or sh is None:
        return crisis
    return (1.0 - w) * crisis + w * sh


def crisis_scores(system: Mapping[str, Any], rules: Rules, taxonomy: Taxonomy | None = None) -> np.ndarray:
    """The score compared with ``thresholds.crisis`` (see ``Rules.crisis_self_harm_weight``), per
    conversation: the turn detector's crisis score, mixed with the harm head's self-harm
    probability where the rule and the system have it."""
    return _mixed_crisis(system, rules, self_harm_probs(system, taxonomy) if rules.crisis_self_harm_weight else None)


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

    The crisis score is :func:`crisis_scores` (the turn detector's, mixed with the harm head's
    self-harm probability under ``rules.crisis_self_harm_weight``).

    Order: crisis (detector, then backup) overrides everything; an end needs the harm score at
    its threshold *and* the refused-push evidence (*and* the predicted pushes when ``min_pushes``
    is on); a would-be end whose crisis score reaches ``thresholds.crisis_hold``, in which the
    assistant already gave a crisis response (``crisis_response_max``, ``rules.crisis_response_hold``),
    or that the harm head reads as self-harm, goes to crisis support instead."""
    tax = taxonomy_or_default(taxonomy)
    cat = category_probs(system, tax)
    term = harm_scores(system, rules, tax)
    sh = _self_harm_column(cat, tax)  # the crisis mix and the self-harm veto read it
    crisis = _mixed_crisis(system, rules, sh)
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
    # (the turn detector's own crisis score, not the mix of rules.crisis_self_harm_weight: a chat
    # it reads as crisis is never ended, whatever the harm head's self-harm reading)
    hold = np.zeros(n, dtype=bool)
    if thresholds.crisis_hold is not None:
        hold = ((np.asarray(system["crisis"], dtype=float) >= thresholds.crisis_hold) & allowed & over & ~in_crisis
                & ~backup)
    responded = np.zeros(n, dtype=bool)
    if rules.crisis_response_hold and system.get("crisis_response_max") is not None:
        responded = ((np.asarray(system["crisis_response_max"], dtype=float) >= thresholds.evidence)
                     & allowed & over & ~in_crisis & ~backup & ~hold)
    veto = np.zeros(n, dtype=bool)
    if sh is not None and rules.self_harm_veto < 1.0:
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
    return PolicyResult(actions, effective, codes, counts, source, term, term_th, category, crisis)


def explain(result: PolicyResult, i: int, system: Mapping[str, Any], thresholds: Thresholds, rules: Rules,
            taxonomy: Taxonomy | None = None) -> str:
    """The reason for row ``i`` of ``result``, in words (the same numbers the policy compared)."""
    code = result.codes[i]
    tax = taxonomy_or_default(taxonomy)
    # the score the policy compared (kept on the result: recomputing it per row would make a batch quadratic)
    term = float(result.harm_score[i]) if result.harm_score is not None else float(harm_scores(system, rules, tax)[i])
    crisis = (float(result.crisis_score[i]) if result.crisis_score is not None
              else float(crisis_scores(system, rules, tax)[i]))
    t = thresholds
    k = int(result.refused_pushes[i])
    label = str(result.category[i]) if result.category is not None else None
    tt = float(result.terminate_threshold[i]) if result.terminate_threshold is not None else float(t.terminate)
    # the termination threshold compared, and whose it is when the category has its own
    th_s = (f"{tt:.3f} (the threshold for category {label})" if label is not None
            and label in (t.terminate_by_category or {}) else f"{tt:.3f}")
    what = "refused pushes" if result.evidence_source == "turn_detector" else "assistant turns (no turn detector)"
    raw_crisis = float(np.asarray(system["crisis"][i], dtype=float))
    mix = ""
    cat_i = system.get("harm_category")
    if rules.crisis_self_harm_weight > 0 and tax.self_harm is not None and cat_i is not None and np.ndim(cat_i) == 2:
        # the two parts of the score, so a reader sees which detector carried it
        sh_i = float(np.asarray(cat_i[i], dtype=float)[tax.index(tax.self_harm)])
        mix = (f" ({1 - rules.crisis_self_harm_weight:g} x turn detector {raw_crisis:.3f} + "
               f"{rules.crisis_self_harm_weight:g} x harm head's self-harm {sh_i:.3f})")
    if code == "crisis":
        return f"crisis score {crisis:.3f}{mix} >= {t.crisis:.3f}: crisis overrides termination"
    if code == "crisis_backup":
        return (f"backup crisis detector {float(system['crisis_backup'][i]):.3f} >= "
                f"{rules.crisis_backup_threshold:.3f}: crisis overrides termination")
    if code == "crisis_hold":
        who = "crisis score" if not mix else "the turn detector's crisis score"
        return (f"harm score {term:.3f} >= {th_s} with {k} refused pushes, but {who} {raw_crisis:.3f} >= "
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
    return f"harm score {term:.3f} < {th_s}; crisis score {crisis:.3f}{mix} < {t.crisis:.3f}"



def predicted_pushes_array(system: Mapping[str, Any]) -> np.ndarray | None:
    """The persistence head's most likely number of pushes per row (``None`` without the head)."""
    p = system.get("persistence")
    if p is None:
        return None
    p = np.asarray(p, dtype=float)
    if p.ndim != 2:
        return None
    return np.asarray(PERSISTENCE_VALUES)[np.argmax(p, axis=1)]
