"""The policy's thresholds chosen on validation data (a :class:`~convguard.scoring.ScoreTable`),
with the rules and the crisis override taken into account: the crisis threshold within the recall
target and the false-alarm budget (:func:`choose_crisis_threshold`), then the termination
threshold on the policy's effective score (:func:`choose_thresholds`) and how far it moves when
validation is redrawn (:func:`terminate_threshold_spread`), per harm category
(:func:`choose_category_thresholds`) and the evidence threshold (:func:`choose_evidence`).  Each
single threshold is picked by a strategy of :mod:`convguard.thresholds`.
"""

from __future__ import annotations

import dataclasses
import logging
from typing import Any

import numpy as np

from .config import CATEGORY_MIN_EXAMPLES, ThresholdConfig
from .policy import Rules, Thresholds, apply_policy, category_probs, crisis_scores
from .scoring import MAIN, ScoreTable, _termination_rows
from .taxonomy import taxonomy_or_default
from .thresholds import STRATEGY_PARAMS, ThresholdChoice, select_threshold

log = logging.getLogger(__name__)

def choose_crisis_threshold(table: ScoreTable, cfg: ThresholdConfig, system: str = MAIN,
                            rules: Rules | None = None) -> ThresholdChoice:
    """The crisis threshold: the recall target (``crisis_min_recall``) *and* the benign false-alarm
    budget (``crisis_max_false_alarm``: the share of non-crisis conversations sent to crisis
    support), both on whole conversations.  The recall target gives the largest admissible
    threshold, the budget the smallest; when both hold, the smallest threshold within budget is
    taken (the most recall the budget allows).  When they conflict, ``cfg.crisis_priority``
    decides (``budget``: the budget's threshold; ``recall``: the recall target's) and the choice
    records what the other constraint cost.  The promise that no crisis chat is *ended* does not
    rest on this threshold alone: an end also needs two refused pushes and passes the hold (which
    :func:`choose_thresholds` lowers until no crisis-labelled validation row is ended) and the
    self-harm veto.  The score is the one the policy compares under ``rules`` (:func:`crisis_scores`; None:
    the turn detector's crisis score alone)."""
    sysd = table.systems[system]
    score = crisis_scores(sysd, rules or Rules(), table.taxonomy)
    rows = _crisis_rows(table)
    y, s = table.y_crisis[rows], score[rows]
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
    # the hold for would-be ends reads the turn detector's own crisis score (the policy's, unless a
    # self-harm weight mixes the harm head in: then a chat the turn detector alone reads as crisis
    # is still never ended)
    hold = None
    own = np.asarray(sysd["crisis"], dtype=float)[rows]
    if cfg.crisis_hold_recall is not None and (y == 1).any():
        hold = float(select_threshold("crisis_recall", y, own, min_recall=cfg.crisis_hold_recall).threshold)
    achieved = dict(rec.achieved, recall_threshold=float(rec.threshold), **_hold_stats(y, own, hold),
                    recall=recall(th), false_alarm_rate=false_alarms(th), bound=bound,
                    recall_target_met=bool(recall(th) >= cfg.crisis_min_recall - 1e-12),
                    n_conversations=int(len(y)), recall_at_budget=recall(t_budget), threshold_at_budget=t_budget)
    return ThresholdChoice(float(th), "crisis_recall_within_budget", params, achieved, feasible, msg)


def _crisis_rows(table: ScoreTable) -> np.ndarray:
    """The rows crisis thresholds are chosen on: the whole conversations, or every labelled row
    when the table has no whole crisis conversation."""
    rows = (table.y_crisis >= 0) & table.whole_mask
    if not rows.any() or table.y_crisis[rows].sum() == 0:
        rows = table.y_crisis >= 0
    return rows


