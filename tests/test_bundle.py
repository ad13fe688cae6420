"""Safe loading: a tampered, truncated, incomplete, pickle-carrying or version-incompatible bundle
is refused with a clear error before anything in it is loaded."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from convguard import Guard
from convguard.bundle import BundleError, verify_bundle, write_manifest


@pytest.fixture()
def bundle(tiny_bundle, tmp_path) -> Path:
    dst = tmp_path / "bundle"
    shutil.copytree(tiny_bundle, dst)
    return dst


def refused(root: Path, match: str) -> None:
    with pytest.raises(BundleError, match=match):
        Guard.load(root)


def test_an_intact_bundle_loads_and_lists_every_file(bundle):
    m = verify_bundle(bundle)
    assert {"harm/model.safetensors", "crisis/model.safetensors", "policy.yaml"} <= set(m["files"])
    assert Guard.load(bundle).check([{"role": "user", "content": "hi"}]).action


def test_one_modified_byte_is_refused(bundle):
    p = bundle / "harm" / "model.safetensors"
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 0x01
    p.write_bytes(bytes(data))
    refused(bundle, r"harm/model.safetensors: sha256 differs .*modified")


def test_a_truncated_file_is_refused(bundle):
    p = bundle / "crisis" / "model.safetensors"
    p.write_bytes(p.read_bytes()[:-100])
    refused(bundle, r"crisis/model.safetensors: size \d+ differs .*truncated")


def test_a_missing_file_is_refused(bundle):
    (bundle / "crisis" / "tokenizer.json").unlink()
    refused(bundle, r"tokenizer.json: listed in the manifest but missing")


def test_an_extra_file_is_refused(bundle):
    (bundle / "harm" / "notes.txt").write_text("hello")
    refused(bundle, r"notes.txt: not listed in the manifest")


@pytest.mark.parametrize("name", ["pytorch_model.bin", "model.pkl", "extra.pt", "state.joblib", "MODEL.PKL"])
def test_an_added_pickle_file_is_refused(bundle, name):
    (bundle / "harm" / name).write_bytes(b"\x80\x04K\x01.")  # a tiny pickle
    refused(bundle, rf"{name}: (not listed in the manifest|.*pickle)")
    # even when someone re-hashes the bundle to make it "consistent", pickles stay out
    with pytest.raises(BundleError, match="pickle"):
        write_manifest(bundle)


def test_a_pickle_listed_in_a_forged_manifest_is_refused(bundle):
    import hashlib

    p = bundle / "harm" / "model.pkl"
    p.write_bytes(b"\x80\x04K\x01.")
    m = json.loads((bundle / "manifest.json").read_text())
    m["files"]["harm/model.pkl"] = {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}
    (bundle / "manifest.json").write_text(json.dumps(m))
    refused(bundle, r"model.pkl: .pkl files may hold pickles or code and are refused")


def test_a_bundle_that_would_run_its_own_code_is_refused_before_transformers_sees_it(bundle):
    """A custom model_type + auto_map + modeling_*.py would make transformers import the bundle's
    code: the .py file is refused however the manifest is forged, and so are auto_map and an
    unknown model_type in a consistent (re-hashed) bundle."""
    import hashlib

    code = bundle / "harm" / "modeling_evil.py"
    code.write_text("raise SystemExit('ran code from the bundle')\n")
    with pytest.raises(BundleError, match="code"):
        write_manifest(bundle)
    m = json.loads((bundle / "manifest.json").read_text())
    m["files"]["harm/modeling_evil.py"] = {"sha256": hashlib.sha256(code.read_bytes()).hexdigest(),
                                           "bytes": code.stat().st_size}
    (bundle / "manifest.json").write_text(json.dumps(m))
    refused(bundle, r"modeling_evil.py: .py files may hold pickles or code")
    code.unlink()
    del m["files"]["harm/modeling_evil.py"]
    (bundle / "manifest.json").write_text(json.dumps(m))
    p = bundle / "harm" / "config.json"
    cfg = json.loads(p.read_text())
    p.write_text(json.dumps({**cfg, "auto_map": {"AutoModel": "modeling_evil.EvilModel"}}))
    with pytest.raises(BundleError, match="auto_map"):  # convguard never writes such a bundle
        write_manifest(bundle)
    for edit, match in (({"auto_map": {"AutoModel": "modeling_evil.EvilModel"}}, "auto_map"),
                        ({"model_type": "evil_bert"}, "model_type 'evil_bert' is not a model transformers knows")):
        p.write_text(json.dumps({**cfg, **edit}))
        m["files"]["harm/config.json"] = {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(),
                                          "bytes": p.stat().st_size}
        (bundle / "manifest.json").write_text(json.dumps(m))  # re-hashed by hand, as an attacker would
        refused(bundle, match)
        with pytest.raises(BundleError, match=match):
            Guard.load(bundle, verify=False)  # the detector's own check, without the manifest


def test_a_missing_manifest_is_refused(bundle):
    (bundle / "manifest.json").unlink()
    refused(bundle, r"no manifest.json; not a convguard bundle")


def test_an_unreadable_manifest_is_refused(bundle):
    (bundle / "manifest.json").write_text("{not json")
    refused(bundle, r"unreadable manifest")


def test_a_manifest_listing_nothing_is_refused(bundle):
    m = json.loads((bundle / "manifest.json").read_text())
    m["files"] = {}
    (bundle / "manifest.json").write_text(json.dumps(m))
    refused(bundle, r"lists no files")


def test_a_wrong_bundle_format_version_is_refused(bundle):
    m = json.loads((bundle / "manifest.json").read_text())
    m["format"] = 99
    (bundle / "manifest.json").write_text(json.dumps(m))
    refused(bundle, r"bundle format 99 is not supported")


def test_a_bundle_from_a_newer_transformers_is_refused(bundle):
    m = json.loads((bundle / "manifest.json").read_text())
    m["versions"]["transformers"] = "999.0.0"
    (bundle / "manifest.json").write_text(json.dumps(m))
    refused(bundle, r"built with transformers 999.0.0, newer than the installed")


def test_a_newer_detector_format_is_refused(bundle):
    p = bundle / "harm" / "config.json"
    cfg = json.loads(p.read_text())
    cfg["convguard"]["format_version"] = 99
    p.write_text(json.dumps(cfg))
    write_manifest(bundle)  # consistent hashes: the content itself is what is refused
    refused(bundle, r"harm/config.json: detector format 99 is not supported")


def test_swapped_detectors_are_refused(bundle):
    (bundle / "harm").rename(bundle / "tmp")
    (bundle / "crisis").rename(bundle / "harm")
    (bundle / "tmp").rename(bundle / "crisis")
    write_manifest(bundle)
    refused(bundle, r"the harm detector lacks head\(s\).*swapped")


def test_a_non_directory_is_refused(tmp_path):
    refused(tmp_path / "nope", r"not a bundle directory")
    (tmp_path / "file").write_text("x")
    refused(tmp_path / "file", r"not a bundle directory")


BAD_POLICIES = [
    (lambda d: d["thresholds"].update(terminate=1.5), r"thresholds.terminate: must be in \[0, 1\], got 1.5"),
    (lambda d: d["thresholds"].update(crisis="high"), r"thresholds.crisis"),
    (lambda d: d.update(version=7), r"policy version 7 is not supported"),
    (lambda d: d["rules"].update(min_refused_pushes="two"), r"rules.min_refused_pushes"),
    (lambda d: d["rules"].update(surprise=1), r"surprise"),
    (lambda d: d["messages"].update(end_conversation="bye {user}"), r"unknown placeholder"),
    (lambda d: d["messages"].update(default_locale="xx"), r"default_locale 'xx' has no crisis_support message"),
    (lambda d: d.update(temperature={"terminate": -1}), r"temperature values must be > 0"),
]


@pytest.mark.parametrize("edit,match", BAD_POLICIES, ids=[f"policy{i}" for i in range(len(BAD_POLICIES))])
def test_a_policy_with_bad_values_is_refused(bundle, edit, match):
    p = bundle / "policy.yaml"
    d = yaml.safe_load(p.read_text())
    edit(d)
    p.write_text(yaml.safe_dump(d))
    write_manifest(bundle)  # hashes consistent: the values themselves are refused
    refused(bundle, match)


def test_a_policy_that_is_not_yaml_is_refused(bundle):
    (bundle / "policy.yaml").write_text("thresholds: [unclosed\n")
    write_manifest(bundle)
    refused(bundle, r"not valid YAML")


def test_an_edited_policy_without_rehashing_is_refused(bundle):
    p = bundle / "policy.yaml"
    p.write_text(p.read_text().replace("terminate: 0.5", "terminate: 0.01"))
    refused(bundle, r"policy.yaml: (sha256|size)")


@pytest.mark.parametrize("edit, match", [("drop_classifier", "missing keys: classifier"),
                                         ("add_extra", "unexpected keys: extra.weight"),
                                         ("reshape_classifier", "(do not fit|mismatched keys)")])
def test_a_detector_whose_weights_do_not_match_its_config_is_refused(bundle, edit, match):
    """Missing classifier weights would load as random heads (a benign chat scored 0.57 instead of
    0.0001 in the issue's probe); the bundle is refused instead, even with consistent hashes."""
    import torch
    from safetensors.torch import load_file, save_file

    p = bundle / "harm" / "model.safetensors"
    w = load_file(str(p))
    if edit == "drop_classifier":
        w = {k: v for k, v in w.items() if not k.startswith("classifier.")}
    elif edit == "reshape_classifier":  # a head of the wrong shape: a located error, not a traceback
        w["classifier.weight"] = torch.zeros(w["classifier.weight"].shape[0] + 1, w["classifier.weight"].shape[1])
    else:
        w["extra.weight"] = torch.zeros(2)
    save_file(w, str(p), metadata={"format": "pt"})
    write_manifest(bundle)
    refused(bundle, match)


def test_symbolic_links_are_refused_wherever_they_point(bundle, tmp_path):
    """A detector folder linked from outside is not what was verified (and its pickles went unseen);
    a linked file can change after verification.  Both are refused, as is a linked bundle."""
    outside = tmp_path / "elsewhere"
    shutil.move(str(bundle / "crisis"), outside)
    (bundle / "crisis").symlink_to(outside, target_is_directory=True)
    refused(bundle, r"crisis: symbolic links are refused")
    with pytest.raises(BundleError, match="symbolic links"):
        write_manifest(bundle)
    (bundle / "crisis").unlink()
    shutil.move(str(outside), bundle / "crisis")
    Guard.load(bundle)  # intact again
    (bundle / "harm" / "notes.md").symlink_to(bundle / "policy.yaml")
    refused(bundle, r"notes.md: symbolic links are refused")
    (bundle / "harm" / "notes.md").unlink()
    link = tmp_path / "linked_bundle"
    link.symlink_to(bundle, target_is_directory=True)
    refused(link, "the bundle is a symbolic link")
