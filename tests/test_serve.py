"""The MLflow pyfunc model: in-process, registered in the model registry, and served over HTTP by
``convguard serve`` on loopback (started as a fresh install would start it, with nothing on PATH)
-- decisions over HTTP, request batching, and a generated corpus of malformed requests, each
answered with a short 4xx naming the row and field, never an echo, a trace or a 5xx, while the
server stays up."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import pandas as pd
import pytest

from conftest import exported_copy, make_records
from convguard import Guard
from convguard.export import export_mlflow

SERVER_START_TIMEOUT = 180  # seconds; the server imports torch + transformers and verifies the bundle
MAX_ROWS = 40  # the served test model's --max-rows
MAX_REQUEST_MB = 1  # and its --max-request-mb

# every test here has a timeout; the ones that start a server are also marked slow (make test-fast
# deselects them, make test / CI runs them)
pytestmark = pytest.mark.timeout(600)


@pytest.fixture(scope="module")
def served_bundle(tiny_bundle, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    return exported_copy(tiny_bundle, root, parity_n=10)  # the model is served through ONNX Runtime


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
# request batching (in-process)
# ------------------------------------------------------------------------------------------

def test_batcher_merges_concurrent_requests_and_isolates_a_failing_one(tiny_bundle):
    import asyncio

    from convguard.serve import Batcher

    g = Guard.load(tiny_bundle)
    calls: list[int] = []

    class Recording:  # the guard, recording each batched call; a conversation saying "boom" fails its batch
        def _decide(self, convs, locale, batch_size=32):
            calls.append(len(convs))
            if any(m.content == "boom" for c in convs for m in c):
                raise RuntimeError("boom")
            return g._decide(convs, locale, batch_size)

    cs = conversations()
    batcher = Batcher(Recording(), max_batch=64, wait_s=0.05)

    async def clients():
        jobs = [batcher.submit([g._validate(c)], [None]) for c in cs]
        jobs.insert(3, batcher.submit([g._validate([{"role": "user", "content": "boom"}])], [None]))
        return await asyncio.gather(*jobs, return_exceptions=True)

    res = asyncio.run(clients())
    failed = res.pop(3)
    assert isinstance(failed, RuntimeError)  # only the bad request fails ...
    want = g.check_many(cs)
    assert [r[0].action for r in res] == [d.action for d in want]  # ... the others get their decisions
    assert [r[0].scores["terminate"] for r in res] == pytest.approx([d.scores["terminate"] for d in want], abs=1e-5)
    # one merged call for all of them (it failed on "boom"), then one call per request to isolate it
    assert calls[0] == len(cs) + 1 and calls[1:] == [1] * (len(cs) + 1)

    calls.clear()
    batcher = Batcher(Recording(), max_batch=4, wait_s=0.05)

    async def more():
        return await asyncio.gather(*[batcher.submit([g._validate(c)], [None]) for c in cs])

    res = asyncio.run(more())
    assert calls and max(calls) <= 4 and sum(calls) == len(cs)  # max_batch bounds each call
    assert [r[0].action for r in res] == [d.action for d in want]


def test_error_messages_never_echo_long_values():
    from convguard.serve import MAX_MESSAGE_CHARS, short

    assert short("unknown role 'bot'") == "unknown role 'bot'"
    out = short("conversation[0]: field 'messages[0].role': unknown role '" + "x" * 5000 + "'")
    assert "xxxxxxxxxx" not in out and "<5000 characters>" in out
    assert len(short("y" * 10_000)) == MAX_MESSAGE_CHARS


# ------------------------------------------------------------------------------------------
# the real server: convguard serve, started with nothing on PATH
# ------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(url: str, body: bytes | None = None, content_type: str | None = "application/json",
            timeout: float = 60, method: str | None = None) -> tuple[int, str]:
    """(status, text); ``content_type=None`` sends no Content-Type header at all."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=timeout)
    try:
        headers = {"Content-Type": content_type} if content_type and body is not None else {}
        conn.request(method or ("POST" if body is not None else "GET"), u.path, body=body, headers=headers)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def serve_command() -> list[str]:
    """What a fresh install runs: the console script beside this interpreter (venv/bin/convguard)."""
    script = Path(sys.executable).with_name("convguard")
    return [str(script)] if script.exists() else [sys.executable, "-m", "convguard"]


