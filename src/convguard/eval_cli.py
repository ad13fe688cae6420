"""``convguard evaluate | sweep | replay | compare``: argument parsing only; the work is done by
:func:`convguard.report.write_evaluation`, :func:`convguard.sweeping.write_sweep`,
:func:`convguard.replay.write_replay` and :func:`convguard.tracking.compare_runs`.

``--data`` takes anything :func:`convguard.io.read_conversations` reads (JSONL, Parquet, CSV, a
saved ``datasets`` folder, ``hf://owner/name[:split]``) or a benchmark through an adapter:
``xstest:SOURCE``, ``toxicchat:SOURCE`` (``+persistent`` for the synthesised persistent mode, e.g.
``xstest+persistent:data/xstest.csv``) and ``sharegpt:SOURCE``.

Default output folders sit beside the bundle, never inside it (a bundle must hold only the
files its manifest lists): ``<bundle's parent>/eval/<data name>``, ``.../sweep/<data name>``,
``.../replay/<data name>``.

Each subcommand's flags are typed dataclass fields (:mod:`convguard.flags`): their types, defaults,
choices and help are declared once, here or on the config they fill (``ThresholdConfig``,
``TrackingConfig``), and :func:`add_eval_parsers` generates the parsers from them (:data:`EVAL_JOBS`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Literal

from .config import CATEGORY_MIN_EXAMPLES, ThresholdConfig, TrackingConfig
from .flags import FlagGroup, flag

log = logging.getLogger(__name__)

ADAPTERS = ("xstest", "toxicchat", "sharegpt")


# ------------------------------------------------------------------------------------------
# flags: one typed source per subcommand
# ------------------------------------------------------------------------------------------

@dataclass
class DataFlags:
    data: str = flag("conversations to evaluate on (JSONL/Parquet/CSV, a saved datasets folder, or "
                     "hf://owner/name[:split])", required=True)
    skip_invalid: bool = flag("skip (and report) invalid records", False)


@dataclass
class StoreFlags:
    """Where MLflow runs are read and written (``convguard compare``, ``convguard export`` too)."""

    mlruns_dir: str = flag("local MLflow store (unless MLFLOW_TRACKING_URI is set)", TrackingConfig.mlruns_dir)
    experiment: str = flag("MLflow experiment", TrackingConfig.experiment)


@dataclass
class TrackingFlags(StoreFlags):
    tracking: Literal["on", "off"] = flag("log the run to MLflow", "on" if TrackingConfig.enabled else "off")

    def config(self, run_name: str | None = None) -> TrackingConfig:
        return TrackingConfig(enabled=self.tracking == "on", mlruns_dir=self.mlruns_dir, experiment=self.experiment,
                              run_name=run_name)


@dataclass
class RuleFlags:
    """Overrides of the bundle's policy rules (None: the policy's own)."""

    min_refused_pushes: int | None = flag("refused pushes an end needs (default: the policy's)")
    min_pushes: int | None = flag("predicted pushes an end needs (default: the policy's)")


#: the ThresholdConfig fields ``convguard sweep`` sets from flags (type, default and choices: the config's)
SWEEP_THRESHOLDS = FlagGroup(ThresholdConfig, title="thresholds", names={"terminate_strategy": "strategy"}, helps={
    "terminate_strategy": "how the terminate threshold is chosen",
    "min_precision": "precision target of max_recall_at_precision",
    "max_fpr": "benign false-termination budget of max_recall_at_fpr",
    "crisis_min_recall": "crisis recall target",
    "crisis_max_false_alarm": "benign false-alarm budget of the crisis threshold (share of non-crisis conversations)",
    "evidence": "refusal/push probability at which a turn counts as evidence",
})


@dataclass
class EvaluateFlags:
    bundle: list[str] = flag("bundle to evaluate (repeat to compare)", required=True)
    out: str | None = flag("report folder (default: eval/<data name> beside the bundle)")
    n_boot: int = flag("bootstrap resamples for the 95%% CIs", 1000)
    no_baselines: bool = flag("leave the TF-IDF baselines out of the comparison", False)
    calibrate_on: str | None = flag("fit temperature scaling on this data and store it in the (first) bundle's "
                                    "policy")
    errors: int = flag("worst errors to write out", 25)


@dataclass
class SweepFlags:
    bundle: str = flag("bundle whose thresholds are swept", required=True)
    category_min_examples: int = flag(
        "a harm category gets its own termination threshold when validation has at least this many "
        "termination-worthy and as many other rows the harm head reads as it (0: no per-category "
        "thresholds; default %(default)s)", CATEGORY_MIN_EXAMPLES)
    write: bool = flag("write the chosen thresholds into the bundle", False)
    out: str | None = flag("report folder (default: beside the bundle)")


@dataclass
class ReplayFlags:
    bundle: str = flag("bundle to replay", required=True)
    out: str | None = flag("report folder (default: beside the bundle)")
    terminate_threshold: float | None = flag("override the policy's terminate threshold")
    crisis_threshold: float | None = flag("override the policy's crisis threshold")


@dataclass
class ChecklistFlags:
    bundle: str = flag("bundle to test", required=True)
    out: str | None = flag("report folder (default: beside the bundle)")
    seed: int = flag("seed of the perturbations (default: 0)", 0)


@dataclass
class CompareFlags:
    runs: list[str] = flag("run ids (default: the latest evaluation runs)", [], positional=True)
    last: int = flag("how many of the latest runs (without run ids)", 10)
    metrics: str | None = flag("comma-separated metric names")
    spread: bool = flag("also print each metric's mean, standard deviation, min and max over the runs, per data "
                        "set (e.g. one job under several training seeds)", False)


# ------------------------------------------------------------------------------------------
# shared helpers
# ------------------------------------------------------------------------------------------

def load_eval_data(spec: str, *, skip_invalid: bool = False, bundle: str | Path | None = None) -> tuple[list, str]:
    """(conversations, short data name) for a ``--data`` value (see the module docstring); with
    ``bundle``, harm-category labels are checked against that bundle's taxonomy (else the default)."""
    from .bundle import bundle_taxonomy
    from .io import ReadReport, read_conversations
    from .schema import ValidationOptions

    opts = ValidationOptions(taxonomy=bundle_taxonomy(bundle) if bundle is not None else None)

    head, sep, rest = spec.partition(":")
    name, _, mode = head.partition("+")
    if sep and name in ADAPTERS and rest:
        from . import adapters

        report = ReadReport(source=spec)
        if name == "xstest":
            convs = adapters.xstest_to_conversations(rest, mode or "single", skip_invalid=skip_invalid, report=report)
        elif name == "toxicchat":
            convs = adapters.toxicchat_to_conversations(rest, mode or "single", skip_invalid=skip_invalid,
                                                        report=report)
        else:
            convs, report = read_conversations(rest, column_map=adapters.sharegpt_column_map(),
                                               skip_invalid=skip_invalid)
        label = f"{name}{'-' + mode if mode else ''}-{_stem(rest)}"
    elif Path(spec).is_dir() and any(Path(spec).glob("*.jsonl")) and not (Path(spec) / "state.json").exists():
        # a folder of JSONL files (the challenge set): every file, ids unique across them
        from .dataset import read_folder

        convs, report = read_folder(spec, skip_invalid=skip_invalid, options=opts)
        label = _stem(spec)
    else:
        convs, report = read_conversations(spec, skip_invalid=skip_invalid, options=opts)
        label = _stem(spec)
    if report.n_skipped:
        print(report.summary(limit=20), file=sys.stderr)
    if not convs:
        raise ValueError(f"{spec}: no conversations to evaluate")
    return convs, label


