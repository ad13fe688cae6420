"""The settings a policy holds -- :class:`Thresholds`, :class:`Rules` and :class:`Messages`, with
their defaults -- and the limits on them that the decisions rely on (:data:`EVIDENCE_TOP_K`,
:data:`HARM_SCORES`).  :class:`convguard.policy.Policy` holds one of each and reads and writes
them as policy.yaml; :func:`convguard.policy_apply.apply_policy` decides with them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

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
    #: instead when the turn detector's crisis score reaches this lower threshold (the one that
    #: keeps the hold's recall target on validation, while ``crisis`` keeps the benign false-alarm
    #: budget); null = ``crisis`` alone.  It reads the turn detector's own score even when
    #: ``rules.crisis_self_harm_weight`` mixes the harm head into the support score
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
    #: be swapped out in training, so a refusal does not make a request harmful) -- or ``mean``,
    #: the mean of ``turn`` and ``terminate``: the two detectors read a conversation in different
    #: views (one user turn at a time vs the whole window), so an end needs both to lean towards
    #: harm, and one detector's confident mistake alone no longer ends a benign chat.  A system
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
    #: the crisis score compared with ``thresholds.crisis`` (``crisis_hold`` always reads the turn
    #: detector's own score, so a would-be end it reads as crisis is held whatever the mix says):
    #: ``(1 - w) * crisis + w * P(self-harm)``, ``crisis`` the turn detector's (its most crisis-like
    #: user turn) and ``P(self-harm)`` the harm head's probability of the taxonomy's self-harm
    #: category on the whole window.  The two detectors read a chat in different views, and the
    #: harm head knows a method request for oneself ("would running my car in a closed garage
    #: work") that the turn detector, reading one turn after a reply stub, can miss; danger to
    #: others stays the turn detector's alone (the harm head reads it as violence).  0 (the
    #: default here, so older policy files decide as before) is the turn detector alone;
    #: ``convguard bundle`` and the quickstart set 0.2 (docs/BENCHMARKS.md, run W).  A system
    #: without a harm-category head (the TF-IDF baseline), or a taxonomy without a self-harm
    #: category, uses its crisis score alone.
    crisis_self_harm_weight: float = 0.0


@dataclass
class Messages:
    end_conversation: str = DEFAULT_END_MESSAGE
    crisis_support: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CRISIS_MESSAGES))
    default_locale: str = "en"

#: how many of a conversation's strongest refused-push candidates the scores keep
#: (``refused_push_top``); ``rules.min_refused_pushes`` can be at most this
EVIDENCE_TOP_K = 4

HARM_SCORES = ("harmful", "terminate", "turn", "mean")
