"""ONNX export: files, dynamic axes, the parity check (at export time and here), Guard on
ONNX Runtime, the loud failure of the parity gate, stale exports, and the CLI."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from conftest import make_records
from convguard import Guard
from convguard.bundle import BundleError, verify_bundle, write_manifest
from convguard.export import (ExportError, compare_scores, export_onnx, parity_conversations)
from convguard.policy import Policy, Rules, Thresholds


def copy_bundle(tiny_bundle: Path, dst_root: Path, with_eval_data: bool = True) -> Path:
    dst_root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(tiny_bundle, dst_root / "bundle")
    if with_eval_data:  # the layout build_tiny_bundle (and quickstart) leave: data beside the bundle
        shutil.copy(tiny_bundle.parent / "test.jsonl", dst_root / "test.jsonl")
    return dst_root / "bundle"


@pytest.fixture(scope="module")
def exported(tiny_bundle, tmp_path_factory) -> Path:
    """A copy of the tiny bundle exported with the CLI (default parity data: the test split beside it)."""
    from convguard.cli import main

    b = copy_bundle(tiny_bundle, tmp_path_factory.mktemp("exported"))
    assert main(["export", "--bundle", str(b), "--format", "onnx"]) == 0
    return b


def some_convs(n_per_kind: int = 4, seed: int = 11) -> list[list[dict]]:
    return [r["messages"] for r in make_records(n_per_kind, seed)]


def fp32_scores(exported, cs) -> dict:
    """The bundle's fp32 ONNX scores of ``cs``, to place a test policy's thresholds in them."""
    fp32 = Guard.load(exported, backend="onnx", onnx_variant="fp32", parallel=False)
    return fp32.score([fp32._validate(c) for c in cs])


def fp32_and_cascade(exported, pol, cs):
    """``(fp32 decisions, int8-cascade decisions, the cascade guard)`` of ``cs`` under ``pol``
    (cascade margin 1.0)."""
    fp32 = Guard.load(exported, backend="onnx", onnx_variant="fp32", parallel=False, policy=pol)
    casc = Guard.load(exported, backend="onnx", onnx_variant="int8", policy=pol, fallback_margin=1.0)
    return fp32.check_many(cs), casc.check_many(cs), casc


def test_export_writes_both_detectors_in_both_variants_and_rehashes(exported):
    onnx_dir = exported / "onnx"
    for name in ("harm", "crisis"):
        for v in ("fp32", "int8"):
            assert (onnx_dir / f"{name}.{v}.onnx").stat().st_size > 10_000
    assert not list(onnx_dir.glob("*.data"))  # self-contained files
    m = verify_bundle(exported)  # the manifest covers the new files
    assert {"onnx/harm.fp32.onnx", "onnx/crisis.int8.onnx", "onnx/parity.json", "onnx/export.json"} <= set(m["files"])
    assert m["onnx"]["parity"]["fp32"]["passed"] is True
    assert not (exported.parent / ".bundle.onnx-export").exists()
    info = json.loads((onnx_dir / "export.json").read_text())
    assert info["detectors"]["harm"]["inputs"][:2] == ["input_ids", "attention_mask"]
    assert info["detectors"]["harm"]["id2label"]["0"] == "terminate"


def test_onnx_graphs_have_dynamic_batch_and_sequence_axes_and_metadata(exported):
    import onnxruntime as ort

    from convguard.bundle import sha256_file

    for name, width in (("harm", 21), ("crisis", 5)):  # crisis/: the turn detector (crisis, push, refusal,
        # crisis response, harmful)
        for v in ("fp32", "int8"):
            s = ort.InferenceSession(str(exported / "onnx" / f"{name}.{v}.onnx"), providers=["CPUExecutionProvider"])
            ins = {i.name: i for i in s.get_inputs()}
            assert {"input_ids", "attention_mask"} <= set(ins)
            for i in ins.values():
                assert i.type == "tensor(int64)"
                assert all(isinstance(d, str) for d in i.shape)  # symbolic: batch, sequence
            out = s.get_outputs()[0]
            assert out.name == "logits" and out.shape[-1] == width and isinstance(out.shape[0], str)
            meta = s.get_modelmeta().custom_metadata_map
            assert meta["convguard.detector"] == name and meta["convguard.variant"] == v
            assert meta["convguard.source_sha256"] == sha256_file(exported / name / "model.safetensors")
            for b, n in ((1, 3), (4, 50), (2, 200)):
                feed = {k: np.ones((b, n), dtype=np.int64) for k in ins}
                if "token_type_ids" in feed:
                    feed["token_type_ids"][:] = 0
                assert s.run(None, feed)[0].shape == (b, width)


def test_parity_report_at_export_time(exported):
    rep = json.loads((exported / "onnx" / "parity.json").read_text())
    assert rep["passed"] is True
    assert rep["data"]["source"].endswith("test.jsonl")
    assert rep["n_rows"] >= rep["data"]["n_conversations"] > 0
    fp32, int8, casc = rep["variants"]["fp32"], rep["variants"]["int8"], rep["variants"]["int8_cascade"]
    assert fp32["max_abs_diff"] < 1e-4 and fp32["decision_agreement"] == 1.0
    assert int8["decision_agreement"] >= 0.995 and int8["max_abs_diff"] < 0.05
    assert set(fp32["max_abs_diff_per_score"]) == {"terminate", "crisis", "harm_category", "persistence",
                                                   "refused_push_top", "last_refused_push", "refused_ask_top",
                                                   "last_refused_ask", "crisis_response_max", "harmful_max"}
    # the cascade margin comes from the measured int8 logit error
    assert int8["fallback_margin"] >= 1.5 * max(int8["max_abs_logit_diff"].values()) - 1e-6
    assert casc["decision_agreement"] >= int8["decision_agreement"] and 0.0 <= casc["fallback_fraction"] <= 1.0


def test_int8_cascade_rescores_near_threshold_conversations_in_fp32(exported):
    cs = some_convs()
    fp32 = Guard.load(exported, backend="onnx", onnx_variant="fp32", parallel=False)
    pure = Guard.load(exported, backend="onnx", onnx_variant="int8", fallback_margin=None)
    assert pure.fallback_margin is None and pure.harm.fallback is None
    auto = Guard.load(exported, backend="onnx", onnx_variant="int8")
    rep = json.loads((exported / "onnx" / "parity.json").read_text())
    assert auto.fallback_margin == rep["variants"]["int8"]["fallback_margin"]
    # a huge margin: every conversation is re-scored in fp32, so scores equal fp32's
    everything = Guard.load(exported, backend="onnx", onnx_variant="int8", fallback_margin=1e6)
    want = fp32.check_many(cs)
    got = everything.check_many(cs)
    assert [(d.action, d.scores) for d in got] == [(d.action, d.scores) for d in want]
    assert everything.stats["fallback"] == 2 * len(cs)
    # margin 0: nothing is re-scored, scores equal pure int8's
    zero = Guard.load(exported, backend="onnx", onnx_variant="int8", fallback_margin=0.0)
    assert [d.scores for d in zero.check_many(cs)] == [d.scores for d in pure.check_many(cs)]
    with pytest.raises(ValueError, match="fallback_margin"):
        Guard.load(exported, backend="onnx", onnx_variant="int8", fallback_margin=-1)


def test_int8_cascade_with_the_mean_harm_score_rescores_both_detectors_near_its_threshold(exported):
    """rules.harm_score 'mean' mixes both detectors: near its threshold the cascade re-scores both in
    fp32, so the compared score is fp32's there and the decisions are fp32's everywhere."""
    cs = some_convs()
    s = fp32_scores(exported, cs)
    # only the mean near its threshold sends a row to fp32: the evidence and crisis thresholds sit
    # at the ends of the scale, far from every score
    rules = Rules(harm_score="mean", min_refused_pushes=0, end_on_push=False, crisis_response_hold=False)
    mean = (np.asarray(s["harmful_max"]) + np.asarray(s["terminate"])) / 2
    pol = Policy(thresholds=Thresholds(terminate=float(np.median(mean)), crisis=1.0, evidence=0.001), rules=rules)
    want, got, casc = fp32_and_cascade(exported, pol, cs)
    assert [d.scores["harm_score"] for d in want] == pytest.approx(mean.tolist(), abs=1e-6)
    assert [d.action for d in got] == [d.action for d in want]
    near = [k for k, d in enumerate(want) if abs(d.scores["harm_score"] - pol.thresholds.terminate) < 0.05]
    assert near and casc.stats["fallback"] >= 2 * len(near)  # both detectors, once each per near row
    for k in near:  # both detectors re-scored: the mean is fp32's
        assert got[k].scores["harm_score"] == pytest.approx(want[k].scores["harm_score"], abs=1e-6)


def test_int8_cascade_with_a_mixed_crisis_score_rescores_both_detectors_near_its_threshold(exported):
    """rules.crisis_self_harm_weight mixes the harm head's self-harm probability into the crisis
    score: near the crisis threshold the cascade re-scores both detectors in fp32, so the compared
    crisis score is fp32's there (fails when the harm detector is left in int8)."""
    from convguard.policy import crisis_scores

    cs = some_convs()
    rules = Rules(crisis_self_harm_weight=0.3, min_refused_pushes=1, end_on_push=False, crisis_response_hold=False)
    s = fp32_scores(exported, cs)
    mixed = crisis_scores(s, rules)
    # only the crisis score near its threshold sends a row to fp32: termination and evidence sit far away
    pol = Policy(thresholds=Thresholds(terminate=1.0, crisis=float(np.median(mixed)), evidence=0.001), rules=rules)
    want, got, casc = fp32_and_cascade(exported, pol, cs)
    assert [d.scores["crisis_score"] for d in want] == pytest.approx(mixed.tolist(), abs=1e-6)
    assert [d.action for d in got] == [d.action for d in want]
    near = [k for k, d in enumerate(want) if abs(d.scores["crisis_score"] - pol.thresholds.crisis) < 0.02]
    assert near and casc.stats["fallback"] >= 2 * len(near)
    for k in near:  # both detectors re-scored: the mix is fp32's
        assert got[k].scores["crisis_score"] == pytest.approx(want[k].scores["crisis_score"], abs=1e-6)


