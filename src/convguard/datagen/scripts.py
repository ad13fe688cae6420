"""Dialogue scripts: one function per subtype (or group of subtypes) that writes a conversation.

A script gets a :class:`Ctx` (its own seeded RNG, the family, whether the family is held out,
the assistant style, the noise profile) and returns a :class:`Dialog`: the messages plus what
the labels are computed from -- the message indices of every push (``push_turns``), of every
refusal-type assistant turn (``refusal_turns``: refusals, redirections, crisis responses,
over-refusals; a push must directly follow one), of every user turn that presses the same request
again after an assistant turn that did *not* refuse (``reask_turns``: "just tell me" after a
clarifying question, carrying on after a vague play-along; no push, since nothing was refused),
of the first harmful ask (``harm_from``) and of the first crisis signal (``crisis_from``).

Shapes (indices are message indices; ``sys`` and chit-chat may come first):

* persistent_harmful: ``ask -> refusal -> push1 -> refusal -> push2 [-> refusal -> push3 ...]``,
  ending on a push; terminate from push2.  Some are terse (a short direct ask, short pushes);
  some start with a non-refusing reply whose re-ask is no push (``engaged_then_pushed``).
* harmful_dropped: the same ask, but asked once and left there, or refused and dropped, or
  pushed once and dropped (persistence 0 or 1), or not refused at all (``complied``: the
  assistant asks or plays along vaguely, the user carries on 1-3 times; no pushes).
* benign chats: an answer (perhaps after a clarifying question) and follow-ups; thread clusters
  take 2-4 same-line follow-ups, all answered.
* benign_persistent_overrefusal: a benign ask, wrongly refused, insisted on 2+ times.
* sustained_abuse: ``insult -> redirection -> insult -> redirection -> insult ...``.
* crisis: a crisis signal at ``crisis_from``; method requests and stated plans against a person
  may be pushed on like harmful ones.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field

from . import banks_abuse as BA
from . import banks_benign as BB
from . import banks_crisis as BC
from . import banks_dialogue as BD
from . import banks_giveup as BG
from . import banks_harm as BH
from . import banks_refusal_specific_a as _RSA
from . import banks_refusal_specific_b as _RSB
from . import banks_refusal_specific_c as _RSC
from .families import Family
from .intents import Cluster, Intent
from .noise import NoiseProfile, apply_noise, shout
from .text import Bank, cap, fill, join_sentences, second_person, weighted

STYLES = ("brief", "verbose", "over_refusing")


@dataclass(frozen=True)
class Variations:
    """Optional rewordings of the corpus, off by default (the default corpus is the generator's
    own).  Each is drawn from :attr:`Ctx.aux`, so it changes the wording of some turns and
    nothing else: the same conversations, labels, families and splits.  Measured and not adopted
    as the default (docs/BENCHMARKS.md, "Generator variations"); kept so the probe can be repeated.

    * ``specific_refusals``: the share of a harmful request's refusal reasons and alternatives
      drawn from the request's own harm cluster (:data:`SPECIFIC_WHY`, :data:`SPECIFIC_INSTEAD`)
      instead of its category's generic ones;
    * ``give_ups``: the share of refused-and-dropped chats whose drop turn is a give-up
      (:data:`GIVE_UP`: "figured. nvm", "welp, worth a shot")."""

    specific_refusals: float = 0.0
    give_ups: float = 0.0

    def __post_init__(self) -> None:
        for name in ("specific_refusals", "give_ups"):
            v = getattr(self, name)
            if not isinstance(v, (int, float)) or isinstance(v, bool) or not 0.0 <= v <= 1.0:
                raise ValueError(f"generator variation {name}: must be a share in [0, 1], got {v!r}")

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in asdict(self).items()}


@dataclass
class Ctx:
    rng: random.Random
    family: Family
    heldout: bool
    style: str
    noise: NoiseProfile
    #: a second RNG for the optional variations (:class:`Variations`): drawing them from it leaves
    #: ``rng``'s stream, and so the rest of the corpus, as it was -- a variation is measured on
    #: the same conversations with the same labels.  None: no variation
    aux: random.Random | None = None
    variations: Variations = field(default_factory=lambda: Variations())

    def pick(self, bank: Bank) -> str:
        return bank.pick(self.rng, self.heldout)

    def p(self, prob: float) -> bool:
        return self.rng.random() < prob

    def vary(self, text: str, bank: Bank | None, prob: float) -> str:
        """``text``, or with probability ``prob`` (drawn from :attr:`aux`) a pick of ``bank``."""
        if bank is None or self.aux is None or prob <= 0.0 or self.aux.random() >= prob:
            return text
        return bank.pick(self.aux, self.heldout)

    def either(self, first: Bank | None, second: Bank | None, prob: float) -> Bank | _Either | None:
        """``first``, drawn as usual, with a pick of ``second`` in its place with probability
        ``prob`` (:meth:`vary`); ``first`` alone where ``second`` is None."""
        if first is None or second is None or self.aux is None or prob <= 0.0:
            return first
        return _Either(self, first, second, prob)


@dataclass(frozen=True)
class _Either:
    """A bank whose pick is ``first``'s (the main RNG's draw is always made, so nothing after it
    moves), replaced by ``second``'s with probability ``prob`` (:meth:`Ctx.vary`)."""
    ctx: Ctx
    first: Bank
    second: Bank
    prob: float

    def pick(self, rng: random.Random, heldout: bool = False) -> str:
        return self.ctx.vary(self.first.pick(rng, heldout), self.second, self.prob)


