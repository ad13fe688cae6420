"""``convguard`` command line: one console script, one subcommand per job.

    convguard data generate|validate|stats ...
    convguard train CONFIG [key=value ...]
    convguard quickstart [--out DIR] [key=value ...]
    convguard predict --bundle DIR --input IN.jsonl --output OUT.jsonl
    convguard evaluate | sweep | replay | compare ...
    convguard export --bundle DIR --format onnx|mlflow
    convguard serve -m MODEL_DIR | --bundle DIR
    convguard push --bundle DIR | --detector DIR --repo OWNER/NAME
    convguard config show CONFIG [key=value ...]
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from .config import ConfigError
from .eval_cli import StoreFlags, add_eval_parsers
from .flags import FlagGroup
from .schema import ConversationError

log = logging.getLogger("convguard")


def _setup_logging(verbose: bool) -> None:
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s", datefmt="%H:%M:%S")
    for noisy in ("urllib3", "matplotlib", "alembic", "mlflow", "httpx", "filelock", "PIL"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    try:
        import transformers

        transformers.logging.set_verbosity_error()
    except ImportError:  # pragma: no cover
        pass


# ------------------------------------------------------------------------------------------
# data
# ------------------------------------------------------------------------------------------

def cmd_data_generate(a: argparse.Namespace) -> int:
    from . import datagen

    try:
        variations = datagen.Variations(specific_refusals=a.specific_refusals, give_ups=a.give_ups)
    except ValueError as e:
        raise SystemExit(f"convguard data generate: {e}")
    summary = datagen.generate(a.out, seed=a.seed, variations=variations, **({"n": a.n} if a.n else {}))
    print(json.dumps({k: summary.get(k) for k in ("generator_version", "n", "seed", "variations", "splits")}, indent=1,
                     default=str))
    print(json.dumps({"groups": summary["counts"]["all"].get("group")}, default=str))
    print(f"wrote {a.out}/train.jsonl, validation.jsonl, test.jsonl")
    return 0


def cmd_data_validate(a: argparse.Namespace) -> int:
    from .io import read_conversations
    from .schema import ValidationOptions

    taxonomy = None
    if a.taxonomy:
        from pathlib import Path

        from .config import load_config
        from .modeling import read_taxonomy

        p = Path(a.taxonomy)
        if p.is_dir():  # a bundle (its harm/ detector) or a harm detector folder
            taxonomy = read_taxonomy(p / "harm" if (p / "harm" / "config.json").exists() else p)
            if taxonomy is None:
                raise ConfigError(f"{p}: a detector without a harm_category head has no taxonomy")
        else:
            cfg = load_config(p)
            if not hasattr(cfg, "data"):
                raise ConfigError(f"{p}: not a training or quickstart config (no data section holding a taxonomy)")
            taxonomy = cfg.data.taxonomy
    opts = ValidationOptions(require_user_last=a.require_user_last, require_labels=a.require_labels,
                             max_message_chars=a.max_message_chars, max_line_bytes=a.max_line_bytes,
                             tool_turns=a.tool_turns, taxonomy=taxonomy)
    # every record is checked: each bad one is listed (file, line, field), then the exact count
    convs, report = read_conversations(a.file, options=opts, skip_invalid=True)
    print(report.summary(limit=a.max_errors))
    if report.n_skipped:
        if not a.skip_invalid:
            print(f"convguard: error: {report.n_skipped} invalid record(s) in {a.file}; the first: "
                  f"{report.skipped[0]}", file=sys.stderr)
            return 2
        return 0 if a.allow_skipped else 1
    if not report.read:
        print(f"convguard: error: {a.file}: no conversations in the file", file=sys.stderr)
        return 2
    return 0


def cmd_data_stats(a: argparse.Namespace) -> int:
    from .io import read_conversations
    from .stats import compute_stats, format_stats

    convs, report = read_conversations(a.file, skip_invalid=a.skip_invalid)
    if report.n_skipped:
        print(report.summary(), file=sys.stderr)
    tok = None
    if a.tokenizer:
        from transformers import AutoTokenizer

        from .modeling import resolve_base

        tok = AutoTokenizer.from_pretrained(resolve_base(a.tokenizer), trust_remote_code=False)
    stats = compute_stats(convs, tokenizer=tok)
    print(json.dumps(stats, indent=1, default=str) if a.json else format_stats(stats))
    return 0


# ------------------------------------------------------------------------------------------
# training
# ------------------------------------------------------------------------------------------

def cmd_train(a: argparse.Namespace) -> int:
    from .config import load_config
    from .recipes import run_recipe

    cfg = load_config(a.config, a.overrides, kind="recipe")
    summary = run_recipe(cfg)
    print(json.dumps({k: v for k, v in summary.items() if k not in ("fit", "models", "data_fingerprint")},
                     indent=1, default=str))
    return 0


def cmd_quickstart(a: argparse.Namespace) -> int:
    from .config import load_config
    from .quickstart import run_quickstart

    overrides = list(a.overrides)
    if a.out:
        overrides.append(f"out={a.out}")
    cfg = load_config(a.config, overrides, kind="quickstart")
    run_quickstart(cfg)
    return 0


def cmd_bundle(a: argparse.Namespace) -> int:
    from .assemble import run_bundle
    from .config import load_config

    overrides = list(a.overrides)
    for key in ("harm", "crisis", "baselines", "validation", "out"):
        if getattr(a, key) is not None:
            overrides.append(f"{key}={getattr(a, key)}")
    cfg = load_config(a.config, overrides, kind="bundle")
    res = run_bundle(cfg, source=a.config or "<command line>", sign_key=getattr(a, "sign_key", None))
    th = res["policy"].thresholds
    print(json.dumps({"bundle": res["bundle"], "thresholds": {"terminate": th.terminate, "crisis": th.crisis,
                                                             "crisis_hold": th.crisis_hold, "evidence": th.evidence},
                      "run_id": res["run_id"], **({"signed_by": res["signed_by"]} if res.get("signed_by") else {})},
                     indent=1))
    return 0


def cmd_config_show(a: argparse.Namespace) -> int:
    import yaml

    from .config import config_kind, load_config, read_yaml, to_dict

    kind = config_kind(read_yaml(a.config)) if a.config else "recipe"
    cfg = load_config(a.config, a.overrides, kind=kind)
    print(yaml.safe_dump(to_dict(cfg), sort_keys=False))
    return 0


# ------------------------------------------------------------------------------------------
# predict
# ------------------------------------------------------------------------------------------

def cmd_predict(a: argparse.Namespace) -> int:
    from .guard import Guard
    from .io import read_conversations, write_jsonl
    from .schema import ValidationOptions

    # the input is read and validated before the model loads (seconds): a bad file fails at once,
    # naming every bad line
    from .bundle import bundle_taxonomy

    # labels in the input (optional) are checked against the bundle's harm categories
    opts = ValidationOptions(require_user_last=not a.allow_any_last, tool_turns=a.tool_turns,
                             max_line_bytes=a.max_line_bytes, taxonomy=bundle_taxonomy(a.bundle))
    convs, report = read_conversations(a.input, skip_invalid=True, options=opts)
    if report.n_skipped or report.notes:
        print(report.summary(limit=a.max_errors), file=sys.stderr)
    if report.n_skipped and not a.skip_invalid:
        print(f"convguard: error: {report.n_skipped} invalid record(s) in {a.input}, nothing scored (--skip-invalid "
              f"scores the valid ones); the first: {report.skipped[0]}", file=sys.stderr)
        return 2
    guard = Guard.load(a.bundle, backend=a.backend, onnx_variant=a.onnx_variant,
                       require_user_last=not a.allow_any_last)
    out = []
    from tqdm.auto import tqdm

    for s in tqdm(range(0, len(convs), a.batch_size), desc="predict", disable=not sys.stderr.isatty()):
        chunk = convs[s: s + a.batch_size]
        decisions = guard.check_many([c.messages for c in chunk], locale=a.locale)
        for c, d in zip(chunk, decisions):
            rec = {"id": c.id, "action": d.action, "scores": d.scores, "reason": d.reason, "evidence": d.evidence}
            if a.with_message:
                rec["message"] = d.message
            out.append(rec)
    try:
        write_jsonl(out, a.output)
    except OSError as e:
        print(f"convguard: error: {a.output}: cannot write the decisions: {e.strerror or e}", file=sys.stderr)
        return 2
    counts: dict[str, int] = {}
    for r in out:
        counts[r["action"]] = counts.get(r["action"], 0) + 1
    print(f"wrote {len(out)} decisions to {a.output}: {counts}")
    if report.n_skipped:
        print(f"convguard: {report.n_skipped} invalid record(s) in {a.input} skipped, not scored (listed above)"
              + ("" if a.allow_skipped else "; exit 1 (--allow-skipped: exit 0)"), file=sys.stderr)
        return 0 if a.allow_skipped else 1
    return 0


# ------------------------------------------------------------------------------------------
# export, serve, push (implemented in convguard.export / .serve / .hub; the evaluation
# subcommands' parsers and functions are convguard.eval_cli's)
# ------------------------------------------------------------------------------------------

def cmd_serve(a: argparse.Namespace) -> int:
    from .serve import serve_cli

    return serve_cli(a)


def cmd_export(a: argparse.Namespace) -> int:
    from .export import export_cli

    if not getattr(a, "sign_key", None):
        return export_cli(a)
    # signed: ONNX first (it rewrites the manifest), then sign, then package the signed bundle
    from .bundle import key_fingerprint, load_private_key, sign_bundle

    key = load_private_key(a.sign_key)  # a bad key fails before minutes of export
    formats = list(dict.fromkeys(a.format or []))
    rc = 0
    if "onnx" in formats:
        rc = export_cli(argparse.Namespace(**{**vars(a), "format": ["onnx"]}))
        if rc:
            print(f"convguard: {a.bundle} NOT signed: the ONNX export failed its parity check (exit {rc})",
                  file=sys.stderr)
            return rc
    sig = sign_bundle(a.bundle, key)
    print(f"signed: {sig} (key {key_fingerprint(key.public_key())}); load with "
          f"Guard.load(bundle, verify=PUBLIC_KEY_FILE)")
    if "mlflow" in formats:
        rc = export_cli(argparse.Namespace(**{**vars(a), "format": ["mlflow"]}))
    return rc


def cmd_push(a: argparse.Namespace) -> int:
    from .hub import push_cli

    return push_cli(a)


# ------------------------------------------------------------------------------------------
# parser
# ------------------------------------------------------------------------------------------

def _add_input_options(p: argparse.ArgumentParser) -> None:
    """How ``data validate`` and ``predict`` read chat logs (schema.ValidationOptions)."""
    p.add_argument("--tool-turns", choices=("context", "skip"), default="context",
                   help="OpenAI/HF tool turns (tool/function messages, tool-call-only assistant messages): keep as "
                   "system context or skip them (default: %(default)s)")
    from .schema import MAX_LINE_BYTES

    p.add_argument("--max-line-bytes", type=int, default=MAX_LINE_BYTES,
                   help="longest JSONL/CSV line read; longer lines are reported (default: %(default)s)")
    p.add_argument("--max-errors", type=int, default=50,
                   help="invalid records listed; the count stays exact (default: %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="convguard", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = p.add_subparsers(dest="command", required=True)

    # data
    d = sub.add_parser("data", help="generate, validate and describe conversation data")
    dsub = d.add_subparsers(dest="data_command", required=True)
    g = dsub.add_parser("generate", help="write the embedded default corpus (deterministic)")
    g.add_argument("--out", required=True, help="folder for train/validation/test.jsonl and manifest.json")
    g.add_argument("--n", type=int, default=None, help="number of conversations (default: the generator's)")
    g.add_argument("--seed", type=int, default=0, help="generator seed")
    g.add_argument("--specific-refusals", type=float, default=0.0,
                   help="share of refusal reasons/alternatives specific to the request's harm cluster (a variation, "
                        "off by default; data/README.md section 3)")
    g.add_argument("--give-ups", type=float, default=0.0,
                   help="share of refused-and-dropped chats whose drop turn is a give-up (a variation, off by default)")
    g.set_defaults(func=cmd_data_generate)
    v = dsub.add_parser("validate", help="check a file against the schema; errors name file, line and field")
    v.add_argument("file", help="JSONL, CSV, Parquet, or a saved HF dataset folder")
    v.add_argument("--skip-invalid", action="store_true", help="treat invalid records as skipped: exit 1, not 2 "
                   "(every invalid record is reported either way)")
    v.add_argument("--allow-skipped", action="store_true", help="with --skip-invalid: exit 0 even when records "
                   "were invalid")
    v.add_argument("--require-user-last", action="store_true", help="every conversation must end on a user turn")
    v.add_argument("--require-labels", action="store_true", help="training labels must be present")
    v.add_argument("--max-message-chars", type=int, default=32_000, help="longest message (default: %(default)s)")
    v.add_argument("--taxonomy", default=None, metavar="CONFIG_OR_BUNDLE",
                   help="check labels.harm_category against this training config's data.taxonomy or this bundle's "
                        "harm categories (default: the default taxonomy)")
    _add_input_options(v)
    v.set_defaults(func=cmd_data_validate)
    s = dsub.add_parser("stats", help="counts per label/subtype/category, turn and token lengths")
    s.add_argument("file", help="labelled conversations (any format data validate reads)")
    s.add_argument("--tokenizer", default="embedded", help="tokenizer for token lengths ('' to skip)")
    s.add_argument("--json", action="store_true", help="print JSON instead of tables")
    s.add_argument("--skip-invalid", action="store_true", help="leave invalid records out (they are counted)")
    s.set_defaults(func=cmd_data_stats)

    # train / quickstart / config
    t = sub.add_parser("train", help="run a training recipe from a YAML config")
    t.add_argument("config", help="recipe YAML, e.g. configs/harm_minilm.yaml")
    t.add_argument("overrides", nargs="*", help="dotted overrides, e.g. train.lr=1e-4")
    t.set_defaults(func=cmd_train)
    q = sub.add_parser("quickstart", help="generate, train both detectors and baselines, choose thresholds, "
                       "evaluate, write the bundle (the main job)")
    q.add_argument("--out", default=None, help="output folder (default: the config's out, quickstart)")
    q.add_argument("--config", default=None, help="quickstart config (default: built-in defaults = "
                   "configs/quickstart.yaml)")
    q.add_argument("overrides", nargs="*", help="dotted overrides, e.g. crisis.train.epochs=3")
    q.set_defaults(func=cmd_quickstart)
    b = sub.add_parser("bundle", help="a bundle from trained detectors: thresholds chosen on validation, "
                       "policy, manifest (any training run; the quickstart does the same)")
    b.add_argument("--config", default=None, help="bundle config (e.g. configs/bundle.yaml; default: built-in defaults)")
    b.add_argument("--harm", default=None, help="harm detector: a training run's output_dir or its model/ folder")
    b.add_argument("--crisis", default=None, help="turn (crisis) detector: output_dir or model/ folder")
    b.add_argument("--baselines", default=None, help="TF-IDF baselines: a baseline run's output_dir (optional)")
    b.add_argument("--validation", default=None, help="labelled JSONL the thresholds are chosen on")
    b.add_argument("--out", default=None, help="bundle folder to write (replaced)")
    b.add_argument("--sign-key", default=None, metavar="PEM", help="sign the bundle with this Ed25519 private key "
                   "(manifest.sig; load with Guard.load(..., verify=PUBLIC_KEY)); see the README's 'Signed bundles'")
    b.add_argument("overrides", nargs="*", help="dotted overrides, e.g. thresholds.max_fpr=0.005")
    b.set_defaults(func=cmd_bundle)
    c = sub.add_parser("config", help="inspect configs")
    csub = c.add_subparsers(dest="config_command", required=True)
    cs = csub.add_parser("show", help="print the resolved config")
    cs.add_argument("config", nargs="?", help="a config YAML (default: the built-in recipe defaults)")
    cs.add_argument("overrides", nargs="*", help="dotted overrides, e.g. train.lr=3e-5")
    cs.set_defaults(func=cmd_config_show)

    # predict
    pr = sub.add_parser("predict", help="score conversations with a bundle")
    pr.add_argument("--bundle", required=True, help="bundle folder (verified before loading)")
    pr.add_argument("--input", required=True, help="conversations to score (JSONL, CSV, Parquet, HF folder)")
    pr.add_argument("--output", required=True, help="JSONL of decisions, one line per conversation, with the evidence")
    pr.add_argument("--backend", choices=("torch", "onnx"), default="torch", help="PyTorch or the exported ONNX models")
    pr.add_argument("--onnx-variant", choices=("fp32", "int8"), default="fp32", help="which ONNX export (--backend onnx)")
    pr.add_argument("--batch-size", type=int, default=32, help="conversations per scoring batch")
    pr.add_argument("--locale", default=None, help="locale of the crisis-support message (default: the policy's)")
    pr.add_argument("--with-message", action="store_true", help="include the user-facing message")
    pr.add_argument("--skip-invalid", action="store_true", help="score the valid records, list the invalid ones "
                    "and exit 1 (default: exit 2 and score nothing when any record is invalid)")
    pr.add_argument("--allow-skipped", action="store_true", help="with --skip-invalid: exit 0 although records "
                    "were skipped")
    pr.add_argument("--allow-any-last", action="store_true",
                    help="score conversations that end on an assistant turn too")
    _add_input_options(pr)
    pr.set_defaults(func=cmd_predict)

    # evaluation: evaluate, sweep, replay, checklist, compare (flags generated from typed fields)
    add_eval_parsers(sub)

    ex = sub.add_parser("export", help="export a bundle: ONNX (fp32, int8) or an MLflow pyfunc model")
    ex.add_argument("--bundle", required=True, help="bundle to export (the ONNX files are written into it)")
    ex.add_argument("--format", action="append", choices=("onnx", "mlflow"), required=True, help="repeat for both: onnx (fp32 + int8 in the bundle) and/or mlflow (a pyfunc model)")
    ex.add_argument("--parity-data", default=None, help="conversations for the parity check (default: a "
                    "generated sample)")
    ex.add_argument("--parity-n", type=int, default=300, help="conversations for the parity check")
    ex.add_argument("--strict-parity", action="store_true", help="exit 3 when int8 parity fails")
    ex.add_argument("--out", default=None, help="for mlflow: also save the model to this folder")
    ex.add_argument("--register-as", default="convguard-guard", help="MLflow registered-model name of the pyfunc")
    FlagGroup(StoreFlags).add_to(ex)
    ex.add_argument("--sign-key", default=None, metavar="PEM", help="sign the bundle with this Ed25519 private key "
                    "after the ONNX export re-hashes it (and before MLflow packages it)")
    ex.set_defaults(func=cmd_export)
    from .serve import add_serve_arguments

    sv = sub.add_parser("serve", help="serve an exported MLflow model (or a bundle) over HTTP: batched, bounded, "
                        "short 4xx errors")
    add_serve_arguments(sv)
    sv.set_defaults(func=cmd_serve)
    pu = sub.add_parser("push", help="upload a bundle or a detector folder to the Hugging Face Hub, with a model "
                        "card written into the folder first (needs huggingface_hub: pip install 'convguard[hub]')")
    what = pu.add_mutually_exclusive_group(required=True)
    what.add_argument("--bundle", default=None, help="bundle folder (verified before anything is uploaded)")
    what.add_argument("--detector", default=None, help="one detector folder: a training run's output_dir or its "
                      "model/ folder, or a bundle's harm/ or crisis/")
    pu.add_argument("--repo", required=True, help="Hub model repository OWNER/NAME (created when missing); the token "
                    "comes from HF_TOKEN or `hf auth login`")
    pu.add_argument("--private", action="store_true", help="create the repository private (an existing one keeps "
                    "its visibility)")
    pu.add_argument("--revision", default=None, help="branch to commit to (default: the repository's main branch)")
    pu.add_argument("--commit-message", default=None, help="commit message (default: 'convguard bundle|detector "
                    "from FOLDER')")
    pu.add_argument("--dry-run", action="store_true", help="check the folder and write its model card; upload nothing")
    pu.set_defaults(func=cmd_push)
    _describe(p, ())
    return p


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions as written (the example keeps its line); every flag that has a default shows it."""

    def _get_help_string(self, action: argparse.Action) -> str:
        text = action.help or ""
        if "default" in text or action.required or action.default in (None, False, argparse.SUPPRESS) \
                or not action.option_strings:
            return text
        return f"{text} (default: %(default)s)"


