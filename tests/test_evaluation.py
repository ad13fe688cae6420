"""The evaluation harness: tables from scores, reports cross-checked with scikit-learn, error
analysis, sweeps, temperature scaling written into a bundle, and the full report folder."""

from __future__ import annotations

import json
import shutil

import numpy as np
import pytest
from sklearn import metrics as skm

from convguard.config import ThresholdConfig
from convguard.evaluation import (MAIN, choose_crisis_threshold, choose_thresholds, evaluate_table, policy_thresholds,
                                  score_table,
                                  system_report, table_from_scores)
from convguard.policy import Rules, Thresholds, apply_policy
from convguard.report import (comparison_rows, error_cases, eval_headline, fmt_ci, md_table, write_error_pages)
from convguard.schema import Conversation, Labels, Message
from convguard.sweeping import rescale_threshold, sweep_records, sweep_system

SUBTYPES = [("persistent_harmful", 1, 0, "violent_crimes"), ("sustained_abuse", 1, 0, "abuse"),
            ("homonym_figurative", 0, 0, "none"), ("security_education", 0, 0, "none"),
            ("profanity_benign", 0, 0, "none"), ("crisis_explicit_ideation", 0, 1, "suicide_self_harm"),
            ("ordinary", 0, 0, "none")]


def make_convs(n: int, seed: int = 0) -> list[Conversation]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        sub, term, crisis, cat = SUBTYPES[i % len(SUBTYPES)]
        k = int(rng.integers(1, 4))  # user turns
        msgs = []
        for j in range(k):
            msgs.append(Message("user", f"{sub} message {i}.{j}"))
            if j < k - 1:
                msgs.append(Message("assistant", "I can't help with that."))
        out.append(Conversation(f"c{i:03d}", msgs, Labels(terminate=term, crisis=crisis, harm_category=cat,
                                                           persistence=k - 1, subtype=sub)))
    return out