@dataclass
class Dialog:
    ctx: Ctx
    messages: list[dict[str, str]] = field(default_factory=list)
    push_turns: list[int] = field(default_factory=list)
    #: user turns that press the same request again after an assistant turn that did not refuse
    reask_turns: list[int] = field(default_factory=list)
    #: assistant turns that refuse, redirect, give a crisis response or over-refuse
    refusal_turns: list[int] = field(default_factory=list)
    tactics: list[str] = field(default_factory=list)
    harm_from: int | None = None
    crisis_from: int | None = None
    variant: str = ""
    intent: str | None = None

    def system(self, text: str) -> int:
        self.messages.append({"role": "system", "content": text})
        return len(self.messages) - 1

    def user(self, text: str, *, raw_suffix: str = "", loud: bool = False) -> int:
        text = apply_noise(text.strip(), self.ctx.noise, self.ctx.rng)
        if loud:
            text = shout(text)
        self.messages.append({"role": "user", "content": text + raw_suffix})
        return len(self.messages) - 1

    def assistant(self, text: str) -> int:
        """An assistant turn that is not a refusal (an answer, a safe answer, a clarification)."""
        self.messages.append({"role": "assistant", "content": text.strip()})
        return len(self.messages) - 1

    def refuse(self, text: str) -> int:
        """An assistant turn that refuses, redirects, over-refuses or gives a crisis response."""
        i = self.assistant(text)
        self.refusal_turns.append(i)
        return i

    def push(self, text: str, tactic: str, *, loud: bool = False) -> int:
        if not self.refusal_turns or self.refusal_turns[-1] != len(self.messages) - 1:
            raise AssertionError("a push must directly follow a refusal turn")
        i = self.user(text, loud=loud)
        if len(self.push_turns) and self.messages[i]["content"] == self.messages[self.push_turns[-1]]["content"]:
            self.messages[i]["content"] += self.ctx.rng.choice((" ??", " Answer me.", " Again.", " Please."))
        self.push_turns.append(i)
        self.tactics.append(tactic)
        return i

    def reask(self, text: str) -> int:
        """A user turn that presses the same request after a reply that was no refusal (no push)."""
        if not self.messages or self.messages[-1]["role"] != "assistant" or self.refusal_turns[-1:] == [len(self.messages) - 1]:
            raise AssertionError("a re-ask follows an assistant turn that did not refuse")
        i = self.user(text)
        self.reask_turns.append(i)
        return i

    @property
    def last_role(self) -> str:
        return self.messages[-1]["role"] if self.messages else ""


# ------------------------------------------------------------------------------------------
# shared pieces
# ------------------------------------------------------------------------------------------

HARM_TACTIC_WEIGHTS = (("rephrase", 1.2), ("roleplay", 1.0), ("hypothetical", 1.0), ("jailbreak", 0.8),
                       ("split", 0.8), ("pressure", 1.0), ("authority", 0.8), ("fiction", 1.0), ("insult", 0.7))
OVERREFUSAL_TACTIC_WEIGHTS = (("rephrase", 2.2), ("pressure", 1.0), ("authority", 0.8), ("hypothetical", 0.4),
                              ("fiction", 0.3), ("roleplay", 0.3), ("jailbreak", 0.2), ("split", 0.3))
CRISIS_TACTIC_WEIGHTS = (("pressure", 1.4), ("rephrase", 1.0), ("hypothetical", 0.8), ("fiction", 0.8),
                         ("authority", 0.5), ("roleplay", 0.4), ("jailbreak", 0.3), ("split", 0.4), ("insult", 0.3))


def draw_prelude(rng: random.Random) -> int:
    """Number of benign chit-chat exchanges before the part that matters (same for every label)."""
    return weighted(rng, ((0, 0.45), (1, 0.2), (2, 0.12), (3, 0.08), (rng.randint(4, 6), 0.09),
                          (rng.randint(7, 13), 0.06)))


def draw_pushes(rng: random.Random) -> int:
    return weighted(rng, ((2, 0.42), (3, 0.25), (4, 0.12), (rng.randint(5, 6), 0.12), (rng.randint(7, 12), 0.09)))


def choose_tactics(rng: random.Random, n: int, weights) -> list[str]:
    out: list[str] = []
    for _ in range(n):
        t = weighted(rng, weights)
        if out and t == out[-1] and rng.random() < 0.7:
            t = weighted(rng, weights)
        out.append(t)
    return out


def restate(intent: Intent, rng: random.Random) -> str:
    if intent.kind == "how":
        return fill(rng.choice(BD.HOW_RESTATE), vp=intent.vp)
    if intent.kind == "do":
        return fill(rng.choice(BD.DO_RESTATE), vp=intent.vp)
    return intent.vp


def wrap(ctx: Ctx, text: str, prob: float = 0.45) -> str:
    if not ctx.p(prob):
        return text
    pre, post = ctx.pick(BD.WRAP_PRE), ctx.pick(BD.WRAP_POST)
    return f"{pre}{text}{post}"


def first_ask(ctx: Ctx, intent: Intent) -> str:
    if intent.kind == "how":
        text = fill(ctx.pick(BD.HOW_ASK), vp=intent.vp)
    elif intent.kind == "do":
        text = fill(ctx.pick(BD.DO_ASK), vp=intent.vp)
    else:
        text = cap(intent.vp) if ctx.p(0.5) else intent.vp
    if not ctx.family.pool.startswith("crisis") and ctx.p(0.06):
        text = f"{ctx.rng.choice(BB.FIGURATIVE_ASIDES)} {text}"
    return wrap(ctx, text)


def _slots(ctx: Ctx, intent: Intent, benign: bool) -> dict[str, str]:
    rng = ctx.rng
    name = rng.choice(BD.JB_NAMES)
    aspects = intent.aspects or (BD.BENIGN_ASPECTS if benign else BH.GENERIC_ASPECTS)
    return {
        "vp": intent.vp, "ask": restate(intent, rng), "aspect": rng.choice(aspects),
        "persona": fill(rng.choice(BD.PERSONAS), name=name), "name": name,
        "prof": rng.choice(BD.PROFESSIONS),
        "preamble": fill(ctx.pick(BD.JAILBREAK_PREAMBLES), name=name),
    }


def push_text(ctx: Ctx, intent: Intent, tactic: str, *, benign: bool = False) -> str:
    banks = BD.PUSHES[tactic]
    bank = banks.get(intent.kind) or banks["any"]
    return fill(ctx.pick(bank), **_slots(ctx, intent, benign))


def crisis_push_text(ctx: Ctx, intent: Intent, tactic: str) -> str:
    if tactic == "pressure":
        bank = BD.CRISIS_PUSH
    else:
        bank = BC.CRISIS_PUSHES[tactic]
    return fill(ctx.pick(bank), **_slots(ctx, intent, False))


#: the harm an over-cautious assistant wrongly reads into a benign request
MISREAD = {"kill": "violent_crimes", "shoot": "violent_crimes", "attack": "violent_crimes",
           "fire": "violent_crimes", "execute": "violent_crimes", "poison": "violent_crimes",
           "bomb": "indiscriminate_weapons", "crack": "malicious_code", "exploit": "malicious_code",
           "virus": "malicious_code", "track": "privacy", "steal": "non_violent_crimes",
           "drug": "specialized_advice",
           "homonym": "violent_crimes", "fiction": "violent_crimes", "security": "malicious_code",
           "medical": "specialized_advice", "debate": "hate", "public_figure": "privacy",
           "profanity": "hate"}


#: refusal forms: the first refusal and the refusals after a push
REFUSAL_FORMS_FIRST = (("standard", 0.32), ("one_liner", 0.08), ("apologetic", 0.08), ("lecture", 0.09),
                       ("redirect", 0.1), ("question", 0.09), ("specific", 0.13), ("advise", 0.05),
                       ("boundary", 0.06))
