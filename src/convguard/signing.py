"""Signed bundles (optional): an Ed25519 signature over ``manifest.json``'s bytes, with the
``cryptography`` package (``pip install 'convguard[sign]'``).  The manifest covers every file's
sha256, so one signature check vouches for the whole bundle (see :mod:`convguard.bundle`)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from .bundle_checks import BundleError, _manifest_bytes, _read_json, _verify_manifest
from .layout import MANIFEST, SIGNATURE

SIGNATURE_FORMAT = 1


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
