"""The MLflow pyfunc model: a batch of conversations in, decisions out.

Logged by :func:`convguard.export.export_mlflow` (registered as ``convguard-guard``) and by the
quickstart and ``convguard bundle`` (``convguard-bundle``, :meth:`convguard.tracking.Tracker.log_bundle_model`),
both through :func:`convguard.export.pyfunc_model`, as *models from code*: MLflow stores this file
(and the convguard package as code) beside the bundle, and at load time runs it, which calls
``mlflow.models.set_model(ConvGuardModel())``.  Nothing is pickled; the bundle is loaded with
:meth:`convguard.Guard.load` from the model's artifacts, hashes verified.

Input (one row per conversation)::

    {"dataframe_records": [{"messages": [{"role": "user", "content": "..."}, ...],
                            "locale": "de"},                       # optional
                           ...],
     "params": {"locale": "fr"}}                                   # optional default locale

Output, one record per conversation: ``action`` (continue / end_conversation / crisis_support),
``terminate``, ``crisis``, ``harm_category``, ``harm_category_prob``, ``persistence`` (expected
pushes), ``reason``, ``message`` (the text to show the user, or null) and ``evidence`` (JSON text:
the turns read as refusals and pushes, the refused pushes the end rule counted, the most alarming
user turn and its crisis score, the policy's reason code; see :class:`convguard.guard.Decision`).

A malformed conversation fails the call with an ``MlflowException`` (HTTP 400 when served) naming
the row, the message and the field.  Serve it with ``convguard serve -m DIR``
(:mod:`convguard.serve`: the same protocol, batched across requests, request size bounded, short
4xx answers); ``mlflow models serve`` works too where the environment's ``bin/`` is on ``PATH``,
but MLflow's server echoes the input DataFrame in its 400s and answers some malformed requests
with 500s or stack traces (docs/SERVING.md).

Serving options from the model config (set at export), overridable per server with environment
variables: ``CONVGUARD_BACKEND`` (torch / onnx), ``CONVGUARD_ONNX_VARIANT`` (fp32 / int8),
``CONVGUARD_THREADS``.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

import mlflow
from mlflow.pyfunc import PythonModel

OUTPUT_COLUMNS = ("action", "terminate", "crisis", "harm_category", "harm_category_prob", "persistence", "reason",
                  "message", "evidence")


def _bad_request(message: str):
    from mlflow.exceptions import MlflowException
    from mlflow.protos.databricks_pb2 import INVALID_PARAMETER_VALUE

    return MlflowException(message, error_code=INVALID_PARAMETER_VALUE)


def _as_messages(v: Any, row: int) -> Any:
    """A cell of the ``messages`` column as a plain list (numpy arrays and JSON text accepted)."""
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except json.JSONDecodeError as e:
            raise _bad_request(f"conversation[{row}]: field 'messages': a string must hold a JSON list of "
                               f"messages ({e})") from None
    if hasattr(v, "tolist") and not isinstance(v, (list, dict)):
        v = v.tolist()
    return v


def _as_locale(v: Any, default: str | None) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
        return default
    if not isinstance(v, str):
        raise _bad_request(f"field 'locale': must be a string such as 'en' or 'de-AT', got {type(v).__name__}")
    return v


def _rows(model_input: Any) -> tuple[list[Any], list[Any]]:
    """(messages per conversation, locale per conversation) from a DataFrame, a list of records
    or one record."""
    import pandas as pd

    if isinstance(model_input, pd.DataFrame):
        if "messages" not in model_input.columns:
            raise _bad_request(f"the input needs a 'messages' column (got columns {list(model_input.columns)})")
        msgs = list(model_input["messages"])
        locs = list(model_input["locale"]) if "locale" in model_input.columns else [None] * len(msgs)
        return msgs, locs
    if isinstance(model_input, dict):
        model_input = [model_input]
    if isinstance(model_input, list):
        msgs, locs = [], []
        for i, r in enumerate(model_input):
            if not isinstance(r, dict) or "messages" not in r:
                raise _bad_request(f"conversation[{i}]: must be an object with a 'messages' list")
            msgs.append(r["messages"])
            locs.append(r.get("locale"))
        return msgs, locs
    raise _bad_request(f"unsupported input type {type(model_input).__name__}: send records with a 'messages' field")


def predict_records(guard, model_input: Any, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Decisions for ``model_input`` as plain records (what the server returns)."""
    from convguard.schema import ConversationError

    params = params or {}
    default_locale = _as_locale(params.get("locale"), None)
    msgs, locs = _rows(model_input)
    convs = [_as_messages(m, i) for i, m in enumerate(msgs)]
    locales = [_as_locale(loc, default_locale) for loc in locs]
    out: list[dict[str, Any] | None] = [None] * len(convs)
    # one batched call per locale (the locale only picks the crisis message)
    groups: dict[str | None, list[int]] = {}
    for i, loc in enumerate(locales):
        groups.setdefault(loc, []).append(i)
    for loc, idx in groups.items():
        try:
            decisions = guard.check_many([convs[i] for i in idx], locale=loc)
        except ConversationError as e:
            # renumber "conversation[k]" within the group to the request's row number
            msg = str(e)
            if e.source and e.source.startswith("conversation[") and len(groups) > 1:
                k = int(e.source[len("conversation["):-1])
                msg = msg.replace(e.source, f"conversation[{idx[k]}]", 1)
            raise _bad_request(msg) from None
        for i, d in zip(idx, decisions):
            out[i] = decision_record(d)
    return [r for r in out if r is not None]