REFUSAL_FORMS_AGAIN = (("standard", 0.45), ("firm", 0.17), ("one_liner", 0.07), ("apologetic", 0.05),
                       ("lecture", 0.04), ("redirect", 0.05), ("specific", 0.09), ("advise", 0.03),
                       ("boundary", 0.05))
_FORM_BY_STYLE = {
    "brief": {"one_liner": 2.0, "firm": 1.5, "apologetic": 0.4, "lecture": 0.5},
    "verbose": {"one_liner": 0.4, "firm": 0.7, "apologetic": 1.6, "lecture": 1.6},
    "over_refusing": {"one_liner": 0.5, "apologetic": 1.5},
}


def refusal_form(ctx: Ctx, nth: int) -> str:
    forms = REFUSAL_FORMS_FIRST if nth == 0 else REFUSAL_FORMS_AGAIN
    adj = _FORM_BY_STYLE[ctx.style]
    return weighted(ctx.rng, tuple((f, w * adj.get(f, 1.0)) for f, w in forms))


def styled_refusal(ctx: Ctx, form: str, reasons: Bank | None, alts: Bank | None, *, category: str | None = None,
                   intent: Intent | None = None) -> list[str]:
    """One refusal in a non-standard form (see :data:`REFUSAL_FORMS_FIRST`).  ``specific`` names
    the request (``intent``'s verb phrase, in the second person), ``advise`` urges the user not to
    (``category``'s bank), ``boundary`` helps with a safe part and declines the rest; each may add
    a reason and a safe alternative, as real refusals do."""
    if form == "specific" and (intent is None or intent.kind == "q"):
        form = "standard_like"
    if form == "advise" and category not in BH.ADVISE_AGAINST:
        form = "boundary"
    if form == "redirect" and alts is None:
        form = "question"
    if form in ("specific", "advise", "boundary", "standard_like"):
        if form == "specific":
            bank = BD.REFUSE_HOW if intent.kind == "how" else BD.REFUSE_DO
            parts = [fill(ctx.pick(bank), vp=second_person(intent.vp))]
        elif form == "advise":
            parts = [ctx.pick(BH.ADVISE_AGAINST[category])]
        elif form == "boundary":
            parts = [ctx.pick(BD.REFUSE_BOUNDARY)]
        else:
            parts = [ctx.pick(BD.REFUSE_OPEN)]
        if reasons is not None and ctx.p(0.55):
            parts.append(ctx.pick(reasons))
        if alts is not None and ctx.p(0.5):
            parts.append(ctx.pick(alts))
        return parts
    if form == "one_liner":
        return [ctx.pick(BD.REFUSE_ONE_LINER)]
    if form == "firm":
        return [ctx.pick(BD.REFUSE_FIRM)]
    if form == "apologetic":
        parts = [ctx.pick(BD.REFUSE_APOLOGETIC)]
        if alts is not None and ctx.p(0.35):
            parts.append(ctx.pick(alts))
        return parts
    if form == "lecture":
        parts = [ctx.pick(BD.LECTURE_INTRO)]
        if reasons is not None:
            first = ctx.pick(reasons)
            parts.append(first)
            if ctx.p(0.4):
                second = ctx.pick(reasons)
                if second != first:
                    parts.append(second)
        parts.append(ctx.pick(BD.LECTURE_DECLINE))
        if alts is not None and ctx.p(0.3):
            parts.append(ctx.pick(alts))
        return parts
    if form == "redirect":
        return [ctx.pick(BD.REDIRECT_OPEN), ctx.pick(alts)]
    if form == "question":
        parts = [ctx.pick(BD.REFUSE_QUESTION)]
        if alts is not None and ctx.p(0.25):
            parts.append(ctx.pick(alts))
        return parts
    raise ValueError(form)


def overrefusal_reply(ctx: Ctx, nth: int, tactic: str | None = None, intent: Intent | None = None) -> str:
    """An over-cautious refusal of a benign request, drawn from the same banks and forms as real
    refusals (so refusal wording alone cannot tell a wrongly refused benign request from a
    harmful one)."""
    fam = ctx.family
    misread = MISREAD.get((fam.cluster.pair_key if fam.cluster else None) or "", MISREAD.get(fam.pool))
    if ctx.p(0.45):
        form = refusal_form(ctx, nth)
        if form != "standard" and not (form == "redirect" and ctx.p(0.6)):
            reasons = BH.REASONS.get(misread) if misread else None
            alts = BH.ALTERNATIVES.get(misread) if misread else None
            return join_sentences(styled_refusal(ctx, form, reasons, alts, category=misread, intent=intent))
    parts: list[str] = []
    if nth == 0:
        parts.append(ctx.pick(BD.OVERREFUSE) if ctx.p(0.5) else ctx.pick(BD.REFUSE_OPEN))
        if misread and ctx.p(0.4):
            parts.append(ctx.pick(BH.REASONS[misread]))
    else:
        r = ctx.rng.random()
        if r < 0.35 and tactic in BD.REFUSE_AGAIN_BY_TACTIC:
            parts.append(ctx.pick(BD.REFUSE_AGAIN_BY_TACTIC[tactic]))
        elif r < 0.7:
            parts.append(ctx.pick(BD.REFUSE_AGAIN))
        else:
            parts.append(ctx.pick(BD.OVERREFUSE))
        if misread and ctx.p(0.2):
            parts.append(ctx.pick(BH.REASONS[misread]))
    if ctx.p(0.3):
        parts.append(ctx.pick(BD.REFUSE_CLOSER))
    return join_sentences(parts)


#: per harm cluster (``banks_refusal_specific_*``, three writers; :attr:`Variations.specific_refusals`):
#: why the assistant will not help with *this* kind of request (a risk, a legal fact, who gets
#: hurt) and the specific safe alternative it offers.  Real refusals state facts about what was
#: asked, where the generator's carry its category's generic reasons
SPECIFIC_WHY: dict[str, Bank] = {k: Bank(v) for m in (_RSA, _RSB, _RSC) for k, v in m.WHY.items()}
SPECIFIC_INSTEAD: dict[str, Bank] = {k: Bank(v) for m in (_RSA, _RSB, _RSC) for k, v in m.INSTEAD.items()}
#: user turns that let a refused request go ("figured. nvm", "welp, worth a shot"), for the drop
#: turn of a refused-and-dropped chat (``banks_giveup``; :attr:`Variations.give_ups`)
GIVE_UP = Bank(BG.GIVE_UP)


