"""Model cards: ``README.md`` for bundles and detector folders, written from what they hold.

Every bundle carries ``README.md`` (and ``harm/README.md``, ``crisis/README.md``), written by
:func:`convguard.bundle.write_manifest` each time the manifest is (so ``convguard bundle``,
the quickstart, ``export --format onnx`` and ``sweep --write`` leave a current card) from what
the manifest hashes: the labels and encoding in the detectors' ``config.json``, the
thresholds, rules and their selection in ``policy.yaml``, the metrics and data fingerprint in
``manifest.json``.  A training run writes its detector folder's card
(:func:`write_detector_card`, with the run's validation metrics and data fingerprints).  The
cards are the only files the manifest does not hash (:data:`convguard.bundle.MODEL_CARDS`):
nothing loads them, and rewriting one never breaks :func:`~convguard.bundle.verify_bundle` or
a signature.

Each card says what a plain ``transformers.pipeline("text-classification")`` gets wrong: the
detectors read conversations in convguard's encoding (roles, turn stubs, per-turn units),
their logits are packed heads (a sigmoid per binary head, a softmax per multiclass head, a
turn detector's conversation score pooled over its turns), and the decision is the policy's.

Uploading them with the folder is :mod:`convguard.hub` (``convguard push``).
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any, Mapping

from .layout import DETECTORS, MANIFEST, SIGNATURE
from .metric_names import canonical_metrics

log = logging.getLogger(__name__)

CARD = "README.md"
#: the repository named in cards written before a push knows it
PLACEHOLDER_REPO = "OWNER/NAME"
HUB_EXTRA = "pip install 'convguard[hub]'"
#: the embedded encoder's hub id (configs say ``model.base: embedded``)
EMBEDDED_BASE = "sentence-transformers/all-MiniLM-L6-v2"
#: what each detector folder of a bundle is
ROLES = {"harm": "harm-and-persistence detector (whole conversations)",
         "crisis": "turn detector (crisis, push, refusal, crisis-response and harmful heads, every turn on its own)"}


# ------------------------------------------------------------------------------------------
# reading what a card describes (never raises on a malformed file: the card says "unreadable")
# ------------------------------------------------------------------------------------------

def _json(p: Path) -> dict[str, Any]:
    try:
        d = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return d if isinstance(d, dict) else {}


def _policy(root: Path) -> dict[str, Any]:
    import yaml

    try:
        d = yaml.safe_load((root / "policy.yaml").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return {}
    return d if isinstance(d, dict) else {}


def _num(v: Any, digits: int = 3) -> str:
    if isinstance(v, bool) or v is None:
        return "-" if v is None else str(v)
    if isinstance(v, float):
        return f"{v:.{digits}f}" if abs(v) >= 10 ** -digits or v == 0 else f"{v:.2e}"
    return str(v)


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(str(c).replace("|", "\\|") for c in r) + " |" for r in rows]
    return out + [""]


def _hub_base(base: Any) -> str | None:
    """The encoder's hub id for the card's ``base_model`` (none for a local folder)."""
    if base == "embedded":
        return EMBEDDED_BASE
    if isinstance(base, str) and re.fullmatch(r"[\w.-]+/[\w.-]+", base) and not Path(base).exists():
        return base
    return None


def _front_matter(base: str | None, tags: list[str]) -> list[str]:
    # library_name convguard (not transformers) and no pipeline_tag: the Hub offers no
    # text-classification widget, which would feed the detectors plain text
    lines = ["---", "library_name: convguard", "inference: false", "tags:"] + [f"- {t}" for t in tags]
    if base:
        lines.append(f"base_model: {base}")
    return lines + ["---", ""]


def _detector_meta(folder: Path) -> dict[str, Any]:
    cfg = _json(folder / "config.json")
    meta = cfg.get("convguard") if isinstance(cfg.get("convguard"), dict) else {}
    return {"model_type": cfg.get("model_type"), "architectures": cfg.get("architectures") or [],
            "id2label": cfg.get("id2label") or {}, "recipe": meta.get("recipe"), "base_model": meta.get("base_model"),
            "encoding": meta.get("encoding") if isinstance(meta.get("encoding"), dict) else {},
            "heads": [h for h in meta.get("heads") or [] if isinstance(h, dict)]}


def _encoding_words(enc: Mapping[str, Any]) -> str:
    view, n = enc.get("view", "full"), enc.get("max_length", "?")
    if view in ("turns", "user_turns"):
        return (f"view `{view}`: one sequence of at most {n} tokens **per turn** -- a user turn read after the head of "
                f"the previous user turn and a stub of the reply it answers, an assistant turn after the head of the "
                f"request it answers (`[CLS] user ... [SEP] assistant ... [SEP] user ... [SEP]`); the conversation's "
                f"score is its most alarming user turn (the user unit with the highest first logit), and the refusal "
                f"and push heads are read per turn, as evidence")
    return (f"view `{view}`: one sequence of at most {n} tokens per conversation, `[CLS] role content [SEP] role "
            f"content [SEP] ...`; a longer chat keeps the latest user turn (up to {enc.get('last_user_max', '?')} "
            f"tokens), the first request (up to {enc.get('first_user_max', '?')}) and a {enc.get('stub_tokens', '?')}-"
            f"token stub of every other turn, where refusals and pushes show")


def _heads_table(heads: list[dict[str, Any]]) -> list[str]:
    rows = []
    for h in heads:
        labels = h.get("labels") or []
        if h.get("kind") == "binary":
            rows.append([f"`{h.get('name')}`", "binary", "1 logit", "sigmoid"])
        else:
            rows.append([f"`{h.get('name')}`", h.get("kind"), f"{len(labels)} logits: " + ", ".join(map(str, labels)),
                         "softmax over this head's logits"])
    return _table(["head", "kind", "logits (in config.json id2label order)", "activation"], rows)


def _pipeline_warning(metas: Mapping[str, dict[str, Any]]) -> list[str]:
    n = (f"{len(next(iter(metas.values()))['id2label'])} logits are" if len(metas) == 1 else
         "logits (" + ", ".join(f"{len(m['id2label'])} in `{d}/`" for d, m in metas.items()) + ") are")
    return [
        "## Do not use a plain `transformers` pipeline",
        "",
        "The detector folders are stock `AutoModelForSequenceClassification` checkpoints, so "
        "`transformers.pipeline(\"text-classification\")` loads them -- and gets both ends wrong:",
        "",
        "* **input**: a detector reads a *conversation* in convguard's encoding (roles written as words, the latest "
        "user turn and the original request kept, stubs of the turns between; the turn detector one sequence per "
        "turn, pooled to the conversation), not one plain string;",
        f"* **output**: the {n} several heads packed side by side: a sigmoid per binary head and a softmax "
        "per multiclass head (`convguard.modeling.logits_to_scores`), not one activation over all labels;",
        "* **decision**: no single score is the answer. An end needs refused pushes seen by the turn detector and a "
        "harm score over its threshold, and crisis support overrides it (`policy.yaml`, applied by "
        "`convguard.policy`).",
        "",
    ]


# ------------------------------------------------------------------------------------------
# cards
# ------------------------------------------------------------------------------------------

_INTENDED = [
    "## Intended use",
    "",
    "Deciding, after each user turn of a chat with an AI assistant, whether to continue, to end the conversation "
    "**as a last resort** (a user who keeps pushing for seriously harmful content, or keeps abusing the assistant, "
    "after several refusals and redirections), or to offer crisis support (signs of self-harm or of danger to "
    "others, which always override an end); and auditing logged conversations before a threshold or model change "
    "ships (`convguard evaluate`, `replay`).",
    "",
    "## Limitations",
    "",
    "* Trained on what the data fingerprint in this card identifies; convguard's default is a seeded, generated "
    "English corpus (the project's data/README.md is its datasheet). Check it on your own conversations before relying "
    "on it: thresholds chosen on one distribution move on another.",
    "* English conversations; the crisis-support messages exist per locale in `policy.yaml`, and their helplines "
    "must be checked for each region you deploy in.",
    "* Crisis recall in convguard's reference runs is below its 95% target: this is no substitute for human "
    "escalation paths, and no crisis chat should depend on it alone.",
    "* It judges multi-turn persistence after refusals, not single messages: it is not a content filter.",
    "* The metrics in this card are the ones recorded in the bundle (or the training run), on the data their names "
    "say (`test_`: the held-out test split, `challenge_`: the hand-written challenge set; `val`: validation).",
    "",
]


def _load_lines(repo: str, what: str) -> list[str]:
    if what == "bundle":
        return ["## Load it with convguard", "",
                "```python",
                "from convguard import Guard",
                "from convguard.hub import pull",
                "",
                f'path = pull("{repo}", "convguard-bundle")   # real files: Guard.load refuses the hub cache\'s '
                f'symbolic links',
                "guard = Guard.load(path)                      # verifies every file's sha256 against manifest.json",
                'd = guard.check([{"role": "user", "content": "..."}])',
                "d.action, d.scores, d.reason, d.message, d.evidence",
                "```", "",
                "`convguard predict --bundle convguard-bundle ...`, `convguard serve --bundle convguard-bundle` and "
                "`convguard export --bundle convguard-bundle --format onnx|mlflow` take the folder too "
                f"(`pip install convguard` from the project's source; `{HUB_EXTRA}` for `pull`).", ""]
    return ["## Load it with convguard", "",
            "```python",
            "from convguard.guard import Detector, TorchBackend",
            "from convguard.hub import pull",
            "from convguard.schema import ValidationOptions, validate_messages",
            "",
            f'path = pull("{repo}", "convguard-{what}")',
            "detector = Detector(path, TorchBackend(path))    # convguard's encoding, heads and pooling",
            'conv = validate_messages([{"role": "user", "content": "..."}], ValidationOptions())',
            "detector.scores([conv])   # per head, one row per conversation (a turn detector: per-turn evidence in "
            "'turns')",
            "```", "",
            "A decision needs both detectors and a policy: build a bundle with `convguard bundle --harm DIR --crisis "
            "DIR --validation labelled.jsonl` (thresholds chosen on your validation data) and load that with "
            "`convguard.Guard.load`.", ""]


def _data_lines(fp: Any, title: str = "## Training data") -> list[str]:
    if not isinstance(fp, dict) or not fp.get("sha256"):
        return [title, "", "No data fingerprint recorded.", ""]
    counts = "; ".join(f"{k}: " + ", ".join(f"{a}={b}" for a, b in v.items())
                       for k, v in fp.items() if k in ("terminate", "crisis", "group") and isinstance(v, dict))
    return [title, "", f"{fp.get('n', '?')} conversations, sha256 `{fp['sha256']}` "
                       f"(`convguard.dataset.fingerprint`; the same digest names the dataset in the MLflow runs). "
                       f"Labels: {counts}.", ""]


def bundle_card(root: str | Path, manifest: Mapping[str, Any] | None = None, repo: str = PLACEHOLDER_REPO) -> str:
    """The model card of the bundle at ``root`` (from its manifest, policy and detector configs)."""
    root = Path(root)
    m = dict(manifest) if manifest is not None else _json(root / MANIFEST)
    pol = _policy(root)
    metas = {d: _detector_meta(root / d) for d in DETECTORS}
    base = _hub_base(metas["harm"]["base_model"])
    lines = _front_matter(base, ["convguard", "conversation-safety", "multi-turn", "crisis-support"])
    lines += ["# convguard bundle", "",
              "Two conversation classifiers and the policy that turns their scores into one action per "
              "conversation: `continue`, `end_conversation` (a last resort) or `crisis_support` (which always "
              "overrides an end). Folders: `harm/` (" + ROLES["harm"] + "), `crisis/` (" + ROLES["crisis"] + "), "
              + ("`baselines/` (TF-IDF baselines, skops), " if (root / "baselines").is_dir() else "")
              + "`policy.yaml`, `manifest.json` (sha256 of every file), "
              + ("`onnx/` (ONNX exports), " if (root / "onnx").is_dir() else "")
              + ("`manifest.sig` (Ed25519 signature), " if (root / SIGNATURE).exists() else "")
              + "this card.", ""]
    lines += _load_lines(repo, "bundle")
    lines += _pipeline_warning(metas)
    th = pol.get("thresholds") if isinstance(pol.get("thresholds"), dict) else {}
    rules = pol.get("rules") if isinstance(pol.get("rules"), dict) else {}
    temp = pol.get("temperature") if isinstance(pol.get("temperature"), dict) else {}
    sel = pol.get("selection") if isinstance(pol.get("selection"), dict) else {}
    lines += ["## Policy (`policy.yaml`)", ""]
    if not pol:
        lines += ["`policy.yaml` is missing or unreadable.", ""]
    else:
        lines += _table(["threshold", "value"], [[f"`{k}`", _num(v)] for k, v in th.items()])
        lines += _table(["rule", "value"], [[f"`{k}`", _num(v)] for k, v in rules.items()])
        if temp:
            lines += ["Temperatures (fitted on validation before the thresholds were chosen): "
                      + ", ".join(f"{k} {_num(v)}" for k, v in temp.items()) + ".", ""]
        how = []
        for head in ("terminate", "crisis"):
            s = sel.get(head)
            if isinstance(s, dict) and s.get("strategy"):
                params = s.get("params") if isinstance(s.get("params"), dict) else {}
                how.append(f"`{head}` by `{s['strategy']}`" + (f" ({', '.join(f'{k}={v}' for k, v in params.items())})"
                                                              if params else ""))
        data = sel.get("data") if isinstance(sel.get("data"), dict) else {}
        if how:
            lines += ["Thresholds chosen " + "; ".join(how)
                      + (f", on {data.get('n_rows', '?')} rows of {data.get('split', 'validation')} "
                         f"({data.get('rows', '')}, sha256 `{str(data.get('sha256', ''))[:16]}`)" if data else "")
                      + ".", ""]
        else:
            lines += ["The thresholds were set by hand (no selection recorded).", ""]
    # names: convguard.metric_names (a manifest an older version wrote reads under the current names)
    metrics = canonical_metrics(m["metrics"]) if isinstance(m.get("metrics"), dict) else {}
    lines += ["## Metrics recorded in the bundle", ""]
    lines += (_table(["metric", "value"], [[f"`{k}`", _num(v)] for k, v in sorted(metrics.items())]) if metrics
              else ["None recorded (`convguard quickstart` records the test and challenge figures; "
                    "`convguard evaluate` writes a full report).", ""])
    onnx = m.get("onnx") if isinstance(m.get("onnx"), dict) else {}
    parity = onnx.get("parity") if isinstance(onnx.get("parity"), dict) else {}
    if parity:
        lines += ["ONNX parity with PyTorch (`onnx/parity.json`):", ""]
        lines += _table(["variant", "decision agreement", "max score diff", "passed"],
                        [[v, _num(r.get("decision_agreement"), 4), _num(r.get("max_abs_diff"), 4), r.get("passed")]
                         for v, r in parity.items() if isinstance(r, dict)])
    lines += _data_lines(m.get("data_fingerprint"))
    for d in DETECTORS:
        meta = metas[d]
        lines += [f"## `{d}/`: {ROLES[d]}", "",
                  f"{meta['model_type'] or '?'} ({', '.join(meta['architectures']) or '?'}), encoder "
                  f"`{meta['base_model'] or '?'}`; {_encoding_words(meta['encoding'])}.", ""]
        lines += _heads_table(meta["heads"])
    lines += _INTENDED
    versions = m.get("versions") if isinstance(m.get("versions"), dict) else {}
    lines += ["## Integrity", "",
              "`Guard.load` recomputes every file's sha256 against `manifest.json` and refuses a tampered, "
              "truncated or incomplete bundle, pickles, code and symbolic links; the model cards are the only files "
              "the manifest leaves out. " + ("`manifest.sig` signs the manifest: load with "
                                             "`Guard.load(path, verify=PUBLIC_KEY)`. " if (root / SIGNATURE).exists()
                                             else "")
              + ("Built with " + ", ".join(f"{k} {v}" for k, v in versions.items()) + "." if versions else ""), ""]
    runs = {k: m.get(k) for k in ("quickstart_run", "bundle_run", "training_runs") if m.get(k)}
    if runs:
        lines += ["MLflow runs that produced it: " + json.dumps(runs, sort_keys=True) + ".", ""]
    return "\n".join(lines)


def detector_card(folder: str | Path, *, training: Mapping[str, Any] | None = None,
                  bundle_manifest: Mapping[str, Any] | None = None, repo: str = PLACEHOLDER_REPO) -> str:
    """The model card of one detector folder; ``training``: its run's summary (validation
    metrics, data fingerprints), ``bundle_manifest``: the manifest of the bundle it belongs to."""
    folder = Path(folder)
    meta = _detector_meta(folder)
    what = meta["recipe"] if meta["recipe"] in DETECTORS else (folder.name if folder.name in DETECTORS else "detector")
    lines = _front_matter(_hub_base(meta["base_model"]), ["convguard", "conversation-safety", "multi-turn"])
    lines += [f"# convguard {what} detector", "",
              f"A convguard {ROLES.get(what, 'detector')}: a {meta['model_type'] or '?'} encoder "
              f"(`{meta['base_model'] or '?'}`) fine-tuned with heads for "
              + ", ".join(f"`{h.get('name')}`" for h in meta["heads"]) + ". It scores; it decides nothing on its "
              "own -- the thresholds and rules live in a bundle's `policy.yaml`.", ""]
    lines += _load_lines(repo, what)
    lines += _pipeline_warning({what: meta})
    lines += ["## Input encoding", "", _encoding_words(meta["encoding"]) + " (`config.json` `convguard.encoding`: "
              + ", ".join(f"{k}={v}" for k, v in sorted(meta["encoding"].items())) + ").", ""]
    lines += ["## Heads", ""] + _heads_table(meta["heads"])
    if training:
        vm = training.get("val_metrics") if isinstance(training.get("val_metrics"), dict) else {}
        lines += ["## Training", "",
                  f"{training.get('steps', '?')} steps (best at {training.get('best_step', '?')}) on "
                  f"{training.get('n_train_examples', '?')} examples, {training.get('precision') or 'fp32'}"
                  + (f", MLflow run `{training['run_id']}`" if training.get("run_id") else "") + ".", ""]
        if vm:
            lines += ["Validation metrics at the end of training:", ""]
            lines += _table(["metric", "value"], [[f"`{k}`", _num(v)] for k, v in sorted(vm.items())])
        fps = training.get("data_fingerprint") if isinstance(training.get("data_fingerprint"), dict) else {}
        for split, fp in fps.items():
            lines += _data_lines(fp, f"## Data: {split}")
    if bundle_manifest is not None:
        metrics = canonical_metrics(bundle_manifest["metrics"]) if isinstance(bundle_manifest.get("metrics"), dict) \
            else {}
        lines += ["## In its bundle", "",
                  "This folder is one detector of a convguard bundle (`../`, whose card has the policy): the "
                  "bundle's recorded metrics are for the whole system, both detectors and the policy.", ""]
        if metrics:
            lines += _table(["metric", "value"], [[f"`{k}`", _num(v)] for k, v in sorted(metrics.items())])
        lines += _data_lines(bundle_manifest.get("data_fingerprint"))
    if not training and bundle_manifest is None:
        lines += ["## Training", "", "No training summary found beside this folder.", ""]
    lines += _INTENDED
    return "\n".join(lines)


def _write(path: Path, text: str) -> Path:
    if not path.exists() or path.read_text(encoding="utf-8", errors="replace") != text:
        path.write_text(text, encoding="utf-8")
    return path


def write_bundle_cards(root: str | Path, manifest: Mapping[str, Any] | None = None,
                       repo: str = PLACEHOLDER_REPO) -> list[Path]:
    """Write the bundle's card and its detectors' (``write_manifest`` calls this).  A card that
    cannot be written is logged, never an error: the bundle itself is complete without it."""
    root = Path(root)
    m = dict(manifest) if manifest is not None else _json(root / MANIFEST)
    out = []
    try:
        out.append(_write(root / CARD, bundle_card(root, m, repo)))
        for d in DETECTORS:
            if (root / d).is_dir():
                out.append(_write(root / d / CARD, detector_card(root / d, bundle_manifest=m, repo=repo)))
    except (OSError, ValueError, TypeError, KeyError, AttributeError) as e:  # a card never fails a bundle write
        log.warning("%s: could not write the model card: %s: %s", root, type(e).__name__, e)
    return out


def _training_summary(folder: Path) -> dict[str, Any] | None:
    """The summary a training run wrote beside ``folder`` (``<output_dir>/summary.json`` for
    ``<output_dir>/model``), or None."""
    for p in (folder / "summary.json", folder.parent / "summary.json"):
        d = _json(p)
        if d.get("model_dir") and Path(d["model_dir"]).name == folder.name:
            return d
    return None


def write_detector_card(folder: str | Path, training: Mapping[str, Any] | None = None,
                        repo: str = PLACEHOLDER_REPO) -> Path:
    """Write ``folder/README.md``: the card of a training run's detector folder (``training``:
    the run's summary; default: its ``summary.json`` when there is one), or, for a bundle's
    ``harm/`` or ``crisis/``, the card :func:`write_bundle_cards` writes."""
    folder = Path(folder)
    if folder.name in DETECTORS and (folder.parent / MANIFEST).is_file():
        text = detector_card(folder, bundle_manifest=_json(folder.parent / MANIFEST), repo=repo)
    else:
        text = detector_card(folder, training=training if training is not None else _training_summary(folder),
                             repo=repo)
    return _write(folder / CARD, text)
