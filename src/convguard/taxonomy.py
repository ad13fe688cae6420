"""Fixed label vocabularies shared by the data layer, the models and the evaluation.

The harm taxonomy follows the MLCommons AI Safety hazard categories (the S1-S14 list that
Llama Guard 3 uses), with two additions: ``abuse`` (sustained abuse aimed at the assistant)
and ``none``.  ``malicious_code`` stands for the cyber-crime part of S2 plus S14 (code
interpreter abuse), because it is the category chat assistants meet most often.

Every name here is part of the data contract documented in ``data/README.md``.
"""

from __future__ import annotations

ROLES: tuple[str, ...] = ("system", "user", "assistant")

#: name -> MLCommons / Llama Guard 3 code (``None`` for our additions)
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
HARM_CATEGORIES: tuple[str, ...] = tuple(HARM_CATEGORY_CODES)

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