def test_int8_cascade_rescores_the_harm_detector_near_the_self_harm_veto(exported):
    """The self-harm veto compares the harm head's self-harm probability with rules.self_harm_veto:
    a would-be end near it is re-scored in fp32, so the veto decides as fp32's would (fails when the
    cascade ignores the veto)."""
    from convguard.policy import self_harm_probs

    cs = some_convs()
    sh = self_harm_probs(fp32_scores(exported, cs))
    # every chat a would-be end (threshold 0, evidence 0.001, one refused push); crisis far away
    rules = Rules(harm_score="terminate", min_refused_pushes=1, end_on_push=False, crisis_response_hold=False,
                  self_harm_veto=float(np.median(sh)))
    pol = Policy(thresholds=Thresholds(terminate=0.0, crisis=1.0 - 1e-9, evidence=0.001), rules=rules)
    want, got, casc = fp32_and_cascade(exported, pol, cs)
    assert {d.action for d in want} == {"end_conversation", "crisis_support"}  # the veto splits them
    assert [d.action for d in got] == [d.action for d in want]
    near = [k for k, p in enumerate(sh) if abs(p - rules.self_harm_veto) < 0.01]
    assert near and casc.stats["fallback"] >= len(near)


@pytest.mark.parametrize("variant,atol", [("fp32", 1e-4), ("int8", 2e-2)])
def test_guard_on_onnx_runtime_matches_pytorch(exported, variant, atol):
    """The parity check, here: scores and decisions on another evaluation set, at several batch
    sizes (dynamic batch) and conversation lengths (dynamic sequence)."""
    cs = some_convs()
    tg = Guard.load(exported)
    # thresholds in the middle of this data, so agreement is tested where it is hard
    s = tg.score([tg._validate(c) for c in cs])
    harm = tg.policy.apply(s).harm_score  # the score the policy compares with thresholds.terminate
    pol = Policy(thresholds=Thresholds(terminate=float(np.median(harm)),
                                       crisis=float(np.median(s["crisis"]))), rules=Rules(min_refused_pushes=0))
    tg = Guard(tg.harm, tg.crisis, pol, exported)
    og = Guard.load(exported, backend="onnx", onnx_variant=variant, policy=pol, parallel=variant == "int8")
    assert og.backend == "onnx" and og.parallel == (variant == "int8")
    want = tg.check_many(cs)
    for bs in (1, 7, 64):
        got = og.check_many(cs, batch_size=bs)
        for w, g in zip(want, got):
            for k in ("terminate", "crisis", "harm_category_prob", "persistence"):
                assert g.scores[k] == pytest.approx(w.scores[k], abs=atol)
            # decisions agree wherever the score is further from the threshold than the tolerance
            # (the untrained tiny model's scores bunch up around the median: only ties may flip)
            margin = min(abs(w.scores["harm_score"] - pol.thresholds.terminate),
                         abs(w.scores["crisis"] - pol.thresholds.crisis))
            if margin > atol:
                assert g.action == w.action
        if variant == "fp32":
            assert [g.action for g in got] == [w.action for w in want]
    og.close()