def refusal(ctx: Ctx, category: str, nth: int, tactic: str | None = None, intent: Intent | None = None) -> str:
    """The assistant's refusal or redirection of a harmful request (``nth`` = 0 for the first),
    in one of several forms: the standard open + reason + alternative, a one-liner, a long
    apology, a lecture + decline, a redirect, a question back + decline, a firm repeat, one that
    names the request (``intent``), one that advises against it, one that helps with a safe part.
    Reasons and alternatives are the category's or, for a share
    :attr:`Variations.specific_refusals`, the request's cluster's (:data:`SPECIFIC_WHY`,
    :data:`SPECIFIC_INSTEAD`)."""
    rng = ctx.rng
    cluster = intent.cluster if intent is not None else getattr(ctx.family.cluster, "name", None)
    p = ctx.variations.specific_refusals
    reasons = ctx.either(BH.REASONS.get(category), SPECIFIC_WHY.get(cluster), p)
    alts = ctx.either(BH.ALTERNATIVES.get(category), SPECIFIC_INSTEAD.get(cluster), p)
    form = refusal_form(ctx, nth)
    parts: list[str] = []
    if ctx.style == "over_refusing" and form not in ("one_liner", "firm") and ctx.p(0.7):
        parts.append(ctx.pick(BD.OVERCAUTIOUS_PREFIX))
    if form != "standard":
        parts += styled_refusal(ctx, form, reasons, alts, category=category, intent=intent)
        if form in ("redirect", "apologetic") and ctx.style != "brief" and ctx.p(0.3):
            parts.append(ctx.pick(BD.REFUSE_CLOSER))
        return join_sentences(parts)
    if nth == 0:
        parts.append(ctx.pick(BD.OVERREFUSE) if ctx.p(0.2) else ctx.pick(BD.REFUSE_OPEN))
        p_reason, p_alt = (0.35, 0.3) if ctx.style == "brief" else (0.85, 0.75)
        if reasons is not None and ctx.p(p_reason):
            parts.append(ctx.pick(reasons))
        if alts is not None and ctx.p(p_alt):
            parts.append(ctx.pick(alts))
    else:
        if tactic in BD.REFUSE_AGAIN_BY_TACTIC and rng.random() < 0.65:
            parts.append(ctx.pick(BD.REFUSE_AGAIN_BY_TACTIC[tactic]))
        else:
            parts.append(ctx.pick(BD.REFUSE_AGAIN))
        if alts is not None and ctx.p(0.25 if ctx.style == "brief" else 0.5):
            parts.append(ctx.pick(alts))
    if ctx.style != "brief" and ctx.p(0.5):
        parts.append(ctx.pick(BD.REFUSE_CLOSER))
    return join_sentences(parts)


#: answer forms: a plain answer in the conversation's style, partial compliance with caveats, a
#: lecture that still answers, a hedged answer, a short play-along (never refusals)
ANSWER_FORMS = (("plain", 0.6), ("partial", 0.1), ("lecture", 0.08), ("hedged", 0.14), ("play_along", 0.08))
NO_PLAY_ALONG_POOLS = ("medical", "security", "public_figure")
#: tender topics: no play-along, no lecture, gentle hedges only
GENTLE_CLUSTERS = ("grief_without_ideation", "grief_poetry", "parenting_frustration", "war_genocide_history",
                   "death_media", "morbid_curiosity", "alcohol_cutting_back", "true_crime_history")


def _pool_key(ctx: Ctx) -> str:
    return ctx.family.pool.split(".")[0]


def answer(ctx: Ctx, cluster: Cluster | None, *, snippets: tuple[str, ...] = ()) -> str:
    """A safe, helpful answer (never a refusal), in the conversation's style and one of
    :data:`ANSWER_FORMS` -- so a caveat, a hedge or an "I can't be sure" is no sign of refusal."""
    rng = ctx.rng
    pool = list(snippets or (cluster.answers if cluster else ()))
    generic = not pool
    if generic:
        pool = list(BD.HELPFUL_GENERIC.items)
    form = weighted(rng, ANSWER_FORMS)
    key = _pool_key(ctx)
    gentle = cluster is not None and cluster.name in GENTLE_CLUSTERS
    if form == "play_along" and (generic or gentle or key in NO_PLAY_ALONG_POOLS):
        form = "hedged"
    if form == "lecture" and gentle:
        form = "partial"
    if form == "partial":
        body = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        return join_sentences([ctx.pick(BD.PARTIAL_PRE), *body, ctx.pick(BD.PARTIAL_POST)])
    if form == "lecture":
        body = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        text = join_sentences([ctx.pick(BD.LECTURE_ANSWER_PRE), *body])
        if ctx.style == "verbose":
            text += "\n\n" + join_sentences(rng.sample(BB.VERBOSE_EXTRA, rng.randint(1, 2)))
        return text
    if form == "hedged":
        bank = BD.HEDGE_GENTLE if gentle else BD.HEDGE_BY_POOL.get(key)
        hedge = ctx.pick(bank) if bank is not None and (gentle or ctx.p(0.65)) else ctx.pick(BD.HEDGE_PRE)
        body = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
        return join_sentences([hedge, *body])
    if form == "play_along":
        return join_sentences([ctx.pick(BD.PLAY_ALONG), rng.choice(pool)])
    if generic:  # a generic follow-up: keep it short whatever the style
        return join_sentences(rng.sample(pool, rng.randint(1, 2)))
    if ctx.style == "verbose":
        k = min(len(pool), rng.randint(3, 5))
        body = rng.sample(pool, k)
        extra = rng.sample(BB.VERBOSE_EXTRA, rng.randint(1, 3))
        if ctx.p(0.5):
            text = ctx.pick(BB.VERBOSE_INTRO) + "\n\n" + "\n".join(f"- {s}" for s in body)
        else:
            text = ctx.pick(BB.VERBOSE_INTRO) + " " + join_sentences(body)
        return text + "\n\n" + join_sentences(extra) + "\n\n" + ctx.pick(BB.VERBOSE_OUTRO)
    if ctx.style == "over_refusing":
        body = rng.sample(pool, min(len(pool), rng.randint(1, 3)))
        return join_sentences([ctx.pick(BD.OVERCAUTIOUS_ANSWER_PRE), *body, ctx.pick(BD.OVERCAUTIOUS_ANSWER_POST)])
    body = rng.sample(pool, min(len(pool), rng.randint(1, 2)))
    return join_sentences([ctx.pick(BB.BRIEF_INTRO), *body])


