"""The bundle: the directory training ships and serving loads.

```
bundle/
  harm/           Hugging Face save_pretrained folder (safetensors, tokenizer, config with id2label)
  crisis/         the same for the crisis detector
  baselines/      optional TF-IDF + LR baselines (skops, allow-listed types)
  onnx/           optional ONNX exports (convguard export)
  policy.yaml     thresholds, rules, message templates
  manifest.json   versions, sha256 of every file, data fingerprint, headline metrics
```

:func:`verify_bundle` recomputes every hash and refuses a tampered, truncated, incomplete or
version-incompatible bundle, and any file that could hold a pickle.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

from .policy import Policy

BUNDLE_FORMAT = 1
MANIFEST = "manifest.json"
#: files that may hold pickles are never part of a bundle
#: files a bundle may not hold (compared case-insensitively): pickles, and code that a model
#: loader could import (``auto_map`` + ``modeling_*.py``)
FORBIDDEN_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".joblib", ".ckpt", ".npy", ".npz",
                      ".py", ".pyc", ".so")


class BundleError(ValueError):
    pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.name != MANIFEST)


def _refuse_links(root: Path) -> None:
    """No symbolic link anywhere in a bundle: a link can point outside it (a detector folder whose
    pickles the checks never see) and can change after the hashes were checked."""
    import os

    if root.is_symlink():
        raise BundleError(f"{root}: the bundle is a symbolic link; copy the folder instead")
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink():
                raise BundleError(f"{p}: symbolic links are refused in a bundle (it could point outside the bundle "
                                  f"or change after verification); copy the file instead")


def versions() -> dict[str, str]:
    import importlib.metadata as md

    out = {}
    for pkg in ("convguard", "torch", "transformers", "tokenizers", "scikit-learn", "onnxruntime", "mlflow"):
        try:
            out[pkg] = md.version(pkg)
        except md.PackageNotFoundError:
            pass
    return out


def write_manifest(root: str | Path, *, data_fingerprint: dict | None = None, metrics: dict | None = None,
                   extra: dict | None = None) -> dict[str, Any]:
    """(Re)write ``manifest.json`` over what ``root`` holds now."""
    root = Path(root)
    _refuse_links(root)
    for p in _files(root):
        if p.suffix.lower() in FORBIDDEN_SUFFIXES:
            raise BundleError(f"{p}: {p.suffix} files may hold pickles or code and are not allowed in a bundle")
    old = {}
    if (root / MANIFEST).exists():
        old = json.loads((root / MANIFEST).read_text())
    manifest = {
        "format": BUNDLE_FORMAT,
        "versions": versions(),
        "files": {str(p.relative_to(root)): {"sha256": sha256_file(p), "bytes": p.stat().st_size} for p in _files(root)},
        "data_fingerprint": data_fingerprint if data_fingerprint is not None else old.get("data_fingerprint"),
        "metrics": metrics if metrics is not None else old.get("metrics", {}),
    }
    manifest.update({k: v for k, v in old.items() if k not in manifest})
    if extra:
        manifest.update(extra)
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=False))
    return manifest


def write_bundle(out: str | Path, *, harm_dir: str | Path, crisis_dir: str | Path, policy: Policy,
                 baselines_dir: str | Path | None = None, data_fingerprint: dict | None = None,
                 metrics: dict | None = None, extra: dict | None = None) -> Path:
    out = Path(out)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    shutil.copytree(harm_dir, out / "harm")
    shutil.copytree(crisis_dir, out / "crisis")
    if baselines_dir and Path(baselines_dir).exists():
        shutil.copytree(baselines_dir, out / "baselines")
    policy.save(out / "policy.yaml")
    write_manifest(out, data_fingerprint=data_fingerprint, metrics=metrics, extra=extra)
    return out


def verify_bundle(root: str | Path) -> dict[str, Any]:
    """Check a bundle before anything in it is loaded; returns the manifest."""
    root = Path(root)
    if not root.is_dir():
        raise BundleError(f"{root}: not a bundle directory")
    _refuse_links(root)
    mpath = root / MANIFEST
    if not mpath.exists():
        raise BundleError(f"{root}: no {MANIFEST}; not a convguard bundle (or an incomplete copy)")
    try:
        manifest = json.loads(mpath.read_text())
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise BundleError(f"{mpath}: unreadable manifest: {e}") from None
    fmt = manifest.get("format")
    if fmt != BUNDLE_FORMAT:
        raise BundleError(f"{mpath}: bundle format {fmt!r} is not supported by this convguard (reads {BUNDLE_FORMAT}); "
                          f"re-export it with a matching version")
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise BundleError(f"{mpath}: the manifest lists no files")
    for rel, info in files.items():
        p = root / rel
        if not p.exists():
            raise BundleError(f"{p}: listed in the manifest but missing (incomplete bundle)")
        if p.stat().st_size != info.get("bytes"):
            raise BundleError(f"{p}: size {p.stat().st_size} differs from the manifest's {info.get('bytes')} "
                              f"(truncated or modified)")
        if sha256_file(p) != info.get("sha256"):
            raise BundleError(f"{p}: sha256 differs from the manifest (the file was modified)")
    for p in _files(root):
        rel = str(p.relative_to(root))
        if rel not in files:
            raise BundleError(f"{p}: not listed in the manifest (added after the bundle was written)")
        if p.suffix.lower() in FORBIDDEN_SUFFIXES:
            raise BundleError(f"{p}: {p.suffix} files may hold pickles or code and are refused")
    for need in ("harm/model.safetensors", "harm/config.json", "crisis/model.safetensors", "crisis/config.json",
                 "policy.yaml"):
        if need not in files:
            raise BundleError(f"{root}: bundle lacks {need}")
    major = lambda v: v.split(".")[0] if isinstance(v, str) else None  # noqa: E731
    built = manifest.get("versions", {}).get("transformers")
    if built:
        import transformers

        if int(major(built)) > int(major(transformers.__version__)):
            raise BundleError(f"{root}: built with transformers {built}, newer than the installed "
                              f"{transformers.__version__}; upgrade transformers to load it")
    return manifest