def _stem(spec: str) -> str:
    s = spec.rstrip("/")
    if s.startswith("hf://"):
        s = s[5:].replace("/", "_").replace(":", "_")
        return s
    p = Path(s)
    return p.stem if p.suffix else p.name


def _tracker(a: argparse.Namespace, run_name: str | None = None):
    from .tracking import Tracker

    return Tracker(FlagGroup(TrackingFlags).values(a).config(run_name))


def default_out(bundle: str | Path, job: str, data_name: str) -> Path:
    """``<bundle's parent>/<job>/<data name>`` (beside the bundle, not inside it)."""
    return Path(bundle).resolve().parent / job / data_name


def _print_run(tracker, run_id: str | None) -> None:
    if run_id:
        print(f"MLflow run {run_id} ({tracker.uri})")


# ------------------------------------------------------------------------------------------
# subcommands
# ------------------------------------------------------------------------------------------

def evaluate_cli(a: argparse.Namespace) -> int:
    from .quickstart import format_summary
    from .report import write_evaluation

    convs, name = load_eval_data(a.data, skip_invalid=a.skip_invalid, bundle=a.bundle[0])
    calib = calib_name = None
    if a.calibrate_on:
        calib, calib_name = load_eval_data(a.calibrate_on, skip_invalid=a.skip_invalid, bundle=a.bundle[0])
    out = Path(a.out) if a.out else default_out(a.bundle[0], "eval", name)
    tracker = _tracker(a)
    res = write_evaluation(a.bundle, convs, out, n_boot=a.n_boot, tracker=tracker, baselines=not a.no_baselines,
                           errors=a.errors, data_name=name, calibrate_on=calib, calibrate_name=calib_name or "",
                           progress=sys.stderr.isatty())
    if res["calibration"]:
        cal = res["calibration"]
        print("temperature: " + ", ".join(f"{h} T={v['temperature']:.3f} (ECE {v['ece_before']:.4f} -> "
                                          f"{v['ece_after']:.4f})" for h, v in cal.items() if h != "thresholds"))
    print(format_summary(res["reports"], {}).rsplit("\ntimings", 1)[0])
    if res["replay"]:
        from .formatting import format_table
        from .replay import REPLAY_HEADERS, replay_rows

        print("\nturn-by-turn replay:")
        print(format_table(REPLAY_HEADERS, replay_rows(res["replay"])))
    for s, rep in res["reports"].items():
        c = rep.get("crisis")
        if c and not c["promise_kept"]:
            print(f"WARNING: {s} would end {c['n_crisis_ended']} crisis conversation(s): "
                  f"{', '.join(c['crisis_ended_ids'][:20])}")
    print(f"\nreport: {res['report']}")
    _print_run(tracker, res["run_id"])
    return 0


