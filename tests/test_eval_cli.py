"""``convguard evaluate | sweep | replay | compare`` end to end on the tiny bundle, with MLflow to a
temporary SQLite store (see eval_runs.py: the runs are made once per session)."""

from __future__ import annotations

import contextlib
import io
import json

import pytest

from convguard.evaluation import MAIN
from eval_runs import tracked_runs


@pytest.fixture(scope="module")
def runs(tiny_bundle, tmp_path_factory):
    return tracked_runs(str(tiny_bundle), str(tmp_path_factory.getbasetemp()))


def _client(runs):
    import mlflow

    return mlflow.MlflowClient(tracking_uri=runs["uri"])


def _compare(runs, *extra):
    from convguard.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(["compare", "--mlruns-dir", str(runs["mlruns"]), *extra]) == 0
    return buf.getvalue()


@pytest.fixture(autouse=True)
def _no_leaked_tracking_uri(monkeypatch):
    # the CLI's Tracker exports MLFLOW_TRACKING_URI (mlflow.set_tracking_uri does); keep it out of other tests
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)


# ------------------------------------------------------------------------------------------
# evaluate
# ------------------------------------------------------------------------------------------

def test_evaluate_writes_the_report_with_both_bundles_side_by_side(runs):
    out = runs["root"] / "eval"
    rep = runs["report"]["reports"]
    names = list(rep)
    assert names == [f"{MAIN}:exp_a", f"{MAIN}:{runs['original'].parent.name}", "tfidf_baseline"]
    md = (out / "report.md").read_text()
    comparison = (out / "comparison.md").read_text()
    for n in names:
        assert f"| {n} |" in comparison
        t = rep[n]["termination"]
        assert f"{t['precision']['value']:.3f}" in comparison and f"{t['fpr']['value']:.3f}" in comparison
    assert comparison in md or comparison.strip() in md
    # per harm category / benign-edgy subtype with intervals, crisis, calibration, replay, errors
    assert "harm: indiscriminate_weapons" in md and "benign-edgy: homonym_figurative" in md
    assert "ENDED (must be 0)" in md and "ECE termination" in md and "Turn-by-turn replay" in md
    for f in ("plots/pr_terminate.png", "plots/pr_crisis.png", "plots/turns_to_termination.png",
              "plots/confusion_convguard_exp_a.png", "plots/reliability_crisis_convguard_exp_a.png",
              "errors/convguard_exp_a/false_terminations.md", "errors/convguard_exp_a/missed_terminations.jsonl",
              "comparison.csv", "replay.json", "replay_conversations.jsonl"):
        assert (out / f).exists(), f
    missed = (out / "errors/convguard_exp_a/missed_terminations.jsonl").read_text().splitlines()
    assert len(missed) <= 5
    page = (out / "errors/convguard_exp_a/missed_terminations.md").read_text()
    if missed:
        first = json.loads(missed[0])
        assert f"`{first['id']}`" in page and first["messages"][0]["content"] in page
    # stdout: the summary table and the report path
    assert "report:" in runs["stdout"]["evaluate"] and "tfidf_baseline" in runs["stdout"]["evaluate"]


def test_evaluate_run_is_tagged_and_linked_to_the_training_run(runs):
    c = _client(runs)
    r = c.get_run(runs["runs"]["evaluate"])
    tags = r.data.tags
    assert tags["convguard.job"] == "evaluate"
    assert tags["convguard.bundle_sha"] == runs["sha_before_sweep"]
    assert tags["mlflow.parentRunId"] == runs["quickstart_run"] == tags["convguard.training_run"]
    assert tags["convguard.data"] == "test" and len(tags["convguard.data_sha256"]) == 64
    main = f"{MAIN}:exp_a"
    t = runs["report"]["reports"][main]["termination"]
    assert r.data.metrics["term_pr_auc"] == pytest.approx(t["pr_auc"]["value"])
    assert r.data.metrics["benign_ftr"] == pytest.approx(t["fpr"]["value"])
    assert "tfidf_baseline/term_roc_auc" in r.data.metrics and "replay_n_premature" in r.data.metrics
    assert r.data.params["thresholds.terminate"] == "0.5"
    arts = {a.path for a in c.list_artifacts(r.info.run_id, "evaluation")}
    assert {"evaluation/report.md", "evaluation/plots", "evaluation/errors"} <= arts


def _in_scheme(key):
    """A headline name of convguard.metric_names: a fixed one, a bootstrap bound of a termination
    figure, a harm score part's, a split family's F1, the turn detector's or the replay's."""
    import convguard.metric_names as N
    from convguard.eval_reports import HARM_PARTS

    bounds = {b for n in N.TERMINATION.values() for b in N.interval_names(n)}
    parts = {N.harm_part(p, m) for p in HARM_PARTS for m in N.HARM_PART_METRICS}
    return (key in N.HEADLINE_NAMES or key in bounds or key in parts
            or key.startswith((N.family_f1(""), "turn_refusal_", "turn_refused_push_", "replay_")))


