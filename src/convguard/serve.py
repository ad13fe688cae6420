"""``convguard serve``: the MLflow pyfunc model (or a bundle) over HTTP.

MLflow's own scoring server (``mlflow models serve``) starts ``uvicorn`` through the shell, so it
fails with ``uvicorn: not found`` unless the environment's ``bin/`` is on ``PATH``; it answers a
request without ``Content-Type`` with a 500, echoes an invalid body (or the whole input
DataFrame) in its 400s, attaches a stack trace to CSV errors, has no bound on the request size,
and scores each request on its own.  None of that is configurable, so this module serves the same
model with the same protocol (``POST /invocations`` with ``dataframe_records`` /
``dataframe_split`` / ``instances`` / ``inputs`` JSON or CSV, ``GET /ping``, ``/health``,
``/version``; the answer is ``{"predictions": [...]}``) from this interpreter:

* uvicorn runs in-process (``uvicorn.run``; worker processes are spawned with ``sys.executable``),
  so ``venv/bin/convguard serve`` works with nothing on ``PATH``;
* the body is bounded (``max_request_bytes``; ``Content-Length`` is checked before reading) and so
  is the number of conversations per request (``max_rows``); over the limit: 413;
* every malformed request gets a short JSON 4xx, ``{"error_code": ..., "message": ...}``, whose
  message names the row (``conversation[i]``, and the CSV line) and the field; no input is echoed
  (quoted values are elided past a few dozen characters, messages capped) and no trace is sent --
  an unexpected failure is a 500 saying only that, with the traceback in the server log;
* concurrent requests are batched: while the model scores one batch, new requests queue, and the
  next batch takes up to ``max_batch`` conversations from the queue in one batched call
  (``batch_wait_ms`` waits for company only when the model was idle); a queue past
  ``max_pending`` conversations answers 503 at once rather than letting latency grow unbounded.

Conversations are validated per request before they join a batch (one bad request cannot fail
another), with the same checks as :meth:`convguard.Guard.check`.
"""

from __future__ import annotations

import json
import logging
import os
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

# the request protocol (serve_protocol) and the batching (serve_batching): re-exported here
from .serve_batching import Batcher, Busy  # noqa: F401
from .serve_protocol import (CSV_TYPE, FORMATS, JSON_TYPE, MAX_MESSAGE_CHARS, MAX_QUOTED_CHARS,  # noqa: F401
                             ROW_FIELDS, RequestError, parse_request, rows_from_csv, rows_from_json, short,
                             validate_rows)

log = logging.getLogger("convguard.serve")

SETTINGS_ENV = "CONVGUARD_SERVE_SETTINGS"


@dataclass
class ServeSettings:
    """What ``convguard serve`` was asked for (travels to worker processes as JSON)."""

    model: str | None = None
    bundle: str | None = None
    backend: str | None = None  # None: the model's config (or auto for a bundle)
    onnx_variant: str | None = None
    threads: int | None = None
    max_request_bytes: int = 4 * 1024 * 1024
    max_rows: int = 256
    max_batch: int = 32
    batch_wait_ms: float = 2.0
    max_pending: int = 4096


# ------------------------------------------------------------------------------------------
# the ASGI app
# ------------------------------------------------------------------------------------------

