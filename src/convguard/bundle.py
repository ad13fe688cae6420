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

import json
import logging
import shutil
from pathlib import Path
from typing import Any

# what a bundle may hold and the manifest check (bundle_checks), signatures (signing): re-exported here
from .bundle_checks import (BUNDLE_FORMAT, CODE_KEYS, FORBIDDEN_SUFFIXES, BundleError,  # noqa: F401
                            _files, _manifest_bytes, _refuse_custom_code, _refuse_forbidden, _refuse_links,
                            _verify_manifest, check_detector_folder, forbidden_suffix, sha256_file)
from .layout import DETECTORS, MANIFEST, MODEL_CARDS, SIGNATURE  # noqa: F401 (the bundle's file names)
from .policy import Policy
from .signing import (SIGNATURE_FORMAT, _check_signature, generate_signing_key, key_fingerprint,  # noqa: F401
                      load_private_key, load_public_key, sign_bundle)

log = logging.getLogger(__name__)


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