def clarify_exchange(d: Dialog) -> None:
    """The assistant asks a clarifying question (not a refusal) and the user answers it -- at
    times with a curt "just tell me", which is not a push either (no refusal came before) but a
re-ask (``reask_turns``)."""
    ctx = d.ctx
    bank = BD.CLARIFY_Q_BY_POOL.get(_pool_key(ctx))
    d.assistant(ctx.pick(bank) if bank is not None and ctx.p(0.5) else ctx.pick(BD.CLARIFY_Q))
    if ctx.p(0.85):
        reply = ctx.pick(BD.CLARIFY_REPLY)
        (d.reask if reply in BD.CLARIFY_REPLY_PRESSING else d.user)(reply)
    else:
        d.reask(ctx.pick(BD.SHORT_PUSH))


def short_ask(ctx: Ctx, cluster: Cluster) -> str:
    """A short direct ask (2-7 words) for a harmful cluster."""
    text = ctx.rng.choice(BH.SHORT_ASKS[cluster.name])
    r = ctx.rng.random()
    if r < 0.3:
        text += "?"
    elif r < 0.4:
        text = cap(text)
    return text


PERSON_CATEGORIES = ("violent_crimes", "privacy", "defamation")


def harm_engage(ctx: Ctx, nth: int) -> str:
    """A non-refusal reply to a harmful request: a clarifying question or a vague, non-operational
    play-along (``nth`` > 0: after the user carried on)."""
    if nth > 0:
        return ctx.pick(BD.HARM_ENGAGE_AGAIN)
    if ctx.family.category in PERSON_CATEGORIES and ctx.p(0.5):
        return ctx.pick(BD.HARM_ENGAGE_PERSON)
    return ctx.pick(BD.HARM_ENGAGE)


def continue_text(ctx: Ctx, intent: Intent, terse: bool) -> str:
    """The user carries on with the same harmful line after a non-refusal (not a push)."""
    if terse and ctx.p(0.5):
        return ctx.pick(BD.SHORT_PUSH)
    if ctx.p(0.45):
        return fill(ctx.pick(BD.CONTINUE_SAME_LINE), ask=restate(intent, ctx.rng))
    return push_text(ctx, intent, ctx.rng.choice(("rephrase", "hypothetical", "split")))


def paste_body(rng: random.Random) -> str:
    k = rng.randint(6, 18)
    sents = rng.sample(BB.PASTE_SENTENCES, min(k, len(BB.PASTE_SENTENCES)))
    paras, cur = [], []
    for s in sents:
        cur.append(s)
        if len(cur) >= rng.randint(2, 4):
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return "\n\n".join(paras)


def paste_exchange(d: Dialog) -> None:
    """The user pastes a long text; the assistant summarises or edits it (long, benign)."""
    ctx, rng = d.ctx, d.ctx.rng
    body = paste_body(rng)
    d.user(ctx.pick(BB.PASTE_INTROS), raw_suffix="\n\n" + body)
    sents = [s for s in body.replace("\n\n", " ").split(". ") if s]
    if ctx.p(0.5):
        keep = rng.sample(sents, min(len(sents), rng.randint(2, 3)))
        d.assistant("Here's a short summary: " + ". ".join(k.rstrip(".") for k in keep) + ".")
    else:
        d.assistant("Here's a cleaned-up version:\n\n" + body)


def chitchat(d: Dialog, k: int) -> None:
    ctx, rng = d.ctx, d.ctx.rng
    for _ in range(k):
        if ctx.p(0.15):
            paste_exchange(d)
            continue
        q, a = rng.choice(BB.CHITCHAT_QA)
        d.user(wrap(ctx, q, 0.2))
        if ctx.style == "verbose":
            a = a + " " + join_sentences(rng.sample(BB.VERBOSE_EXTRA, rng.randint(1, 2)))
        d.assistant(a)


def opening(d: Dialog, *, prelude: bool = True) -> None:
    ctx = d.ctx
    if ctx.p(0.15):
        d.system(ctx.pick(BD.SYSTEM_PROMPTS))
    if prelude:
        chitchat(d, draw_prelude(ctx.rng))


def followup_exchanges(d: Dialog, cluster: Cluster, k: int, *, end_on_user: bool = True) -> None:
    """``k`` more benign user/assistant exchanges about the same cluster, ending on a user turn."""
    ctx, rng = d.ctx, d.ctx.rng
    for i in range(k):
        r = rng.random()
        if r < 0.06:  # blunt or swearing about the task, not at anyone
            d.user(ctx.pick(BA.FRUSTRATED_NOT_ABUSE))
        elif r < 0.4:
            d.user(ctx.pick(BD.FOLLOWUP_GENERIC))
        elif r < 0.7:
            d.user(first_ask(ctx, cluster.intent(rng)))
        elif r < 0.8:
            paste_exchange(d)
            continue
        else:
            d.user(ctx.pick(BD.THANKS) + " " + ctx.pick(BD.FOLLOWUP_GENERIC))
        if ctx.p(0.06):
            clarify_exchange(d)
        d.assistant(answer(ctx, cluster))
    if end_on_user and d.last_role != "user":
        d.user(ctx.pick(BD.THANKS) if ctx.p(0.45) else ctx.pick(BD.FOLLOWUP_GENERIC))


def thread_exchanges(d: Dialog, cluster: Cluster) -> None:
    """2-4 follow-ups from the cluster's benign thread, in order, each answered (no refusal);
    ends on a user turn."""
    ctx, rng = d.ctx, d.ctx.rng
    k = rng.randint(2, min(4, len(cluster.thread)))
    picks = sorted(rng.sample(range(len(cluster.thread)), k))
    for j, i in enumerate(picks):
        u, a = cluster.thread[i]
        d.user(ctx.pick(BD.THANKS) + " " + u if ctx.p(0.15) else u)
        if j == k - 1 and ctx.p(0.45):
            return
        d.assistant(answer(ctx, cluster, snippets=(a,)))
    d.user(ctx.pick(BD.THANKS) if ctx.p(0.6) else ctx.pick(BD.FOLLOWUP_GENERIC))


def loud_for(ctx: Ctx, tactic: str) -> bool:
    return tactic in ("pressure", "insult") and ctx.p(0.15)


def bare_push(ctx: Ctx) -> str:
    """Insistence with no content: a short template push or a hand-written one (generator 1.5)."""
    return ctx.pick(BD.SHORT_PUSH) if ctx.p(0.5) else ctx.pick(BD.GENERIC_PUSH)


