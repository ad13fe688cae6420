"""benchmarks/bench_latency.py --quick on the tiny bundle: the goals table and the decision gate
(exit 3, naming the backend, the set and the conversations, when a timed backend's decisions
differ from PyTorch fp32's; 0 when they agree).  Timings here mean nothing."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
from pathlib import Path

import pytest

from conftest import exported_copy
from convguard.export import MIN_AGREEMENT

SCRIPT = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_latency.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench_latency", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def exported_bundle(tiny_bundle, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("bench")
    return exported_copy(tiny_bundle, root, parity_n=8)


def run(bench, bundle: Path, tmp_path: Path, *extra: str) -> tuple[int, dict]:
    out = tmp_path / "bench.json"
    rc = bench.main(["--quick", "--bundle", str(bundle), "--work", str(tmp_path / "work"), "--threads", "1",
                     "--reference", str(_encoder(bundle)),
                     "--out", str(out), *extra])
    return rc, json.loads(out.read_text())


def _encoder(bundle: Path) -> Path:
    """The stock reference for the tests: the tiny bundle's own random encoder (no 90 MB load)."""
    from conftest import build_tiny_encoder

    enc = bundle.parent / "ref-encoder"
    if not enc.exists():
        build_tiny_encoder(enc)
    return enc


def flip_decisions(guard) -> None:
    """Make ``guard`` change every decision (never to end_conversation, so sessions run on)."""
    decide = guard._decide

    def flipped(*args, **kwargs):
        return [dataclasses.replace(d, action="continue" if d.action == "crisis_support" else "crisis_support")
                for d in decide(*args, **kwargs)]

    guard._decide = flipped


def test_quick_run_reports_goals_and_agreement_and_passes_when_decisions_agree(bench, exported_bundle, tmp_path,
                                                                               monkeypatch, capsys):
    # the tiny random model's int8 may legitimately differ; make every ONNX system PyTorch's decisions
    load = bench.load_guards

    def agreeing(bundle, threads):
        g = load(bundle, threads)
        for k in bench.VARIANT_OF:  # PyTorch's scores under the system's own policy (sessions change it)
            g[k].score = g["torch_fp32"].score
        return g

    monkeypatch.setattr(bench, "load_guards", agreeing)
    rc, res = run(bench, exported_bundle, tmp_path)
    assert rc == 0
    assert res["decision_gate"]["passed"] is True and res["decision_gate"]["failures"] == []
    assert set(res["decision_gate"]["systems"]) == {"onnx_fp32", "onnx_int8"}  # serving default + int8 default
    assert res["decision_gate"]["min_agreement"]["onnx_int8"] == MIN_AGREEMENT["int8"]
    assert set(res["decision_agreement"]) == {"challenge", "generated_test"}
    for rep in res["decision_agreement"].values():
        assert rep["n"] > 0
        for k in ("onnx_fp32", "onnx_int8_pure", "onnx_int8"):
            assert rep[k]["agreement"] == 1.0 and rep[k]["disagreeing_ids"] == []
    goals = {g["goal"]: g for g in res["goals"]}
    assert {"check_p50_vs_stock", "check_p95_vs_own_p50", "throughput_vs_stock", "session_turn_vs_stock",
            "session_turn_flat", "int8_alone_agreement", "fallback_share", "decisions_kept"} <= set(goals)
    for g in goals.values():
        assert g["status"] in ("PASS", "MISS") and g["baseline"] and g["target"]
    assert goals["decisions_kept"]["status"] == "PASS"
    assert 0.0 <= res["int8_cascade_fallback"]["share_of_check_calls"] <= 1.0
    out = capsys.readouterr().out
    assert "Goals (issue 13)" in out and ("| **PASS** |" in out or "| **MISS** |" in out)
    assert "decisions = PyTorch fp32" in out


def test_quick_run_fails_loudly_when_the_int8_cascade_changes_decisions(bench, exported_bundle, tmp_path,
                                                                        monkeypatch, capsys):
    load = bench.load_guards

    def differing(bundle, threads):
        g = load(bundle, threads)
        g["onnx_fp32"].score = g["torch_fp32"].score  # only the int8 cascade differs
        flip_decisions(g["onnx_int8"])
        return g

    monkeypatch.setattr(bench, "load_guards", differing)
    rc, res = run(bench, exported_bundle, tmp_path)
    assert rc == 3
    err = capsys.readouterr().err
    assert "DECISIONS CHANGED" in err
    fails = res["decision_gate"]["failures"]
    assert res["decision_gate"]["passed"] is False and len(fails) == 2  # both sets
    assert all(f.startswith("onnx_int8 ") for f in fails)
    chal = res["decision_agreement"]["challenge"]["onnx_int8"]
    assert chal["agreement"] == 0.0 and chal["disagreeing_ids"][0].startswith("ch-")
    assert "on challenge" in err and "on generated_test" in err and chal["disagreeing_ids"][0] in err
    assert "gen-0" in err
    assert {g["goal"]: g for g in res["goals"]}["decisions_kept"]["status"] == "MISS"


def test_gate_failures_name_backend_set_and_ids(bench):
    agr = {"challenge": {"n": 200, "onnx_int8": {"agreement": 0.99, "n_disagree": 2, "disagreeing_ids": ["a", "b"]},
                         "onnx_fp32": {"agreement": 1.0, "n_disagree": 0, "disagreeing_ids": []}}}
    lines = bench.gate_failures(agr, ["onnx_fp32", "onnx_int8"])
    assert len(lines) == 1 and "onnx_int8" in lines[0] and "challenge" in lines[0] and "a, b" in lines[0]
    agr["challenge"]["onnx_int8"]["agreement"] = MIN_AGREEMENT["int8"]  # at the gate: passes
    assert bench.gate_failures(agr, ["onnx_int8"]) == []