def _json_default(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if hasattr(v, "tolist"):
        return v.tolist()
    raise TypeError(type(v).__name__)


class ServeApp:
    """An ASGI application serving ``guard`` with MLflow's scoring protocol (see the module doc)."""

    def __init__(self, guard, settings: ServeSettings | None = None):
        self.guard = guard
        self.settings = settings or ServeSettings()
        s = self.settings
        self.batcher = Batcher(guard, s.max_batch, s.batch_wait_ms / 1000.0, s.max_pending)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                if msg["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif msg["type"] == "lifespan.shutdown":
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":
            return
        try:
            status, body, ctype = await self._handle(scope, receive)
        except RequestError as e:
            status, body, ctype = e.status, self._error(e.code, e.message), JSON_TYPE
        except Exception:  # noqa: BLE001 - a bug: log it, never send it
            log.error("request failed:\n%s", traceback.format_exc())
            status, ctype = 500, JSON_TYPE
            body = self._error("INTERNAL_ERROR", "convguard failed on this request; the server log has the details")
        await send({"type": "http.response.start", "status": status,
                    "headers": [(b"content-type", ctype.encode()), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    @staticmethod
    def _error(code: str, message: str) -> bytes:
        return json.dumps({"error_code": code, "message": short(message)}).encode()

    async def _handle(self, scope, receive) -> tuple[int, bytes, str]:
        path, method = scope["path"].rstrip("/") or "/", scope["method"]
        if path in ("/ping", "/health", "/version"):
            if method not in ("GET", "HEAD"):
                raise RequestError(405, f"{path} takes GET", "METHOD_NOT_ALLOWED")
            if path == "/version":
                from . import __version__

                return 200, __version__.encode(), "text/plain"
            return 200, b"\n", JSON_TYPE
        if path != "/invocations":
            raise RequestError(404, "not found: POST /invocations, GET /ping, /health, /version", "NOT_FOUND")
        if method != "POST":
            raise RequestError(405, "/invocations takes POST", "METHOD_NOT_ALLOWED")
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        ctype = headers.get("content-type")
        if not ctype:  # before reading anything
            parse_request(b"", None, 0)
        body = await self._read_body(headers, receive)
        rows, params = parse_request(body, ctype, self.settings.max_request_bytes)
        if len(rows) > self.settings.max_rows:
            raise RequestError(413, f"{len(rows)} conversations in one request; the limit is {self.settings.max_rows} "
                                    f"(convguard serve --max-rows)", "REQUEST_TOO_LARGE")
        convs, locales = validate_rows(self.guard, rows, params)
        try:
            decisions = await self.batcher.submit(convs, locales)
        except Busy:
            raise RequestError(503, f"the server is busy (more than {self.settings.max_pending} conversations "
                                    f"queued); retry later", "SERVER_BUSY") from None
        from .pyfunc import decision_record

        preds = [decision_record(d) for d in decisions]
        return 200, json.dumps({"predictions": preds}, default=_json_default).encode(), JSON_TYPE

    async def _read_body(self, headers: dict[str, str], receive) -> bytes:
        limit = self.settings.max_request_bytes
        too_big = RequestError(413, f"the request body is over the limit of {limit} bytes "
                                    f"(convguard serve --max-request-mb)", "REQUEST_TOO_LARGE")
        length = headers.get("content-length")
        if length is not None:
            if not length.strip().isdigit():
                raise RequestError(400, "the Content-Length header is not a number")
            if int(length) > limit:
                raise too_big
        chunks, n = [], 0
        while True:
            msg = await receive()
            if msg["type"] == "http.disconnect":
                raise RequestError(400, "the client disconnected")
            chunk = msg.get("body", b"")
            n += len(chunk)
            if n > limit:
                raise too_big
            chunks.append(chunk)
            if not msg.get("more_body", False):
                return b"".join(chunks)


# ------------------------------------------------------------------------------------------
# loading and running
# ------------------------------------------------------------------------------------------

class ServeError(RuntimeError):
    pass


def load_guard(settings: ServeSettings):
    """The :class:`Guard` behind ``settings.model`` (an MLflow model: a folder or ``models:/...``)
    or ``settings.bundle``."""
    if bool(settings.model) == bool(settings.bundle):
        raise ServeError("serve one of: a model (-m DIR or models:/NAME/VERSION) or a bundle (--bundle DIR)")
    if settings.bundle:
        from .export import resolve_serving_backend
        from .guard import Guard

        cfg = resolve_serving_backend(Path(settings.bundle), settings.backend or "auto",
                                      settings.onnx_variant or "fp32")
        return Guard.load(settings.bundle, backend=cfg["backend"], onnx_variant=cfg["onnx_variant"],
                          threads=settings.threads)
    # the model's own config, overridden the documented way (see convguard.pyfunc)
    for env, v in (("CONVGUARD_BACKEND", settings.backend), ("CONVGUARD_ONNX_VARIANT", settings.onnx_variant),
                   ("CONVGUARD_THREADS", settings.threads)):
        if v:
            os.environ[env] = str(v)
    os.environ.setdefault("MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR", "false")
    import mlflow.pyfunc
    from mlflow.exceptions import MlflowException

    try:
        model = mlflow.pyfunc.load_model(settings.model)
    except (MlflowException, OSError) as e:
        raise ServeError(f"cannot load the model {settings.model}: {str(e).splitlines()[0][:300]}") from None
    guard = getattr(model.unwrap_python_model(), "guard", None)
    if guard is None:
        raise ServeError(f"{settings.model} is not a convguard model (make one with convguard export --format mlflow)")
    return guard


def app_from_env() -> ServeApp:
    """The app for uvicorn's factory mode (each worker process builds its own)."""
    settings = ServeSettings(**json.loads(os.environ[SETTINGS_ENV]))
    app = ServeApp(load_guard(settings), settings)
    logging.getLogger("uvicorn.error").info(  # uvicorn's logger: the one its log config prints
        "convguard serve: %s loaded (backend %s); batching up to %d conversations per model call",
        settings.model or settings.bundle, app.guard.backend, settings.max_batch)
    return app


def serve(settings: ServeSettings, host: str = "127.0.0.1", port: int = 5000, workers: int = 1,
          log_level: str = "info") -> None:
    """Run the server in this interpreter (uvicorn in-process; workers are spawned from
    ``sys.executable``) until it is stopped."""
    import uvicorn

    if bool(settings.model) == bool(settings.bundle):
        raise ServeError("serve one of: a model (-m DIR or models:/NAME/VERSION) or a bundle (--bundle DIR)")
    if settings.bundle and not Path(settings.bundle).is_dir():
        raise ServeError(f"{settings.bundle}: not a bundle directory")
    if settings.model and ":/" not in settings.model and not Path(settings.model).is_dir():
        raise ServeError(f"{settings.model}: no such model folder")
    if workers > 1 and not settings.threads:  # share the cores instead of each worker taking all of them
        settings.threads = max(1, (os.cpu_count() or 1) // workers)
    os.environ[SETTINGS_ENV] = json.dumps(asdict(settings))
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    uvicorn.run("convguard.serve:app_from_env", factory=True, host=host, port=port, workers=workers,
                log_level=log_level, timeout_keep_alive=30)


def serve_cli(a) -> int:
    """``convguard serve`` (arguments from :func:`add_serve_arguments`)."""
    for flag in ("workers", "max_rows", "max_batch", "max_pending", "max_request_mb"):
        if not getattr(a, flag) > 0:
            raise ValueError(f"--{flag.replace('_', '-')} must be positive, got {getattr(a, flag)}")
    if a.threads is not None and a.threads < 1:
        raise ValueError(f"--threads must be positive, got {a.threads}")
    if not a.batch_wait_ms >= 0:
        raise ValueError(f"--batch-wait-ms must be >= 0, got {a.batch_wait_ms}")
    settings = ServeSettings(model=a.model, bundle=a.bundle, backend=a.backend, onnx_variant=a.onnx_variant,
                             threads=a.threads, max_request_bytes=int(a.max_request_mb * 1024 * 1024),
                             max_rows=a.max_rows, max_batch=a.max_batch, batch_wait_ms=a.batch_wait_ms,
                             max_pending=a.max_pending)
    try:
        serve(settings, a.host, a.port, a.workers)
    except ServeError as e:
        raise ValueError(str(e)) from None
    return 0


def add_serve_arguments(p) -> None:
    d = ServeSettings()
    src = p.add_mutually_exclusive_group(required=True)
    src.add_argument("-m", "--model", default=None, help="an MLflow model: the folder `convguard export --format "
                     "mlflow --out DIR` wrote, or models:/NAME/VERSION (with MLFLOW_TRACKING_URI)")
    src.add_argument("--bundle", default=None, help="or a bundle folder, served directly")
    p.add_argument("-H", "--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("-p", "--port", type=int, default=5000, help="port (default 5000)")
    p.add_argument("-w", "--workers", type=int, default=1, help="server processes, each with its own model "
                   "(default 1; see docs/SERVING.md)")
    p.add_argument("--threads", type=int, default=None, help="inference threads per worker (default: the "
                   "model's config, else all cores)")
    p.add_argument("--backend", choices=("torch", "onnx"), default=None, help="default: the model's config "
                   "(ONNX when the bundle has the export)")
    p.add_argument("--onnx-variant", choices=("fp32", "int8"), default=None, help="which ONNX export with "
                   "--backend onnx (default: the model's config)")
    p.add_argument("--max-batch", type=int, default=d.max_batch, help="conversations per batched model call "
                   f"across concurrent requests (default {d.max_batch}; 1 turns batching off)")
    p.add_argument("--batch-wait-ms", type=float, default=d.batch_wait_ms, help="when the model is idle, wait "
                   f"this long for more requests to batch with (default {d.batch_wait_ms})")
    p.add_argument("--max-request-mb", type=float, default=d.max_request_bytes / 1024 / 1024,
                   help="largest request body, MiB (default 4); larger: 413")
    p.add_argument("--max-rows", type=int, default=d.max_rows, help=f"conversations per request (default "
                   f"{d.max_rows}); more: 413")
    p.add_argument("--max-pending", type=int, default=d.max_pending, help="conversations queued before new "
                   f"requests get 503 (default {d.max_pending})")
