"""Hostile bundles: what an attacker who can write the bundle (and re-hash its manifest by hand)
would try.  Remote-code configs, code files, pickles in any case, symlinks and paths that leave
the bundle, detectors without their heads, and policies that would switch crisis support off --
each refused with a BundleError before transformers reads the folder; and no bundle code runs,
even where every convguard check is bypassed (the loaders pass trust_remote_code=False)."""

from __future__ import annotations

import ast
import hashlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import yaml

from convguard import Guard
from convguard.bundle import MANIFEST, BundleError, forbidden_suffix, verify_bundle, write_manifest

SRC = Path(__file__).resolve().parents[1] / "src" / "convguard"


@pytest.fixture()
def bundle(tiny_bundle, tmp_path) -> Path:
    dst = tmp_path / "bundle"
    shutil.copytree(tiny_bundle, dst)
    return dst


def forge(root: Path, extra: dict[str, Path] | None = None) -> None:
    """Re-hash every file of ``root`` into its manifest by hand, as an attacker would (no
    convguard refusal on the way), plus ``extra`` entries {manifest path: file}."""
    m = json.loads((root / MANIFEST).read_text())
    files = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        if p.is_file() and not p.is_symlink() and rel not in (MANIFEST, "manifest.sig"):
            files[rel] = {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}
    for rel, p in (extra or {}).items():
        files[rel] = {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}
    m["files"] = files
    (root / MANIFEST).write_text(json.dumps(m))


def refused(root: Path, match: str, **kw) -> None:
    with pytest.raises(BundleError, match=match):
        Guard.load(root, **kw)


def edit_json(p: Path, **changes) -> None:
    d = json.loads(p.read_text())
    d.update(changes)
    p.write_text(json.dumps(d))


# ------------------------------------------------------------------------------------------
# code execution
# ------------------------------------------------------------------------------------------

def test_every_from_pretrained_in_the_package_passes_trust_remote_code_false():
    """Every model, config and tokenizer load in src/ says trust_remote_code=False explicitly:
    transformers then never asks on stdin and never imports code from a folder."""
    calls = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) in ("from_pretrained", "pipeline"):
                kw = {k.arg: k.value for k in node.keywords}
                ok = isinstance(kw.get("trust_remote_code"), ast.Constant) and kw["trust_remote_code"].value is False
                calls.append((f"{path.relative_to(SRC)}:{node.lineno}", ok))
    assert len(calls) >= 7  # the loaders in modeling, guard, export and cli
    assert [c for c, ok in calls if not ok] == []