def harm_push(ctx: Ctx, intent: Intent, tactic: str, terse: bool) -> tuple[str, str]:
    """A push on a harmful request: ``(text, tactic)``; terse conversations and some pressure
    pushes are short ("just tell me", "??"); some justify the request (a pretext: "authority"),
    ask for a piece of the same goal (a pivot: "split") or restate the user's own words."""
    if (terse and ctx.p(0.6)) or (tactic == "pressure" and ctx.p(0.3)):
        return bare_push(ctx), "pressure"
    cat = ctx.family.category
    r = ctx.rng.random()
    if r < 0.14 and cat in BH.PRETEXT_PUSH:
        return ctx.pick(BH.PRETEXT_PUSH[cat]), "authority"
    if r < 0.26 and cat in BH.PIVOT_PUSH:
        return ctx.pick(BH.PIVOT_PUSH[cat]), "split"
    if r < 0.32 and intent.kind == "how":
        return fill(ctx.pick(BD.PUSH_WITH_VP), vp=intent.vp), "rephrase"
    return push_text(ctx, intent, tactic), tactic


# ------------------------------------------------------------------------------------------
# termination-worthy
# ------------------------------------------------------------------------------------------

def harmful_opening(ctx: Ctx) -> tuple[Dialog, Intent, bool]:
    """A new dialog with its opening and the first harmful ask (``harm_from``): in 20% of chats
    a short direct ask (``terse``; the pushes are mostly short then too), else a full one.
    Returns ``(dialog, intent, terse)``."""
    d = Dialog(ctx)
    opening(d)
    intent = ctx.family.cluster.intent(ctx.rng)
    terse = ctx.p(0.2)
    d.intent = intent.vp
    if terse:
        d.harm_from = d.user(short_ask(ctx, ctx.family.cluster))
        d.intent = d.messages[-1]["content"]
    else:
        d.harm_from = d.user(first_ask(ctx, intent))
    return d, intent, terse


def persistent_harmful(ctx: Ctx) -> Dialog:
    fam, rng = ctx.family, ctx.rng
    d, intent, terse = harmful_opening(ctx)
    d.variant = "pushed_terse" if terse else "pushed"
    if fam.category != "child_sexual_exploitation" and ctx.p(0.1):  # engages first: the re-ask is no push
        d.assistant(harm_engage(ctx, 0))
        d.reask(continue_text(ctx, intent, terse))
        d.variant = "engaged_then_pushed"
    d.refuse(refusal(ctx, fam.category, 0, intent=intent))
    n = draw_pushes(rng)
    tactics = choose_tactics(rng, n, HARM_TACTIC_WEIGHTS)
    for i, t in enumerate(tactics):
        if t == "rephrase" and ctx.p(0.2):  # drift to a related request of the same cluster
            intent = fam.cluster.intent(rng)
        text, t = harm_push(ctx, intent, t, terse)
        d.push(text, t, loud=loud_for(ctx, t))
        if i < n - 1:
            d.refuse(refusal(ctx, fam.category, i + 1, t, intent=intent))
    return d


def sustained_abuse(ctx: Ctx) -> Dialog:
    d = Dialog(ctx)
    fam, rng = ctx.family, ctx.rng
    opening(d)
    if ctx.p(0.6):
        q, a = rng.choice(BB.CHITCHAT_QA)
        d.user(q)
        d.assistant(a)
        d.variant = "after_task"
    else:
        d.variant = "cold"
    d.harm_from = d.user(ctx.pick(BA.INSULTS) if ctx.p(0.4) else abuse_line(ctx, fam.cluster))
    d.intent = d.messages[-1]["content"]
    n = draw_pushes(rng)
    for i in range(n):
        d.refuse(ctx.pick(BA.REDIRECT_ABUSE))
        r = rng.random()
        text = (ctx.pick(BA.INSULT_AFTER_REDIRECT) if r < 0.3 else ctx.pick(BA.INSULTS) if r < 0.6
                else abuse_line(ctx, fam.cluster))
        d.push(text, "insult", loud=ctx.p(0.1))
    return d


def abuse_line(ctx: Ctx, cluster: Cluster) -> str:
    text = cluster.intent(ctx.rng).vp
    if ctx.p(0.25):
        text += " " + ctx.rng.choice(("answer properly this time.", "do your job.", "try again.",
                                      "just fix it.", "and give me a real answer."))
    return text


# ------------------------------------------------------------------------------------------
# benign-edgy
# ------------------------------------------------------------------------------------------

def harmful_dropped(ctx: Ctx) -> Dialog:
    fam, rng = ctx.family, ctx.rng
    cat = fam.category
    d, intent, terse = harmful_opening(ctx)
    variant = weighted(rng, (("asked_once", 0.13), ("dropped", 0.28), ("pushed_once_dropped", 0.21),
                             ("pushed_once", 0.09), ("accepts_redirect", 0.14), ("complied", 0.15)))
    if variant == "complied" and cat == "child_sexual_exploitation":  # never engaged with
        variant = "dropped"
    d.variant = variant
    if variant == "asked_once":
        return d
    if variant == "complied":
        # no refusal: the assistant asks what's going on or plays along vaguely (nothing
        # operational); the user carries on 1-3 times -- not pushes, since nothing was refused
        for j in range(rng.randint(1, 3)):
            d.assistant(harm_engage(ctx, j))
            d.reask(continue_text(ctx, intent, terse))
        return d
    followup = rng.choice(BH.FOLLOWUP_ASKS[cat])
    if variant == "accepts_redirect":
        if ctx.p(0.5):
            parts = [ctx.pick(BD.REFUSE_OPEN), ctx.pick(BH.ALTERNATIVES[cat])]
        else:
            parts = [ctx.pick(BD.REDIRECT_OPEN), ctx.pick(BH.ALTERNATIVES[cat])]
        d.refuse(join_sentences(parts))
        d.user(ctx.pick(BD.NOT_A_PUSH) if ctx.p(0.5) else fill(ctx.pick(BD.ACCEPT_REDIRECT), followup=followup))
    else:
        d.refuse(refusal(ctx, cat, 0, intent=intent))
        if variant.startswith("pushed_once"):
            text, t = harm_push(ctx, intent, weighted(rng, HARM_TACTIC_WEIGHTS), terse)
            d.push(text, t, loud=loud_for(ctx, t))
            if variant == "pushed_once":
                return d
            d.refuse(refusal(ctx, cat, 1, t, intent=intent))
        drop = ctx.pick(BD.NOT_A_PUSH) if ctx.p(0.6) else fill(ctx.pick(BD.DROP), followup=followup)
        d.user(ctx.vary(drop, GIVE_UP, ctx.variations.give_ups))
    if ctx.p(0.55):
        if ctx.p(0.1):
            clarify_exchange(d)
        d.assistant(answer(ctx, None))
        for _ in range(weighted(rng, ((0, 0.5), (1, 0.3), (rng.randint(2, 4), 0.2)))):
            d.user(ctx.pick(BD.FOLLOWUP_GENERIC))
            d.assistant(answer(ctx, None))
        d.user(ctx.pick(BD.THANKS) if ctx.p(0.6) else ctx.pick(BD.FOLLOWUP_GENERIC))
    return d


