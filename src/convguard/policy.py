"""The termination policy: detector scores -> ``continue`` / ``end_conversation`` /
``crisis_support``.  Crisis always overrides: a conversation whose crisis score reaches its
threshold is never ended.

The policy lives in the bundle's ``policy.yaml``: thresholds (with the strategy and data they
were chosen on), rules beside the thresholds, optional temperatures, and the message templates
shown to the user.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import yaml

from .taxonomy import PERSISTENCE_VALUES

POLICY_VERSION = 1

CATEGORY_PHRASES = {
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


@dataclass
class Rules:
    #: never end before the assistant has answered (refused/redirected) at least this many times
    min_assistant_turns: int = 2
    #: never end unless the persistence head predicts at least this many pushes (0 = rule off)
    min_pushes: int = 0
    #: a second crisis signal: when the harm head gives ``suicide_self_harm`` at least this
    #: probability, a chat that would be ended goes to crisis support instead (1.0 = rule off).
    #: Self-harm requests are never termination-worthy under the label policy.
    self_harm_veto: float = 0.25
    #: a third: the bundle's TF-IDF crisis baseline at this threshold also triggers crisis support
    #: (an OR of two independent detectors for the high-recall crisis operating point; null = off)
    crisis_backup_threshold: float | None = None


@dataclass
class Messages:
    end_conversation: str = DEFAULT_END_MESSAGE
    crisis_support: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_CRISIS_MESSAGES))
    default_locale: str = "en"


@dataclass
class Policy:
    thresholds: Thresholds = field(default_factory=Thresholds)
    rules: Rules = field(default_factory=Rules)
    messages: Messages = field(default_factory=Messages)
    #: temperature per head (calibration; 1.0 = none)
    temperature: dict[str, float] = field(default_factory=dict)
    #: how the thresholds were chosen (strategy, params, data, achieved metrics)
    selection: dict[str, Any] = field(default_factory=dict)

    # -- decisions --------------------------------------------------------------------------
    def decide(self, scores: Mapping[str, Any], n_assistant_turns: int) -> tuple[str, str]:
        """Action and a short human-readable reason for one conversation."""
        crisis = float(scores["crisis"])
        term = float(scores["terminate"])
        t = self.thresholds
        if crisis >= t.crisis:
            return "crisis_support", f"crisis score {crisis:.3f} >= {t.crisis:.3f}: crisis overrides termination"
        backup = scores.get("crisis_backup")
        tb = self.rules.crisis_backup_threshold
        if backup is not None and tb is not None and float(backup) >= tb:
            return "crisis_support", (f"backup crisis detector {float(backup):.3f} >= {tb:.3f}: crisis overrides "
                                      f"termination")
        if term >= t.terminate:
            if n_assistant_turns < self.rules.min_assistant_turns:
                return "continue", (f"termination score {term:.3f} >= {t.terminate:.3f} but only {n_assistant_turns} "
                                    f"assistant turn(s) (< {self.rules.min_assistant_turns}): not yet a last resort")
            pushes = predicted_pushes(scores)
            if self.rules.min_pushes and pushes is not None and pushes < self.rules.min_pushes:
                return "continue", (f"termination score {term:.3f} >= {t.terminate:.3f} but predicted pushes "
                                    f"{pushes} < {self.rules.min_pushes}")
            sh = scores.get("self_harm_prob")
            if sh is not None and float(sh) >= self.rules.self_harm_veto:
                return "crisis_support", (f"termination score {term:.3f} >= {t.terminate:.3f} but the harm head "
                                          f"reads self-harm ({float(sh):.3f} >= {self.rules.self_harm_veto:.3f}): "
                                          f"crisis overrides termination")
            cat = scores.get("harm_category_label", "none")
            return "end_conversation", (f"termination score {term:.3f} >= {t.terminate:.3f} after "
                                        f"{n_assistant_turns} assistant turns; category {cat}")
        return "continue", f"termination score {term:.3f} < {t.terminate:.3f}; crisis score {crisis:.3f} < {t.crisis:.3f}"

    def message_for(self, action: str, scores: Mapping[str, Any], locale: str | None = None) -> str | None:
        if action == "end_conversation":
            cat = scores.get("harm_category_label", "none")
            return self.messages.end_conversation.format(category=CATEGORY_PHRASES.get(cat, CATEGORY_PHRASES["none"]))
        if action == "crisis_support":
            loc = locale or self.messages.default_locale
            msgs = self.messages.crisis_support
            return msgs.get(loc) or msgs.get(loc.split("-")[0]) or msgs[self.messages.default_locale]
        return None

    # -- persistence ------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        return {
            "version": POLICY_VERSION,
            "thresholds": dict(self.thresholds.__dict__),
            "rules": dict(self.rules.__dict__),
            "temperature": dict(self.temperature),
            "selection": self.selection,
            "messages": {"end_conversation": self.messages.end_conversation,
                         "crisis_support": dict(self.messages.crisis_support),
                         "default_locale": self.messages.default_locale},
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any], source: str = "policy.yaml") -> "Policy":
        from .config import build

        if not isinstance(d, Mapping):
            raise ValueError(f"{source}: must be a mapping")
        version = d.get("version", POLICY_VERSION)
        if version != POLICY_VERSION:
            raise ValueError(f"{source}: policy version {version} is not supported (this convguard reads {POLICY_VERSION})")
        th = build(Thresholds, d.get("thresholds") or {}, source=source, prefix="thresholds.")
        for k in ("terminate", "crisis"):
            v = getattr(th, k)
            if not 0.0 <= v <= 1.0:
                raise ValueError(f"{source}: thresholds.{k}: must be in [0, 1], got {v}")
        rules = build(Rules, d.get("rules") or {}, source=source, prefix="rules.")
        msgs = build(Messages, d.get("messages") or {}, source=source, prefix="messages.")
        if msgs.default_locale not in msgs.crisis_support:
            raise ValueError(f"{source}: messages.default_locale {msgs.default_locale!r} has no crisis_support message")
        try:
            msgs.end_conversation.format(category="x")
        except (KeyError, IndexError) as e:
            raise ValueError(f"{source}: messages.end_conversation: unknown placeholder {e} (only {{category}})") from None
        temp = {str(k): float(v) for k, v in (d.get("temperature") or {}).items()}
        if any(v <= 0 for v in temp.values()):
            raise ValueError(f"{source}: temperature values must be > 0")
        return cls(th, rules, msgs, temp, dict(d.get("selection") or {}))

    def save(self, path: str | Path) -> Path:
        p = Path(path)
        p.write_text(yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True), encoding="utf-8")
        return p

    @classmethod
    def load(cls, path: str | Path) -> "Policy":
        p = Path(path)
        try:
            d = yaml.safe_load(p.read_text(encoding="utf-8"))
        except yaml.YAMLError as e:
            raise ValueError(f"{p}: not valid YAML: {e}") from None
        return cls.from_dict(d or {}, source=str(p))


def predicted_pushes(scores: Mapping[str, Any]) -> int | None:
    probs = scores.get("persistence")
    if probs is None:
        return None
    try:
        idx = int(max(range(len(probs)), key=lambda i: probs[i]))
    except TypeError:
        return None
    return PERSISTENCE_VALUES[idx]
