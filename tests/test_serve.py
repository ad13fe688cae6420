"""The MLflow pyfunc model: in-process, registered in the model registry, and served by the real
``mlflow models serve`` on loopback -- decisions over HTTP, malformed requests answered with a
clear 4xx while the server stays up."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pandas as pd
import pytest

from conftest import make_records
from convguard import Guard
from convguard.export import export_mlflow, export_onnx

SERVER_START_TIMEOUT = 180  # seconds; the server imports torch + transformers and verifies the bundle


@pytest.fixture(scope="module")
def served_bundle(tiny_bundle, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    b = root / "bundle"
    shutil.copytree(tiny_bundle, b)
    shutil.copy(tiny_bundle.parent / "test.jsonl", root / "test.jsonl")
    export_onnx(b, parity_n=10)  # the model is served through ONNX Runtime
    return b


@pytest.fixture(scope="module")
def model_dir(served_bundle, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("model") / "guard"
    res = export_mlflow(served_bundle, out=out, tracking=False)
    assert res["saved_to"] == str(out) and res["model_config"]["backend"] == "onnx"
    return out


def conversations() -> list[list[dict]]:
    return [r["messages"] for r in make_records(2, 21)]


def test_saved_model_has_signature_example_and_no_pickles(model_dir):
    import mlflow

    info = mlflow.models.get_model_info(str(model_dir))
    assert [c["name"] for c in info.signature.inputs.to_dict()] == ["messages", "locale"]
    assert [c["name"] for c in info.signature.outputs.to_dict()][:3] == ["action", "terminate", "crisis"]
    assert (model_dir / "input_example.json").exists() and (model_dir / "serving_input_example.json").exists()
    assert (model_dir / "pyfunc.py").exists()  # models from code
    assert not list(model_dir.rglob("*.pkl")) and not list(model_dir.rglob("python_model.*"))
    assert (model_dir / "artifacts" / "bundle" / "manifest.json").exists()


def test_pyfunc_in_process_matches_guard(model_dir, served_bundle):
    import mlflow

    m = mlflow.pyfunc.load_model(str(model_dir))
    cs = conversations()
    df = m.predict(pd.DataFrame({"messages": cs}))
    assert list(df.columns) == ["action", "terminate", "crisis", "harm_category", "harm_category_prob",
                                "persistence", "reason", "message", "evidence"]
    want = Guard.load(served_bundle, backend="onnx").check_many(cs)
    assert list(df["action"]) == [d.action for d in want]
    assert list(df["terminate"]) == pytest.approx([d.scores["terminate"] for d in want], abs=1e-6)


def test_pyfunc_locale_per_row_and_from_params(tiny_bundle):
    from convguard.policy import DEFAULT_CRISIS_MESSAGES, Policy, Rules, Thresholds
    from convguard.pyfunc import predict_records

    g = Guard.load(tiny_bundle, policy=Policy(thresholds=Thresholds(terminate=0.0, crisis=0.0),
                                              rules=Rules(min_refused_pushes=0)))
    conv = [{"role": "user", "content": "i want to end my life"}]
    df = pd.DataFrame({"messages": [conv, conv, conv], "locale": ["de", None, float("nan")]})
    out = predict_records(g, df, {"locale": "fr"})
    assert [r["action"] for r in out] == ["crisis_support"] * 3
    assert [r["message"] for r in out] == [DEFAULT_CRISIS_MESSAGES[k] for k in ("de", "fr", "fr")]
    assert predict_records(g, [{"messages": json.dumps(conv)}])[0]["message"] == DEFAULT_CRISIS_MESSAGES["en"]
    from mlflow.exceptions import MlflowException

    with pytest.raises(MlflowException, match=r"conversation\[2\]: field 'messages\[0\]\.role'"):
        predict_records(g, pd.DataFrame({"messages": [conv, conv, [{"role": "x", "content": "y"}]],
                                         "locale": ["de", "en", "de"]}))
    with pytest.raises(MlflowException, match="locale"):
        predict_records(g, pd.DataFrame({"messages": [conv], "locale": [3]}))


def test_registered_model_loads_from_the_registry(served_bundle, tmp_path, monkeypatch):
    import mlflow

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    res = export_mlflow(served_bundle, register_as="convguard-guard-test", mlruns_dir=tmp_path / "mlruns",
                        experiment="convguard-test")
    assert res["registered"]["version"] == 1 and res["registered"]["uri"] == "models:/convguard-guard-test/1"
    assert res["tracking_uri"].startswith("sqlite:///")
    mlflow.set_tracking_uri(res["tracking_uri"])
    m = mlflow.pyfunc.load_model(res["registered"]["uri"])
    out = m.predict(pd.DataFrame({"messages": conversations()[:2]}))
    assert len(out) == 2 and set(out["action"]) <= {"continue", "end_conversation", "crisis_support"}
    assert export_mlflow(served_bundle, register_as="convguard-guard-test", mlruns_dir=tmp_path / "mlruns",
                         experiment="convguard-test")["registered"]["version"] == 2


# ------------------------------------------------------------------------------------------
# the real server
# ------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url: str, body: bytes | None = None, content_type: str = "application/json", timeout: float = 60):
    req = urllib.request.Request(url, data=body, headers={"Content-Type": content_type} if body is not None else {})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


@pytest.fixture(scope="module")
def server(model_dir, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve_log") / "server.log"
    env = {**os.environ, "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false", "TOKENIZERS_PARALLELISM": "false"}
    cmd = [sys.executable, "-m", "mlflow", "models", "serve", "-m", str(model_dir), "--env-manager", "local",
           "-h", "127.0.0.1", "-p", str(port), "-w", "1"]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"mlflow models serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if request(f"{base}/ping", timeout=2)[0] == 200:
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.time() > deadline:
                pytest.fail(f"server not ready after {SERVER_START_TIMEOUT}s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server and its uvicorn worker (our own process group)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def post(base: str, payload) -> tuple[int, dict]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    status, text = request(f"{base}/invocations", body)
    try:
        return status, json.loads(text)
    except json.JSONDecodeError:
        return status, {"raw": text}


def test_server_answers_decisions_over_http(server, served_bundle):
    cs = conversations()
    status, out = post(server, {"dataframe_records": [{"messages": c} for c in cs]})
    assert status == 200, out
    preds = out["predictions"]
    want = Guard.load(served_bundle, backend="onnx").check_many(cs)
    assert [p["action"] for p in preds] == [d.action for d in want]
    for p, d in zip(preds, want):
        assert p["terminate"] == pytest.approx(d.scores["terminate"], abs=1e-6)
        assert p["crisis"] == pytest.approx(d.scores["crisis"], abs=1e-6)
        assert p["harm_category"] == d.scores["harm_category"]
        assert p["reason"] == d.reason and p["message"] == d.message
        # the evidence travels with every served decision (JSON text: the output schema is flat)
        assert json.loads(p["evidence"]) == json.loads(json.dumps(d.evidence))
        assert {"refusal_turns", "push_turns", "refused_pushes", "crisis_turn", "crisis_turn_score",
                "trigger"} <= set(json.loads(p["evidence"]))
    # the split orientation, and the input example MLflow saved with the model, work too
    status, out = post(server, {"dataframe_split": {"columns": ["messages"], "data": [[cs[0]]]}})
    assert status == 200 and out["predictions"][0]["action"] == want[0].action


def test_server_takes_locale_per_row_and_in_params(server):
    conv = [{"role": "user", "content": "hello there"}]
    status, out = post(server, {"dataframe_records": [{"messages": conv, "locale": "de"}, {"messages": conv}],
                                "params": {"locale": "fr"}})
    assert status == 200, out
    assert len(out["predictions"]) == 2


MALFORMED = [
    ({"dataframe_records": [{"msgs": [{"role": "user", "content": "hi"}]}]}, "messages"),
    ({"dataframe_records": [{"messages": [{"role": "bot", "content": "hi"}]}]}, "unknown role 'bot'"),
    ({"dataframe_records": [{"messages": [{"role": "user"}]}]}, "content"),
    ({"dataframe_records": [{"messages": [{"role": "user", "content": 7}]}]}, "content"),
    ({"dataframe_records": [{"messages": []}]}, "empty conversation"),
    ({"dataframe_records": [{"messages": "hello"}]}, "messages"),
    ({"dataframe_records": [{"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]}]},
     "last message must be a user turn"),
    ({"dataframe_records": [{"messages": [{"role": "user", "content": "ok"}]},
                           {"messages": [{"role": "robot", "content": "x"}]}]}, "conversation[1]"),
    ({"something": 1}, "dataframe_records"),
    (b"this is not json", "JSON"),
    (b'{"dataframe_records": [', "JSON"),
]


@pytest.mark.parametrize("payload,needle", MALFORMED, ids=[f"malformed{i}" for i in range(len(MALFORMED))])
def test_server_rejects_malformed_requests_and_stays_up(server, payload, needle):
    status, out = post(server, payload)
    assert 400 <= status < 500, (status, out)
    assert needle in out.get("message", out.get("raw", "")), out
    assert request(f"{server}/ping")[0] == 200
    ok, res = post(server, {"dataframe_records": [{"messages": [{"role": "user", "content": "still there?"}]}]})
    assert ok == 200 and res["predictions"][0]["action"] in {"continue", "end_conversation", "crisis_support"}


def test_server_rejects_wrong_content_type(server):
    status, _ = request(f"{server}/invocations", b"messages,x\n", content_type="text/plain")
    assert status == 415
    assert request(f"{server}/ping")[0] == 200