@pytest.fixture(scope="module")
def server(model_dir, tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("serve_log") / "server.log"
    # the environment's bin/ is NOT on PATH (mlflow models serve fails there with 'uvicorn: not found')
    env = {**os.environ, "PATH": "/usr/bin:/bin", "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false",
           "TOKENIZERS_PARALLELISM": "false"}
    assert shutil.which("uvicorn", path=env["PATH"]) is None
    cmd = serve_command() + ["serve", "-m", str(model_dir), "-H", "127.0.0.1", "-p", str(port),
                             "--max-rows", str(MAX_ROWS), "--max-request-mb", str(MAX_REQUEST_MB)]
    with open(log, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + SERVER_START_TIMEOUT
        while True:
            if proc.poll() is not None:
                pytest.fail(f"convguard serve exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
            try:
                if request(f"{base}/ping", timeout=2)[0] == 200:
                    break
            except (ConnectionError, TimeoutError, OSError):
                pass
            if time.time() > deadline:
                pytest.fail(f"server not ready after {SERVER_START_TIMEOUT}s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, log
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server (our own process group)
            proc.wait(timeout=20)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def post(base: str, payload, content_type: str | None = "application/json") -> tuple[int, dict]:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    status, text = request(f"{base}/invocations", body, content_type)
    try:
        return status, json.loads(text)
    except json.JSONDecodeError:
        return status, {"raw": text}


def still_serving(base: str) -> None:
    assert request(f"{base}/ping")[0] == 200
    ok, res = post(base, {"dataframe_records": [{"messages": [{"role": "user", "content": "still there?"}]}]})
    assert ok == 200 and res["predictions"][0]["action"] in {"continue", "end_conversation", "crisis_support"}


@pytest.mark.slow
def test_server_answers_decisions_over_http(server, served_bundle, model_dir):
    base, _ = server
    cs = conversations()
    status, out = post(base, {"dataframe_records": [{"messages": c} for c in cs]})
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
    # the split orientation, column-wise instances, CSV (messages as JSON text) and the input
    # example MLflow saved with the model give the same answers
    status, out = post(base, {"dataframe_split": {"columns": ["messages"], "data": [[cs[0]]]}})
    assert status == 200 and out["predictions"][0]["action"] == want[0].action
    status, out = post(base, {"instances": {"messages": cs[:2]}})
    assert status == 200 and [p["action"] for p in out["predictions"]] == [d.action for d in want[:2]]
    csv_body = "messages,locale\n" + "".join('"' + json.dumps(c).replace('"', '""') + '",en\n' for c in cs[:3])
    status, out = post(base, csv_body.encode(), "text/csv; charset=utf-8")
    assert status == 200, out
    assert [p["terminate"] for p in out["predictions"]] == pytest.approx([d.scores["terminate"] for d in want[:3]],
                                                                         abs=1e-6)
    status, out = post(base, json.loads((model_dir / "serving_input_example.json").read_text()))
    assert status == 200 and len(out["predictions"]) == 2


@pytest.mark.slow
def test_server_answers_openai_and_hf_format_logs_like_the_guard(server, served_bundle):
    """Chat logs as they come (issue 12): OpenAI-format records with tool / function / developer
    turns, ``tool_calls``, ``name`` and content as a list of parts (an image part among them), and
    Hugging Face chat records, served over HTTP: 200 with the Guard's decisions, never a 400."""
    base, _ = server
    fixtures = Path(__file__).parent / "fixtures" / "chat_formats"
    for name in ("openai_chat.jsonl", "hf_chat.jsonl"):
        records = [json.loads(line) for line in (fixtures / name).read_text().splitlines() if line.strip()]
        convs = [r["messages"] for r in records]
        shapes = {k for c in convs for m in c for k in ("parts", "tool_calls", "tool_role")
                  if (k == "parts" and isinstance(m.get("content"), list)) or (k == "tool_calls" and m.get("tool_calls"))
                  or (k == "tool_role" and m.get("role") == "tool")}
        assert shapes == {"parts", "tool_calls", "tool_role"}, (name, shapes)  # the fixture has every shape
        status, out = post(base, {"dataframe_records": [{"messages": c} for c in convs]})
        assert status == 200, (name, out)
        want = Guard.load(served_bundle, backend="onnx").check_many(convs)
        assert [p["action"] for p in out["predictions"]] == [d.action for d in want], name
        assert [p["terminate"] for p in out["predictions"]] == pytest.approx([d.scores["terminate"] for d in want],
                                                                             abs=1e-6)


@pytest.mark.slow
def test_server_takes_locale_per_row_and_in_params(server):
    base, _ = server
    conv = [{"role": "user", "content": "hello there"}]
    status, out = post(base, {"dataframe_records": [{"messages": conv, "locale": "de"}, {"messages": conv}],
                              "params": {"locale": "fr"}})
    assert status == 200, out
    assert len(out["predictions"]) == 2


@pytest.mark.slow
def test_server_batches_concurrent_clients_with_the_same_answers(server, served_bundle):
    from concurrent.futures import ThreadPoolExecutor

    base, _ = server
    cs = [r["messages"] for r in make_records(8, 5)]  # 40 conversations, one client each, all at once
    with ThreadPoolExecutor(len(cs)) as pool:
        answers = list(pool.map(lambda c: post(base, {"dataframe_records": [{"messages": c}]}), cs))
    assert [s for s, _ in answers] == [200] * len(cs)
    want = Guard.load(served_bundle, backend="onnx").check_many(cs)
    assert [a["predictions"][0]["action"] for _, a in answers] == [d.action for d in want]
    assert [a["predictions"][0]["terminate"] for _, a in answers] == pytest.approx(
        [d.scores["terminate"] for d in want], abs=1e-5)


@pytest.mark.slow
def test_server_health_version_and_unknown_routes(server):
    from convguard import __version__

    base, _ = server
    assert request(f"{base}/health") == (200, "\n")
    assert request(f"{base}/version") == (200, __version__)
    status, text = request(f"{base}/nope")
    assert status == 404 and json.loads(text)["error_code"] == "NOT_FOUND"
    status, text = request(f"{base}/invocations")  # GET
    assert status == 405 and "POST" in json.loads(text)["message"]


# ------------------------------------------------------------------------------------------
# the served model's leg of the malformed-input corpus: generated here, none of it on disk
# ------------------------------------------------------------------------------------------

CANARY = "CANARY-5e1f-do-not-echo"  # in the content of every malformed request; never in an answer
GOOD = [{"role": "user", "content": f"hello {CANARY}"}]


def _row_faults() -> list[tuple[str, object, str, object]]:
    """(name, the bad 'messages' value, the field the answer must name, the row's locale)."""
    c = f"some text {CANARY}"
    u = {"role": "user", "content": c}
    return [
        ("messages-plain-string", "hello", "messages", None),
        ("messages-json-object-text", json.dumps(u), "messages", None),
        ("messages-broken-json-text", '[{"role": "user", "content": "x"', "messages", None),
        ("messages-number", 7, "messages", None),
        ("messages-null", None, "messages", None),
        ("messages-object", u, "messages", None),
        ("messages-empty", [], "messages", None),
        ("message-string", ["hi"], "messages[0]", None),
        ("message-null", [None], "messages[0]", None),
        ("message-list", [[u]], "messages[0]", None),
        ("message-number", [3.5], "messages[0]", None),
        ("role-missing", [{"content": c}], "messages[0].role", None),
        ("role-number", [{"role": 3, "content": c}], "messages[0].role", None),
        ("role-unknown", [{"role": "bot", "content": c}], "messages[0].role", None),
        ("role-empty", [{"role": "", "content": c}], "messages[0].role", None),
        ("role-100k-chars", [{"role": "x" * 100_000, "content": c}], "messages[0].role", None),
        ("role-in-second-message", [u, {"role": "robot", "content": c}, u], "messages[1].role", None),
        ("content-missing", [{"role": "user"}], "messages[0].content", None),
        ("content-number", [{"role": "user", "content": 7}], "messages[0].content", None),
        ("content-null", [{"role": "user", "content": None}], "messages[0].content", None),
        ("content-object", [{"role": "user", "content": {"text": c}}], "messages[0].content", None),
        ("content-too-long", [{"role": "user", "content": c + "a" * 32_001}], "messages[0].content", None),
        ("content-lone-surrogate", [{"role": "user", "content": c + "\ud800"}], "messages[0].content", None),
        ("ends-on-assistant", [u, {"role": "assistant", "content": c}], "messages[1].role", None),
        ("no-user-message", [{"role": "system", "content": c}], "messages", None),
        ("over-1000-messages", [u] * 1001, "messages", None),
        ("locale-number", [u], "locale", 7),
        ("locale-list", [u], "locale", ["de"]),
        ("locale-bool", [u], "locale", True),
        ("locale-object", [u], "locale", {"code": "de"}),
    ]


def _csv_cell(v) -> str:
    text = v if isinstance(v, str) else json.dumps(v)
    return '"' + text.replace('"', '""') + '"'


def malformed_requests() -> list[tuple[str, bytes, str | None, int, list[str]]]:
    """(id, body, Content-Type, expected status, what the message must name)."""
    J = "application/json"
    good_row = {"messages": GOOD}
    cases: list[tuple[str, bytes, str | None, int, list[str]]] = []

    def js(name, obj, needles, status=400, ctype=J):
        cases.append((name, json.dumps(obj).encode(), ctype, status, needles))

    def raw(name, body, needles, status=400, ctype=J):
        cases.append((name, body, ctype, status, needles))

    # each fault at row 0 and at row 2 of a request, as JSON records and (where CSV can say it) as CSV
    for name, msgs, field, locale in _row_faults():
        for k in (0, 2):
            bad = {"messages": msgs, **({"locale": locale} if locale is not None else {})}
            js(f"json-row{k}-{name}", {"dataframe_records": [good_row] * k + [bad] + [good_row]},
               [f"conversation[{k}]", f"'{field}'"])
        if locale is None:
            k = 1
            body = "messages\n" + _csv_cell(GOOD) + "\n" + _csv_cell(msgs) + "\n"
            raw(f"csv-row{k}-{name}", body.encode(), [f"conversation[{k}]", "CSV line 3", f"'{field}'"], ctype="text/csv")

    # the body
    deep = "[" * 100_000 + "]" * 100_000
    raw("body-empty", b"", ["JSON"])
    raw("body-not-json", f"this is not json {CANARY}".encode(), ["JSON"])
    raw("body-truncated", b'{"dataframe_records": [', ["JSON"])
    raw("body-not-utf8", b'{"dataframe_records": "\xff\xfe"}', ["UTF-8"])
    raw("body-bom", b"\xef\xbb\xbf" + json.dumps({"dataframe_records": [good_row]}).encode(), ["JSON"])
    raw("body-under-limit-invalid", (CANARY * 25_000)[: MAX_REQUEST_MB * 1024 * 1024 - 10].encode(), ["JSON"])
    raw("nested-100k-arrays-in-messages", ('{"dataframe_records": [{"messages": ' + deep + '}]}').encode(), ["nested"])
    raw("nested-100k-objects-in-content", ('{"dataframe_records": [{"messages": [{"role": "user", "content": '
                                           + '{"a": ' * 100_000 + "1" + "}" * 100_000 + "}]}]}").encode(), ["nested"])
    raw("duplicate-top-level-key", b'{"dataframe_records": [], "dataframe_records": []}', ["duplicate key"])
    raw("duplicate-message-key", ('{"dataframe_records": [{"messages": [{"role": "user", "role": "assistant", '
                                  f'"content": "{CANARY}"' + "}]}]}").encode(), ["duplicate key 'role'"])
    raw("json-nan-records", b'{"dataframe_records": NaN}', ["dataframe_records"])
    for name, obj in (("list", [good_row]), ("string", "x"), ("number", 42), ("null", None)):
        js(f"top-level-{name}", obj, ["JSON object"])
    js("unknown-top-level-field", {"something": 1}, ["something", "dataframe_records"])
    js("two-formats", {"dataframe_records": [good_row], "dataframe_split": {"columns": [], "data": []}},
       ["exactly one"])
    js("no-format", {"params": {"locale": "de"}}, ["exactly one"])
    js("records-object", {"dataframe_records": good_row}, ["dataframe_records"])
    js("records-string", {"dataframe_records": "messages"}, ["dataframe_records"])
    js("params-string", {"dataframe_records": [good_row], "params": "de"}, ["params"])
    js("params-unknown", {"dataframe_records": [good_row], "params": {"temperature": 1}}, ["params", "temperature"])
    js("params-locale-number", {"dataframe_records": [good_row], "params": {"locale": 5}}, ["params.locale"])
    js("record-string", {"dataframe_records": ["x"]}, ["conversation[0]"])
    js("record-list", {"dataframe_records": [good_row, [1, 2]]}, ["conversation[1]"])
    js("record-null", {"dataframe_records": [good_row, None]}, ["conversation[1]"])
    js("record-misspelled-field", {"dataframe_records": [{"msgs": GOOD}]}, ["conversation[0]", "'msgs'"])
    js("record-no-messages", {"dataframe_records": [{"locale": "de"}]}, ["conversation[0]", "'messages'"])
    js("record-extra-field", {"dataframe_records": [good_row, {"messages": GOOD, "id": 3}]}, ["conversation[1]", "'id'"])
    js("split-no-data", {"dataframe_split": {"columns": ["messages"]}}, ["dataframe_split"])
    js("split-columns-string", {"dataframe_split": {"columns": "messages", "data": []}}, ["dataframe_split"])
    js("split-short-row", {"dataframe_split": {"columns": ["messages", "locale"], "data": [[GOOD, "de"], [GOOD]]}},
       ["conversation[1]"])
    js("split-row-not-list", {"dataframe_split": {"columns": ["messages"], "data": [GOOD[0]]}}, ["conversation[0]"])
    js("split-duplicate-columns", {"dataframe_split": {"columns": ["messages", "messages"], "data": [[GOOD, GOOD]]}},
       ["columns"])
    js("split-column-number", {"dataframe_split": {"columns": [1], "data": [[GOOD]]}}, ["columns"])
    js("split-unknown-key", {"dataframe_split": {"columns": ["messages"], "data": [[GOOD]], "idx": [0]}},
       ["dataframe_split", "idx"])
    js("split-bad-role", {"dataframe_split": {"columns": ["messages"], "data": [[GOOD], [[{"role": "bot",
                                                                                          "content": CANARY}]]]}},
       ["conversation[1]", "'messages[0].role'"])
    js("instances-unequal-columns", {"instances": {"messages": [GOOD], "locale": ["de", "en"]}}, ["instances"])
    js("instances-column-not-list", {"instances": {"messages": "x"}}, ["instances"])
    js("instances-bad-record", {"instances": [{"msgs": GOOD}]}, ["conversation[0]", "'msgs'"])
    js("inputs-number", {"inputs": 5}, ["inputs"])
    # limits
    js("too-many-rows", {"dataframe_records": [good_row] * (MAX_ROWS + 1)}, [str(MAX_ROWS + 1), "limit"], 413)
    raw("body-20MB", b"x" * 20_000_000, ["limit"], 413)
    raw("body-20MB-csv", b"messages\n" + b"x" * 20_000_000, ["limit"], 413, "text/csv")
    # content types
    body = json.dumps({"dataframe_records": [good_row]}).encode()
    for name, ctype in (("none", None), ("text-plain", "text/plain"), ("form", "application/x-www-form-urlencoded"),
                        ("parquet", "application/vnd.apache.parquet"), ("latin1", "application/json; charset=latin-1"),
                        ("unknown-parameter", "application/json; boundary=x")):
        raw(f"content-type-{name}", body, ["Content-Type"], 415, ctype)
    # CSV bodies
    C = "text/csv"
    raw("csv-empty", b"", ["header"], ctype=C)
    raw("csv-no-messages-column", b"locale\nde\n", ["'messages'"], ctype=C)
    raw("csv-unknown-column", ("msgs\n" + _csv_cell(GOOD) + "\n").encode(), ["'msgs'"], ctype=C)
    raw("csv-duplicate-column", ("messages,messages\n" + _csv_cell(GOOD) * 2 + "\n").encode(), ["twice"], ctype=C)
    raw("csv-extra-cell", ("messages,locale\n" + _csv_cell(GOOD) + ",en\n" + _csv_cell(GOOD) + ",en,x\n").encode(),
        ["conversation[1]", "CSV line 3", "cells"], ctype=C)
    raw("csv-missing-cell", ("messages,locale\n" + _csv_cell(GOOD) + "\n").encode(),
        ["conversation[0]", "CSV line 2", "cells"], ctype=C)
    raw("csv-unterminated-quote", ("messages\n" + _csv_cell(GOOD) + '\n"[{' + CANARY + "\n").encode(),
        ["CSV line"], ctype=C)
    raw("csv-text-after-quote", ("messages\n" + _csv_cell(GOOD) + "x\n").encode(), ["CSV line 2"], ctype=C)
    raw("csv-nul-byte", ("messages\n" + _csv_cell(GOOD) + "\n\"a\x00b\"\n").encode(), ["CSV line"], ctype=C)
    raw("csv-not-utf8", b"messages\n\"\xff\"\n", ["UTF-8"], ctype=C)
    return cases


MALFORMED = malformed_requests()


def test_the_malformed_corpus_is_big_and_distinct():
    assert len(MALFORMED) >= 100
    assert len({c[0] for c in MALFORMED}) == len(MALFORMED)


@pytest.mark.slow
@pytest.mark.parametrize("name,body,ctype,status,needles", MALFORMED, ids=[c[0] for c in MALFORMED])
def test_server_answers_malformed_requests_with_a_short_4xx(server, name, body, ctype, status, needles):
    base, _ = server
    got, text = request(f"{base}/invocations", body, ctype)
    assert got == status, (got, text[:500])
    assert len(text) < 600, text[:600]  # short: never the input echoed
    out = json.loads(text)
    assert set(out) == {"error_code", "message"}, out
    for n in needles:  # names the row and the field
        assert n in out["message"], (n, out["message"])
    assert CANARY not in text and "Traceback" not in text and "xxxxxxxxxx" not in text


@pytest.mark.slow
def test_server_survived_the_corpus_without_a_trace(server):
    base, log = server
    for name, body, ctype, _, _ in MALFORMED[::10]:  # again, in case this test runs alone
        assert 400 <= request(f"{base}/invocations", body, ctype)[0] < 500, name
    still_serving(base)
    text = log.read_text(errors="replace")
    assert "Traceback" not in text and " 500" not in text, text[-3000:]


def test_serve_loads_a_bundle_or_a_model_and_refuses_anything_else(served_bundle, model_dir, tmp_path, capsys):
    from convguard.cli import main
    from convguard.serve import ServeError, ServeSettings, load_guard

    assert load_guard(ServeSettings(bundle=str(served_bundle))).backend == "onnx"  # auto: the bundle has ONNX
    assert load_guard(ServeSettings(bundle=str(served_bundle), backend="torch")).backend == "torch"
    assert load_guard(ServeSettings(model=str(model_dir))).backend == "onnx"  # the model's config
    with pytest.raises(ServeError, match="one of"):
        load_guard(ServeSettings())
    with pytest.raises(ServeError, match="one of"):
        load_guard(ServeSettings(model=str(model_dir), bundle=str(served_bundle)))
    # the CLI fails at once, in one line, before any server starts
    assert main(["serve", "--bundle", str(tmp_path / "nope")]) != 0
    assert "not a bundle directory" in capsys.readouterr().err
    assert main(["serve", "-m", str(tmp_path / "nope")]) != 0
    assert "no such model folder" in capsys.readouterr().err
    assert main(["serve", "-m", str(model_dir), "--max-rows", "0"]) != 0
    assert "--max-rows must be positive" in capsys.readouterr().err
