"""The bundle: the directory training ships and serving loads.

```
bundle/
  harm/           Hugging Face save_pretrained folder (safetensors, tokenizer, config with id2label)
  crisis/         the same for the crisis detector
  baselines/      optional TF-IDF + LR baselines (skops, allow-listed types)
  onnx/           optional ONNX exports (convguard export)
  policy.yaml     thresholds, rules, message templates
  manifest.json   versions, sha256 of every file, data fingerprint, headline metrics
  manifest.sig    optional: an Ed25519 signature of manifest.json's bytes (:func:`sign_bundle`)
  README.md       the model card (and harm/README.md, crisis/README.md): written from the manifest
                  by :func:`write_manifest` and ``convguard push`` (:mod:`convguard.hub`)
```

The model cards (:data:`MODEL_CARDS`) are the only files the manifest does not hash: they are
documentation generated from what it does hash (manifest, policy, detector configs), nothing
loads them, and ``convguard push`` rewrites them just before an upload -- which must not break
the hashes or a signature.

:func:`verify_bundle` recomputes every hash and refuses a tampered, truncated, incomplete or
version-incompatible bundle, any file that could hold a pickle or code, symbolic links and paths
that leave the bundle, and detector configs that point transformers at custom code.

The manifest alone proves integrity, not origin: anyone who can write the bundle can re-hash it.
Teams that ship bundles across a trust boundary sign them (``convguard bundle --sign-key``,
``convguard export --sign-key`` or :func:`sign_bundle`) and load them with
``Guard.load(bundle, verify=PUBLIC_KEY)``: the signature covers the manifest's bytes, and the
manifest covers every file's sha256, so one Ed25519 check (the ``cryptography`` package,
``pip install 'convguard[sign]'``) vouches for the whole bundle.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import os
import shutil
import stat
from pathlib import Path
from typing import Any

from .layout import DETECTORS, MANIFEST, MODEL_CARDS, SIGNATURE  # noqa: F401 (the bundle's file names)
from .policy import Policy

log = logging.getLogger(__name__)

BUNDLE_FORMAT = 1
SIGNATURE_FORMAT = 1
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
    """(Re)write ``manifest.json`` over what ``root`` holds now, then the model cards from it
    (:func:`convguard.modelcard.write_bundle_cards`; not hashed).  A signature of the old manifest no
    longer matches and is removed (with a warning): sign the bundle again."""
    root = Path(root)
    _refuse_links(root)
    _refuse_forbidden(_files(root))
    _refuse_custom_code(root)
    old = {}
    if (root / MANIFEST).exists():
        old = json.loads((root / MANIFEST).read_text())
    manifest = {
        "format": BUNDLE_FORMAT,
        "versions": versions(),
        "files": {p.relative_to(root).as_posix(): {"sha256": sha256_file(p), "bytes": p.stat().st_size}
                  for p in _files(root)},
        "data_fingerprint": data_fingerprint if data_fingerprint is not None else old.get("data_fingerprint"),
        "metrics": metrics if metrics is not None else old.get("metrics", {}),
    }
    manifest.update({k: v for k, v in old.items() if k not in manifest})
    if extra:
        manifest.update(extra)
    (root / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=False))
    if (root / SIGNATURE).exists():
        (root / SIGNATURE).unlink()
        log.warning("%s: the manifest changed, so its signature (%s) no longer matched and was removed; sign the "
                    "bundle again (convguard export --sign-key KEY, or convguard.bundle.sign_bundle)", root, SIGNATURE)
    from .modelcard import write_bundle_cards

    write_bundle_cards(root, manifest)
    return manifest


def detector_dir(path: str | Path, key: str = "detector", source: str = "convguard") -> Path:
    """A detector folder: the model itself, or a training run's ``output_dir`` holding ``model/``
    (``key`` and ``source`` name the setting in the error)."""
    if not str(path):
        raise BundleError(f"{source}: {key}: required (a trained detector's folder)")
    p = Path(path)
    if (p / "model" / "config.json").exists() and not (p / "config.json").exists():
        p = p / "model"
    if not (p / "config.json").exists() or not (p / "model.safetensors").exists():
        raise BundleError(f"{source}: {key}: {path} holds no config.json + model.safetensors "
                          f"(point it at a training run's output_dir or its model/ folder)")
    return p


def bundle_taxonomy(root: str | Path) -> Any:
    """The harm categories (:class:`~convguard.taxonomy.Taxonomy`) of the bundle at ``root``, read
    from its harm detector's ``config.json`` as JSON before the bundle is verified or loaded: for
    checking input labels first (the commands read their data before the models load).  None when
    that file cannot be read as a taxonomy -- :meth:`convguard.Guard.load` then names the problem."""
    from .modeling import read_taxonomy

    try:
        return read_taxonomy(Path(root) / "harm")
    except (OSError, ValueError, UnicodeDecodeError):
        return None


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
    from .modeling import read_taxonomy

    # per-category thresholds are checked against the categories of the harm detector bundled here
    tax = read_taxonomy(out / "harm")
    if tax is not None and tax != policy.taxonomy:
        import dataclasses

        policy = dataclasses.replace(policy, taxonomy=tax)
    policy.save(out / "policy.yaml")
    write_manifest(out, data_fingerprint=data_fingerprint, metrics=metrics, extra=extra)
    return out


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


def verify_bundle(root: str | Path, *, public_key: Any = None) -> dict[str, Any]:
    """Check a bundle before anything in it is loaded; returns the manifest.

    ``public_key``: also require a valid Ed25519 signature of the manifest by this key (an
    ``Ed25519PublicKey``, PEM or OpenSSH bytes, or the path of such a file): an unsigned bundle,
    one signed by another key, or one whose manifest changed after signing is refused."""
    root = Path(root)
    # read once: the bytes the signature covers are the bytes checked below
    data = _manifest_bytes(root, "not a convguard bundle (or an incomplete copy)")
    if public_key is not None:
        _check_signature(root, data, public_key)
    return _verify_manifest(root, data)


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


# ------------------------------------------------------------------------------------------
# signatures (optional): Ed25519 over manifest.json's bytes, with the `cryptography` package
# ------------------------------------------------------------------------------------------

def _crypto():
    try:
        from cryptography.exceptions import InvalidSignature
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import ed25519
    except ImportError:  # pragma: no cover - cryptography comes with mlflow
        raise BundleError("signed bundles need the 'cryptography' package: pip install 'convguard[sign]'") from None
    return serialization, ed25519, InvalidSignature


def _key_bytes(key: Any, what: str) -> tuple[bytes, str]:
    if isinstance(key, bytes):
        return key, f"the {what} given"
    if isinstance(key, (str, os.PathLike)):
        p = Path(key)
        try:
            return p.read_bytes(), str(p)
        except OSError as e:
            raise BundleError(f"{p}: cannot read the {what}: {e.strerror or e}") from None
    raise BundleError(f"{what}: expected a key file path, PEM bytes or a cryptography Ed25519 key, "
                      f"got {type(key).__name__}")


def load_private_key(key: Any, password: bytes | str | None = None):
    """An Ed25519 private key from a PEM (PKCS#8) file or bytes, e.g. from
    :func:`generate_signing_key` or ``openssl genpkey -algorithm ed25519``.  An encrypted key
    takes ``password`` (default: the environment variable ``CONVGUARD_SIGN_KEY_PASSWORD``)."""
    serialization, ed25519, _ = _crypto()
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key
    data, where = _key_bytes(key, "private key")
    if password is None:
        password = os.environ.get("CONVGUARD_SIGN_KEY_PASSWORD")
    if isinstance(password, str):
        password = password.encode()
    try:
        k = serialization.load_pem_private_key(data, password=password or None)
    except TypeError as e:  # encrypted without a password, or a password for an unencrypted key
        raise BundleError(f"{where}: {e} (set CONVGUARD_SIGN_KEY_PASSWORD)") from None
    except ValueError as e:
        hint = " (this is a public key: signing needs the private one)" if b"PUBLIC KEY" in data else ""
        raise BundleError(f"{where}: not a PEM private key{hint}: {str(e)[:120]}") from None
    if not isinstance(k, ed25519.Ed25519PrivateKey):
        raise BundleError(f"{where}: a {type(k).__name__.replace('_', '')} key; convguard signs with Ed25519 keys "
                          f"(openssl genpkey -algorithm ed25519, or convguard.bundle.generate_signing_key)")
    return k


def load_public_key(key: Any):
    """An Ed25519 public key: the key object, PEM (SubjectPublicKeyInfo) or OpenSSH
    (``ssh-ed25519 ...``) bytes, or the path of such a file."""
    serialization, ed25519, _ = _crypto()
    if isinstance(key, ed25519.Ed25519PublicKey):
        return key
    if isinstance(key, ed25519.Ed25519PrivateKey):
        raise BundleError("verify=: a private key was given; verification takes the public key (keep the private "
                          "key where bundles are signed)")
    data, where = _key_bytes(key, "public key")
    if b"PRIVATE KEY" in data:
        raise BundleError(f"{where}: a private key; verification takes the public key (the .pub.pem file), and the "
                          f"private key should not travel with the service")
    try:
        if data.lstrip().startswith(b"ssh-"):
            k = serialization.load_ssh_public_key(data.strip())
        else:
            k = serialization.load_pem_public_key(data)
    except (ValueError, TypeError) as e:
        raise BundleError(f"{where}: not a PEM or OpenSSH public key: {str(e)[:120]}") from None
    if not isinstance(k, ed25519.Ed25519PublicKey):
        raise BundleError(f"{where}: a {type(k).__name__.replace('_', '')} key; convguard verifies Ed25519 "
                          f"signatures only")
    return k


def key_fingerprint(public_key: Any) -> str:
    """``sha256:`` and the first 32 hex digits of the SHA-256 of the raw 32-byte public key."""
    serialization, _, _ = _crypto()
    raw = load_public_key(public_key).public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()[:32]


def generate_signing_key(path: str | Path) -> tuple[Path, Path]:
    """Write a new Ed25519 key pair: ``path`` (private, PEM PKCS#8, mode 0600) and
    ``path.pub.pem`` (public, PEM).  Refuses to overwrite an existing key."""
    serialization, ed25519, _ = _crypto()
    priv_path = Path(path)
    pub_path = priv_path.with_name(priv_path.name + ".pub.pem")
    for p in (priv_path, pub_path):
        if p.exists():
            raise BundleError(f"{p}: exists; refusing to overwrite a key")
    k = ed25519.Ed25519PrivateKey.generate()
    pem = k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption())
    priv_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(priv_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(pem)
    pub_path.write_bytes(k.public_key().public_bytes(serialization.Encoding.PEM,
                                                     serialization.PublicFormat.SubjectPublicKeyInfo))
    return priv_path, pub_path


def sign_bundle(root: str | Path, private_key: Any, *, password: bytes | str | None = None) -> Path:
    """Sign a bundle: verify it (hashes, forbidden files, custom code), then write
    ``manifest.sig`` -- an Ed25519 signature of ``manifest.json``'s exact bytes, with the signing
    key's public half and fingerprint for the record.  Re-sign after anything rewrites the
    manifest (``convguard export --format onnx``, ``sweep --write``), which removes the signature.
    Returns the signature file."""
    serialization, _, _ = _crypto()
    root = Path(root)
    key = load_private_key(private_key, password)
    data = _manifest_bytes(root, "write the bundle before signing it")
    _verify_manifest(root, data)  # never sign a bundle that does not verify
    pub = key.public_key()
    doc = {
        "format": SIGNATURE_FORMAT,
        "algorithm": "ed25519",
        "signs": MANIFEST,
        "manifest_sha256": hashlib.sha256(data).hexdigest(),
        "public_key": base64.b64encode(pub.public_bytes(serialization.Encoding.Raw,
                                                        serialization.PublicFormat.Raw)).decode(),
        "key_fingerprint": key_fingerprint(pub),
        "signature": base64.b64encode(key.sign(data)).decode(),
    }
    out = root / SIGNATURE
    out.write_text(json.dumps(doc, indent=1) + "\n")
    return out


def _check_signature(root: Path, data: bytes, public_key: Any) -> None:
    import binascii

    _, _, InvalidSignature = _crypto()
    pub = load_public_key(public_key)
    sp = root / SIGNATURE
    if not sp.is_file():
        raise BundleError(f"{root}: not signed (no {SIGNATURE}), and verify= asks for a bundle signed by "
                          f"{key_fingerprint(pub)}; sign it where it is built (convguard bundle/export --sign-key, "
                          f"or convguard.bundle.sign_bundle) -- a manifest rewrite removes the signature")
    doc = _read_json(sp)
    try:
        if not isinstance(doc, dict) or doc.get("format") != SIGNATURE_FORMAT or doc.get("algorithm") != "ed25519":
            raise ValueError(f"format {doc.get('format') if isinstance(doc, dict) else None!r}, "
                             f"algorithm {doc.get('algorithm') if isinstance(doc, dict) else None!r}")
        sig = base64.b64decode(doc["signature"], validate=True)
    except (KeyError, TypeError, ValueError, binascii.Error) as e:
        raise BundleError(f"{sp}: not a convguard Ed25519 signature file ({e}); refusing the bundle") from None
    try:
        pub.verify(sig, data)
    except InvalidSignature:
        given, signer = key_fingerprint(pub), doc.get("key_fingerprint")
        if isinstance(signer, str) and signer != given:
            why = f"it was signed by another key ({signer}), not by the key given ({given})"
        else:
            why = f"{MANIFEST} changed after it was signed (or the signature was altered)"
        raise BundleError(f"{sp}: signature check failed: {why}; refusing the bundle") from None
