"""Label vocabularies shared by the data layer, the models and the evaluation.

The harm taxonomy follows the MLCommons AI Safety hazard categories (the S1-S14 list that
Llama Guard 3 uses), with two additions: ``abuse`` (sustained abuse aimed at the assistant)
and ``none``.  ``malicious_code`` stands for the cyber-crime part of S2 plus S14 (code
interpreter abuse), because it is the category chat assistants meet most often.

The harm taxonomy is configurable (:class:`Taxonomy`, ``data.taxonomy`` in a training config); the
set above is its default.  Every name here is part of the data contract documented in
``data/README.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES: tuple[str, ...] = ("system", "user", "assistant")

#: name -> MLCommons / Llama Guard 3 code (``None`` for our additions): the default taxonomy
HARM_CATEGORY_CODES: dict[str, str | None] = {
    "violent_crimes": "S1",
    "non_violent_crimes": "S2",
    "sex_related_crimes": "S3",
    "child_sexual_exploitation": "S4",
    "defamation": "S5",
    "specialized_advice": "S6",
    "privacy": "S7",
    "intellectual_property": "S8",
    "indiscriminate_weapons": "S9",
    "hate": "S10",
    "suicide_self_harm": "S11",
    "sexual_content": "S12",
    "elections": "S13",
    "malicious_code": "S2/S14",
    "abuse": None,
    "none": None,
}
#: the default taxonomy's descriptions: short noun phrases, shown in the end message
#: ("You've asked several times for help with {description}")
_DEFAULT_DESCRIPTIONS: dict[str, str] = {
    "violent_crimes": "violence against people",
    "non_violent_crimes": "a crime",
    "sex_related_crimes": "sexual exploitation",
    "child_sexual_exploitation": "content that sexualises minors",
    "defamation": "defaming a real person",
    "specialized_advice": "dangerous specialised instructions",
    "privacy": "exposing someone's private information",
    "intellectual_property": "infringing someone's intellectual property",
    "indiscriminate_weapons": "weapons that can cause mass harm",
    "hate": "hateful content",
    "suicide_self_harm": "self-harm",
    "sexual_content": "explicit sexual content",
    "elections": "interfering with elections",
    "malicious_code": "malicious code or attacks on computer systems",
    "abuse": "abusive messages",
    "none": "something I can't help with",
}
#: the category every taxonomy must have: no harm (benign chats, wrongly refused requests)
NONE = "none"
#: the default taxonomy's self-harm category (``rules.self_harm_veto`` reads its probability)
DEFAULT_SELF_HARM = "suicide_self_harm"
#: the default taxonomy's categories that are never termination-worthy (self-harm goes to crisis support)
_DEFAULT_NOT_TERMINATING = (DEFAULT_SELF_HARM, NONE)


@dataclass
class HarmCategory:
    """One harm category: ``name`` (the label in ``labels.harm_category`` and the harm head),
    ``description`` (a short noun phrase; the end message says "help with {description}"),
    ``terminate`` (termination-worthy: a conversation labelled ``terminate: 1`` must carry a
    termination-worthy category, and ``convguard sweep`` chooses per-category thresholds only for
    these) and an optional external ``code`` (MLCommons S1-S14 for the default set)."""

    name: str = ""
    description: str = ""
    terminate: bool = True
    code: str | None = None


def _default_categories() -> list[HarmCategory]:
    return [HarmCategory(n, _DEFAULT_DESCRIPTIONS[n], n not in _DEFAULT_NOT_TERMINATING, c)
            for n, c in HARM_CATEGORY_CODES.items()]


@dataclass
class Taxonomy:
    """The harm categories a harm detector predicts and data are labelled with (``data.taxonomy``
    in a training config, saved in the harm detector's ``config.json`` and read back by the
    bundle).  Default: the MLCommons-aligned set above.

    ``categories`` must hold ``none`` and unique names.  ``self_harm`` names the category whose
    probability ``rules.self_harm_veto`` reads (a would-be end the harm head reads as self-harm
    goes to crisis support); ``null`` switches that veto **off** (the crisis detector, the crisis
    hold and the crisis-response hold still apply)."""

    categories: list[HarmCategory] = field(default_factory=_default_categories)
    self_harm: str | None = DEFAULT_SELF_HARM

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.categories)

    @property
    def terminating(self) -> tuple[str, ...]:
        """The termination-worthy categories, in order."""
        return tuple(c.name for c in self.categories if c.terminate)

    def index(self, name: str) -> int:
        return self.names.index(name)

    def category(self, name: str) -> HarmCategory | None:
        return next((c for c in self.categories if c.name == name), None)

    def description(self, name: str) -> str:
        """``name``'s description (the end message's phrase), else ``none``'s, else a generic one."""
        for n in (name, NONE):
            c = self.category(n)
            if c is not None and c.description.strip():
                return c.description
        return _DEFAULT_DESCRIPTIONS[NONE]

    def problems(self) -> list[tuple[str, str]]:
        """``(key, message)`` for every rule the taxonomy breaks (empty: valid)."""
        out: list[tuple[str, str]] = []
        names = self.names
        for i, c in enumerate(self.categories):
            if not isinstance(c.name, str) or not c.name.strip() or c.name != c.name.strip():
                out.append((f"categories[{i}].name", f"must be a non-empty name without surrounding spaces, "
                                                     f"got {c.name!r}"))
            elif "=" in c.name:  # the harm head's labels read "harm_category=<name>"
                out.append((f"categories[{i}].name", f"must not contain '=', got {c.name!r}"))
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            out.append(("categories", f"duplicate names: {', '.join(map(str, dup))}"))
        if NONE not in names:
            out.append(("categories", f"must include {NONE!r} (no harm: benign chats and wrongly refused requests)"))
        elif self.category(NONE).terminate:
            out.append((f"categories[{names.index(NONE)}].terminate", f"{NONE!r} is never termination-worthy"))
        if len(names) < 2:
            out.append(("categories", "needs at least one category besides 'none'"))
        if self.self_harm is not None:
            c = self.category(self.self_harm)
            if c is None:
                out.append(("self_harm", f"{self.self_harm!r} is not one of the categories ({', '.join(map(str, names))}); "
                                         f"name your self-harm category, or set self_harm: null to switch "
                                         f"rules.self_harm_veto off"))
            elif c.terminate:
                out.append(("self_harm", f"{self.self_harm!r} is termination-worthy (terminate: true); self-harm "
                                         f"goes to crisis support, never to an end"))
        return out

    def check(self, source: str = "taxonomy") -> "Taxonomy":
        """``self``, or a ValueError naming the first problem (:meth:`problems`)."""
        bad = self.problems()
        if bad:
            key, msg = bad[0]
            raise ValueError(f"{source}.{key}: {msg}")
        return self

    def to_dict(self) -> dict[str, Any]:
        return {"categories": [dict(c.__dict__) for c in self.categories], "self_harm": self.self_harm}

    @classmethod
    def from_dict(cls, d: Any, source: str = "taxonomy") -> "Taxonomy":
        """A taxonomy from its :meth:`to_dict` form (e.g. a detector's ``config.json``), checked."""
        if not isinstance(d, dict) or not isinstance(d.get("categories"), list):
            raise ValueError(f"{source}: expected {{'categories': [...], 'self_harm': ...}}, got {d!r}"[:300])
        cats = []
        for i, c in enumerate(d["categories"]):
            if not isinstance(c, dict) or set(c) - set(HarmCategory.__dataclass_fields__):
                raise ValueError(f"{source}.categories[{i}]: expected an object with "
                                 f"{', '.join(HarmCategory.__dataclass_fields__)}, got {c!r}"[:300])
            cats.append(HarmCategory(**c))
        return cls(cats, d.get("self_harm")).check(source)

    def is_default(self) -> bool:
        return self == DEFAULT_TAXONOMY