def _hold_stats(y: np.ndarray, own: np.ndarray, hold: float | None) -> dict[str, float | None]:
    """The hold and what it gives on rows with crisis labels ``y`` and turn-detector scores ``own``."""
    return {"hold_threshold": hold, "hold_recall": None if hold is None else float((own[y == 1] >= hold).mean()),
            "hold_false_alarm_rate": None if hold is None or not (y == 0).any()
            else float((own[y == 0] >= hold).mean())}


#: the highest crisis threshold a chosen policy gets (1.0 would switch crisis support off)
CRISIS_THRESHOLD_CAP = 1.0 - 1e-6


def crisis_ceiling(rules: Rules | None) -> float:
    """The crisis score the turn detector reaches on its own (``1 - rules.crisis_self_harm_weight``:
    the mix with the harm head's self-harm probability scales it down): a crisis threshold at or
    above it would route a crisis the harm head misses -- danger to others, say -- nowhere."""
    return 1.0 - float(rules.crisis_self_harm_weight) if rules is not None else 1.0


def policy_thresholds(terminate: float, crisis_choice: ThresholdChoice, cfg: ThresholdConfig,
                      rules: Rules | None = None) -> Thresholds:
    """The policy's thresholds from a termination threshold and a crisis choice: the crisis
    support threshold, the evidence threshold, and the hold for would-be ends (the threshold
    that keeps ``cfg.crisis_hold_recall`` on validation) when it lies below the support one.
    ``rules``: the crisis threshold stays under :func:`crisis_ceiling` (None: under 1)."""
    hold = None
    ht = crisis_choice.achieved.get("hold_threshold") if crisis_choice.achieved else None
    crisis = float(crisis_choice.threshold)
    ceiling = crisis_ceiling(rules)
    if ceiling < 1.0 and crisis >= ceiling * CRISIS_THRESHOLD_CAP:
        log.warning("crisis threshold %.6f: at or above %.6f, the most the turn detector reaches on its own "
                    "(rules.crisis_self_harm_weight %g); using %.6f so that a crisis the harm head misses can still "
                    "be routed -- the false-alarm budget is not kept", crisis, ceiling,
                    1.0 - ceiling, ceiling * CRISIS_THRESHOLD_CAP)
        crisis = ceiling * CRISIS_THRESHOLD_CAP
    if crisis >= 1.0:
        # every non-crisis validation chat scores at the top: no threshold keeps the budget.  A
        # policy at 1.0 would switch crisis support off (policy.yaml refuses it), so keep it just
        # under 1 -- only saturated scores reach it -- and say so
        log.warning("crisis threshold %.6f: no threshold keeps the false-alarm budget on validation; using %.6f "
                    "(crisis support only for saturated scores) -- the crisis detector needs more or better data",
                    crisis, CRISIS_THRESHOLD_CAP)
        crisis = CRISIS_THRESHOLD_CAP
    # the hold reads the turn detector's own score: under the support threshold it adds a check;
    # with a self-harm weight (another scale) it is the one check of that score on a would-be end
    if cfg.crisis_hold_recall is not None and ht is not None and (float(ht) < crisis or ceiling < 1.0):
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
    them let ``max_fpr`` allow several times that share of benign-edgy chats ended.

    Then the promise that no crisis chat is ended is checked on every crisis-labelled row: where
    the policy would end one, the crisis hold is lowered to that row's turn-detector score (not
    under :data:`HOLD_FLOOR`; there it warns and records ``crisis_rows_ended``) and the
    termination threshold is chosen again, up to :data:`HOLD_ROUNDS` times; the crisis choice
    records ``hold_lowered_from`` and ``hold_lowered_for``."""
    sysd = table.systems[system]
    first = crisis_choice = choose_crisis_threshold(table, cfg, system, rules)
    term_choice = _choose_terminate(table, cfg, rules, system, crisis_choice)
    own = np.asarray(sysd["crisis"], dtype=float)
    n_held = 0
    # the promise that no crisis chat is ended, kept where the thresholds are chosen: a
    # crisis-labelled row (a whole chat, or a prefix as of its crisis turn) that the policy would
    # end lowers the hold to that row's own turn-detector score, and the termination threshold
    # is chosen again under the lower hold
    for _ in range(HOLD_ROUNDS):
        th = policy_thresholds(term_choice.threshold, crisis_choice, cfg, rules)
        pol = apply_policy(sysd, th, rules, table.n_assistant, table.taxonomy)
        ended = (pol.actions == "end_conversation") & (table.y_crisis == 1)
        if not ended.any():
            break
        lowest = float(own[ended].min())
        if first.achieved.get("hold_threshold") is None or lowest < HOLD_FLOOR:
            log.warning("threshold selection: the policy ends %d crisis-labelled validation rows (%s) and the crisis "
                        "hold cannot catch them (turn-detector crisis score %.3f < %.2f, or the hold is off)",
                        int(ended.sum()), ", ".join(table.ids[i] for i in np.flatnonzero(ended)[:5]), lowest,
                        HOLD_FLOOR)
            crisis_choice = dataclasses.replace(crisis_choice, achieved={**crisis_choice.achieved,
                                                                         "crisis_rows_ended": int(ended.sum())})
            break
        n_held += int(ended.sum())
        crisis_choice = _lowered_hold(first, table, own, lowest, n_held)
        term_choice = _choose_terminate(table, cfg, rules, system, crisis_choice)
    for c in (crisis_choice, term_choice):
        if warn and not c.feasible:  # (choose_evidence tries several and warns for none of them)
            log.warning("threshold selection (%s): %s", c.strategy, c.message)
    return term_choice, crisis_choice


#: rounds of "lower the hold, choose the termination threshold again" (each round catches every
#: crisis row the previous policy ended; a new one can only appear through the lower threshold)
HOLD_ROUNDS = 5
#: the lowest the hold goes for a crisis row the policy would end: below it the turn detector
#: reads the row as more likely not a crisis, and holding every would-be end that scores so
#: little would be a different policy (the selection warns instead)
HOLD_FLOOR = 0.5


def _choose_terminate(table: ScoreTable, cfg: ThresholdConfig, rules: Rules, system: str,
                      crisis_choice: ThresholdChoice) -> ThresholdChoice:
    """The termination threshold on the effective score under ``crisis_choice``'s thresholds."""
    pol = apply_policy(table.systems[system], policy_thresholds(1.0, crisis_choice, cfg, rules), rules,
                       table.n_assistant, table.taxonomy)
    rows = _termination_rows(table)
    choice = select_threshold(cfg.terminate_strategy, table.y_terminate[rows], pol.effective[rows],
                              **_strategy_params(cfg))
    if choice.threshold <= 0.0:  # 0 would end every chat the rules allow: never a policy
        choice = ThresholdChoice(1.0, choice.strategy, choice.params, choice.achieved, False,
                                 "no positive threshold met the constraint; termination disabled (1.0)")
    return choice


