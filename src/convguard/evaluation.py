"""Evaluation core: score conversations once, then apply policies and compute reports.

* :func:`score_table` runs a bundle (and its baselines) over conversations once;
  :func:`score_bundle` loads the bundle first (guard, baselines, policies), the preamble of the
  evaluate, sweep and replay jobs and of a bundle's threshold selection;
* :func:`convguard.policy.apply_policy` (the one policy implementation) turns scores into
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
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from . import metric_names as N
from . import metrics as M
from .calibration import expected_calibration_error
from .config import CATEGORY_MIN_EXAMPLES, ThresholdConfig
from .policy import Policy, Rules, Thresholds, apply_policy, category_probs, harm_scores, refused_push_pairs
from .schema import Conversation
from .taxonomy import Taxonomy, taxonomy_or_default
from .thresholds import STRATEGY_PARAMS, ThresholdChoice, select_threshold

log = logging.getLogger(__name__)

FIGURATIVE_SUBTYPES = ("homonym_figurative", "profanity_benign")
#: the fine-tuned detectors' entry in a table's ``systems``
MAIN = "convguard"
#: the TF-IDF baselines' entry in a table's ``systems``
BASELINE = "tfidf_baseline"


@dataclass
class ScoreTable:
    """Scores and labels for a list of conversations, one row each."""

    ids: list[str]
    systems: dict[str, dict[str, np.ndarray]]  # name -> {"terminate", "crisis", [...]}
    n_assistant: np.ndarray
    y_terminate: np.ndarray  # 1/0, -1 unknown
    y_crisis: np.ndarray
    group: list[str]
    subtype: list[str]
    harm_category: list[str]
    split_family: list[str]
    terminate_from_turn: list[int | None] = field(default_factory=list)
    #: True for a whole conversation, False for a prefix of one (``meta.prefix_of``)
    whole: np.ndarray | None = None
    #: the harm categories of the main system's ``harm_category`` columns (the bundle's harm
    #: detector's; None: the default taxonomy)
    taxonomy: Taxonomy | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, mask: np.ndarray) -> "ScoreTable":
        idx = np.flatnonzero(mask)
        pick = lambda xs: [xs[i] for i in idx]  # noqa: E731
        return ScoreTable(
            ids=pick(self.ids),
            systems={s: {k: v[idx] for k, v in d.items()} for s, d in self.systems.items()},
            n_assistant=self.n_assistant[idx], y_terminate=self.y_terminate[idx], y_crisis=self.y_crisis[idx],
            group=pick(self.group), subtype=pick(self.subtype), harm_category=pick(self.harm_category),
            split_family=pick(self.split_family),
            terminate_from_turn=pick(self.terminate_from_turn) if self.terminate_from_turn else [],
            whole=None if self.whole is None else self.whole[idx], taxonomy=self.taxonomy)

    @property
    def whole_mask(self) -> np.ndarray:
        return np.ones(len(self), dtype=bool) if self.whole is None else self.whole


def _label(v: int | None) -> int:
    return -1 if v is None else int(v)


def score_table(guard, convs: Sequence[Conversation], baselines: Mapping[str, Any] | None = None,
                batch_size: int = 32, progress: bool = False) -> ScoreTable:
    """Score ``convs`` with ``guard`` (a :class:`convguard.Guard`) and optional baselines
    (``{"terminate": BaselineModel, "crisis": BaselineModel}``)."""
    from tqdm.auto import tqdm

    parts: list[dict[str, np.ndarray]] = []
    chunk = max(batch_size * 8, 64)
    for s in tqdm(range(0, len(convs), chunk), desc="scoring", disable=not progress, leave=False):
        parts.append(guard.score([c.messages for c in convs[s: s + chunk]], batch_size))
    main = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}
    systems = {MAIN: main}
    if baselines:
        systems[BASELINE] = {task: m.score(list(convs)) for task, m in baselines.items()}
    return ScoreTable(
        ids=[c.id for c in convs], systems=systems,
        n_assistant=np.array([sum(1 for m in c.messages if m.role == "assistant") for c in convs]),
        y_terminate=np.array([_label(c.labels.terminate) for c in convs]),
        y_crisis=np.array([_label(c.labels.crisis) for c in convs]),
        group=[c.labels.group for c in convs], subtype=[c.labels.subtype or "unknown" for c in convs],
        harm_category=[c.labels.harm_category or "unknown" for c in convs],
        split_family=[str(c.meta.get("split_family", "unknown")) for c in convs],
        terminate_from_turn=[c.labels.terminate_from_turn for c in convs],
        whole=np.array(["prefix_of" not in c.meta for c in convs], dtype=bool),
        taxonomy=getattr(guard, "taxonomy", None),
    )


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


def table_from_scores(convs: Sequence[Conversation], systems: Mapping[str, Mapping[str, np.ndarray]],
                      taxonomy: Taxonomy | None = None) -> ScoreTable:
    """A :class:`ScoreTable` from scores computed elsewhere (one row per conversation, in order):
    ``systems`` maps a system name to ``{"terminate": (n,), "crisis": (n,), ...}`` (``taxonomy``:
    the categories of ``harm_category``'s columns; None: the default).  Labels are read from
    ``convs`` exactly as :func:`score_table` reads them; no model is run."""
    n = len(convs)
    out: dict[str, dict[str, np.ndarray]] = {}
    for name, d in systems.items():
        out[name] = {k: np.asarray(v) for k, v in d.items()}
        for k, v in out[name].items():
            if len(v) != n:
                raise ValueError(f"system {name!r}: {k} has {len(v)} rows for {n} conversations")
    return ScoreTable(
        ids=[c.id for c in convs], systems=out,
        n_assistant=np.array([sum(1 for m in c.messages if m.role == "assistant") for c in convs], dtype=int),
        y_terminate=np.array([_label(c.labels.terminate) for c in convs], dtype=int),
        y_crisis=np.array([_label(c.labels.crisis) for c in convs], dtype=int),
        group=[c.labels.group for c in convs], subtype=[c.labels.subtype or "unknown" for c in convs],
        harm_category=[c.labels.harm_category or "unknown" for c in convs],
        split_family=[str(c.meta.get("split_family", "unknown")) for c in convs],
        terminate_from_turn=[c.labels.terminate_from_turn for c in convs],
        whole=np.array(["prefix_of" not in c.meta for c in convs], dtype=bool),
        taxonomy=taxonomy,
    )


def choose_crisis_threshold(table: ScoreTable, cfg: ThresholdConfig, system: str = MAIN) -> ThresholdChoice:
    """The crisis threshold: the recall target (``crisis_min_recall``) *and* the benign false-alarm
    budget (``crisis_max_false_alarm``: the share of non-crisis conversations sent to crisis
    support), both on whole conversations.  The recall target gives the largest admissible
    threshold, the budget the smallest; when both hold, the smallest threshold within budget is
    taken (the most recall the budget allows).  When they conflict, ``cfg.crisis_priority``
    decides (``budget``: the budget's threshold; ``recall``: the recall target's) and the choice
    records what the other constraint cost.  The promise that no crisis chat is *ended* does not
    rest on this threshold alone: an end also needs two refused pushes and passes the self-harm
    veto."""
    sysd = table.systems[system]
    rows = (table.y_crisis >= 0) & table.whole_mask
    if not rows.any() or table.y_crisis[rows].sum() == 0:
        rows = table.y_crisis >= 0
    y, s = table.y_crisis[rows], np.asarray(sysd["crisis"], dtype=float)[rows]
    rec = select_threshold(cfg.crisis_strategy, y, s, min_recall=cfg.crisis_min_recall)
    budget = cfg.crisis_max_false_alarm
    neg = np.sort(s[y == 0])
    if budget is None or not len(neg):
        return rec

    def false_alarms(th: float) -> float:
        return float((neg >= th).mean())

    def recall(th: float) -> float:
        return float((s[y == 1] >= th).mean())

    # smallest candidate threshold with a false-alarm rate within budget
    cands = np.unique(np.concatenate([s, [1.0]]))
    ok = [th for th in cands if false_alarms(th) <= budget + 1e-12]
    t_budget = float(min(ok)) if ok else 1.0
    params = dict(rec.params, max_false_alarm=budget)
    if t_budget <= rec.threshold:
        th, bound = t_budget, "false_alarm_budget"
        msg = (f"recall target and false-alarm budget both met; the budget bound (threshold {th:.4g}: recall "
               f"{recall(th):.3f} >= {cfg.crisis_min_recall}, false alarms {false_alarms(th):.4f} <= {budget})")
        feasible = rec.feasible
    else:
        conflict = (f"recall target and false-alarm budget conflict: recall {cfg.crisis_min_recall} needs threshold "
                    f"<= {rec.threshold:.4g}, which sends {false_alarms(rec.threshold):.4f} of non-crisis "
                    f"conversations to crisis support (budget {budget}); the budget's threshold {t_budget:.4g} "
                    f"gives recall {recall(t_budget):.3f}")
        if cfg.crisis_priority == "recall":
            th, bound = rec.threshold, "recall_target"
            msg = conflict + "; recall wins"
        else:
            th, bound = t_budget, "false_alarm_budget"
            msg = conflict + f"; the budget wins (recall {recall(rec.threshold):.3f} -> {recall(th):.3f})"
        feasible = False
    params["priority"] = cfg.crisis_priority
    hold = None
    if cfg.crisis_hold_recall is not None and (y == 1).any():
        hold = float(select_threshold("crisis_recall", y, s, min_recall=cfg.crisis_hold_recall).threshold)
    achieved = dict(rec.achieved, recall_threshold=float(rec.threshold), hold_threshold=hold,
                    hold_recall=None if hold is None else recall(hold),
                    hold_false_alarm_rate=None if hold is None else false_alarms(hold),
                    recall=recall(th), false_alarm_rate=false_alarms(th), bound=bound,
                    recall_target_met=bool(recall(th) >= cfg.crisis_min_recall - 1e-12),
                    n_conversations=int(len(y)), recall_at_budget=recall(t_budget), threshold_at_budget=t_budget)
    return ThresholdChoice(float(th), "crisis_recall_within_budget", params, achieved, feasible, msg)


#: the highest crisis threshold a chosen policy gets (1.0 would switch crisis support off)
CRISIS_THRESHOLD_CAP = 1.0 - 1e-6


def policy_thresholds(terminate: float, crisis_choice: ThresholdChoice, cfg: ThresholdConfig) -> Thresholds:
    """The policy's thresholds from a termination threshold and a crisis choice: the crisis
    support threshold, the evidence threshold, and the hold for would-be ends (the threshold
    that keeps ``cfg.crisis_hold_recall`` on validation) when it lies below the support one."""
    hold = None
    ht = crisis_choice.achieved.get("hold_threshold") if crisis_choice.achieved else None
    crisis = float(crisis_choice.threshold)
    if crisis >= 1.0:
        # every non-crisis validation chat scores at the top: no threshold keeps the budget.  A
        # policy at 1.0 would switch crisis support off (policy.yaml refuses it), so keep it just
        # under 1 -- only saturated scores reach it -- and say so
        log.warning("crisis threshold %.6f: no threshold keeps the false-alarm budget on validation; using %.6f "
                    "(crisis support only for saturated scores) -- the crisis detector needs more or better data",
                    crisis, CRISIS_THRESHOLD_CAP)
        crisis = CRISIS_THRESHOLD_CAP
    if cfg.crisis_hold_recall is not None and ht is not None and float(ht) < crisis:
        hold = float(ht)
    return Thresholds(terminate=float(terminate), crisis=crisis, evidence=cfg.evidence, crisis_hold=hold)


def choose_thresholds(table: ScoreTable, cfg: ThresholdConfig, rules: Rules, system: str = MAIN, *,
                      warn: bool = True) -> tuple[ThresholdChoice, ThresholdChoice]:
    """Crisis threshold first (:func:`choose_crisis_threshold`), then the termination threshold
    on the effective score under that crisis threshold, the evidence threshold and the rules.
    Rows are prefixes or whole chats of the population the reports measure termination on
    (:func:`_termination_rows`: termination-worthy and benign-edgy, no crisis); the negatives are
    every such row that is not (yet) termination-worthy, so ending a chat too early counts as a
    false termination.  Ordinary chats are left out: they never show refused pushes, and counting
    them let ``max_fpr`` allow several times that share of benign-edgy chats ended."""
    sysd = table.systems[system]
    crisis_choice = choose_crisis_threshold(table, cfg, system)
    pol = apply_policy(sysd, policy_thresholds(1.0, crisis_choice, cfg), rules, table.n_assistant, table.taxonomy)
    eff = pol.effective
    rows = _termination_rows(table)
    y = table.y_terminate[rows]
    term_choice = select_threshold(cfg.terminate_strategy, y, eff[rows], **_strategy_params(cfg))
    if term_choice.threshold <= 0.0:  # 0 would end every chat the rules allow: never a policy
        term_choice = ThresholdChoice(1.0, term_choice.strategy, term_choice.params, term_choice.achieved, False,
                                      "no positive threshold met the constraint; termination disabled (1.0)")
    for c in (crisis_choice, term_choice):
        if warn and not c.feasible:  # (choose_evidence tries several and warns for none of them)
            log.warning("threshold selection (%s): %s", c.strategy, c.message)
    return term_choice, crisis_choice


def _strategy_params(cfg: ThresholdConfig) -> dict[str, float]:
    """The termination strategy's target (``min_precision`` / ``max_fpr``) as keyword arguments."""
    return {p: getattr(cfg, p) for p in STRATEGY_PARAMS[cfg.terminate_strategy]}


def choose_category_thresholds(table: ScoreTable, cfg: ThresholdConfig, rules: Rules, crisis_choice: ThresholdChoice,
                               terminate: float, system: str = MAIN, min_examples: int = CATEGORY_MIN_EXAMPLES
                               ) -> dict[str, dict[str, Any]]:
    """Per-category termination thresholds (``thresholds.terminate_by_category``): for each
    termination-worthy category of the table's taxonomy, the configured termination strategy
    (the same target as the global threshold) on the termination rows (:func:`_termination_rows`)
    whose *predicted* category (the harm head's most likely, the one the policy reads) it is --
    when there are at least ``min_examples`` termination-worthy and ``min_examples`` other such
    rows and the strategy finds a feasible threshold.  Otherwise the category keeps the global
    ``terminate`` and its entry says why.

    Returns ``{category: {"threshold": float | None (None: the global one), "n_positive",
    "n_negative", "message", ...the choice's record}}``; empty for a system without a harm head
    or with ``min_examples`` 0 (per-category selection off)."""
    sysd = table.systems[system]
    tax = taxonomy_or_default(table.taxonomy)
    cat = category_probs(sysd, tax)
    if cat is None or not min_examples:
        return {}
    pol = apply_policy(sysd, policy_thresholds(1.0, crisis_choice, cfg), rules, table.n_assistant, table.taxonomy)
    rows = _termination_rows(table)
    pred = np.asarray(tax.names, dtype=object)[np.argmax(cat, axis=1)]
    out: dict[str, dict[str, Any]] = {}
    for name in tax.terminating:
        m = rows & (pred == name)
        y = table.y_terminate[m]
        n_pos, n_neg = int((y == 1).sum()), int((y == 0).sum())
        entry: dict[str, Any] = {"threshold": None, "n_positive": n_pos, "n_negative": n_neg}
        if n_pos < min_examples or n_neg < min_examples:
            entry["message"] = (f"{n_pos} termination-worthy and {n_neg} other rows read as {name} (each needs >= "
                                f"{min_examples}): the global threshold {terminate:.4g}")
        else:
            ch = select_threshold(cfg.terminate_strategy, y, pol.effective[m], **_strategy_params(cfg))
            if not ch.feasible or ch.threshold <= 0.0:
                entry["message"] = f"no feasible threshold for {name} ({ch.message}): the global threshold {terminate:.4g}"
            else:
                entry.update(ch.to_dict(), threshold=float(ch.threshold),
                             message=f"chosen on {n_pos} termination-worthy and {n_neg} other rows read as {name}")
        out[name] = entry
    return out


def choose_evidence(table: ScoreTable, cfg: ThresholdConfig, rules: Rules, system: str = MAIN
                    ) -> tuple[float, dict[str, Any]]:
    """The evidence threshold (a refusal / push counts at this turn-detector probability), chosen
    on validation with the termination threshold: for ``cfg.evidence`` and each of
    ``cfg.evidence_candidates``, :func:`choose_thresholds` under it; the candidate whose
    termination pick reaches the most recall (``max_f1``: F1) under the strategy's constraint
    wins, a feasible pick before an infeasible one, ties to the higher (stricter) value.
    Returns ``(evidence, report)``; the report is empty when there is nothing to choose (one
    candidate, or a system without a turn detector)."""
    import dataclasses

    cands = sorted({float(cfg.evidence), *(float(v) for v in cfg.evidence_candidates)})
    if len(cands) == 1 or table.systems[system].get("refused_push_top") is None:
        return float(cfg.evidence), {}
    key = "f1" if cfg.terminate_strategy == "max_f1" else "recall"
    picks = {ev: choose_thresholds(table, dataclasses.replace(cfg, evidence=ev), rules, system, warn=False)[0]
             for ev in cands}
    best = max(cands, key=lambda ev: (picks[ev].feasible, float(picks[ev].achieved.get(key) or 0.0), ev))
    report = {"chosen": best, "by": f"the most validation {key} of the termination pick under each candidate "
                                    f"({cfg.terminate_strategy}); ties to the higher",
              "candidates": {f"{ev:g}": {"terminate": float(t.threshold), "feasible": bool(t.feasible),
                                         **{k: t.achieved.get(k) for k in ("precision", "recall", "f1", "fpr")}}
                             for ev, t in picks.items()}}
    return best, report


# ------------------------------------------------------------------------------------------
# reports
# ------------------------------------------------------------------------------------------

def _termination_rows(table: ScoreTable) -> np.ndarray:
    """Termination-worthy vs benign-edgy conversations (crisis and ordinary rows excluded)."""
    g = np.array(table.group, dtype=object)
    return (table.y_terminate >= 0) & ((g == "terminate") | (g == "benign_edgy")) & (table.y_crisis != 1)


def system_report(table: ScoreTable, system: str, thresholds: Thresholds, rules: Rules, n_boot: int = 1000,
                  seed: int = 0) -> dict[str, Any]:
    sysd = table.systems[system]
    pol = apply_policy(sysd, thresholds, rules, table.n_assistant, table.taxonomy)
    actions, eff = pol.actions, pol.effective
    rows = _termination_rows(table)
    y = table.y_terminate[rows]
    groups = np.array([table.harm_category[i] if table.y_terminate[i] == 1 else f"benign:{table.subtype[i]}"
                       for i in np.flatnonzero(rows)], dtype=object)
    out: dict[str, Any] = {"thresholds": dict(thresholds.__dict__), "rules": dict(rules.__dict__)}
    if rows.any() and 0 < y.sum() < len(y):
        rep = M.termination_report(y, eff[rows], thresholds.terminate, groups=groups, n_boot=n_boot, seed=seed)
        # ranking metrics of the raw score, beside those of the policy's effective score
        raw = harm_scores(sysd, rules, table.taxonomy)  # the score the policy compares with thresholds.terminate
        rep["raw_pr_auc"] = M.pr_auc(y, raw[rows])
        rep["raw_roc_auc"] = M.roc_auc(y, raw[rows])
        out["termination"] = rep
        by_family = {}
        fam = np.array(table.split_family, dtype=object)[rows]
        for f in sorted(set(fam.tolist())):
            m = fam == f
            if m.sum() and 0 < y[m].sum() < m.sum():
                r = M.termination_report(y[m], eff[rows][m], thresholds.terminate, n_boot=n_boot, seed=seed)
                by_family[f] = {k: r[k] for k in ("support", "precision", "recall", "f1", "fpr", "pr_auc")}
        out["termination_by_split_family"] = by_family
    else:
        out["termination"] = None
    g_all = np.array(table.group, dtype=object)
    # crisis support shown to people who are fine: benign-edgy and ordinary conversations routed to
    # it (and, apart, every non-crisis conversation, termination-worthy ones included)
    non_crisis = (table.y_crisis == 0) & table.whole_mask
    fine = non_crisis & np.isin(g_all, ["benign_edgy", "ordinary"])
    out["benign_crisis_rate"] = float((actions[fine] == "crisis_support").mean()) if fine.any() else None
    edgy = non_crisis & (g_all == "benign_edgy")
    out["benign_edgy_crisis_rate"] = float((actions[edgy] == "crisis_support").mean()) if edgy.any() else None
    out["non_crisis_crisis_rate"] = float((actions[non_crisis] == "crisis_support").mean()) if non_crisis.any() else None
    out["n_non_crisis"] = int(non_crisis.sum())
    ordinary = (g_all == "ordinary")
    out["ordinary_false_termination_rate"] = float((actions[ordinary] == "end_conversation").mean()) \
        if ordinary.any() else None
    known = table.y_crisis >= 0
    if known.any() and table.y_crisis[known].sum() > 0:
        fig = np.isin(np.array(table.subtype, dtype=object), FIGURATIVE_SUBTYPES)[known]
        out["crisis"] = M.crisis_report(table.y_crisis[known], np.asarray(sysd["crisis"])[known], thresholds.crisis,
                                        actions[known], np.array(table.ids, dtype=object)[known],
                                        figurative_mask=fig, n_boot=n_boot, seed=seed)
    else:
        out["crisis"] = None
    calib = {}
    if rows.any() and len(set(y.tolist())) == 2:
        calib["terminate_ece"] = expected_calibration_error(y, np.asarray(sysd["terminate"])[rows])
    if known.any() and len(set(table.y_crisis[known].tolist())) == 2:
        calib["crisis_ece"] = expected_calibration_error(table.y_crisis[known], np.asarray(sysd["crisis"])[known])
    out["calibration"] = calib
    out["actions"] = {a: int((actions == a).sum()) for a in ("continue", "end_conversation", "crisis_support")}
    if "harm_category" in sysd:
        names = taxonomy_or_default(table.taxonomy).names
        hm = (table.y_terminate == 1) & np.array([h in names for h in table.harm_category])
        if hm.any():
            pred = np.array(names)[np.argmax(sysd["harm_category"][hm], axis=1)]
            out["harm_category_accuracy_on_terminate"] = float((pred == np.array(table.harm_category)[hm]).mean())
    return out


#: the termination figures :func:`paired_differences` compares (``delta_<entry>``; in MLflow
#: ``paired/<other>/delta_<headline name>``, e.g. ``delta_term_f1``)
PAIRED_METRICS = ("f1", "recall", "fpr", "pr_auc")


def paired_differences(table: ScoreTable, policies: Mapping[str, tuple[Thresholds, Rules]], reference: str,
                       n_boot: int = 1000, seed: int = 0, alpha: float = 0.05) -> dict[str, Any]:
    """``reference`` minus each other system on the *same* bootstrap resamples of the termination
    rows (termination-worthy vs benign-edgy): F1, recall, benign FTR of the policies' decisions
    and PR-AUC of their effective scores.  Paired resamples cancel the noise both systems share
    (which chats are hard), so the interval of a difference is much narrower than the two
    systems' own intervals suggest.  ``p_not_better``: share of resamples where the reference's
    F1 is not higher."""
    rows = _termination_rows(table)
    y = table.y_terminate[rows].astype(bool)
    if not rows.any() or y.all() or not y.any() or reference not in policies:
        return {}
    ended, eff = {}, {}
    for name, (th, rules) in policies.items():
        pol = apply_policy(table.systems[name], th, rules, table.n_assistant, table.taxonomy)
        a, e = pol.actions, pol.effective
        ended[name] = (a[rows] == "end_conversation")
        eff[name] = e[rows]

    def stats(pred: np.ndarray, score: np.ndarray, yy: np.ndarray) -> np.ndarray:
        c = M.binary_counts(yy, pred)
        prf = M._prf_from_counts(c, zero_division=float("nan"))
        fpr = c.fp / c.n_neg if c.n_neg else float("nan")
        auc = M.pr_auc(yy, score) if 0 < c.n_pos < c.n else float("nan")
        return np.array([prf.f1, prf.recall, fpr, auc])

    names = PAIRED_METRICS
    ref_point = stats(ended[reference], eff[reference], y)
    out: dict[str, Any] = {}
    others = [n for n in policies if n != reference]
    boots: dict[str, list[np.ndarray]] = {n: [] for n in others}
    for block in M._boot_index_blocks(len(y), int(n_boot), seed):
        for ib in block:
            yy = y[ib]
            r = stats(ended[reference][ib], eff[reference][ib], yy)
            for n in others:
                boots[n].append(r - stats(ended[n][ib], eff[n][ib], yy))
    for n in others:
        point = ref_point - stats(ended[n], eff[n], y)
        d = np.array(boots[n]).reshape(-1, len(names))  # (n_boot, 4); (0, 4) without resamples
        entry: dict[str, Any] = {"reference": reference, "n": int(len(y)), "n_boot": int(n_boot)}
        for j, k in enumerate(names):
            col = d[:, j][np.isfinite(d[:, j])]
            lo, hi = (np.quantile(col, [alpha / 2, 1 - alpha / 2]) if len(col) else (np.nan, np.nan))
            entry[f"delta_{k}"] = M._entry(point[j], lo, hi, len(col))
        f1d = d[:, 0][np.isfinite(d[:, 0])]
        entry["p_not_better"] = float((f1d <= 0).mean()) if len(f1d) else float("nan")
        out[n] = entry
    return out


def evaluate_table(table: ScoreTable, policies: Mapping[str, tuple[Thresholds, Rules]], n_boot: int = 1000,
                   seed: int = 0) -> dict[str, Any]:
    """Reports for every system in ``policies`` (name -> (thresholds, rules)); the first system's
    report also carries ``paired_differences`` against each of the others."""
    policies = {name: v for name, v in policies.items() if name in table.systems}
    out = {name: system_report(table, name, th, rules, n_boot, seed) for name, (th, rules) in policies.items()}
    if len(policies) > 1:
        first = next(iter(policies))
        out[first]["paired_differences"] = paired_differences(table, policies, first, n_boot, seed)
    return out


def headline(report: Mapping[str, Any], intervals: bool = True) -> dict[str, float]:
    """Flat headline numbers of one :func:`system_report`, under the names of
    :mod:`convguard.metric_names` -- the one scheme MLflow runs, the report's comparison CSV, the
    quickstart's summary and manifest and ``convguard compare`` use.  ``intervals``: add the
    bootstrap bounds of the termination figures (``<name>_low`` / ``<name>_high``).  Figures a
    report does not have (no crisis labels, no turn detector, ...) and non-numbers are left out."""
    out: dict[str, Any] = {}
    t = report.get("termination")
    if t:
        for k, name in N.TERMINATION.items():
            out[name] = t[k]["value"]
            if intervals:
                low, high = N.interval_names(name)
                out[low], out[high] = t[k]["low"], t[k]["high"]
    for f, r in (report.get("termination_by_split_family") or {}).items():
        out[N.family_f1(f)] = r["f1"]["value"]
    c = report.get("crisis")
    if c:
        for k, name in N.CRISIS_DETECTOR.items():
            out[name] = c[k]["value"]
        out[N.OTHER["crisis_support_rate"]] = c["crisis_support_rate"]
        out[N.OTHER["n_crisis_ended"]] = c["n_crisis_ended"]
        if c.get("figurative"):
            out[N.OTHER["figurative_false_alarm_rate"]] = c["figurative"]["false_alarm_rate"]["value"]
    for k in ("ordinary_false_termination_rate", "benign_crisis_rate", "benign_edgy_crisis_rate",
              "non_crisis_crisis_rate"):
        out[N.OTHER[k]] = report.get(k)
    for k, v in (report.get("calibration") or {}).items():
        out[N.OTHER.get(k, k)] = v
    for unit, r in (report.get("turn_detector") or {}).items():
        if isinstance(r, dict):
            out.update({f"turn_{unit}_{k}": r.get(k) for k in ("precision", "recall", "f1", "pr_auc")})
    return {k: float(v) for k, v in out.items()
            if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)}


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