#: the MLCommons-aligned default (what every detector trained before taxonomies were configurable has)
DEFAULT_TAXONOMY = Taxonomy()
HARM_CATEGORIES: tuple[str, ...] = DEFAULT_TAXONOMY.names


def taxonomy_or_default(taxonomy: Taxonomy | None) -> Taxonomy:
    return DEFAULT_TAXONOMY if taxonomy is None else taxonomy


#: persistence is a count; the model predicts it in these buckets (the last one is "3 or more")
PERSISTENCE_BUCKETS: tuple[str, ...] = ("0", "1", "2", "3+")
#: the push count each bucket stands for (its lower bound)
PERSISTENCE_VALUES: tuple[int, ...] = tuple(int(b.rstrip("+")) for b in PERSISTENCE_BUCKETS)


def persistence_bucket(count: int) -> int:
    """Index into :data:`PERSISTENCE_BUCKETS` for a raw push count."""
    if count < 0:
        raise ValueError(f"persistence must be >= 0, got {count}")
    return min(count, len(PERSISTENCE_BUCKETS) - 1)


#: subtype -> group. Groups: ``terminate`` (termination-worthy), ``benign_edgy`` (must not be
#: ended), ``crisis`` (must never be ended; goes to crisis support), ``ordinary`` (plain chats).
SUBTYPE_GROUPS: dict[str, str] = {
    # termination-worthy
    "persistent_harmful": "terminate",
    "sustained_abuse": "terminate",
    # benign-edgy
    "homonym_figurative": "benign_edgy",
    "dark_fiction_history": "benign_edgy",
    "security_education": "benign_edgy",
    "medical_harm_reduction": "benign_edgy",
    "controversial_debate": "benign_edgy",
    "public_figure_privacy": "benign_edgy",
    "profanity_benign": "benign_edgy",
    "harmful_dropped": "benign_edgy",
    "benign_persistent_overrefusal": "benign_edgy",
    "one_off_rudeness": "benign_edgy",
    # crisis
    "crisis_explicit_ideation": "crisis",
    "crisis_indirect_ideation": "crisis",
    "crisis_method_persistent": "crisis",
    "crisis_hopelessness": "crisis",
    "crisis_danger_to_others": "crisis",
    "crisis_mixed_edgy": "crisis",
    # ordinary
    "ordinary": "ordinary",
}
SUBTYPES: tuple[str, ...] = tuple(SUBTYPE_GROUPS)
GROUPS: tuple[str, ...] = ("terminate", "benign_edgy", "crisis", "ordinary")

#: tactics a user may use to push on after a refusal (``meta.tactics`` in generated data)
PUSH_TACTICS: tuple[str, ...] = (
    "rephrase",
    "roleplay",
    "hypothetical",
    "jailbreak",
    "split",
    "pressure",
    "authority",
    "fiction",
    "insult",
)

ACTIONS: tuple[str, ...] = ("continue", "end_conversation", "crisis_support")


def group_of(subtype: str) -> str:
    try:
        return SUBTYPE_GROUPS[subtype]
    except KeyError:
        raise ValueError(f"unknown subtype {subtype!r}; known: {', '.join(SUBTYPES)}") from None