def test_one_naming_scheme_for_mlflow_the_report_and_the_summary(runs):
    """The keys an evaluation logs to MLflow, the report's comparison CSV and the summary table's
    columns are the names evaluation.headline (+ replay.headline) gives: convguard.metric_names."""
    import csv
    import math

    from convguard.evaluation import headline
    from convguard.quickstart import SUMMARY_COLUMNS, format_summary
    from convguard.replay import headline as replay_headline
    from convguard.tracking import DEFAULT_COMPARE_METRICS, metric_key

    reports, replays = runs["report"]["reports"], runs["report"]["replay"]
    heads = {s: {**headline(r), **replay_headline(replays[s])} for s, r in reports.items()}
    main = f"{MAIN}:exp_a"
    assert {"term_f1", "benign_ftr", "term_f1_low", "crisis_recall", "replay_n_premature"} <= set(heads[main])
    assert all(_in_scheme(k) for h in heads.values() for k in h), [k for h in heads.values() for k in h
                                                                   if not _in_scheme(k)]
    metrics = _client(runs).get_run(runs["runs"]["evaluate"]).data.metrics
    finite = {s: {k for k, v in h.items() if math.isfinite(v)} for s, h in heads.items()}
    assert {k for k in metrics if "/" not in k} == finite[main]  # the first bundle's, at the top level
    for s in reports:
        assert {k.split("/", 1)[1] for k in metrics if k.startswith(f"{metric_key(s)}/")} == finite[s]
        assert metrics[f"{metric_key(s)}/term_f1"] == pytest.approx(reports[s]["termination"]["f1"]["value"])
    others = [s for s in reports if s != main]
    assert {k.rsplit("/", 1)[1] for k in metrics if k.startswith("paired/")} == {
        "delta_term_f1", "delta_term_recall", "delta_benign_ftr", "delta_term_pr_auc", "p_not_better"}
    assert len(others) == len({k.split("/")[1] for k in metrics if k.startswith("paired/")})
    # the report's comparison.csv: one row per system, the same names as columns
    with open(runs["root"] / "eval" / "comparison.csv", newline="") as f:
        cols = set(next(csv.reader(f))) - {"system"}
    assert cols == set().union(*heads.values())
    # the summary table reads headline names; its numbers are the report's
    assert all(_in_scheme(k) for k, _ in SUMMARY_COLUMNS)
    summary = format_summary(reports, {})
    assert f"{heads[main]['term_f1']:.3f}" in summary and f"{heads[main]['benign_ftr']:.3f}" in summary
    assert all(_in_scheme(k) or k.startswith("chosen_") for k in DEFAULT_COMPARE_METRICS)


# ------------------------------------------------------------------------------------------
# sweep
# ------------------------------------------------------------------------------------------

def test_sweep_write_updates_policy_and_keeps_the_bundle_valid(runs):
    from convguard.bundle import verify_bundle
    from convguard.dataset import fingerprint
    from convguard.guard import Guard
    from convguard.io import read_conversations
    from convguard.policy import Policy

    b = runs["bundle"]
    verify_bundle(b)  # manifest re-hashed after the write
    pol = Policy.load(b / "policy.yaml")
    sel = json.loads((runs["root"] / "sweep" / "selection.json").read_text())
    assert pol.thresholds.terminate == sel["terminate"]["threshold"]
    assert pol.thresholds.crisis == sel["crisis"]["threshold"]
    assert pol.rules.min_refused_pushes == 1  # rule given on the command line, written beside the thresholds
    assert pol.selection["terminate"]["strategy"] == "max_f1"
    assert pol.selection["crisis"]["strategy"] in ("crisis_recall", "crisis_recall_within_budget")
    val, _ = read_conversations(runs["data"] / "validation.jsonl")
    assert pol.selection["data"]["sha256"] == fingerprint(val)["sha256"]
    assert pol.selection["data"]["rows"] == "every user-turn prefix"
    assert pol.selection["mlflow_run"] == runs["runs"]["sweep"]
    assert pol.selection["previous"]["thresholds"] == {"terminate": 0.5, "crisis": 0.5, "evidence": 0.5,
                                                       "crisis_hold": None, "terminate_by_category": {}}
    assert "tfidf_baseline" in pol.selection["baselines"]
    # how far the chosen termination threshold moves on redrawn validation, written with it
    assert pol.selection["terminate_spread"]["chosen"] == pol.thresholds.terminate
    assert sel["terminate_spread"] == pol.selection["terminate_spread"]
    assert Guard.load(b).policy.thresholds == pol.thresholds
    for f in ("sweep.md", "sweep_terminate.csv", "sweep_crisis.csv", "plots/tradeoff_terminate.png",
              "plots/tradeoff_crisis.png"):
        assert (runs["root"] / "sweep" / f).exists(), f
    md = (runs["root"] / "sweep" / "sweep.md").read_text()
    assert f"{pol.thresholds.terminate:.6g}" in md and "<-- chosen" in md and "**Written**" in md
    assert "bootstrap redraws of these conversations: 5-95%" in md
    header = (runs["root"] / "sweep" / "sweep_terminate.csv").read_text().splitlines()[0]
    assert header.startswith("threshold,precision,recall,f1,false_termination_rate,benign_false_termination_rate")
    r = _client(runs).get_run(runs["runs"]["sweep"])
    assert r.data.tags["convguard.job"] == "sweep" and r.data.params["strategy"] == "max_f1"
    assert r.data.metrics["threshold_terminate"] == pytest.approx(pol.thresholds.terminate)
    assert r.data.tags["mlflow.parentRunId"] == runs["quickstart_run"]
    # the chosen termination threshold's figures under the headline names (convguard.metric_names)
    sel_achieved = sel["terminate"]["achieved"]
    assert r.data.metrics["chosen_term_f1"] == pytest.approx(sel_achieved["f1"])
    assert r.data.metrics["chosen_benign_ftr"] == pytest.approx(sel_achieved["fpr"])
    assert "chosen_fpr" not in r.data.metrics and "chosen_f1" not in r.data.metrics