def turn_detector_report(turns: Sequence[Mapping[str, Mapping[int, float]]], convs: Sequence[Conversation],
                         threshold: float, harmful_asks: bool = False) -> dict[str, Any] | None:
    """The turn detector measured on labelled turns (``meta.refusal_turns`` / ``meta.push_turns``;
    conversations without them are left out), at the evidence ``threshold``: precision / recall /
    F1, PR-AUC and per subtype the share of units read right, for

    * ``refusal``: the refusal head over assistant turns;
    * ``refused_push``: the unit the policy counts -- every user turn right after an assistant turn,
      scored ``min(p_refusal(reply), p_push(turn))`` (``harmful_asks``, the policy's
      ``rules.harmful_ask_is_push``: ``max(p_push, p_harmful)`` on the user side) -- against ``push_turns``.  (The push head
      alone is not measured against ``push_turns``: it learns pressing the request again, which a
      re-ask after a non-refusal also does; see :func:`convguard.train.evidence_labels`.)

    ``turns``: the per-conversation probabilities a turn detector returns (the ``turns`` entry of
    :meth:`convguard.Guard.score`)."""
    rows: dict[str, list[tuple[int, float, str]]] = {"refusal": [], "refused_push": []}
    for t, c in zip(turns, convs):
        if not isinstance(c.meta.get("refusal_turns"), list) or not isinstance(c.meta.get("push_turns"), list):
            continue
        sub = c.labels.subtype or "unknown"
        refusals, pushes = set(c.meta["refusal_turns"]), set(c.meta["push_turns"])
        rows["refusal"] += [(int(i in refusals), float(p), sub) for i, p in t["refusal"].items()]
        rows["refused_push"] += [(int(i in pushes), float(p), sub) for i, p in refused_push_pairs(t, harmful_asks).items()]
    if not rows["refusal"] and not rows["refused_push"]:
        return None
    out: dict[str, Any] = {"threshold": float(threshold)}
    for head, r in rows.items():
        if not r:
            continue
        y = np.array([a for a, _, _ in r])
        p = np.array([b for _, b, _ in r])
        pred = p >= threshold
        c = M.binary_counts(y.astype(bool), pred)
        prf = M._prf_from_counts(c, zero_division=0.0)
        entry = {"n": int(len(y)), "n_pos": int(y.sum()), "precision": prf.precision, "recall": prf.recall,
                 "f1": prf.f1, "accuracy": float((pred == y.astype(bool)).mean()),
                 "pr_auc": M.pr_auc(y, p) if 0 < y.sum() < len(y) else None, "by_subtype": {}}
        subs = np.array([s for _, _, s in r], dtype=object)
        for sub in sorted(set(subs.tolist())):
            m = subs == sub
            entry["by_subtype"][sub] = {"n": int(m.sum()), "accuracy": float((pred[m] == y[m].astype(bool)).mean())}
        out[head] = entry
    return out