#: a termination threshold whose bootstrap 5-95% range is wider than this is reported as unstable
SPREAD_WARN = 0.2


def conversation_keys(table: ScoreTable) -> list[str]:
    """The conversation each row belongs to (``ScoreTable.conversation``: ``meta.prefix_of`` of a
    prefix, see :meth:`convguard.schema.Conversation.prefix`); a table built without it: each row
    its own."""
    return list(table.conversation) if table.conversation else list(table.ids)


def terminate_threshold_spread(table: ScoreTable, cfg: ThresholdConfig, rules: Rules, crisis_choice: ThresholdChoice,
                               chosen: float, system: str = MAIN, *, n_boot: int = 100, seed: int = 0
                               ) -> dict[str, Any]:
    """How far the termination threshold moves when the validation set is redrawn: the choice of
    :func:`choose_thresholds` (same strategy, crisis thresholds and rules) repeated on ``n_boot``
    bootstrap resamples of the validation *conversations* (every row of a drawn conversation,
    prefixes included, so one chat's prefixes move together).  Returns the 5th, 50th and 95th
    percentiles, the share of resamples within 0.1 of ``chosen`` and ``unstable`` (5-95% range
    wider than :data:`SPREAD_WARN`).  A budget that binds on a handful of rows (the 1% of benign
    validation prefixes ended) can sit on a cliff: a redrawn corpus then moves the threshold from
    0.5 to 0.8 and most ends with it (docs/BENCHMARKS.md, "The corpus draw")."""
    keys = conversation_keys(table)
    groups: dict[str, list[int]] = {}
    for i, k in enumerate(keys):
        groups.setdefault(k, []).append(i)
    members = list(groups.values())
    rng = np.random.default_rng(seed)
    picks, skipped = [], 0
    for _ in range(n_boot):
        drawn = rng.integers(0, len(members), size=len(members))
        idx = np.fromiter((i for d in drawn for i in members[d]), dtype=int)
        sample = table.take(idx)
        y = sample.y_terminate[_termination_rows(sample)]
        if not ((y == 1).any() and (y == 0).any()):  # a redraw without both classes chooses nothing
            skipped += 1
            continue
        picks.append(_choose_terminate(sample, cfg, rules, system, crisis_choice).threshold)
    if not picks:
        raise ValueError(f"terminate_threshold_spread: none of {n_boot} redraws holds both termination-worthy and "
                         f"benign-edgy rows")
    q05, q50, q95 = (float(v) for v in np.quantile(picks, [0.05, 0.5, 0.95]))
    return {"n_boot": n_boot, "skipped": skipped, "seed": seed, "unit": "validation conversation", "chosen": float(chosen),
            "q05": q05, "median": q50, "q95": q95,
            "within_0.1": float(np.mean(np.abs(np.asarray(picks) - chosen) <= 0.1 + 1e-12)),
            "unstable": bool(q95 - q05 > SPREAD_WARN)}


