"""Shared by test_eval_cli.py and test_notebook.py: one MLflow store (SQLite, in the session's tmp
folder) holding real ``convguard evaluate``, ``sweep`` and ``replay`` runs on a copy of the tiny
bundle, made once per test session through the command line."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import re
import shutil
from pathlib import Path
from typing import Any


def _cli(argv: list[str]) -> str:
    from convguard.cli import main

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        rc = main(argv)
    out = buf.getvalue()
    assert rc == 0, out
    return out


def _run_id(out: str) -> str:
    m = re.search(r"MLflow run ([0-9a-f]{32})", out)
    assert m, out
    return m.group(1)


@functools.lru_cache(maxsize=None)
def tracked_runs(bundle: str, basetemp: str) -> dict[str, Any]:
    """``bundle``: the tiny bundle (read-only); ``basetemp``: the session's tmp folder."""
    import os

    # the runs go to the tmp store, never a user's; mlflow.set_tracking_uri exports the URI in the
    # environment, so put it back as it was for the tests that follow
    saved = os.environ.pop("MLFLOW_TRACKING_URI", None)
    try:
        return _tracked_runs(bundle, basetemp)
    finally:
        os.environ.pop("MLFLOW_TRACKING_URI", None)
        if saved is not None:
            os.environ["MLFLOW_TRACKING_URI"] = saved


def _tracked_runs(bundle: str, basetemp: str) -> dict[str, Any]:
    from convguard.bundle import write_manifest
    from convguard.config import TrackingConfig
    from convguard.tracking import Tracker

    src = Path(bundle)
    data = src.parent
    root = Path(basetemp) / "eval_runs"
    if root.exists():
        shutil.rmtree(root)
    mlruns = root / "mlruns"
    b = shutil.copytree(src, root / "exp_a" / "bundle")
    # a "training" run in the same store, recorded in the bundle's manifest like the quickstart does
    tracker = Tracker(TrackingConfig(mlruns_dir=str(mlruns), experiment="convguard"))
    with tracker.run("quickstart", tags={"convguard.job": "quickstart"}):
        qs_run = tracker.run_id
    write_manifest(b, extra={"quickstart_run": qs_run, "training_runs": {"harm": qs_run}})
    sha_before = hashlib.sha256((b / "manifest.json").read_bytes()).hexdigest()
    common = ["--mlruns-dir", str(mlruns), "--experiment", "convguard"]
    evaluate = _cli(["evaluate", "--bundle", str(b), "--bundle", str(src), "--data", str(data / "test.jsonl"),
                     "--n-boot", "20", "--errors", "5", "--out", str(root / "eval")] + common)
    sweep = _cli(["sweep", "--bundle", str(b), "--data", str(data / "validation.jsonl"), "--strategy", "max_f1",
                  "--min-refused-pushes", "1", "--write", "--out", str(root / "sweep")] + common)
    replay = _cli(["replay", "--bundle", str(b), "--data", str(data / "test.jsonl"), "--out", str(root / "replay")]
                  + common)
    return {"root": root, "bundle": b, "original": src, "data": data, "mlruns": mlruns,
            "uri": f"sqlite:///{mlruns.resolve() / 'mlflow.db'}", "quickstart_run": qs_run,
            "sha_before_sweep": sha_before,
            "stdout": {"evaluate": evaluate, "sweep": sweep, "replay": replay},
            "runs": {"evaluate": _run_id(evaluate), "sweep": _run_id(sweep), "replay": _run_id(replay)},
            "report": json.loads((root / "eval" / "report.json").read_text())}
