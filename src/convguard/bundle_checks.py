"""What a bundle may hold, and the check of its manifest (:mod:`convguard.bundle` writes and
verifies bundles with these): the files refused (pickles, code, symbolic links, paths that leave
the bundle), detector configs that point transformers at custom code, and every listed file's
size and sha256 against ``manifest.json``."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from pathlib import Path
from typing import Any

from .layout import DETECTORS, MANIFEST, MODEL_CARDS, SIGNATURE

BUNDLE_FORMAT = 1
#: files a bundle may not hold (compared case-insensitively, on every suffix of the name, so
#: ``MODEL.PKL`` and ``model.pkl.gz`` count): pickles, and code that a model loader could import
#: (``auto_map`` + ``modeling_*.py``)
FORBIDDEN_SUFFIXES = (".bin", ".pt", ".pth", ".pkl", ".pickle", ".joblib", ".ckpt", ".npy", ".npz",
                      ".py", ".pyc", ".so")
#: keys of a detector's JSON files that make transformers import code shipped beside them
CODE_KEYS = ("auto_map", "custom_pipelines")


class BundleError(ValueError):
    pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _files(root: Path) -> list[Path]:
    """Every file of the bundle but its own manifest, signature and model cards (at the places
    :data:`MODEL_CARDS` names only: a ``harm/manifest.json`` or ``baselines/README.md`` is a file
    like any other)."""
    skip = (MANIFEST, SIGNATURE, *MODEL_CARDS)
    return sorted(p for p in root.rglob("*") if p.is_file() and p.relative_to(root).as_posix() not in skip)


def forbidden_suffix(path: str | Path) -> str | None:
    """The suffix that keeps ``path`` out of a bundle (any of its suffixes, any case), or None."""
    name = Path(path).name.lower().rstrip(". ")
    for part in name.split(".")[1:]:
        if f".{part}" in FORBIDDEN_SUFFIXES:
            return f".{part}"
    return None


def _refuse_forbidden(paths) -> None:
    for p in paths:
        suffix = forbidden_suffix(p)
        if suffix:
            raise BundleError(f"{p}: {suffix} files may hold pickles or code and are refused in a bundle")


def _refuse_links(root: Path) -> None:
    """No symbolic link anywhere in a bundle: a link can point outside it (a detector folder whose
    pickles the checks never see) and can change after the hashes were checked.  No FIFO, socket
    or device either (reading one can block forever or never end)."""
    if root.is_symlink():
        raise BundleError(f"{root}: the bundle is a symbolic link; copy the folder instead")
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            if p.is_symlink():
                raise BundleError(f"{p}: symbolic links are refused in a bundle (it could point outside the bundle "
                                  f"or change after verification); copy the file instead")
            mode = p.lstat().st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise BundleError(f"{p}: not a regular file (a pipe, socket or device); refused in a bundle")


def _read_json(p: Path) -> Any:
    try:
        return json.loads(p.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise BundleError(f"{p}: not valid JSON: {str(e)[:200] or type(e).__name__}") from None


def _refuse_custom_code(root: Path) -> None:
    """A detector folder must be a stock transformers model: no JSON file in it may name code to
    import (``auto_map``: transformers would load ``modeling_*.py`` / ``tokenization_*.py`` from
    the folder), and ``config.json``'s ``model_type`` must be one transformers ships.  Checked on
    the raw JSON, before transformers reads anything."""
    for name in DETECTORS:
        folder = root / name
        if folder.is_dir():
            _refuse_custom_code_in(folder)


def _refuse_custom_code_in(folder: Path) -> None:
    for p in sorted(folder.rglob("*.json")):
        d = _read_json(p)
        keys = [k for k in CODE_KEYS if isinstance(d, dict) and k in d]
        if keys:
            raise BundleError(f"{p}: '{keys[0]}' points a model loader at custom code; a convguard detector is "
                              f"a stock transformers model and a bundle never runs code of its own")
    cfg = folder / "config.json"
    if cfg.is_file():
        from transformers import CONFIG_MAPPING

        d = _read_json(cfg)
        mt = d.get("model_type") if isinstance(d, dict) else None
        if not isinstance(mt, str) or mt not in CONFIG_MAPPING:
            raise BundleError(f"{cfg}: model_type {mt!r} is not a model transformers knows; refusing to load it "
                              f"(custom model types need code from the bundle)")


def check_detector_folder(folder: str | Path) -> None:
    """The checks a bundle's detector gets, for a detector folder on its own (one a training run
    wrote, before ``convguard push --detector`` uploads it or after :func:`convguard.hub.pull`):
    a directory with ``config.json`` (with a ``convguard`` section) and ``model.safetensors``, no
    symbolic links, pickles or code, no ``auto_map``, a ``model_type`` transformers ships."""
    folder = Path(folder)
    if not folder.is_dir():
        raise BundleError(f"{folder}: not a detector folder")
    _refuse_links(folder)
    _refuse_forbidden(p for p in folder.rglob("*") if p.is_file())
    for need in ("config.json", "model.safetensors"):
        if not (folder / need).is_file():
            raise BundleError(f"{folder}: no {need}; not a convguard detector folder")
    cfg = _read_json(folder / "config.json")
    if not isinstance(cfg, dict) or not isinstance(cfg.get("convguard"), dict):
        raise BundleError(f"{folder / 'config.json'}: no 'convguard' section: not a convguard detector")
    _refuse_custom_code_in(folder)


def _listed_path(root: Path, rel: Any, mpath: Path) -> Path:
    """A manifest entry as a path inside the bundle; anything that could leave it is refused."""
    parts = rel.split("/") if isinstance(rel, str) else []
    if (not parts or "\\" in rel or rel.startswith("/") or any(x in ("", ".", "..") for x in parts)
            or rel in (MANIFEST, SIGNATURE)):
        raise BundleError(f"{mpath}: file entry {rel!r} is not a relative path inside the bundle "
                          f"(absolute paths, '..' and empty parts are refused)")
    p = root / rel
    if not p.resolve().is_relative_to(root.resolve()):
        raise BundleError(f"{p}: resolves outside the bundle; refused")
    return p


def _manifest_bytes(root: Path, missing: str) -> bytes:
    """The manifest's bytes, after the checks every reader of a bundle makes first (a directory,
    no symbolic links); ``missing`` says what to do when there is no manifest."""
    if not root.is_dir():
        raise BundleError(f"{root}: not a bundle directory")
    _refuse_links(root)
    mpath = root / MANIFEST
    if not mpath.is_file():
        raise BundleError(f"{root}: no {MANIFEST}; {missing}")
    return mpath.read_bytes()


def _verify_manifest(root: Path, data: bytes) -> dict[str, Any]:
    mpath = root / MANIFEST
    try:
        manifest = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as e:
        raise BundleError(f"{mpath}: unreadable manifest: {str(e)[:200] or type(e).__name__}") from None
    if not isinstance(manifest, dict):
        raise BundleError(f"{mpath}: unreadable manifest: not a JSON object")
    fmt = manifest.get("format")
    if fmt != BUNDLE_FORMAT:
        raise BundleError(f"{mpath}: bundle format {fmt!r} is not supported by this convguard (reads {BUNDLE_FORMAT}); "
                          f"re-export it with a matching version")
    files = manifest.get("files")
    if not isinstance(files, dict) or not files:
        raise BundleError(f"{mpath}: the manifest lists no files")
    for rel, info in files.items():
        p = _listed_path(root, rel, mpath)
        if not isinstance(info, dict):
            raise BundleError(f"{mpath}: entry {rel!r}: expected {{'sha256', 'bytes'}}, got {info!r}")
        if not p.exists():
            raise BundleError(f"{p}: listed in the manifest but missing (incomplete bundle)")
        if not p.is_file():
            raise BundleError(f"{p}: listed in the manifest but not a file")
        if p.stat().st_size != info.get("bytes"):
            raise BundleError(f"{p}: size {p.stat().st_size} differs from the manifest's {info.get('bytes')} "
                              f"(truncated or modified)")
        if sha256_file(p) != info.get("sha256"):
            raise BundleError(f"{p}: sha256 differs from the manifest (the file was modified)")
    on_disk = _files(root)
    for p in on_disk:
        rel = p.relative_to(root).as_posix()
        if rel not in files:
            raise BundleError(f"{p}: not listed in the manifest (added after the bundle was written)")
    _refuse_forbidden(on_disk)
    for need in ("harm/model.safetensors", "harm/config.json", "crisis/model.safetensors", "crisis/config.json",
                 "policy.yaml"):
        if need not in files:
            raise BundleError(f"{root}: bundle lacks {need}")
    _refuse_custom_code(root)
    major = lambda v: v.split(".")[0] if isinstance(v, str) else None  # noqa: E731
    versions_ = manifest.get("versions")
    built = versions_.get("transformers") if isinstance(versions_, dict) else None
    if built:
        import transformers

        try:
            newer = int(major(built)) > int(major(transformers.__version__))
        except (TypeError, ValueError):
            raise BundleError(f"{mpath}: versions.transformers {built!r} is not a version number") from None
        if newer:
            raise BundleError(f"{root}: built with transformers {built}, newer than the installed "
                              f"{transformers.__version__}; upgrade transformers to load it")
    return manifest
