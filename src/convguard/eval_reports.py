"""Evaluation reports on a :class:`~convguard.scoring.ScoreTable`, one per system and policy
(:func:`system_report`: termination precision/recall/F1/PR-AUC/ROC-AUC and the benign
false-termination rate by harm category, benign-edgy subtype and split family with bootstrap
95% CIs, crisis recall/precision and the crisis chats that would be ended, crisis false alarms on
figurative language, calibration), the paired differences between systems
(:func:`paired_differences`), their flat headline numbers (:func:`headline`) and the turn
detector measured on labelled turns (:func:`turn_detector_report`).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy as np

from . import metric_names as N
from . import metrics as M
from .calibration import expected_calibration_error
from .policy import Rules, Thresholds, apply_policy, crisis_scores, harm_scores, refused_push_pairs
from .schema import Conversation
from .scoring import ScoreTable, _termination_rows
from .taxonomy import taxonomy_or_default

FIGURATIVE_SUBTYPES = ("homonym_figurative", "profanity_benign")

#: the parts of a two-part harm score (``rules.harm_score: mean``), each measured alone by
#: :func:`harm_score_parts`: part name -> its score column
HARM_PARTS = {"harm_detector": "terminate", "turn_harmful": "harmful_max"}


def harm_score_parts(sysd: Mapping[str, Any], rows: np.ndarray, y: np.ndarray, at: float = 0.5) -> dict[str, Any]:
    """Each part of the harm score alone on the termination rows ``rows`` (labels ``y``): PR-AUC,
    ROC-AUC, and recall / benign false-positive rate at ``at``.  Which detector separates
    termination-worthy from benign-edgy chats, and which fails to transfer: on run D's challenge
    set the harm detector's window head put 55% of termination-worthy chats at 0.5 or more (90% on
    generated test) while the turn detector's harmful head put 96% there and 32% of benign-edgy
    chats too.  Empty unless the system has both parts (a one-part score is ``raw_pr_auc``)."""
    if any(sysd.get(k) is None for k in HARM_PARTS.values()):
        return {}
    out: dict[str, Any] = {}
    for part, key in HARM_PARTS.items():
        s = np.asarray(sysd[key], dtype=float)[rows]
        pred = s >= at
        out[part] = {"score": key, "pr_auc": M.pr_auc(y, s), "roc_auc": M.roc_auc(y, s),
                     "recall": float(pred[y == 1].mean()), "fpr": float(pred[y == 0].mean()), "at": at}
    return out


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
        out["harm_score_parts"] = harm_score_parts(sysd, rows, y)
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
        # the score the policy compares with thresholds.crisis (rules.crisis_self_harm_weight)
        out["crisis"] = M.crisis_report(table.y_crisis[known], pol.crisis_score[known], thresholds.crisis,
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
    for part, r in (report.get("harm_score_parts") or {}).items():
        out.update({N.harm_part(part, k): r[k] for k in N.HARM_PART_METRICS})
    for unit, r in (report.get("turn_detector") or {}).items():
        if isinstance(r, dict):
            out.update({f"turn_{unit}_{k}": r.get(k) for k in ("precision", "recall", "f1", "pr_auc")})
    return {k: float(v) for k, v in out.items()
            if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)}


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