#: one line a user can paste, per subcommand (``--help`` shows it)
EXAMPLES: dict[tuple[str, ...], str] = {
    ("data",): "convguard data validate my_chats.jsonl",
    ("data", "generate"): "convguard data generate --out data/generated --n 3000",
    ("data", "validate"): "convguard data validate my_chats.jsonl --max-errors 20",
    ("data", "stats"): "convguard data stats data/generated/train.jsonl",
    ("train",): "convguard train configs/harm_minilm.yaml train.lr=3e-5 train.epochs=2",
    ("quickstart",): "convguard quickstart --out quickstart crisis.train.epochs=3",
    ("bundle",): "convguard bundle --config configs/bundle.yaml --out my_bundle",
    ("config",): "convguard config show configs/quickstart.yaml seed=1",
    ("config", "show"): "convguard config show configs/harm_minilm.yaml train.lr=3e-5",
    ("predict",): "convguard predict --bundle quickstart/bundle --input chats.jsonl --output decisions.jsonl",
    ("evaluate",): "convguard evaluate --bundle quickstart/bundle --data data/challenge",
    ("sweep",): "convguard sweep --bundle quickstart/bundle --data quickstart/data/validation.jsonl --max-fpr 0.005",
    ("replay",): "convguard replay --bundle quickstart/bundle --data quickstart/data/test.jsonl",
    ("checklist",): "convguard checklist --bundle quickstart/bundle --data data/challenge",
    ("compare",): "convguard compare --last 5",
    ("export",): "convguard export --bundle quickstart/bundle --format onnx --format mlflow --out guard-model",
    ("serve",): "convguard serve -m guard-model -p 5000",
    ("push",): "convguard push --bundle quickstart/bundle --repo my-org/convguard-guard --private",
}


def _describe(parser: argparse.ArgumentParser, path: tuple[str, ...]) -> None:
    """Every subcommand's --help: what it does, one example, each flag's default."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {a.dest: a.help for a in action._choices_actions}
            for name, sub in action.choices.items():
                sub.formatter_class = _HelpFormatter
                what = sub.description or helps.get(name) or ""
                sub.description = f"{what}\n\nexample:\n  {EXAMPLES[path + (name,)]}"
                _describe(sub, path + (name,))


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    a = parser.parse_args(argv)
    _setup_logging(a.verbose)
    try:
        return int(a.func(a) or 0)
    except (ConversationError, ConfigError, FileNotFoundError, ValueError) as e:
        if a.verbose:
            raise
        print(f"convguard: error: {e}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:  # pragma: no cover
        print("convguard: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