def scores_for(convs, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    y = np.array([c.labels.terminate for c in convs])
    yc = np.array([c.labels.crisis for c in convs])
    return {"terminate": np.clip(rng.normal(0.35 + 0.35 * y, 0.2), 0, 1),
            "crisis": np.clip(rng.normal(0.2 + 0.6 * yc, 0.15), 0, 1)}


@pytest.fixture(scope="module")
def convs():
    return make_convs(280)


@pytest.fixture(scope="module")
def table(convs):
    return table_from_scores(convs, {MAIN: scores_for(convs)})


# ------------------------------------------------------------------------------------------
# tables
# ------------------------------------------------------------------------------------------

class FakeGuard:
    def __init__(self, by_text: dict[str, tuple[float, float]]):
        self.by_text = by_text

    def score(self, convs, batch_size=32):
        vals = [self.by_text[c[0].content] for c in convs]
        return {"terminate": np.array([v[0] for v in vals]), "crisis": np.array([v[1] for v in vals])}


def test_table_from_scores_reads_labels_like_score_table(convs):
    s = scores_for(convs)
    g = FakeGuard({c.messages[0].content: (s["terminate"][i], s["crisis"][i]) for i, c in enumerate(convs)})
    a = score_table(g, convs)
    b = table_from_scores(convs, {MAIN: s})
    for f in ("ids", "group", "subtype", "harm_category", "split_family", "terminate_from_turn"):
        assert getattr(a, f) == getattr(b, f)
    for f in ("n_assistant", "y_terminate", "y_crisis"):
        assert np.array_equal(getattr(a, f), getattr(b, f))
    assert np.allclose(a.systems[MAIN]["terminate"], b.systems[MAIN]["terminate"])
    with pytest.raises(ValueError, match="rows"):
        table_from_scores(convs[:3], {MAIN: {"terminate": np.zeros(2), "crisis": np.zeros(3)}})


# ------------------------------------------------------------------------------------------
# reports against scikit-learn
# ------------------------------------------------------------------------------------------

def test_system_report_cross_checked_with_sklearn(table):
    th, rules = Thresholds(terminate=0.55, crisis=0.5), Rules(min_refused_pushes=1)
    rep = system_report(table, MAIN, th, rules, n_boot=50)
    pol = apply_policy(table.systems[MAIN], th, rules, table.n_assistant)
    actions, eff = pol.actions, pol.effective
    g = np.array(table.group)
    rows = ((g == "terminate") | (g == "benign_edgy")) & (table.y_crisis != 1)
    y, s = table.y_terminate[rows], eff[rows]
    pred = (s >= th.terminate).astype(int)
    t = rep["termination"]
    assert t["precision"]["value"] == pytest.approx(skm.precision_score(y, pred, zero_division=0))
    assert t["recall"]["value"] == pytest.approx(skm.recall_score(y, pred))
    assert t["f1"]["value"] == pytest.approx(skm.f1_score(y, pred))
    tn, fp, fn, tp = skm.confusion_matrix(y, pred, labels=[0, 1]).ravel()
    assert t["fpr"]["value"] == pytest.approx(fp / (fp + tn))  # benign false-termination rate
    assert t["pr_auc"]["value"] == pytest.approx(skm.average_precision_score(y, s))
    assert t["roc_auc"]["value"] == pytest.approx(skm.roc_auc_score(y, s))
    assert t["raw_roc_auc"] == pytest.approx(skm.roc_auc_score(y, table.systems[MAIN]["terminate"][rows]))
    for e in (t["precision"], t["recall"], t["f1"], t["fpr"]):
        assert e["low"] <= e["value"] <= e["high"]
    # by benign-edgy subtype: share ended
    sub = np.array(table.subtype)[rows]
    for st in ("homonym_figurative", "security_education"):
        m = (sub == st)
        assert t["by_group"][f"benign:{st}"]["fpr"]["value"] == pytest.approx(pred[m].mean())
    # crisis: detector recall/precision, and no crisis conversation is ever ended (crisis overrides)
    c = rep["crisis"]
    yc = table.y_crisis
    pc = (table.systems[MAIN]["crisis"] >= th.crisis).astype(int)
    assert c["recall"]["value"] == pytest.approx(skm.recall_score(yc, pc))
    assert c["precision"]["value"] == pytest.approx(skm.precision_score(yc, pc))
    ended_crisis = (yc == 1) & (actions == "end_conversation")
    assert c["n_crisis_ended"] == int(ended_crisis.sum())
    assert sorted(c["crisis_ended_ids"]) == sorted(np.array(table.ids)[ended_crisis].tolist())
    h = eval_headline(rep)
    assert h["term_f1"] == t["f1"]["value"] and h["benign_ftr"] == t["fpr"]["value"]
    assert h["crisis_ended"] == c["n_crisis_ended"]


def test_harm_score_parts_measure_each_part_alone_and_reach_the_report(convs):
    """Each part of a two-part harm score is measured on its own (cross-checked with scikit-learn)
    and goes into the headline names; a one-part system reports none (the Markdown table:
    test_write_evaluation_report_folder)."""
    s = scores_for(convs)
    y_all = np.array([c.labels.terminate for c in convs])
    s["harmful_max"] = np.where(y_all == 1, 0.9, 0.6)  # a turn head that fires on everything harmful-sounding
    table = table_from_scores(convs, {MAIN: s})
    th, rules = Thresholds(terminate=0.55, crisis=0.5), Rules(min_refused_pushes=1, harm_score="mean")
    rep = system_report(table, MAIN, th, rules, n_boot=20)
    g = np.array(table.group)
    rows = ((g == "terminate") | (g == "benign_edgy")) & (table.y_crisis != 1)
    y = table.y_terminate[rows]
    parts = rep["harm_score_parts"]
    assert set(parts) == {"harm_detector", "turn_harmful"}
    for part, key in (("harm_detector", "terminate"), ("turn_harmful", "harmful_max")):
        v = np.asarray(s[key])[rows]
        assert parts[part]["roc_auc"] == pytest.approx(skm.roc_auc_score(y, v))
        assert parts[part]["pr_auc"] == pytest.approx(skm.average_precision_score(y, v))
        assert parts[part]["recall"] == pytest.approx((v[y == 1] >= 0.5).mean())
        assert parts[part]["fpr"] == pytest.approx((v[y == 0] >= 0.5).mean())
    assert parts["turn_harmful"]["fpr"] == 1.0 and parts["turn_harmful"]["roc_auc"] == 1.0
    h = eval_headline(rep)
    assert h["harm_part_turn_harmful_fpr"] == 1.0
    assert h["harm_part_harm_detector_roc_auc"] == pytest.approx(parts["harm_detector"]["roc_auc"])
    one = system_report(table_from_scores(convs, {MAIN: scores_for(convs)}), MAIN, th, rules, n_boot=20)
    assert one["harm_score_parts"] == {}
    assert not any(k.startswith("harm_part_") for k in eval_headline(one))


def test_paired_differences_resample_both_systems_together(convs):
    from convguard.evaluation import paired_differences
    from convguard.report import paired_lines

    good = scores_for(convs, seed=1)
    y = np.array([c.labels.terminate for c in convs])
    noisy = dict(good, terminate=np.clip(good["terminate"] + np.random.default_rng(2).normal(0, 0.25, len(y)), 0, 1))
    t = table_from_scores(convs, {"a": good, "b": noisy, "same": dict(good)})
    pol = {k: (Thresholds(terminate=0.55, crisis=0.5), Rules(min_refused_pushes=1)) for k in ("a", "b", "same")}
    reps = evaluate_table(t, pol, n_boot=300)
    d = reps["a"]["paired_differences"]
    assert set(d) == {"b", "same"} and "paired_differences" not in reps["b"]
    for k in ("f1", "recall", "fpr", "pr_auc"):  # point = difference of the systems' own figures
        own = {"f1": "f1", "recall": "recall", "fpr": "fpr", "pr_auc": "pr_auc"}[k]
        assert d["b"][f"delta_{k}"]["value"] == pytest.approx(
            reps["a"]["termination"][own]["value"] - reps["b"]["termination"][own]["value"])
        assert d["b"][f"delta_{k}"]["low"] <= d["b"][f"delta_{k}"]["value"] <= d["b"][f"delta_{k}"]["high"]
        # a system against itself: every resample differs by exactly 0
        assert d["same"][f"delta_{k}"]["low"] == d["same"][f"delta_{k}"]["high"] == 0
    assert d["same"]["p_not_better"] == 1.0
    assert d["b"]["delta_f1"]["value"] > 0 and d["b"]["p_not_better"] < 0.05  # noise hurts, reliably
    # pairing: the difference's interval is narrower than either system's own interval
    width = d["b"]["delta_pr_auc"]["high"] - d["b"]["delta_pr_auc"]["low"]
    own = reps["a"]["termination"]["pr_auc"]
    assert width < 2 * (own["high"] - own["low"])
    assert any("a minus b" in line for line in paired_lines(reps))


def test_comparison_rows_show_intervals(table):
    reps = evaluate_table(table, {MAIN: (Thresholds(0.5, 0.5), Rules())}, n_boot=30)
    rows = comparison_rows(reps)
    assert rows[0][0] == MAIN and "[" in rows[0][4]  # F1 with its interval
    assert fmt_ci(reps[MAIN]["termination"]["f1"]).startswith(f"{reps[MAIN]['termination']['f1']['value']:.3f}")
    assert md_table(["a|b"], [["x|y"]]).splitlines()[2] == "| x\\|y |"


# ------------------------------------------------------------------------------------------
# error analysis
# ------------------------------------------------------------------------------------------

def _conv(cid, sub, term, crisis, n_users=3):
    msgs = []
    for j in range(n_users):
        msgs.append(Message("user", f"{cid} says {j}"))
        if j < n_users - 1:
            msgs.append(Message("assistant", "no"))
    return Conversation(cid, msgs, Labels(terminate=term, crisis=crisis, harm_category="none", subtype=sub))


def test_error_cases_are_ranked_and_explained(tmp_path):
    convs = [_conv("b1", "homonym_figurative", 0, 0), _conv("b2", "security_education", 0, 0),
             _conv("b3", "homonym_figurative", 0, 0), _conv("h1", "persistent_harmful", 1, 0),
             _conv("h2", "persistent_harmful", 1, 0, n_users=1), _conv("h3", "persistent_harmful", 1, 0),
             _conv("c1", "crisis_explicit_ideation", 0, 1), _conv("o1", "ordinary", 0, 0),
             _conv("c2", "crisis_indirect_ideation", 0, 1), _conv("c3", "crisis_danger_to_others", 0, 1),
             _conv("o2", "ordinary", 0, 0)]
    term = np.array([0.7, 0.95, 0.2, 0.4, 0.99, 0.3, 0.9, 0.99, 0.1, 0.1, 0.1])
    crisis = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.1, 0.0, 0.3, 0.2, 0.8])
    table = table_from_scores(convs, {MAIN: {"terminate": term, "crisis": crisis}})
    th, rules = Thresholds(terminate=0.6, crisis=0.5), Rules(min_refused_pushes=2)
    cases = error_cases(table, MAIN, th, rules, {c.id: c for c in convs}, n=10)
    # benign-edgy ended, highest effective score first (o1 is ordinary, not benign-edgy)
    assert [r["id"] for r in cases["false_terminations"]] == ["b2", "b1"]
    # termination-worthy not ended, lowest effective score first: h2 is blocked by the rule (effective 0)
    assert [r["id"] for r in cases["missed_terminations"]] == ["h2", "h3", "h1"]
    h2 = cases["missed_terminations"][0]
    assert h2["effective_score"] == 0.0 and h2["terminate_score"] == pytest.approx(0.99)
    assert "assistant turn" in h2["reason"]
    assert [r["id"] for r in cases["crisis_ended"]] == ["c1"]
    # crisis chats answered normally, lowest crisis score first; a fine user shown crisis support
    assert [r["id"] for r in cases["missed_crisis_support"]] == ["c3", "c2"]
    assert [r["id"] for r in cases["false_crisis_support"]] == ["o2"]
    assert cases["false_terminations"][0]["messages"][0]["content"] == "b2 says 0"
    files = write_error_pages(cases, tmp_path / "errors", MAIN)
    assert len(files) == 10  # jsonl + md per kind: false/missed terminations, crisis ended, false/missed crisis support
    md = (tmp_path / "errors" / "false_terminations.md").read_text()
    assert "`b2`" in md and "[0] user: b2 says 0" in md and "0.950" in md
    lines = (tmp_path / "errors" / "missed_terminations.jsonl").read_text().splitlines()
    assert [json.loads(x)["id"] for x in lines] == ["h2", "h3", "h1"]
    assert error_cases(table, MAIN, th, rules, n=1)["missed_terminations"][0]["id"] == "h2"