def decision_record(d) -> dict[str, Any]:
    """One served decision: the columns of :data:`OUTPUT_COLUMNS` (``evidence`` as JSON text: the
    output schema is flat).  ``convguard serve`` answers with these too."""
    return {"action": d.action, **{k: d.scores[k] for k in ("terminate", "crisis", "harm_category",
                                                           "harm_category_prob", "persistence")},
            "reason": d.reason, "message": d.message, "evidence": json.dumps(d.evidence)}


class ConvGuardModel(PythonModel):
    """Loads the bundle from the artifact ``bundle`` in :meth:`load_context`; holds no state before."""

    # the input schema is the explicit signature logged with the model, not type hints on predict()
    # (without this MLflow warns at class creation that predict() has no type hints)
    _skip_type_hint_validation = True

    def load_context(self, context) -> None:
        from convguard.guard import Guard

        cfg = dict(getattr(context, "model_config", None) or {})
        backend = os.environ.get("CONVGUARD_BACKEND") or cfg.get("backend", "torch")
        variant = os.environ.get("CONVGUARD_ONNX_VARIANT") or cfg.get("onnx_variant", "fp32")
        threads = os.environ.get("CONVGUARD_THREADS") or cfg.get("threads")
        self.guard = Guard.load(context.artifacts["bundle"], backend=backend, onnx_variant=variant,
                                threads=int(threads) if threads else None,
                                require_user_last=bool(cfg.get("require_user_last", True)))

    def predict(self, context, model_input, params=None):
        import pandas as pd

        try:
            records = predict_records(self.guard, model_input, params)
        except Exception as e:  # noqa: BLE001 - everything becomes a clear error response
            from mlflow.exceptions import MlflowException

            if isinstance(e, MlflowException):
                raise
            raise MlflowException(f"convguard failed on this request: {type(e).__name__}: {e}") from e
        df = pd.DataFrame.from_records(records, columns=list(OUTPUT_COLUMNS))
        # a batch where no row has a message must still answer null, not NaN (pandas' all-None column)
        df["message"] = pd.Series([r["message"] for r in records], index=df.index, dtype=object)
        return df


if __name__ != "convguard.pyfunc":  # run by MLflow as the model's code file (models from code)
    mlflow.models.set_model(ConvGuardModel())