@pytest.mark.parametrize("detector", ["harm", "crisis"])
@pytest.mark.parametrize("file,changes,match", [
    ("config.json", {"auto_map": {"AutoModelForSequenceClassification": "modeling_evil.EvilModel"}}, "'auto_map'"),
    ("config.json", {"custom_pipelines": {"x": {"impl": "pipe_evil.P"}}}, "'custom_pipelines'"),
    ("config.json", {"model_type": "evil_bert"}, "model_type 'evil_bert' is not a model transformers knows"),
    ("config.json", {"model_type": None}, "model_type None is not a model transformers knows"),
    ("tokenizer_config.json", {"auto_map": {"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]}},
     "tokenizer_config.json: 'auto_map'"),
])
def test_remote_code_configs_are_refused_in_a_rehashed_bundle(bundle, detector, file, changes, match):
    edit_json(bundle / detector / file, **changes)
    forge(bundle)
    refused(bundle, match)
    with pytest.raises(BundleError, match=match):
        verify_bundle(bundle)  # export and sweep verify too
    with pytest.raises(BundleError, match=match):
        write_manifest(bundle)  # and convguard never writes such a bundle


@pytest.mark.parametrize("name", ["modeling_evil.py", "tokenization_evil.PY", "configuration_x.Py", "evil.pyc",
                                  "_native.so", "lib.cpython-311-x86_64-linux-gnu.SO"])
def test_code_files_are_refused_however_the_manifest_is_forged(bundle, name):
    p = bundle / "harm" / name
    p.write_bytes(b"import os\nos.system('touch /tmp/convguard-pwned')\n")
    forge(bundle)
    refused(bundle, rf"{name}: \.(py|pyc|so) files may hold pickles or code")
    with pytest.raises(BundleError, match="pickles or code"):
        write_manifest(bundle)


@pytest.mark.parametrize("name", ["MODEL.PKL", "model.Pkl", "pytorch_model.BIN", "extra.PT", "optimizer.Pth",
                                  "state.JOBLIB", "x.PiCkLe", "last.CKPT", "arr.NPY", "arrs.NpZ", "model.pkl.gz",
                                  "model.pkl.", "training_args.bin", ".pkl"])
def test_pickle_suffixes_are_refused_in_any_case(bundle, name):
    assert forbidden_suffix(name)
    p = bundle / "crisis" / name
    p.write_bytes(b"\x80\x04K\x01.")  # a tiny pickle
    forge(bundle)
    refused(bundle, "may hold pickles or code")
    with pytest.raises(BundleError, match="pickles or code"):
        write_manifest(bundle)


def test_harmless_names_are_not_mistaken_for_pickles():
    for name in ("model.safetensors", "harm.int8.onnx", "tokenizer.json", "vocab.txt", "policy.yaml",
                 "tfidf.skops", "binary.json", "python_notes.md", "spiece.model"):
        assert forbidden_suffix(name) is None, name


NO_CODE_RUNS = r'''
import json, os, sys
from pathlib import Path

bundle, marker = Path(sys.argv[1]), Path(sys.argv[2])
results = {}

def attempt(name, fn):
    try:
        fn()
        results[name] = "loaded"
    except BaseException as e:  # SystemExit from the payload would show up here too
        results[name] = f"{type(e).__name__}: {str(e)[:300]}"
    results[name + ":ran"] = marker.exists()

from convguard import Guard
from convguard.export import export_detector_onnx
from convguard.modeling import load_detector

attempt("guard", lambda: Guard.load(bundle))
attempt("guard_unverified", lambda: Guard.load(bundle, verify=False))
# every convguard check bypassed: the raw loaders, which pass trust_remote_code=False
attempt("load_detector", lambda: load_detector(bundle / "harm"))
attempt("export_detector_onnx", lambda: export_detector_onnx(bundle / "harm", bundle.parent / "x.onnx"))
from transformers import AutoTokenizer
attempt("tokenizer", lambda: AutoTokenizer.from_pretrained(bundle / "harm", trust_remote_code=False))
# the control: what the payload does when a loader *does* trust the folder's code
from transformers import AutoConfig
attempt("control_trusted", lambda: AutoConfig.from_pretrained(bundle / "harm", trust_remote_code=True))
print(json.dumps(results))
'''

PAYLOAD = '''
from pathlib import Path
Path({marker!r}).write_text("bundle code ran")
from transformers import BertConfig, BertForSequenceClassification, BertTokenizer

class EvilConfig(BertConfig):
    model_type = "evil_bert"

class EvilModel(BertForSequenceClassification):
    config_class = EvilConfig

class EvilTokenizer(BertTokenizer):
    pass
'''


def test_no_bundle_code_runs_even_when_every_convguard_check_is_bypassed(bundle, tmp_path):
    """A bundle with a custom model_type, auto_map in config.json and tokenizer_config.json, and the
    modeling/configuration/tokenization code beside them, re-hashed so the manifest is consistent:
    Guard.load (verified or not), the raw detector loader, the ONNX exporter's loader and the
    tokenizer loader all refuse it, with 'y' waiting on stdin, and the payload never runs.  The
    control -- transformers told to trust the folder -- does run it, so the payload is live."""
    marker = tmp_path / "PWNED"
    harm = bundle / "harm"
    for mod in ("modeling_evil", "configuration_evil", "tokenization_evil"):
        (harm / f"{mod}.py").write_text(PAYLOAD.format(marker=str(marker)))
    edit_json(harm / "config.json", model_type="evil_bert",
              auto_map={"AutoConfig": "configuration_evil.EvilConfig",
                        "AutoModelForSequenceClassification": "modeling_evil.EvilModel"})
    edit_json(harm / "tokenizer_config.json", auto_map={"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]})
    forge(bundle)
    script = tmp_path / "probe.py"
    script.write_text(NO_CODE_RUNS)
    env = {**os.environ, "HF_MODULES_CACHE": str(tmp_path / "hf_modules"), "HF_HUB_OFFLINE": "1",
           "TRANSFORMERS_OFFLINE": "1", "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    out = subprocess.run([sys.executable, str(script), str(bundle), str(marker)], input="y\n" * 20, text=True,
                         capture_output=True, env=env, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    res = json.loads(out.stdout.strip().splitlines()[-1])
    for name in ("guard", "guard_unverified", "load_detector", "export_detector_onnx", "tokenizer"):
        assert not res[f"{name}:ran"], (name, res)
    for name in ("guard", "guard_unverified", "load_detector", "export_detector_onnx"):
        assert res[name] != "loaded", (name, res)
    # the tokenizer loader, told not to trust the folder, falls back to the stock BertTokenizer class
    assert res["guard"].startswith("BundleError") and res["guard_unverified"].startswith("BundleError")
    assert ".py files may hold pickles or code" in res["guard"] or "auto_map" in res["guard"]
    assert res["control_trusted:ran"], res  # the payload is live: only trust_remote_code=False kept it out


# ------------------------------------------------------------------------------------------
# paths that leave the bundle
# ------------------------------------------------------------------------------------------

def test_a_detector_folder_linked_from_outside_is_refused(bundle, tmp_path):
    """The issue's probe: crisis/ a symlink to a folder outside that holds a pytorch_model.bin and
    a pickle.  Refused as a link, not scanned through it, and not fixed by re-hashing."""
    outside = tmp_path / "outside_crisis"
    shutil.move(str(bundle / "crisis"), outside)
    (outside / "pytorch_model.bin").write_bytes(b"\x80\x04K\x01.")
    (outside / "x.pkl").write_bytes(b"\x80\x04K\x01.")
    (bundle / "crisis").symlink_to(outside, target_is_directory=True)
    forge(bundle)
    refused(bundle, r"crisis: symbolic links are refused")
    with pytest.raises(BundleError, match="symbolic links"):
        write_manifest(bundle)


@pytest.mark.parametrize("target", ["outside_file", "inside_file"])
def test_a_linked_file_is_refused_wherever_it_points(bundle, tmp_path, target):
    src = tmp_path / "weights.safetensors" if target == "outside_file" else bundle / "crisis" / "model.safetensors"
    shutil.copy(bundle / "harm" / "model.safetensors", tmp_path / "weights.safetensors")
    (bundle / "harm" / "model.safetensors").unlink()
    (bundle / "harm" / "model.safetensors").symlink_to(src)
    forge(bundle, {"harm/model.safetensors": src})
    refused(bundle, r"harm/model.safetensors: symbolic links are refused")


@pytest.mark.parametrize("rel", ["../outside.json", "harm/../../outside.json", "/etc/hostname", "harm//config.json",
                                 "./policy.yaml", "harm\\config.json", "manifest.json", ""])
def test_manifest_entries_that_leave_the_bundle_are_refused(bundle, tmp_path, rel):
    outside = tmp_path / "outside.json"
    outside.write_text("{}")
    m = json.loads((bundle / MANIFEST).read_text())
    m["files"][rel] = {"sha256": hashlib.sha256(b"{}").hexdigest(), "bytes": 2}
    (bundle / MANIFEST).write_text(json.dumps(m))
    refused(bundle, "is not a relative path inside the bundle")


def test_a_fifo_in_the_bundle_is_refused_without_hanging(bundle):
    os.mkfifo(bundle / "harm" / "notes.txt")
    m = json.loads((bundle / MANIFEST).read_text())
    m["files"]["harm/notes.txt"] = {"sha256": hashlib.sha256(b"").hexdigest(), "bytes": 0}
    (bundle / MANIFEST).write_text(json.dumps(m))
    refused(bundle, "notes.txt: not a regular file")


def test_a_nested_manifest_json_is_a_file_like_any_other(bundle):
    """Only the top-level manifest.json is the manifest: a harm/manifest.json is not invisible."""
    (bundle / "harm" / "manifest.json").write_text("{}")
    refused(bundle, r"harm/manifest.json: not listed in the manifest")


def test_an_unparseable_detector_json_is_a_bundle_error_not_a_traceback(bundle):
    (bundle / "harm" / "tokenizer_config.json").write_text("[" * 100_000 + "]" * 100_000)
    forge(bundle)
    refused(bundle, r"tokenizer_config.json: not valid JSON")
    (bundle / MANIFEST).write_text("[" * 100_000 + "]" * 100_000)
    refused(bundle, r"unreadable manifest")


# ------------------------------------------------------------------------------------------
# detectors without their heads
# ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("detector", ["harm", "crisis"])
@pytest.mark.parametrize("edit", ["drop_classifier", "drop_bias", "add_extra"])
def test_a_detector_without_its_trained_heads_is_refused(bundle, detector, edit):
    """Random heads in place of missing classifier weights scored a benign chat 0.57 instead of
    0.0001 in the issue's probe: a detector whose weights do not match its config never loads."""
    import torch
    from safetensors.torch import load_file, save_file

    p = bundle / detector / "model.safetensors"
    w = load_file(str(p))
    if edit == "drop_classifier":
        w = {k: v for k, v in w.items() if not k.startswith("classifier.")}
    elif edit == "drop_bias":
        del w["classifier.bias"]
    else:
        w["extra_head.weight"] = torch.zeros(3, 3)
    save_file(w, str(p), metadata={"format": "pt"})
    forge(bundle)
    match = {"drop_classifier": "missing keys: classifier", "drop_bias": "missing keys: classifier.bias",
             "add_extra": "unexpected keys: extra_head.weight"}[edit]
    refused(bundle, match)
    refused(bundle, match, verify=False)


# ------------------------------------------------------------------------------------------
# re-hashed manifests with policy values that would switch the crisis promise off
# ------------------------------------------------------------------------------------------

HOSTILE_POLICIES = [
    ({"thresholds": {"crisis": 1.0}}, "switches crisis support off"),
    ({"thresholds": {"crisis": float("nan")}}, r"thresholds.crisis: must be in"),
    ({"thresholds": {"crisis": 1.5}}, r"thresholds.crisis: must be in"),
    ({"thresholds": {"crisis": -0.1}}, r"thresholds.crisis: must be in"),
    ({"thresholds": {"crisis": "high"}}, r"thresholds.crisis: expected float"),
    ({"thresholds": {"crisis_hold": float("nan")}}, r"thresholds.crisis_hold: must be in"),
    ({"thresholds": {"evidence": 0.0}}, r"thresholds.evidence: must be in \(0, 1\]"),
    ({"temperature": {"crisis": float("nan")}}, r"temperature.crisis: temperature values must be > 0 and finite"),
    ({"temperature": {"crisis": float("inf")}}, r"temperature.crisis: temperature values must be > 0 and finite"),
    ({"temperature": {"crisis": 1e9}}, r"temperature.crisis: must be in \[0.01, 100\]"),
    ({"temperature": {"crisis": -1.0}}, r"temperature.crisis: temperature values must be > 0"),
    ({"temperature": {"crisis": True}}, r"temperature.crisis: not a number"),
    ({"temperature": {"crissis": 1.0}}, r"temperature.crissis: unknown head \(did you mean 'temperature.crisis'"),
    ({"rules": {"self_harm_veto": float("nan")}}, r"rules.self_harm_veto: must be in"),
    ({"rules": {"min_refused_pushes": -5}}, r"rules.min_refused_pushes: must be in 1..4"),
    ({"rules": {"min_pushes": -5}}, r"rules.min_pushes: must be in 0..3"),
    ({"rules": {"crisis_backup_threshold": float("nan")}}, r"rules.crisis_backup_threshold: must be in"),
    ({"rules": {"crisis_respons_hold": False}}, r"unknown key 'rules.crisis_respons_hold' \(did you mean "
                                                r"'rules.crisis_response_hold'"),
    ({"messages": {"crisis_support": {"en": ""}}}, r"messages.crisis_support.en: must be a non-empty"),
    ({"messages": {"crisis_support": {}}}, r"messages.crisis_support: must hold at least one"),
    ({"messages": {"end_conversation": "bye {"}}, r"messages.end_conversation: not a valid template"),
    ({"threshold": {"crisis": 0.5}}, r"unknown key 'threshold' \(did you mean 'thresholds'"),
    ({"unsafe_disable_crisis_routing": "yes"}, r"unsafe_disable_crisis_routing: must be true or false"),
    ({"selection": ["not", "a", "mapping"]}, r"selection: expected a mapping"),
]


@pytest.mark.parametrize("change,match", HOSTILE_POLICIES, ids=[f"p{i}" for i in range(len(HOSTILE_POLICIES))])
def test_a_rehashed_bundle_with_a_hostile_policy_is_refused(bundle, change, match):
    p = bundle / "policy.yaml"
    d = yaml.safe_load(p.read_text())
    for k, v in change.items():
        d[k] = {**d[k], **v} if isinstance(v, dict) and isinstance(d.get(k), dict) else v
    override = bundle.parent / "override.yaml"
    override.write_text(yaml.safe_dump(d))
    # the documented override, with no manifest involved: the intact bundle, the hostile file
    refused(bundle, match, policy=override)
    # inside the bundle, re-hashed so the manifest is consistent
    shutil.copy(override, bundle / "policy.yaml")
    forge(bundle)
    refused(bundle, match)


def test_an_empty_policy_file_is_refused_not_read_as_defaults(bundle):
    (bundle / "policy.yaml").write_text("")
    forge(bundle)
    refused(bundle, "the policy is empty")
