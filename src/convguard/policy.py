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

The settings (:class:`Thresholds`, :class:`Rules`, :class:`Messages`) live in
:mod:`convguard.policy_settings`, the decisions (:func:`apply_policy`, :func:`explain` and the
helpers that read the scores) in :mod:`convguard.policy_apply`; this module holds the
:class:`Policy` that combines them and reads and checks policy.yaml, and re-exports both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import numpy as np
import yaml

from .policy_apply import (REASONS, PolicyResult, apply_policy, category_probs, crisis_scores,  # noqa: F401
                           evidence_keys, explain, harm_scores, predicted_pushes_array, refused_push_counts,
                           refused_push_pairs, self_harm_probs, terminate_thresholds)
from .policy_settings import (DEFAULT_CRISIS_MESSAGES, DEFAULT_END_MESSAGE, EVIDENCE_TOP_K,  # noqa: F401
                              HARM_SCORES, Messages, Rules, Thresholds)
from .taxonomy import DEFAULT_TAXONOMY, PERSISTENCE_VALUES, Taxonomy, taxonomy_or_default

log = logging.getLogger(__name__)

#: 2: ``rules.min_refused_pushes`` (turn-detector evidence) replaced ``rules.min_assistant_turns``
POLICY_VERSION = 2

#: the top-level keys of policy.yaml
POLICY_KEYS = ("version", "thresholds", "rules", "temperature", "selection", "messages",
               "unsafe_disable_crisis_routing")
#: heads a policy may hold a temperature for
TEMPERATURE_HEADS = ("terminate", "crisis")


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
        if not 0.0 <= rules.crisis_self_harm_weight < 1.0:  # NaN fails too
            raise ValueError(f"{source}: rules.crisis_self_harm_weight: must be in [0, 1) (0 = the turn detector's "
                             f"crisis score alone; 1 would drop it), got {rules.crisis_self_harm_weight}")
        if th.crisis_hold is not None:
            # the hold reads the turn detector's own score; without a self-harm weight that is the
            # support threshold's score too, and a hold above it would never act
            top = th.crisis if rules.crisis_self_harm_weight == 0 else 1.0
            if not 0.0 <= th.crisis_hold <= top:
                where = "[0, thresholds.crisis]" if top == th.crisis else "[0, 1]"
                raise ValueError(f"{source}: thresholds.crisis_hold: must be in {where}, got {th.crisis_hold}")
        reach = 1.0 - rules.crisis_self_harm_weight
        if rules.crisis_self_harm_weight > 0 and th.crisis >= reach and not (crisis_off and th.crisis >= 1.0):
            # the mix scales the turn detector's score down to at most 1 - w: a crisis the harm head
            # does not read as self-harm (danger to others) could never reach the threshold
            raise ValueError(f"{source}: thresholds.crisis {th.crisis} with rules.crisis_self_harm_weight "
                             f"{rules.crisis_self_harm_weight}: the turn detector alone reaches at most {reach:g}, so a "
                             f"crisis the harm head misses would never be routed; the threshold must be < {reach:g}")
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