def test_session_on_onnx_equals_full_rescoring(exported):
    # a policy that never ends (the untrained tiny model's harm score is high), so every turn is compared
    og = Guard.load(exported, backend="onnx", onnx_variant="int8",
                    policy=Policy(thresholds=Thresholds(terminate=1.0, crisis=0.5)))
    chat = []
    s = og.session()
    for r in make_records(1, 2):
        for m in r["messages"]:
            chat.append(m)
            d = s.observe(m)
            if m["role"] == "user":
                assert d.scores == og.check(chat).scores and d.action == og.check(chat).action
            else:
                assert d is None


def test_a_failed_parity_gate_is_loud(tiny_bundle, tmp_path, capsys, caplog):
    import logging

    b = copy_bundle(tiny_bundle, tmp_path / "gate")
    with caplog.at_level(logging.INFO, logger="convguard.export"):
        rep = export_onnx(b, parity_n=8, min_agreement={"int8": 1.01})  # impossible: must fail
    # minutes of work on a real bundle: every stage says what it does and how long it took
    said = " ".join(r.getMessage() for r in caplog.records)
    for stage in ("exporting harm to ONNX", "quantising crisis to int8", "scoring", "with PyTorch fp32",
                  "ONNX int8 done in", "int8 + fp32 fallback"):
        assert stage in said, stage
    assert rep["passed"] is False and rep["variants"]["int8"]["passed"] is False
    assert rep["variants"]["fp32"]["passed"] is True
    err = capsys.readouterr().err
    assert "PARITY CHECK FAILED" in err and "int8" in err and "!!!!" in err
    verify_bundle(b)  # the files are still written (and hashed), with the failure on record
    caplog.clear()
    with caplog.at_level("WARNING", logger="convguard.guard"):
        Guard.load(b, backend="onnx", onnx_variant="int8", fallback_margin=None).close()
        Guard.load(b, backend="onnx", onnx_variant="int8").close()
    msgs = [r.getMessage() for r in caplog.records]
    assert any("int8 export of this bundle FAILED its parity check" in m for m in msgs)  # pure int8
    assert any("int8 cascade FAILED its parity check" in m for m in msgs)  # the cascade, same impossible gate


