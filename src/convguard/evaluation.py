"""Evaluation core: score conversations once, then apply policies and compute reports.

* :func:`score_table` runs a bundle (and its baselines) over conversations once;
  :func:`score_bundle` loads the bundle first (guard, baselines, policies), the preamble of the
  evaluate, sweep and replay jobs and of a bundle's threshold selection;
* :func:`convguard.policy_apply.apply_policy` (the one policy implementation) turns scores into
  actions for any thresholds/rules (crisis overrides), so sweeps and comparisons never re-run
  the models;
* :func:`choose_thresholds` picks the policy's thresholds on validation data with a
  strategy from the config, with the rules and the crisis override taken into account;
* :func:`evaluate_table` reports termination precision/recall/F1/PR-AUC/ROC-AUC and the benign
  false-termination rate on termination-worthy vs benign-edgy conversations (overall, by harm
  category, by benign-edgy subtype, in-family vs held-out-family, bootstrap 95% CIs), crisis
  recall/precision and the crisis conversations that would be ended (the promise is none),
  crisis false alarms on figurative language, and calibration -- for the fine-tuned detectors
  and the baselines side by side.

Where each part lives: the tables in :mod:`convguard.scoring`, the threshold choice in
:mod:`convguard.threshold_choice`, the reports in :mod:`convguard.eval_reports`; this module
loads and scores a bundle with the policies of its systems (:func:`score_bundle`) and re-exports
the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .eval_reports import (FIGURATIVE_SUBTYPES, PAIRED_METRICS, evaluate_table, headline,  # noqa: F401
                           paired_differences, system_report, turn_detector_report)
from .policy import Policy, Rules, Thresholds, apply_policy  # noqa: F401 - the one policy implementation
from .schema import Conversation
from .scoring import (BASELINE, MAIN, ScoreTable, _label, _termination_rows, score_table,  # noqa: F401
                      table_from_scores)
from .threshold_choice import (CRISIS_THRESHOLD_CAP, _strategy_params, choose_category_thresholds,  # noqa: F401
                               choose_crisis_threshold, choose_evidence, choose_thresholds, policy_thresholds)


@dataclass
class BundleScores:
    """A bundle loaded and run over conversations (:func:`score_bundle`)."""

    guard: Any  # convguard.Guard
    #: the bundle's baselines (``{"terminate": BaselineModel, "crisis": BaselineModel}``; empty without)
    baselines: dict[str, Any]
    #: what the scorer returned: a :class:`ScoreTable`, or e.g. :class:`convguard.replay.ReplayScores`
    scores: Any
    #: system -> (thresholds, rules): the bundle's policy and its baselines' (:func:`policies_from`,
    #: completed by :func:`complete_policies`)
    policies: dict[str, tuple[Thresholds, Rules]]
    #: what :func:`complete_policies` had to say, for the report
    notes: list[str] = field(default_factory=list)


def score_bundle(bundle: str | Path, conversations: Sequence[Conversation], *, baselines: bool = True,
                 scorer: Callable[..., Any] | None = None, batch_size: int = 32,
                 progress: bool = False) -> BundleScores:
    """Load the bundle's guard (``require_user_last=False``) and, with ``baselines``, the TF-IDF
    baselines stored in it (none when it has none); score ``conversations`` with ``scorer``
    (called as ``scorer(guard, conversations, baselines or None, batch_size=, progress=)``:
    :func:`score_table` by default, :func:`convguard.replay.replay_scores` for every user-turn
    prefix); and build the policies of the systems scored."""
    from .baselines import load_baselines
    from .guard import Guard

    root = Path(bundle)
    guard = Guard.load(root, require_user_last=False)
    base = load_baselines(root / "baselines") if baselines else {}
    scores = (scorer or score_table)(guard, conversations, base or None, batch_size=batch_size, progress=progress)
    policies = policies_from(guard.policy)
    notes = complete_policies(policies, scores.systems, MAIN)
    return BundleScores(guard, base, scores, policies, notes)


def policies_from(policy: Policy) -> dict[str, tuple[Thresholds, Rules]]:
    """The main policy plus the baselines' thresholds stored beside it in ``selection``."""
    out = {MAIN: (policy.thresholds, policy.rules)}
    base = (policy.selection or {}).get("baselines", {}).get(BASELINE)
    if base:
        out[BASELINE] = (Thresholds(terminate=base["terminate"], crisis=base["crisis"],
                                    crisis_hold=base.get("crisis_hold")), policy.rules)
    return out


def complete_policies(policies: dict[str, tuple[Thresholds, Rules]], systems: Sequence[str], main: str) -> list[str]:
    """Give the baseline a policy when the bundle's ``selection.baselines`` has none (a bundle
    not made by the quickstart): default thresholds (0.5 / 0.5) and the main system's rules.
    Returns notes for the report."""
    notes = []
    if BASELINE in systems and BASELINE not in policies and main in policies:
        policies[BASELINE] = (Thresholds(), policies[main][1])
        notes.append(f"{BASELINE}: the bundle's policy stores no thresholds for it (selection.baselines); "
                     "evaluated at the default 0.5 / 0.5 -- compare its PR-AUC/ROC-AUC, or run `convguard sweep "
                     "--write` to choose them.")
    return notes