# ------------------------------------------------------------------------------------------
# replay
# ------------------------------------------------------------------------------------------

def test_replay_outputs_and_counts_agree(runs):
    from convguard.policy import Policy

    out = runs["root"] / "replay"
    summaries = json.loads((out / "replay.json").read_text())
    recs = [json.loads(x) for x in (out / "replay_conversations.jsonl").read_text().splitlines()]
    s = summaries[MAIN]
    t = s["termination"]
    outcomes = [r["outcome"] for r in recs]
    assert t["n_premature"] == outcomes.count("premature") and t["n_late"] == outcomes.count("late")
    assert t["n_missed"] == outcomes.count("missed") and t["n_on_time"] == outcomes.count("on_time")
    assert s["false_ends"]["n_false_end"] == outcomes.count("false_end")
    assert s["crisis"]["n_crisis_ended"] == outcomes.count("crisis_ended")
    assert s["thresholds"]["terminate"] == Policy.load(runs["bundle"] / "policy.yaml").thresholds.terminate
    assert (out / "replay.md").exists() and (out / "replay_grid.csv").exists()
    r = _client(runs).get_run(runs["runs"]["replay"])
    assert r.data.tags["convguard.job"] == "replay"
    assert r.data.metrics["replay_n_premature"] == t["n_premature"]


# ------------------------------------------------------------------------------------------
# compare
# ------------------------------------------------------------------------------------------

def test_compare_lists_the_runs(runs):
    out = _compare(runs)
    for job, rid in runs["runs"].items():
        assert rid[:8] in out
    assert runs["quickstart_run"][:8] not in out  # only evaluation jobs by default
    assert "threshold_terminate" in out and "term_f1" in out
    only = _compare(runs, runs["runs"]["evaluate"], runs["runs"]["sweep"][:10], "--metrics", "term_f1,chosen_term_f1")
    assert runs["runs"]["evaluate"][:8] in only and runs["runs"]["sweep"][:8] in only
    assert runs["runs"]["replay"][:8] not in only and "chosen_term_f1" in only and "benign_ftr" not in only
    # a name an older version logged reads as the current one
    assert _compare(runs, runs["runs"]["sweep"], "--metrics", "chosen_f1") == _compare(
        runs, runs["runs"]["sweep"], "--metrics", "chosen_term_f1")


def test_compare_spread_per_data_set(runs):
    """--spread: each metric's mean, sd, min and max over the listed runs, per data set; crisis
    support for people who are fine is among the default columns."""
    import pandas as pd

    from convguard.tracking import compare_runs, spread_table

    out = _compare(runs, "--spread")
    assert "spread over the" in out and "benign_crisis_rate" in out
    df = compare_runs(runs["uri"], "convguard")
    sp = spread_table(df)
    assert set(sp["stat"]) == {"mean", "sd", "min", "max"}
    for data, g in df.groupby("data", dropna=False, sort=False):
        rows = sp[sp["data"].isna()] if pd.isna(data) else sp[sp["data"] == data]
        v = pd.to_numeric(g["term_f1"], errors="coerce")
        got = rows.set_index("stat")["term_f1"]
        assert got["mean"] == pytest.approx(v.mean(), nan_ok=True)
        assert got["min"] == pytest.approx(v.min(), nan_ok=True) and got["max"] == pytest.approx(v.max(), nan_ok=True)