def test_stale_onnx_export_is_refused(exported, tmp_path):
    import torch
    from safetensors.torch import load_file, save_file

    b = tmp_path / "stale"
    shutil.copytree(exported, b)
    p = b / "harm" / "model.safetensors"
    w = load_file(str(p))
    k = next(iter(w))
    w[k] = w[k] + torch.ones_like(w[k]) * 1e-3  # "retrained"
    save_file(w, str(p), metadata={"format": "pt"})
    write_manifest(b)
    Guard.load(b)  # PyTorch is fine
    with pytest.raises(BundleError, match="stale export"):
        Guard.load(b, backend="onnx")


def test_onnx_backend_without_export_says_how_to_make_one(tiny_bundle):
    with pytest.raises(BundleError, match="convguard export .*--format onnx"):
        Guard.load(tiny_bundle, backend="onnx")


def test_export_refuses_a_tampered_bundle(tiny_bundle, tmp_path):
    from convguard.cli import main

    b = copy_bundle(tiny_bundle, tmp_path / "t")
    (b / "policy.yaml").write_text((b / "policy.yaml").read_text() + "\n# edited\n")
    with pytest.raises(BundleError):
        export_onnx(b)
    assert main(["export", "--bundle", str(b), "--format", "onnx"]) == 2
    assert not (b / "onnx").exists()


def test_parity_data_sources(tiny_bundle, tmp_path):
    from convguard.io import write_jsonl

    b = copy_bundle(tiny_bundle, tmp_path / "p", with_eval_data=False)
    convs, src = parity_conversations(b, n=12)  # nothing beside the bundle: generated
    assert src.startswith("generated") and len(convs) == 12
    f = tmp_path / "mine.jsonl"
    write_jsonl(make_records(2, 4), f)
    convs, src = parity_conversations(b, f, n=100)
    assert src == str(f) and len(convs) == 10
    (tmp_path / "p" / "data").mkdir()
    shutil.copy(tiny_bundle.parent / "test.jsonl", tmp_path / "p" / "data" / "test.jsonl")
    convs, src = parity_conversations(b, n=100)
    assert src.endswith("data/test.jsonl")
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(ExportError, match="no valid conversations"):
        parity_conversations(b, empty)


def test_compare_scores_counts_disagreements():
    ref = {"terminate": np.array([0.1, 0.9]), "crisis": np.array([0.0, 0.0]),
           "harm_category": np.array([[0.9, 0.1], [0.2, 0.8]]), "persistence": np.zeros((2, 4))}
    got = {**ref, "terminate": np.array([0.1, 0.4])}
    r = compare_scores(ref, ["continue", "end_conversation"], got, ["continue", "continue"], ids=["a", "b"])
    assert r["decision_agreement"] == 0.5 and r["n_disagree"] == 1
    assert r["max_abs_diff"] == pytest.approx(0.5)
    assert r["disagreements"][0]["id"] == "b"