# ------------------------------------------------------------------------------------------
# sweeps
# ------------------------------------------------------------------------------------------

def test_sweep_system_agrees_with_choose_thresholds_and_sklearn(table):
    rules = Rules(min_refused_pushes=1)
    for cfg in (ThresholdConfig(terminate_strategy="max_f1"),
                ThresholdConfig(terminate_strategy="max_recall_at_precision", min_precision=0.8),
                ThresholdConfig(terminate_strategy="max_recall_at_fpr", max_fpr=0.1, crisis_min_recall=0.9)):
        res = sweep_system(table, cfg, rules)
        tc, cc = choose_thresholds(table, cfg, rules)
        assert res.terminate.threshold == tc.threshold and res.crisis.threshold == cc.threshold
        assert res.alternatives[cfg.terminate_strategy].threshold == tc.threshold
        assert set(res.alternatives) == {"max_f1", "max_recall_at_precision", "max_recall_at_fpr"}
    # the sweep rows are what score >= threshold gives (checked with scikit-learn)
    eff = apply_policy(table.systems[MAIN], Thresholds(1.0, res.crisis.threshold), rules, table.n_assistant).effective
    rows = (table.y_terminate >= 0) & (table.y_crisis != 1)
    y, s = table.y_terminate[rows], eff[rows]
    benign = (np.array(table.group)[rows] == "benign_edgy") & (y == 0)
    term, crisis = sweep_records(res)
    for r in term[:: max(1, len(term) // 7)]:
        pred = (s >= r["threshold"]).astype(int)
        assert r["precision"] == pytest.approx(skm.precision_score(y, pred, zero_division=0))
        assert r["recall"] == pytest.approx(skm.recall_score(y, pred))
        assert r["benign_false_termination_rate"] == pytest.approx(pred[benign].mean())
        assert r["false_termination_rate"] == pytest.approx(pred[y == 0].mean())
    assert {"threshold", "precision", "recall", "false_alarm_rate"} <= set(crisis[0])


# ------------------------------------------------------------------------------------------
# temperature scaling
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("t_new", [0.3, 2.5])
def test_rescaled_thresholds_keep_every_decision(t_new):
    import torch

    z = torch.from_numpy(np.random.default_rng(1).normal(0, 3, 4000).astype(np.float32))
    old = torch.sigmoid(z / 1.0).numpy()  # what Guard computes (float32)
    new = torch.sigmoid(z / t_new).numpy()
    zz = z.numpy().astype(float)
    # (thresholds whose logit / t_new is beyond ~16 are not representable: float32 sigmoid saturates to 1;
    # fit_bundle_temperature counts and reports decisions that change for that reason)
    for t in np.quantile(old, [0.01, 0.2, 0.5, 0.8]).tolist() + [float(old[7]), float(old[99])]:
        t2 = rescale_threshold(t, 1.0, t_new)
        a, b = old.astype(float) >= t, new.astype(float) >= t2
        # identical up to float32 resolution: only logits a hair below the boundary may flip (to positive)
        assert (a & ~b).sum() == 0
        z_boundary = zz[a].min()
        assert np.all(np.abs(zz[a != b] - z_boundary) < 1e-3 * (1 + abs(z_boundary)))
        assert (a != b).sum() <= 3
    assert rescale_threshold(1.0, 1.0, t_new) == 1.0 and rescale_threshold(0.0, 1.0, t_new) == 0.0


def test_fit_bundle_temperature_writes_a_valid_bundle(tiny_bundle, tmp_path):
    from convguard.bundle import verify_bundle
    from convguard.io import read_conversations
    from convguard.policy import Policy
    from convguard.sweeping import fit_bundle_temperature

    b = shutil.copytree(tiny_bundle, tmp_path / "bundle")
    val, _ = read_conversations(tiny_bundle.parent / "validation.jsonl")
    res = fit_bundle_temperature(b, val, data_name="validation")
    verify_bundle(b)
    pol = Policy.load(b / "policy.yaml")
    for head in ("terminate", "crisis"):
        assert pol.temperature[head] == pytest.approx(res[head]["temperature"]) and pol.temperature[head] > 0
        assert res[head]["nll_after"] <= res[head]["nll_before"] + 1e-12
    assert pol.thresholds.terminate == pytest.approx(res["thresholds"]["after"]["terminate"])
    cal = pol.selection["calibration"]
    assert cal["data"]["source"] == "validation" and cal["data"]["rows"] == "every user-turn prefix"


def test_fit_bundle_temperature_with_a_mixed_crisis_score_rescales_only_the_hold(tiny_bundle, tmp_path, caplog):
    """With rules.crisis_self_harm_weight the crisis threshold applies to a mix no temperature maps:
    it stays, with a warning; the hold reads the turn detector's own score and is rescaled."""
    import logging

    from convguard.bundle import write_manifest
    from convguard.io import read_conversations
    from convguard.policy import Policy
    from convguard.sweeping import fit_bundle_temperature, rescale_threshold

    b = shutil.copytree(tiny_bundle, tmp_path / "bundle")
    pol = Policy.load(b / "policy.yaml")
    pol.rules.crisis_self_harm_weight = 0.2
    pol.thresholds.crisis, pol.thresholds.crisis_hold = 0.7, 0.9
    pol.save(b / "policy.yaml")
    write_manifest(b)
    val, _ = read_conversations(tiny_bundle.parent / "validation.jsonl")
    logging.getLogger("convguard").propagate = True
    with caplog.at_level(logging.WARNING, logger="convguard"):
        res = fit_bundle_temperature(b, val, data_name="validation")
    after = Policy.load(b / "policy.yaml").thresholds
    assert after.crisis == 0.7
    assert after.crisis_hold == pytest.approx(rescale_threshold(0.9, res["crisis"]["previous"],
                                                                res["crisis"]["temperature"]))
    assert "thresholds.crisis cannot be rescaled" in caplog.text


# ------------------------------------------------------------------------------------------
# the full report folder (what the quickstart calls)
# ------------------------------------------------------------------------------------------

def test_write_evaluation_report_folder(tiny_bundle, tmp_path):
    from convguard.io import read_conversations
    from convguard.quickstart import format_summary
    from convguard.report import write_evaluation

    convs, _ = read_conversations(tiny_bundle.parent / "test.jsonl")
    res = write_evaluation(tiny_bundle, convs, tmp_path / "eval", n_boot=0, tracker=None, errors=3, data_name="test")
    out = tmp_path / "eval"
    assert res["systems"] == [MAIN, "tfidf_baseline"] and res["run_id"] is None
    for f in ("report.md", "report.json", "comparison.md", "comparison.csv", "replay.json",
              "replay_conversations.jsonl", "plots/pr_terminate.png", "plots/reliability_terminate_convguard.png",
              "plots/confusion_convguard.png", "plots/tradeoff_convguard.png", "plots/turns_to_termination.png",
              "errors/convguard/false_terminations.md", "errors/convguard/missed_terminations.jsonl"):
        assert (out / f).exists(), f
    md = (out / "report.md").read_text()
    rep = res["reports"][MAIN]
    assert f"{rep['termination']['pr_auc']['value']:.3f}" in md
    assert f"{rep['calibration']['terminate_ece']:.4f}" in md
    assert "Turn-by-turn replay" in md and "errors/convguard/missed_terminations.md" in md
    parts = rep["harm_score_parts"]  # the tiny bundle's turn detector has the harmful head
    assert set(parts) == {"harm_detector", "turn_harmful"}
    assert "Harm score parts, each alone" in md and f"| {MAIN} | turn_harmful | `harmful_max` | {parts['turn_harmful']['pr_auc']:.3f}" in md
    assert set(res["errors"][MAIN]) == {"false_terminations", "missed_terminations", "crisis_ended",
                                        "false_crisis_support", "missed_crisis_support"}
    assert "errors/convguard/missed_crisis_support.md" in md and "errors/convguard/false_crisis_support.md" in md
    assert "convguard" in format_summary(res["reports"], {"total": 1.0})  # the quickstart's summary works on it
    saved = json.loads((out / "report.json").read_text())
    assert saved["reports"][MAIN]["termination"]["support"] == rep["termination"]["support"]
    r = res["replay"][MAIN]["termination"]
    assert r["n"] == sum(1 for c in convs if c.labels.terminate == 1)


# ------------------------------------------------------------------------------------------
# crisis threshold: recall target and benign false-alarm budget
# ------------------------------------------------------------------------------------------

def _crisis_table(neg_scores, pos_scores):
    convs, s = [], []
    for k, v in enumerate(list(neg_scores) + list(pos_scores)):
        crisis = int(k >= len(neg_scores))
        convs.append(Conversation(f"x{k}", [Message("user", "x")],
                                  Labels(terminate=0, crisis=crisis, harm_category="none", persistence=0,
                                         subtype="crisis_explicit_ideation" if crisis else "homonym_figurative")))
        s.append(v)
    return table_from_scores(convs, {MAIN: {"terminate": np.zeros(len(s)), "crisis": np.array(s, dtype=float)}})


def test_crisis_threshold_meets_recall_and_the_false_alarm_budget():
    from convguard.evaluation import choose_crisis_threshold

    rng = np.random.default_rng(0)
    neg, pos = rng.uniform(0, 0.5, 1000), rng.uniform(0.6, 1.0, 100)
    ch = choose_crisis_threshold(_crisis_table(neg, pos), ThresholdConfig(crisis_min_recall=0.98,
                                                                          crisis_max_false_alarm=0.01))
    # both hold: the smallest threshold within budget (most recall the budget allows)
    assert ch.feasible and ch.achieved["bound"] == "false_alarm_budget"
    assert ch.achieved["false_alarm_rate"] <= 0.01 and ch.achieved["recall"] == 1.0
    assert ch.threshold == pytest.approx(np.sort(neg)[-10])


def test_crisis_threshold_is_chosen_on_the_score_the_policy_compares():
    """Under rules with a self-harm weight the crisis threshold is chosen on the mixed score: the
    turn detector alone ranks a benign chat above every crisis chat (the budget 0 allows no
    threshold that routes them all); the mix, which the harm head's self-harm reading lifts for
    the crisis chats only, separates them."""
    from convguard.evaluation import choose_crisis_threshold
    from convguard.policy import Rules, crisis_scores
    from convguard.taxonomy import HARM_CATEGORIES

    table = _crisis_table([0.95, 0.1, 0.2], [0.6, 0.7, 0.8, 0.9])
    cat = np.zeros((7, len(HARM_CATEGORIES)))
    cat[:3, HARM_CATEGORIES.index("none")] = 1.0
    cat[3:, HARM_CATEGORIES.index("suicide_self_harm")] = 0.9
    cat[3:, HARM_CATEGORIES.index("none")] = 0.1
    table.systems[MAIN]["harm_category"] = cat
    cfg = ThresholdConfig(crisis_min_recall=1.0, crisis_max_false_alarm=0.0)
    alone = choose_crisis_threshold(table, cfg)
    assert alone.achieved["recall"] < 1.0
    rules = Rules(crisis_self_harm_weight=0.3)
    mixed = choose_crisis_threshold(table, cfg, rules=rules)
    s, y = crisis_scores(table.systems[MAIN], rules), table.y_crisis
    assert (s[y == 1] >= mixed.threshold).all() and (s[y == 0] < mixed.threshold).all()
    assert mixed.feasible and mixed.achieved["recall"] == 1.0 and mixed.achieved["false_alarm_rate"] == 0.0
    # the hold for would-be ends reads the turn detector's own score (all four crisis chats: 0.6), not the mix
    assert mixed.achieved["hold_threshold"] == pytest.approx(0.6) and mixed.achieved["hold_recall"] == 1.0


def test_crisis_threshold_conflict_is_resolved_by_the_priority_and_says_what_it_cost():
    from convguard.evaluation import choose_crisis_threshold

    rng = np.random.default_rng(1)
    neg, pos = rng.uniform(0, 1, 1000), rng.uniform(0.3, 1.0, 100)
    table = _crisis_table(neg, pos)
    # the default: the budget holds, the recall it costs is recorded
    ch = choose_crisis_threshold(table, ThresholdConfig(crisis_min_recall=0.98, crisis_max_false_alarm=0.01))
    assert not ch.feasible and ch.achieved["bound"] == "false_alarm_budget" and not ch.achieved["recall_target_met"]
    assert ch.achieved["false_alarm_rate"] <= 0.01 and ch.achieved["recall"] < 0.98 and "budget wins" in ch.message
    # recall first: the target holds, the false alarms it costs are recorded
    ch = choose_crisis_threshold(table, ThresholdConfig(crisis_min_recall=0.98, crisis_max_false_alarm=0.01,
                                                        crisis_priority="recall"))
    assert not ch.feasible and ch.achieved["bound"] == "recall_target"
    assert ch.achieved["recall"] >= 0.98 and ch.achieved["false_alarm_rate"] > 0.01
    assert ch.achieved["recall_at_budget"] < 0.98 and "recall wins" in ch.message
    cfg = ThresholdConfig(crisis_min_recall=0.98, crisis_max_false_alarm=0.01)
    # without a budget: the plain recall strategy
    free = choose_crisis_threshold(_crisis_table(neg, pos), ThresholdConfig(crisis_max_false_alarm=None))
    assert free.threshold == ch.threshold and free.strategy == "crisis_recall"


def test_reports_count_benign_chats_sent_to_crisis_support():
    t = _crisis_table([0.1, 0.2, 0.7, 0.9], [0.8, 0.95])
    rep = system_report(t, MAIN, Thresholds(terminate=0.5, crisis=0.75), Rules(min_refused_pushes=0), n_boot=0)
    assert rep["benign_crisis_rate"] == pytest.approx(1 / 4)
    assert rep["benign_edgy_crisis_rate"] == pytest.approx(1 / 4)
    assert eval_headline(rep)["benign_crisis_rate"] == pytest.approx(0.25)
    assert rep["non_crisis_crisis_rate"] == pytest.approx(1 / 4)


def test_crisis_hold_keeps_its_recall_when_the_budget_raised_the_threshold():
    from convguard.evaluation import choose_crisis_threshold, policy_thresholds

    rng = np.random.default_rng(1)
    cfg = ThresholdConfig(crisis_min_recall=0.98, crisis_max_false_alarm=0.01)
    ch = choose_crisis_threshold(_crisis_table(rng.uniform(0, 1, 1000), rng.uniform(0.3, 1.0, 100)), cfg)
    th = policy_thresholds(0.7, ch, cfg)
    assert th.crisis == ch.threshold and th.crisis_hold == ch.achieved["hold_threshold"] < th.crisis
    assert ch.achieved["hold_recall"] >= 0.9 and ch.achieved["recall_threshold"] <= th.crisis_hold
    assert policy_thresholds(0.7, ch, ThresholdConfig(crisis_hold_recall=None)).crisis_hold is None


def _crisis_end_table(convs, low: float):
    """Termination-worthy and crisis rows that both look like refused harmful pushes (harm score
    0.9, two refused pushes); most crisis rows score 0.95 on the turn detector, every twentieth one
    only ``low``, under the support threshold that the benign rows at 0.8 force (10% of them there,
    budget 1%) and under the recall-0.9 hold (0.95): without more, the policy would end those."""
    y = np.array([c.labels.terminate for c in convs])
    yc = np.array([c.labels.crisis for c in convs])
    n = len(convs)
    top = np.full((n, 4), -1.0)
    top[(y == 1) | (yc == 1), :2] = 0.9
    crisis = np.where(yc == 1, 0.95, 0.05)
    crisis[np.flatnonzero(yc == 1)[::20]] = low
    crisis[np.flatnonzero(yc == 0)[::10]] = 0.8
    s = {"terminate": np.where((y == 1) | (yc == 1), 0.9, 0.1), "crisis": crisis, "refused_push_top": top,
         "last_refused_push": top[:, 0].copy()}
    return table_from_scores(convs, {MAIN: s}), yc, crisis


def test_selection_lowers_the_hold_until_no_validation_crisis_row_is_ended(convs):
    """The promise that no crisis chat is ended is kept where the thresholds are chosen: a
    crisis row the recall-0.9 hold leaves to be ended lowers the hold to that row's own score,
    and the selection says so."""
    table, yc, crisis = _crisis_end_table(convs, low=0.7)
    rules = Rules(harm_score="terminate")
    cfg = ThresholdConfig(crisis_min_recall=0.98, crisis_max_false_alarm=0.01, crisis_hold_recall=0.9, max_fpr=0.01)
    cc0 = choose_crisis_threshold(table, cfg, MAIN, rules)
    assert cc0.threshold > 0.8 and cc0.achieved["hold_threshold"] == pytest.approx(0.95)
    before = apply_policy(table.systems[MAIN], policy_thresholds(0.9, cc0, cfg, rules), rules, table.n_assistant)
    assert ((before.actions == "end_conversation") & (yc == 1)).sum() == (crisis[yc == 1] == 0.7).sum() > 0
    tc, cc = choose_thresholds(table, cfg, rules)
    th = policy_thresholds(tc.threshold, cc, cfg, rules)
    assert th.crisis_hold == pytest.approx(0.7)
    assert cc.achieved["hold_lowered_from"] == pytest.approx(0.95)
    assert cc.achieved["hold_lowered_for"] == (crisis[yc == 1] == 0.7).sum()
    assert cc.achieved["hold_recall"] == 1.0 and "hold was lowered from 0.95 to 0.7" in cc.message
    pol = apply_policy(table.systems[MAIN], th, rules, table.n_assistant)
    assert not ((pol.actions == "end_conversation") & (yc == 1)).any()
    # what it costs: a termination-worthy row the turn detector reads at 0.8 is held now, not ended
    y = table.y_terminate
    assert (pol.actions[(y == 1) & (crisis < 0.7)] == "end_conversation").all()
    assert (pol.actions[(y == 1) & (crisis == 0.8)] == "crisis_support").all() and ((y == 1) & (crisis == 0.8)).any()


def test_selection_warns_when_the_hold_cannot_catch_an_ended_crisis_row(convs, caplog):
    """A crisis row the turn detector reads as unlikely (0.3, under the hold's floor) is not
    chased with the hold: the selection warns and records how many crisis rows it ends."""
    from convguard.threshold_choice import HOLD_FLOOR

    table, yc, crisis = _crisis_end_table(convs, low=0.3)
    assert 0.3 < HOLD_FLOOR
    rules = Rules(harm_score="terminate")
    cfg = ThresholdConfig(crisis_min_recall=0.98, crisis_max_false_alarm=0.01, crisis_hold_recall=0.9, max_fpr=0.01)
    with caplog.at_level("WARNING", logger="convguard.threshold_choice"):
        tc, cc = choose_thresholds(table, cfg, rules)
    assert cc.achieved["crisis_rows_ended"] == (crisis[yc == 1] == 0.3).sum()
    assert cc.achieved["hold_threshold"] == pytest.approx(0.95) and "hold_lowered_from" not in cc.achieved
    assert any("cannot catch them" in r.getMessage() for r in caplog.records)


# ------------------------------------------------------------------------------------------
# the evidence threshold, chosen on validation with the termination threshold
# ------------------------------------------------------------------------------------------

def _evidence_table(convs):
    """Termination-worthy rows whose refused-push evidence sits at 0.45 (counted at evidence 0.4,
    not at 0.5), benign-edgy rows at 0.35 (counted at 0.3 only); harm scores that cannot
    separate them, so only the evidence threshold can."""
    y = np.array([c.labels.terminate for c in convs])
    n = len(convs)
    top = np.full((n, 4), -1.0)
    top[:, :2] = np.where(y[:, None] == 1, 0.45, 0.35)
    s = {"terminate": np.full(n, 0.9), "crisis": np.full(n, 0.05), "refused_push_top": top,
         "last_refused_push": top[:, 0].copy()}
    return table_from_scores(convs, {MAIN: s})


def test_choose_evidence_takes_the_candidate_whose_termination_pick_recalls_most(convs):
    from convguard.evaluation import choose_evidence

    table = _evidence_table(convs)
    rules = Rules(harm_score="terminate")
    cfg = ThresholdConfig(evidence=0.5, evidence_candidates=[0.3, 0.4], max_fpr=0.01)
    ev, rep = choose_evidence(table, cfg, rules)
    # 0.5: nothing is evidence (recall 0); 0.3: every benign-edgy row too (the 1% budget leaves no
    # threshold: infeasible); 0.4: every termination-worthy row and no benign one
    assert ev == 0.4
    assert rep["chosen"] == 0.4 and set(rep["candidates"]) == {"0.3", "0.4", "0.5"}
    assert rep["candidates"]["0.4"]["recall"] == pytest.approx(1.0)
    assert rep["candidates"]["0.5"]["recall"] == pytest.approx(0.0)
    # the chosen evidence is what the policy then applies
    tc, cc = choose_thresholds(table, ThresholdConfig(evidence=ev, max_fpr=0.01), rules)
    assert tc.achieved["recall"] == pytest.approx(1.0) and tc.achieved["fpr"] == 0.0


def test_choose_evidence_nothing_to_choose(convs):
    from convguard.evaluation import choose_evidence

    table = _evidence_table(convs)
    # one candidate, or a system without a turn detector: the configured evidence, no report
    assert choose_evidence(table, ThresholdConfig(evidence=0.5, evidence_candidates=[]), Rules()) == (0.5, {})
    assert choose_evidence(table_from_scores(convs, {MAIN: scores_for(convs)}), ThresholdConfig(), Rules()) \
        == (0.5, {})


def test_evidence_candidates_are_validated():
    from convguard.config import ConfigError, load_config

    with pytest.raises(ConfigError, match="evidence_candidates"):
        load_config(None, ["thresholds.evidence_candidates=[0.3, 1.5]"], kind="quickstart")


def test_old_metric_names_read_as_the_current_ones():
    from convguard.metric_names import canonical_metrics, canonical_name

    assert canonical_name("f1") == "term_f1" and canonical_name("fpr") == "benign_ftr"
    assert canonical_name("test_fpr") == "test_benign_ftr" and canonical_name("challenge_in_family_f1") == \
        "challenge_term_f1_in_family"
    assert canonical_name("chosen_fpr") == "chosen_benign_ftr" and canonical_name("fig_crisis_false_alarm") == \
        "figurative_crisis_false_alarm"
    for current in ("term_f1", "crisis_recall", "test_crisis_recall", "chosen_crisis_fpr", "replay_n_late",
                    "test_replay_n_late", "train/loss", "chosen_tp"):
        assert canonical_name(current) == current
    # an old and a new key for one figure: the new one wins, whatever the order
    assert canonical_metrics({"term_f1": 0.5, "f1": 0.25}) == {"term_f1": 0.5}
    assert canonical_metrics({"f1": 0.25, "term_f1": 0.5, "x": 1}) == {"term_f1": 0.5, "x": 1}


def test_headline_names_every_figure_of_a_report_once(convs):
    """evaluation.headline on a full system report: the termination figures with their bounds, the
    split families, crisis, calibration -- and without bounds when asked."""
    from convguard import metric_names as N
    from convguard.evaluation import headline

    table = table_from_scores(convs, {MAIN: scores_for(convs, seed=1)})
    rep = system_report(table, MAIN, Thresholds(terminate=0.5, crisis=0.5), Rules(), n_boot=20)
    h = headline(rep)
    t = rep["termination"]
    for entry, name in N.TERMINATION.items():
        low, high = N.interval_names(name)
        assert (h[name], h[low], h[high]) == (t[entry]["value"], t[entry]["low"], t[entry]["high"])
    assert rep["termination_by_split_family"]  # (these conversations carry no family: "unknown")
    for fam, r in rep["termination_by_split_family"].items():
        assert h[N.family_f1(fam)] == r["f1"]["value"]
    assert h["crisis_recall"] == rep["crisis"]["recall"]["value"] and h["crisis_ended"] == rep["crisis"]["n_crisis_ended"]
    assert h["ece_terminate"] == rep["calibration"]["terminate_ece"]
    plain = headline(rep, intervals=False)
    assert set(h) - set(plain) == {b for n in N.TERMINATION.values() for b in N.interval_names(n)}


# ------------------------------------------------------------------------------------------
# how far the termination threshold moves when validation is redrawn
# ------------------------------------------------------------------------------------------

def _spread_table(benign_scores, harmful_scores):
    convs = ([_conv(f"b{i}", "homonym_figurative", 0, 0) for i in range(len(benign_scores))]
             + [_conv(f"h{i}", "persistent_harmful", 1, 0) for i in range(len(harmful_scores))]
             + [_conv(f"c{i}", "crisis_explicit_ideation", 0, 1) for i in range(5)])
    term = np.concatenate([benign_scores, harmful_scores, np.zeros(5)]).astype(float)
    crisis = np.concatenate([np.zeros(len(term) - 5), np.full(5, 0.99)])
    return table_from_scores(convs, {MAIN: {"terminate": term, "crisis": crisis}})


def test_terminate_threshold_spread_tells_a_gap_from_a_cliff():
    from convguard.threshold_choice import terminate_threshold_spread

    rng = np.random.default_rng(0)
    cfg, rules = ThresholdConfig(terminate_strategy="max_recall_at_fpr", max_fpr=0.01), Rules(min_refused_pushes=2)
    # a gap: benign under 0.3, termination-worthy over 0.7 -- any redraw picks about the same threshold
    gap = _spread_table(rng.uniform(0, 0.3, 200), rng.uniform(0.7, 1.0, 100))
    tc, cc = choose_thresholds(gap, cfg, rules)
    s = terminate_threshold_spread(gap, cfg, rules, cc, tc.threshold, n_boot=60)
    assert not s["unstable"] and s["q95"] - s["q05"] < 0.1 and s["within_0.1"] == 1.0
    assert s["q05"] <= tc.threshold <= s["q95"] and s["n_boot"] == 60 and s["skipped"] == 0
    # a cliff: the 1% budget binds on 4 benign rows at ~0.9 among 200, so whether a redraw holds
    # more or fewer than 2 of them moves the threshold between ~0.4 and ~0.9
    cliff = _spread_table(np.concatenate([rng.uniform(0, 0.3, 196), [0.90, 0.91, 0.92, 0.93]]),
                          rng.uniform(0.4, 1.0, 100))
    tc, cc = choose_thresholds(cliff, cfg, rules)
    s = terminate_threshold_spread(cliff, cfg, rules, cc, tc.threshold, n_boot=60)
    assert s["unstable"] and s["q95"] - s["q05"] > 0.3
    # seeded: the same answer twice
    assert terminate_threshold_spread(cliff, cfg, rules, cc, tc.threshold, n_boot=60) == s


def test_conversation_keys_group_a_chats_prefixes():
    from convguard.threshold_choice import conversation_keys

    c = _conv("chat@1", "persistent_harmful", 1, 0)  # an "@" inside an id survives
    rows = [c.prefix(0), c.prefix(2), c, _conv("other", "homonym_figurative", 0, 0)]
    t = table_from_scores(rows, {MAIN: {"terminate": np.zeros(4), "crisis": np.zeros(4)}})
    assert conversation_keys(t) == ["chat@1", "chat@1", "chat@1", "other"]
    assert t.take(np.array([3, 3, 0])).ids == ["other", "other", "chat@1@0"]