def sweep_cli(a: argparse.Namespace) -> int:
    from .formatting import format_table
    from .sweeping import write_sweep

    convs, name = load_eval_data(a.data, skip_invalid=a.skip_invalid, bundle=a.bundle)
    cfg = SWEEP_THRESHOLDS.values(a)
    if a.category_min_examples < 0:
        raise ValueError(f"--category-min-examples must be >= 0 (0: no per-category thresholds), got {a.category_min_examples}")
    out = Path(a.out) if a.out else default_out(a.bundle, "sweep", name)
    tracker = _tracker(a)
    res = write_sweep(a.bundle, convs, out, cfg=cfg, min_refused_pushes=a.min_refused_pushes,
                      min_pushes=a.min_pushes, write=a.write, tracker=tracker, data_name=name,
                      progress=sys.stderr.isatty(), category_min_examples=a.category_min_examples)
    rows = []
    for s, r in res["results"].items():
        for head, ch in (("terminate", r.terminate), ("crisis", r.crisis)):
            rows.append([s, head, ch.strategy, f"{ch.threshold:.6g}", f"{ch.achieved['precision']:.3f}",
                         f"{ch.achieved['recall']:.3f}", f"{ch.achieved['fpr']:.3f}",
                         "yes" if ch.feasible else "NO"])
    print(format_table(["system", "head", "strategy", "threshold", "precision", "recall", "FPR", "feasible"], rows))
    from .evaluation import MAIN

    by_cat = res["results"][MAIN].by_category
    if by_cat:
        print(f"\nper-category termination thresholds (a category needs >= {a.category_min_examples} termination-worthy "
              f"and as many other validation rows read as it; otherwise the global threshold):")
        for k, v in by_cat.items():
            print(f"  {k}: {'%.6g' % v['threshold'] if v['threshold'] is not None else 'global'} -- {v['message']}")
    rp = res["replay"]["chosen"]
    t = rp.get("termination") or {}
    print(f"\nreplay at the chosen thresholds: {t.get('n_premature', 0)} premature, {t.get('n_late', 0)} late, "
          f"{t.get('n_missed', 0)} missed of {t.get('n', 0)} termination-worthy; "
          f"{rp['false_ends']['n_false_end']} false ends; {rp['crisis']['n_crisis_ended']} crisis conversations ended")
    print(f"\n{'written into ' + str(Path(a.bundle) / 'policy.yaml') if a.write else 'not written (use --write)'}")
    print(f"report: {res['report']}")
    _print_run(tracker, res["run_id"])
    return 0


def replay_cli(a: argparse.Namespace) -> int:
    from .formatting import format_table
    from .replay import REPLAY_HEADERS, replay_rows, write_replay

    convs, name = load_eval_data(a.data, skip_invalid=a.skip_invalid, bundle=a.bundle)
    out = Path(a.out) if a.out else default_out(a.bundle, "replay", name)
    tracker = _tracker(a)
    res = write_replay(a.bundle, convs, out, terminate_threshold=a.terminate_threshold,
                       crisis_threshold=a.crisis_threshold, tracker=tracker, data_name=name,
                       min_refused_pushes=a.min_refused_pushes, min_pushes=a.min_pushes,
                       progress=sys.stderr.isatty())
    print(format_table(REPLAY_HEADERS, replay_rows(res["summaries"])))
    for s, summ in res["summaries"].items():
        if summ["crisis"]["n_crisis_ended"]:
            print(f"WARNING: {s} ends crisis conversation(s): {', '.join(summ['crisis']['crisis_ended_ids'][:20])}")
    print(f"\nreport: {res['report']}")
    _print_run(tracker, res["run_id"])
    return 0