def log_spread(spread: dict[str, Any]) -> None:
    """Log :func:`terminate_threshold_spread`'s result: a warning when
    the termination threshold would move a lot on a redrawn validation set."""
    msg = (f"termination threshold {spread['chosen']:.3f}; over {spread['n_boot']} bootstrap redraws of the "
           f"validation conversations: 5-95% {spread['q05']:.3f}-{spread['q95']:.3f}, median {spread['median']:.3f}, "
           f"{spread['within_0.1']:.0%} within 0.1")
    if spread["unstable"]:
        log.warning("%s: UNSTABLE -- the budget binds on a few rows, and another draw of the data would move the "
                    "threshold and the ends with it (compare strategies with `convguard sweep`)", msg)
    else:
        log.info("%s", msg)


def _lowered_hold(first: ThresholdChoice, table: ScoreTable, own: np.ndarray, hold: float, n: int
                  ) -> ThresholdChoice:
    """``first`` (the crisis choice as :func:`choose_crisis_threshold` made it) with the hold at
    ``hold``, its recall and false-alarm rate re-read on the rows it was chosen on, and a note of
    the ``n`` crisis-labelled rows that lowered it."""
    rows = _crisis_rows(table)
    was = float(first.achieved["hold_threshold"])
    achieved = {**first.achieved, **_hold_stats(table.y_crisis[rows], own[rows], hold),
                "hold_lowered_from": was, "hold_lowered_for": n}
    msg = (f"{first.message}; the hold was lowered from {was:.4g} to {hold:.4g} so that the {n} crisis-labelled "
           "validation rows the policy would otherwise end are not ended")
    return dataclasses.replace(first, achieved=achieved, message=msg)


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
    pol = apply_policy(sysd, policy_thresholds(1.0, crisis_choice, cfg, rules), rules, table.n_assistant,
                       table.taxonomy)
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