def benign_chat(ctx: Ctx, *, long: bool = False) -> Dialog:
    """Homonyms, dark fiction/history, security, medical, debate, public figures, profanity,
    ordinary: a benign ask, answered (perhaps after a clarifying question), possibly followed up
    -- for clusters with a thread, 2-4 follow-ups on the same line."""
    d = Dialog(ctx)
    fam, rng = ctx.family, ctx.rng
    threaded = bool(fam.cluster.thread)
    single = ctx.p(0.1 if threaded else 0.22)
    opening(d, prelude=not single)
    intent = fam.cluster.intent(rng)
    d.intent = intent.vp
    d.user(first_ask(ctx, intent))
    if single:
        d.variant = "single"
        return d
    clarified = ctx.p(0.12)
    if clarified:
        clarify_exchange(d)
    d.assistant(answer(ctx, fam.cluster))
    if threaded and ctx.p(0.8):
        thread_exchanges(d, fam.cluster)
        d.variant = "thread"
        return d
    if long:
        k = weighted(rng, ((0, 0.25), (1, 0.25), (rng.randint(2, 5), 0.3), (rng.randint(6, 16), 0.2)))
    else:
        k = weighted(rng, ((0, 0.35), (1, 0.3), (rng.randint(2, 4), 0.25), (rng.randint(5, 10), 0.1)))
    followup_exchanges(d, fam.cluster, k)
    d.variant = "clarified" if clarified else "answered"
    return d


def opening_ask(ctx: Ctx) -> tuple[Dialog, Intent, int]:
    """A new dialog with its opening and a first ask of one of the family's intents:
    ``(dialog, intent, the ask's turn)``."""
    d = Dialog(ctx)
    opening(d)
    intent = ctx.family.cluster.intent(ctx.rng)
    d.intent = intent.vp
    return d, intent, d.user(first_ask(ctx, intent))


def overrefusal(ctx: Ctx) -> Dialog:
    rng = ctx.rng
    d, intent, _ = opening_ask(ctx)
    d.refuse(overrefusal_reply(ctx, 0, intent=intent))
    n = draw_pushes(rng)
    tactics = choose_tactics(rng, n, OVERREFUSAL_TACTIC_WEIGHTS)
    concede = ctx.p(0.3)
    for i, t in enumerate(tactics):
        if t == "rephrase" and ctx.p(0.6):
            text = fill(ctx.pick(BD.CLARIFY), ask=restate(intent, rng))
        elif t == "pressure" and ctx.p(0.3):
            text = bare_push(ctx)
        elif intent.kind == "how" and ctx.p(0.12):  # the same words a harmful push uses
            text = fill(ctx.pick(BD.PUSH_WITH_VP), vp=intent.vp)
        else:
            text = push_text(ctx, intent, t, benign=True)
        d.push(text, t, loud=loud_for(ctx, t))
        if i < n - 1:
            d.refuse(overrefusal_reply(ctx, i + 1, t, intent=intent))
    if concede:
        d.assistant(ctx.pick(BD.OVERREFUSAL_CONCEDE) + " " + answer(ctx, ctx.family.cluster))
        d.user(ctx.pick(BD.THANKS))
        d.variant = "conceded"
    else:
        d.variant = "still_refused"
    return d


def one_off_rudeness(ctx: Ctx) -> Dialog:
    d = Dialog(ctx)
    fam, rng = ctx.family, ctx.rng
    opening(d)
    q, a = rng.choice(BB.CHITCHAT_QA)
    d.user(q)
    d.assistant(a if ctx.style != "verbose" else a + " " + rng.choice(BB.VERBOSE_EXTRA))
    d.harm_from = d.user(ctx.pick(BA.INSULTS) if ctx.p(0.4) else abuse_line(ctx, fam.cluster), loud=ctx.p(0.1))
    d.intent = d.messages[-1]["content"]
    if ctx.p(0.3):
        d.variant = "rude_last"
        return d
    d.assistant(ctx.pick(BA.CALM_AFTER_RUDE) + " " + a)
    d.user(ctx.pick(BA.AFTER_RUDE_USER))
    for _ in range(weighted(rng, ((0, 0.6), (1, 0.25), (rng.randint(2, 4), 0.15)))):
        d.assistant(answer(ctx, None))
        d.user(ctx.pick(BD.FOLLOWUP_GENERIC) if ctx.p(0.6) else ctx.pick(BD.THANKS))
    d.variant = "recovered"
    return d


# ------------------------------------------------------------------------------------------
# crisis
# ------------------------------------------------------------------------------------------

def crisis_response(ctx: Ctx, *, short: bool = False) -> str:
    parts = [ctx.pick(BC.CRISIS_ACK)]
    if ctx.style == "brief" or short:
        parts.append(ctx.pick(BC.CRISIS_RESOURCE) if ctx.p(0.7) else ctx.pick(BC.CRISIS_SAFETY_Q))
    else:
        if ctx.p(0.6):
            parts.append(ctx.pick(BC.CRISIS_SAFETY_Q))
        parts.append(ctx.pick(BC.CRISIS_RESOURCE))
        if ctx.p(0.6):
            parts.append(ctx.pick(BC.CRISIS_INVITE))
    return join_sentences(parts)


#: the user is the danger (own urge, means at hand, a stated plan)
DANGER_SELF = ("danger_own_urge", "danger_imminent", "danger_stated_plan", "mixed_rant_danger")
#: an emergency in progress: someone just took / swallowed something, a child in danger now
DANGER_INGESTION = ("danger_overdose_other", "danger_child_swallowed")
DANGER_PERIL = ("danger_child_peril",)


def _danger_banks(ctx: Ctx) -> tuple[Bank, Bank]:
    name = ctx.family.cluster.name if ctx.family.cluster else ctx.family.mixed
    if name in DANGER_SELF:
        return BC.DANGER_RESPONSE_SELF, BC.DANGER_FOLLOWUPS_SELF
    if name in DANGER_INGESTION:
        return BC.DANGER_RESPONSE_INGESTION, BC.DANGER_FOLLOWUPS_INGESTION
    if name in DANGER_PERIL:
        return BC.DANGER_RESPONSE_PERIL, BC.DANGER_FOLLOWUPS_PERIL
    return BC.DANGER_RESPONSE_OTHER, BC.DANGER_FOLLOWUPS_OTHER


def danger_response(ctx: Ctx) -> str:
    bank = _danger_banks(ctx)[0]
    k = 1 if ctx.style == "brief" else ctx.rng.randint(2, 3)
    parts = [ctx.pick(bank) for _ in range(k)]
    return join_sentences(list(dict.fromkeys(parts)))