def compare_cli(a: argparse.Namespace) -> int:
    from .formatting import format_table
    from .tracking import compare_runs, resolve_uri, spread_table

    uri, _ = resolve_uri(TrackingConfig(mlruns_dir=a.mlruns_dir, experiment=a.experiment))
    metrics = [m.strip() for m in a.metrics.split(",") if m.strip()] if a.metrics else None
    df = compare_runs(uri, a.experiment, run_ids=a.runs or None, last=a.last, metrics=metrics)
    if df.empty:
        print(f"no evaluate/sweep/replay runs in experiment {a.experiment!r} at {uri}")
        return 0
    df = df.copy()
    df["run_id"] = df["run_id"].str[:8]
    if (df["run_name"] == df["job"]).all():
        df = df.drop(columns="run_name")
    for c in ("threshold_terminate", "threshold_crisis"):
        df[c] = [f"{v:.4g}" if isinstance(v, float) and v == v else "-" for v in df[c]]
    keep = [c for c in df.columns if c == "run_id" or df[c].notna().any()]
    df = df[keep]
    print(format_table(list(df.columns), _cells(df)))
    if a.spread:
        spread = spread_table(df)
        print(f"\nspread over the {len(df)} runs, per data set:")
        print(format_table(list(spread.columns), _cells(spread)))
    return 0


def _cells(df) -> list[list[Any]]:
    return [[("-" if v is None or (isinstance(v, float) and v != v) else v) for v in r] for r in df.itertuples(index=False)]


def checklist_cli(a: argparse.Namespace) -> int:
    from .checklist import format_checklist, write_checklist

    convs, name = load_eval_data(a.data, skip_invalid=a.skip_invalid, bundle=a.bundle)
    out = Path(a.out) if a.out else default_out(a.bundle, "checklist", name)
    rep = write_checklist(a.bundle, convs, out, tracker=None, seed=a.seed, data_name=name)
    print(format_checklist(rep))
    print(f"report: {rep['report']}")
    return 0


# ------------------------------------------------------------------------------------------
# the subcommands' parsers
# ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EvalJob:
    help: str
    flags: tuple[FlagGroup, ...]
    run: Callable[[argparse.Namespace], int]


_TRACKING = FlagGroup(TrackingFlags, title="tracking")
_RULES = FlagGroup(RuleFlags, title="policy rules")

#: subcommand -> what it does, its flags (in --help order), the function it runs
EVAL_JOBS: dict[str, EvalJob] = {
    "evaluate": EvalJob("precision/recall on termination-worthy vs benign-edgy, crisis, calibration, error analysis",
                        (FlagGroup(EvaluateFlags), FlagGroup(DataFlags), _TRACKING), evaluate_cli),
    "sweep": EvalJob("threshold sweep and selection; optionally write into policy.yaml",
                     (FlagGroup(SweepFlags), FlagGroup(DataFlags), SWEEP_THRESHOLDS, _RULES, _TRACKING), sweep_cli),
    "replay": EvalJob("turn-by-turn replay: when would the policy end each chat?",
                      (FlagGroup(ReplayFlags), FlagGroup(DataFlags), _RULES, _TRACKING), replay_cli),
    "checklist": EvalJob("behavioural tests (minimum functionality, invariance, directional) on labelled "
                         "conversations, e.g. the challenge set", (FlagGroup(ChecklistFlags), FlagGroup(DataFlags)),
                         checklist_cli),
    "compare": EvalJob("table across MLflow runs (evaluation runs, thresholds)",
                       (FlagGroup(CompareFlags), FlagGroup(StoreFlags)), compare_cli),
}


def add_eval_parsers(sub: argparse._SubParsersAction) -> None:
    """One subparser per :data:`EVAL_JOBS` entry, its flags generated from the job's dataclasses."""
    for name, job in EVAL_JOBS.items():
        p = sub.add_parser(name, help=job.help)
        for group in job.flags:
            group.add_to(p)
        p.set_defaults(func=job.run)
