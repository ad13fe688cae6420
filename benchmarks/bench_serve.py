"""Serving under load: ``convguard serve`` (requests batched) against ``mlflow models serve`` (the
baseline: MLflow's scoring server, each request scored on its own), the same MLflow model, the same
requests, in one run.

    python benchmarks/bench_serve.py --bundle quickstart/bundle --out bench_serve.json   # ~4 min on 2 cores

The bundle is copied and exported as an MLflow pyfunc model (``convguard export --format mlflow``;
the bundle itself is not touched).  Both servers are started and warmed up (5 requests each), then
driven by ``--clients`` HTTP clients (one process, asyncio, a new connection per request) through
two scenarios, interleaved across the servers (burst on each, then chat on each) so that other load
on the machine hits both alike:

* ``burst``: every client sends one request at the same moment (the issue's "200 requests at
  once");
* ``chat``: for ``--duration`` seconds every client sends a request, waits a think time (uniform in
  0.5-1.5 x ``--think-s``, a person reading the answer and typing the next turn) and sends the
  next; clients start staggered over the first think time.  Offered load: about clients / think-s
  requests per second (200 / 20 s = 10 req/s by default).

``convguard serve`` runs with ``--serve-args`` (default ``-w 2``: two worker processes, one
inference thread each); the baseline as documented by MLflow (``-w 1``, the model's default
threads).  Each request is one conversation cut at a user turn -- the history a chat sends when its
user has just spoken -- from the embedded generator, a different one for each request, the same
sequence for both servers.  Reported per server and scenario: requests, p50/p95/p99/max latency
(connect to last byte), requests per second, errors (connection errors, timeouts, 200s without a
decision per conversation), 5xx and 4xx answers, the load average before and after.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")

ACTIONS = {"continue", "end_conversation", "crisis_support"}


def log(*a) -> None:
    print(*a, file=sys.stderr, flush=True)


# ------------------------------------------------------------------------------------------
# model and requests
# ------------------------------------------------------------------------------------------

def prepare_model(bundle: Path, work: Path) -> Path:
    """A copy of ``bundle`` exported as an MLflow model under ``work`` (reused while the bundle's
    manifest is unchanged)."""
    from convguard.export import export_mlflow

    stamp = (bundle / "manifest.json").read_bytes()
    model = work / "model"
    if (work / "manifest.json").exists() and (work / "manifest.json").read_bytes() == stamp and model.exists():
        return model
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    shutil.copytree(bundle, work / "bundle", symlinks=False)
    export_mlflow(work / "bundle", out=model, tracking=False)
    (work / "manifest.json").write_bytes(stamp)
    return model


def request_bodies(n: int, seed: int = 0) -> list[bytes]:
    """``n`` requests of one conversation each, cut at a random user turn."""
    from convguard.datagen import generate_conversations

    rng = random.Random(seed)
    out = []
    for c in generate_conversations(n, seed=seed + 77):
        msgs = [m.to_dict() for m in c.messages]
        users = [i for i, m in enumerate(msgs) if m["role"] == "user"]
        cut = rng.choice(users)
        out.append(json.dumps({"dataframe_records": [{"messages": msgs[: cut + 1]}]}).encode())
    return out


# ------------------------------------------------------------------------------------------
# servers
# ------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_command(kind: str, model: Path, port: int, extra: list[str]) -> tuple[list[str], dict[str, str]]:
    env = dict(os.environ)
    if kind == "mlflow":
        # mlflow models serve runs `uvicorn` from PATH: give it this environment's bin/
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        return ([sys.executable, "-m", "mlflow", "models", "serve", "-m", str(model), "--env-manager", "local",
                 "-h", "127.0.0.1", "-p", str(port), "-w", "1"] + extra, env)
    return [sys.executable, "-m", "convguard", "serve", "-m", str(model), "-H", "127.0.0.1", "-p", str(port)] + extra, env


async def http_post(port: int, body: bytes, timeout: float) -> tuple[str | int, float, bytes]:
    t0 = time.perf_counter()
    try:
        reader, writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", port), timeout)
        try:
            writer.write(b"POST /invocations HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                         b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)
            await writer.drain()
            data = await asyncio.wait_for(reader.read(), timeout - (time.perf_counter() - t0))
        finally:
            writer.close()
        status = int(data.split(b" ", 2)[1])
        return status, time.perf_counter() - t0, data.partition(b"\r\n\r\n")[2]
    except (OSError, asyncio.TimeoutError, ValueError, IndexError) as e:
        return type(e).__name__, time.perf_counter() - t0, b""


def good_answer(payload: bytes) -> bool:
    try:
        preds = json.loads(payload)["predictions"]
        return len(preds) == 1 and preds[0]["action"] in ACTIONS
    except (ValueError, KeyError, TypeError, IndexError):
        return False


def summarise(results: list[tuple[str | int, float, bytes]], seconds: float) -> dict:
    lat = sorted(dt for s, dt, _ in results)
    q = statistics.quantiles(lat, n=100, method="inclusive") if len(lat) > 1 else lat * 99
    errors = sum(1 for s, _, b in results if not isinstance(s, int) or (s == 200 and not good_answer(b)))
    return {"requests": len(results), "seconds": round(seconds, 2), "req_per_s": round(len(results) / seconds, 2),
            "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round(lat[-1] * 1000, 1), "ok": sum(1 for s, _, b in results if s == 200 and good_answer(b)),
            "errors": errors, "status_5xx": sum(1 for s, _, _ in results if isinstance(s, int) and s >= 500),
            "status_4xx": sum(1 for s, _, _ in results if isinstance(s, int) and 400 <= s < 500),
            "error_kinds": sorted({str(s) for s, _, _ in results if not isinstance(s, int)})}


async def burst(port: int, bodies: list[bytes], timeout: float) -> dict:
    t0 = time.perf_counter()
    res = await asyncio.gather(*[http_post(port, b, timeout) for b in bodies])
    return summarise(res, time.perf_counter() - t0)


async def chat(port: int, bodies: list[bytes], clients: int, duration: float, think: float, timeout: float,
               seed: int) -> dict:
    rng = random.Random(seed)
    it = iter(bodies)
    results: list = []
    t0 = time.perf_counter()
    end = t0 + duration

    async def client() -> None:
        await asyncio.sleep(rng.uniform(0, think))
        while time.perf_counter() < end:
            body = next(it, None)
            if body is None:
                return
            results.append(await http_post(port, body, timeout))
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)

    await asyncio.gather(*[client() for _ in range(clients)])
    return summarise(results, duration)


def start_server(name: str, kind: str, extra: list[str], model: Path, logdir: Path) -> dict:
    port = free_port()
    cmd, env = server_command(kind, model, port, extra)
    logf = logdir / f"{name}.log"
    log(f"[{name}] {' '.join(cmd)}")
    shown = ["convguard serve" if kind == "convguard" else "mlflow models serve", *cmd[cmd.index(str(model)) - 1:]]
    with open(logf, "wb") as fh:
        proc = subprocess.Popen(cmd, stdout=fh, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    return {"name": name, "port": port, "proc": proc, "log": logf, "t0": time.time(),
            "report": {"command": " ".join(shown).replace(str(model), "MODEL").replace(f"-p {port}", "-p PORT")}}


def wait_up(srv: dict, warmup: list[bytes], timeout: float) -> None:
    while True:
        if srv["proc"].poll() is not None:
            raise RuntimeError(f"{srv['name']} exited {srv['proc'].returncode}: {srv['log'].read_text()[-2000:]}")
        try:
            with socket.create_connection(("127.0.0.1", srv["port"]), timeout=1):
                break
        except OSError:
            time.sleep(0.5)
        if time.time() - srv["t0"] > 300:
            raise RuntimeError(f"{srv['name']} not up after 300 s")
    for b in warmup:
        asyncio.run(http_post(srv["port"], b, timeout))
    srv["report"]["startup_s"] = round(time.time() - srv["t0"], 1)


def stop_server(srv: dict) -> None:
    proc = srv["proc"]
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)
    srv["report"]["server_tracebacks"] = srv["log"].read_text(errors="replace").count("Traceback")


def machine() -> dict:
    import importlib.metadata as md

    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    vers = {}
    for pkg in ("convguard", "mlflow", "torch", "onnxruntime", "transformers", "uvicorn"):
        try:
            vers[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    try:
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                                cwd=Path(__file__).parent).stdout.strip()
    except OSError:
        commit = ""
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(), "versions": vers,
            "commit": commit, "date": time.strftime("%Y-%m-%d %H:%M")}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--bundle", default="quickstart/bundle", help="the bundle to serve (copied, not modified)")
    p.add_argument("--work", default=str(Path(tempfile.gettempdir()) / "convguard-bench-serve"))
    p.add_argument("--clients", type=int, default=200)
    p.add_argument("--duration", type=float, default=60.0, help="seconds of the chat scenario per server")
    p.add_argument("--think-s", type=float, default=20.0, help="mean think time between a chat client's requests")
    p.add_argument("--timeout", type=float, default=120.0, help="per request, seconds (then counted as an error)")
    p.add_argument("--servers", default="mlflow,convguard", help="which, in order: mlflow (the baseline), convguard")
    p.add_argument("--serve-args", default="-w 2", help="extra arguments for convguard serve, e.g. '--max-batch 32'")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", default=None)
    args = p.parse_args(argv)

    t_all = time.time()
    bundle = Path(args.bundle)
    if not (bundle / "manifest.json").exists():
        p.error(f"{bundle}: not a bundle (run convguard quickstart, or pass --bundle)")
    model = prepare_model(bundle, Path(args.work))
    n_chat = int(args.clients * args.duration / (0.5 * args.think_s)) + args.clients
    bodies = request_bodies(5 + args.clients + n_chat, args.seed)
    scenarios = {"warmup": bodies[:5], "burst": bodies[5: 5 + args.clients], "chat": bodies[5 + args.clients:]}
    report = {"machine": machine(), "bundle": str(bundle), "clients": args.clients, "duration_s": args.duration,
              "think_s": args.think_s, "servers": {}}
    logdir = Path(args.work) / "logs"
    logdir.mkdir(parents=True, exist_ok=True)
    servers = []
    for name in [s.strip() for s in args.servers.split(",") if s.strip()]:
        if name not in ("mlflow", "convguard"):
            p.error(f"unknown server {name!r} (mlflow, convguard)")
        servers.append(start_server(name, name, args.serve_args.split() if name == "convguard" else [], model, logdir))
    try:
        for srv in servers:  # all up and warm; an idle server costs nothing
            wait_up(srv, scenarios["warmup"], args.timeout)
            log(f"[{srv['name']}] up and warm after {srv['report']['startup_s']} s")
        # the scenarios interleaved across servers, so that other load on the machine hits all alike
        for sc in ("burst", "chat"):
            for srv in servers:
                load = os.getloadavg()[0]
                if sc == "burst":
                    r = asyncio.run(burst(srv["port"], scenarios["burst"], args.timeout))
                else:
                    r = asyncio.run(chat(srv["port"], scenarios["chat"], args.clients, args.duration, args.think_s,
                                         args.timeout, args.seed))
                r["load_before"], r["load_after"] = round(load, 2), round(os.getloadavg()[0], 2)
                srv["report"][sc] = r
                log(f"[{srv['name']}] {sc}: {r}")
    finally:
        for srv in servers:
            stop_server(srv)
    report["servers"] = {srv["name"]: srv["report"] for srv in servers}
    report["wall_s"] = round(time.time() - t_all, 1)
    text = json.dumps(report, indent=1)
    if args.out:
        Path(args.out).write_text(text)
    print(text)
    print(f"\n| server | scenario | requests | p50 ms | p95 ms | max ms | req/s | errors | 5xx |\n|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in report["servers"].items():
        for sc in ("burst", "chat"):
            s = r[sc]
            print(f"| {r['command']} | {sc} | {s['requests']} | {s['p50_ms']} | {s['p95_ms']} | {s['max_ms']} | "
                  f"{s['req_per_s']} | {s['errors']} | {s['status_5xx']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