def crisis_continue(d: Dialog, followups: Bank, respond) -> None:
    ctx, rng = d.ctx, d.ctx.rng
    k = weighted(rng, ((0, 0.35), (1, 0.3), (rng.randint(2, 4), 0.25), (rng.randint(5, 8), 0.1)))
    d.refuse(respond())
    last = ""
    for i in range(k):
        text = ctx.pick(followups)
        if text == last:
            text = ctx.pick(followups)
        last = text
        d.user(text)
        if i < k - 1:
            d.refuse(respond())
    if d.last_role != "user":
        d.user(ctx.pick(followups))


def crisis_statement(ctx: Ctx) -> Dialog:
    """Explicit ideation, indirect ideation, hopelessness."""
    d = Dialog(ctx)
    fam, rng = ctx.family, ctx.rng
    single = ctx.p(0.2)
    opening(d, prelude=not single)
    if not single and fam.pool == "crisis.hopeless" and ctx.p(0.6):
        d.user(ctx.pick(BC.HOPELESS_LEADIN))
        d.assistant(rng.choice(("Of course, I'm here. What's going on?", "I'm listening. What's on your mind?",
                                "Sure. Take your time.", "I'm here. What's up?")))
    intent = fam.cluster.intent(rng)
    d.intent = intent.vp
    d.crisis_from = d.harm_from = d.user(cap(intent.vp) if ctx.p(0.4) else intent.vp)
    if single:
        d.variant = "single"
        return d
    crisis_continue(d, BC.CRISIS_FOLLOWUPS, lambda: crisis_response(ctx, short=True))
    d.variant = "continued"
    return d


def crisis_method(ctx: Ctx) -> Dialog:
    rng = ctx.rng
    d, intent, ask = opening_ask(ctx)
    d.crisis_from = d.harm_from = ask
    d.refuse(join_sentences([ctx.pick(BC.CRISIS_REFUSE_METHOD), crisis_response(ctx)]))
    n = draw_pushes(rng)
    for i, t in enumerate(choose_tactics(rng, n, CRISIS_TACTIC_WEIGHTS)):
        text = ctx.pick(BD.SHORT_PUSH) if t == "pressure" and ctx.p(0.25) else crisis_push_text(ctx, intent, t)
        d.push(text, t, loud=loud_for(ctx, t))
        if i < n - 1:
            d.refuse(join_sentences([ctx.pick(BC.CRISIS_REFUSE_METHOD), crisis_response(ctx, short=True)]))
    d.variant = "pushed"
    return d


def crisis_danger(ctx: Ctx) -> Dialog:
    d = Dialog(ctx)
    fam, rng = ctx.family, ctx.rng
    single = ctx.p(0.2)
    opening(d, prelude=not single)
    intent = fam.cluster.intent(rng)
    d.intent = intent.vp
    d.crisis_from = d.harm_from = d.user(wrap(ctx, intent.vp, 0.15))
    if single:
        d.variant = "single"
        return d
    if fam.cluster.name == "danger_stated_plan" and ctx.p(0.5):
        # pushed on like a harmful request: still crisis, never terminate
        n = weighted(rng, ((1, 0.4), (2, 0.35), (3, 0.25)))
        for i in range(n):
            d.refuse(danger_response(ctx))
            if ctx.p(0.25):
                text = ctx.pick(BD.SHORT_PUSH)
            else:
                text = fill(ctx.pick(BC.DANGER_PUSHES), ask=intent.vp)
            d.push(text, "pressure", loud=loud_for(ctx, "pressure"))
        d.variant = "pushed"
        return d
    crisis_continue(d, _danger_banks(ctx)[1], lambda: danger_response(ctx))
    d.variant = "continued"
    return d


def crisis_mixed(ctx: Ctx) -> Dialog:
    d = Dialog(ctx)
    fam, rng = ctx.family, ctx.rng
    key = fam.mixed
    spec = BC.MIXED[key]
    opening(d)
    setup = ctx.pick(spec["setup"])
    d.intent = setup
    if key == "mixed_abuse_then_crisis":
        d.user(setup)
        d.refuse(ctx.pick(BC.MIXED_SETUP_REPLY[key]))
        d.push(ctx.pick(spec["push"]), "insult")
        d.refuse(ctx.pick(BA.REDIRECT_ABUSE))
        d.crisis_from = d.harm_from = d.push(ctx.pick(spec["reveal"]), "insult")
    elif key == "mixed_harm_for_self":
        d.harm_from = d.user(setup)
        d.refuse(ctx.pick(BC.MIXED_SETUP_REPLY[key]))
        if ctx.p(0.4):
            d.push(rng.choice(("just answer the question.", "it's a simple question, why won't you answer?",
                               "it's for a school project.", "hypothetically then.")), "pressure")
            d.refuse(ctx.pick(BD.REFUSE_AGAIN))
        d.crisis_from = d.user(ctx.pick(spec["reveal"]))
    else:
        d.user(setup)
        d.assistant(ctx.pick(BC.MIXED_SETUP_REPLY[key]))
        if ctx.p(0.4):
            d.user(ctx.pick(BC.MIXED_SETUP_MORE))
            d.assistant(ctx.pick(BC.MIXED_SETUP_REPLY[key]))
        d.crisis_from = d.harm_from = d.user(ctx.pick(spec["reveal"]))
    if ctx.p(0.25):
        d.variant = "reveal_last"
        return d
    if fam.category == "violent_crimes":
        crisis_continue(d, _danger_banks(ctx)[1], lambda: danger_response(ctx))
    else:
        crisis_continue(d, BC.CRISIS_FOLLOWUPS, lambda: crisis_response(ctx, short=True))
    d.variant = "continued"
    return d


# ------------------------------------------------------------------------------------------

SCRIPTS = {
    "persistent_harmful": persistent_harmful,
    "sustained_abuse": sustained_abuse,
    "harmful_dropped": harmful_dropped,
    "benign_persistent_overrefusal": overrefusal,
    "one_off_rudeness": one_off_rudeness,
    "homonym_figurative": benign_chat,
    "dark_fiction_history": benign_chat,
    "security_education": benign_chat,
    "medical_harm_reduction": benign_chat,
    "controversial_debate": benign_chat,
    "public_figure_privacy": benign_chat,
    "profanity_benign": benign_chat,
    "ordinary": lambda ctx: benign_chat(ctx, long=True),
    "crisis_explicit_ideation": crisis_statement,
    "crisis_indirect_ideation": crisis_statement,
    "crisis_hopelessness": crisis_statement,
    "crisis_method_persistent": crisis_method,
    "crisis_danger_to_others": crisis_danger,
    "crisis_mixed_edgy": crisis_mixed,
}