def test_spread_table_statistics():
    import pandas as pd

    from convguard.tracking import COMPARE_COLUMNS, spread_table

    base = {c: None for c in COMPARE_COLUMNS}
    df = pd.DataFrame([{**base, "data": "challenge", "term_f1": 0.868}, {**base, "data": "challenge", "term_f1": 0.811},
                       {**base, "data": "challenge", "term_f1": 0.875}, {**base, "data": "test", "term_f1": 0.936}])
    sp = spread_table(df).set_index(["data", "stat"])
    assert sp.loc[("challenge", "mean"), "term_f1"] == pytest.approx((0.868 + 0.811 + 0.875) / 3)
    assert sp.loc[("challenge", "sd"), "term_f1"] == pytest.approx(pd.Series([0.868, 0.811, 0.875]).std(ddof=1))
    assert sp.loc[("challenge", "min"), "term_f1"] == 0.811 and sp.loc[("challenge", "max"), "term_f1"] == 0.875
    assert sp.loc[("challenge", "mean"), "n"] == 3 and sp.loc[("test", "mean"), "n"] == 1
    assert pd.isna(sp.loc[("test", "sd"), "term_f1"])  # one run: no spread


def test_compare_reads_runs_logged_under_the_old_names(tmp_path):
    """A sweep / evaluate run made before the names were unified (chosen_fpr, fig_crisis_false_alarm)
    shows its figures under the current names."""
    import mlflow

    from convguard.tracking import compare_runs

    uri = f"sqlite:///{tmp_path / 'mlflow.db'}"
    client = mlflow.MlflowClient(tracking_uri=uri)
    exp = client.create_experiment("convguard", artifact_location=str(tmp_path / "artifacts"))
    old = client.create_run(exp, tags={"convguard.job": "sweep"})
    for k, v in {"chosen_fpr": 0.25, "chosen_recall": 0.5, "fig_crisis_false_alarm": 0.125}.items():
        client.log_metric(old.info.run_id, k, v)
    new = client.create_run(exp, tags={"convguard.job": "sweep"})
    client.log_metric(new.info.run_id, "chosen_benign_ftr", 0.75)
    df = compare_runs(uri, "convguard")
    assert {"chosen_benign_ftr", "chosen_term_recall"} <= set(df.columns) and "chosen_fpr" not in df.columns
    by_run = df.set_index("run_id")
    assert by_run.loc[old.info.run_id, "chosen_benign_ftr"] == 0.25
    assert by_run.loc[new.info.run_id, "chosen_benign_ftr"] == 0.75
    df = compare_runs(uri, "convguard", metrics=["figurative_crisis_false_alarm", "fig_crisis_false_alarm"])
    assert df.columns[-1] == "figurative_crisis_false_alarm" and "fig_crisis_false_alarm" not in df.columns
    assert df.set_index("run_id").loc[old.info.run_id, "figurative_crisis_false_alarm"] == 0.125


# ------------------------------------------------------------------------------------------
# helpers
# ------------------------------------------------------------------------------------------

def test_default_out_is_beside_the_bundle(tmp_path):
    from convguard.eval_cli import default_out

    assert default_out(tmp_path / "q" / "bundle", "eval", "test") == (tmp_path / "q" / "eval" / "test").resolve()


def test_load_eval_data_reads_adapters_and_files():
    from pathlib import Path

    from convguard.eval_cli import load_eval_data

    fx = Path(__file__).parent / "fixtures"
    convs, name = load_eval_data(f"xstest:{fx / 'xstest_sample.csv'}")
    assert convs and name == "xstest-xstest_sample" and all(c.labels.terminate == 0 for c in convs)
    convs, name = load_eval_data(f"xstest+persistent:{fx / 'xstest_sample.csv'}")
    assert name == "xstest-persistent-xstest_sample" and any(c.labels.terminate == 1 for c in convs)
    convs, name = load_eval_data(str(fx / "conversations.jsonl"))
    assert name == "conversations" and len(convs) > 1
    convs, _ = load_eval_data(f"sharegpt:{fx / 'sharegpt_sample.jsonl'}", skip_invalid=True)
    assert convs


def test_evaluate_without_tracking_and_a_missing_file_fails_cleanly(tmp_path, tiny_bundle, capsys):
    from convguard.cli import main

    rc = main(["evaluate", "--bundle", str(tiny_bundle), "--data", str(tmp_path / "nope.jsonl"), "--tracking", "off"])
    assert rc == 2 and "no such file" in capsys.readouterr().err
