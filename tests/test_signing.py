"""Signed bundles: an Ed25519 signature of the manifest (which hashes every file), written at
`convguard bundle` / `convguard export` time or with `sign_bundle`, checked by
`Guard.load(..., verify=PUBLIC_KEY)`.  Keys are generated in the test; nothing leaves the machine."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from convguard import Guard
from convguard.bundle import (MANIFEST, SIGNATURE, BundleError, generate_signing_key, key_fingerprint,
                              load_public_key, sign_bundle, verify_bundle, write_manifest)

HI = [{"role": "user", "content": "hi"}]


@pytest.fixture()
def bundle(tiny_bundle, tmp_path) -> Path:
    dst = tmp_path / "bundle"
    shutil.copytree(tiny_bundle, dst)
    return dst


@pytest.fixture()
def keys(tmp_path) -> tuple[Path, Path]:
    return generate_signing_key(tmp_path / "keys" / "signing.pem")


def pem_public(key: ed25519.Ed25519PrivateKey) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


def test_a_signed_bundle_loads_with_its_public_key_in_every_form(bundle, keys):
    priv, pub = keys
    assert (priv.stat().st_mode & 0o777) == 0o600 and b"PRIVATE KEY" in priv.read_bytes()
    sig = sign_bundle(bundle, priv)
    assert sig == bundle / SIGNATURE
    doc = json.loads(sig.read_text())
    assert doc["algorithm"] == "ed25519" and doc["key_fingerprint"] == key_fingerprint(pub)
    assert doc["manifest_sha256"] == hashlib.sha256((bundle / MANIFEST).read_bytes()).hexdigest()
    key = load_public_key(pub)
    ssh = key.public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    for form in (pub, str(pub), pub.read_bytes(), key, ssh):
        g = Guard.load(bundle, verify=form)
        assert g.check(HI).action in ("continue", "end_conversation", "crisis_support")
    # the signature is not an unlisted file; without a key the bundle loads as before
    assert Guard.load(bundle).check(HI).action
    assert verify_bundle(bundle, public_key=pub)["files"]


def test_an_unsigned_bundle_is_refused_when_a_signature_is_asked_for(bundle, keys):
    _, pub = keys
    with pytest.raises(BundleError, match=rf"not signed \(no {SIGNATURE}\).*{key_fingerprint(pub)}"):
        Guard.load(bundle, verify=pub)
    Guard.load(bundle)  # the hash check alone still passes


def test_a_bundle_signed_by_another_key_is_refused(bundle, keys, tmp_path):
    _, pub = keys
    other = ed25519.Ed25519PrivateKey.generate()
    sign_bundle(bundle, other)
    with pytest.raises(BundleError, match=r"signature check failed: it was signed by another key"):
        Guard.load(bundle, verify=pub)
    # an attacker's key with the expected fingerprint written into the file is still refused
    doc = json.loads((bundle / SIGNATURE).read_text())
    doc["key_fingerprint"] = key_fingerprint(pub)
    (bundle / SIGNATURE).write_text(json.dumps(doc))
    with pytest.raises(BundleError, match=r"signature check failed: manifest.json changed after it was signed"):
        Guard.load(bundle, verify=pub)
    Guard.load(bundle, verify=pem_public(other))  # the signer's own key verifies it


def test_a_rehashed_bundle_fails_the_signature(bundle, keys):
    """The attack signing exists for: edit a file and re-hash the manifest so every hash matches."""
    priv, pub = keys
    sign_bundle(bundle, priv)
    sig = (bundle / SIGNATURE).read_bytes()
    p = bundle / "policy.yaml"
    p.write_text(p.read_text().replace("terminate: 0.5", "terminate: 0.01"))
    m = json.loads((bundle / MANIFEST).read_text())
    m["files"]["policy.yaml"] = {"sha256": hashlib.sha256(p.read_bytes()).hexdigest(), "bytes": p.stat().st_size}
    (bundle / MANIFEST).write_text(json.dumps(m, indent=1))
    (bundle / SIGNATURE).write_bytes(sig)  # the old signature put back
    verify_bundle(bundle)  # consistent hashes: only the signature tells
    with pytest.raises(BundleError, match=r"manifest.json changed after it was signed"):
        Guard.load(bundle, verify=pub)


@pytest.mark.parametrize("edit,match", [
    (lambda d: d.update(signature="!!not base64!!"), "not a convguard Ed25519 signature file"),
    (lambda d: d.update(signature=base64.b64encode(b"\0" * 64).decode()), "signature check failed"),
    (lambda d: d.update(signature=base64.b64encode(b"short").decode()), "signature check failed"),
    (lambda d: d.update(algorithm="rsa-pss"), "not a convguard Ed25519 signature file"),
    (lambda d: d.update(format=9), "not a convguard Ed25519 signature file"),
    (lambda d: d.pop("signature"), "not a convguard Ed25519 signature file"),
])
def test_a_damaged_signature_file_is_refused(bundle, keys, edit, match):
    priv, pub = keys
    sign_bundle(bundle, priv)
    doc = json.loads((bundle / SIGNATURE).read_text())
    edit(doc)
    (bundle / SIGNATURE).write_text(json.dumps(doc))
    with pytest.raises(BundleError, match=match):
        Guard.load(bundle, verify=pub)


def test_a_signature_file_that_is_not_json_or_a_link_is_refused(bundle, keys, tmp_path):
    priv, pub = keys
    sign_bundle(bundle, priv)
    good = (bundle / SIGNATURE).read_bytes()
    (bundle / SIGNATURE).write_text("garbage")
    with pytest.raises(BundleError, match=r"manifest.sig: not valid JSON"):
        Guard.load(bundle, verify=pub)
    (tmp_path / "sig").write_bytes(good)
    (bundle / SIGNATURE).unlink()
    (bundle / SIGNATURE).symlink_to(tmp_path / "sig")
    with pytest.raises(BundleError, match="symbolic links are refused"):
        Guard.load(bundle, verify=pub)


def test_signing_never_vouches_for_a_bundle_that_does_not_verify(bundle, keys):
    priv, _ = keys
    p = bundle / "harm" / "model.safetensors"
    data = bytearray(p.read_bytes())
    data[len(data) // 2] ^= 1
    p.write_bytes(bytes(data))
    with pytest.raises(BundleError, match="sha256 differs"):
        sign_bundle(bundle, priv)
    assert not (bundle / SIGNATURE).exists()


def test_rewriting_the_manifest_removes_the_stale_signature_loudly(bundle, keys, caplog):
    """sweep --write, the ONNX export and the quickstart re-hash through write_manifest: the old
    signature would no longer match, so it goes (with a warning) and the bundle must be re-signed."""
    priv, pub = keys
    sign_bundle(bundle, priv)
    with caplog.at_level("WARNING", logger="convguard.bundle"):
        write_manifest(bundle)
    assert not (bundle / SIGNATURE).exists() and "sign the bundle again" in caplog.text
    with pytest.raises(BundleError, match="not signed"):
        Guard.load(bundle, verify=pub)
    sign_bundle(bundle, priv)
    Guard.load(bundle, verify=pub)


def test_keys_of_the_wrong_kind_give_clear_errors(bundle, keys, tmp_path, monkeypatch):
    priv, pub = keys
    sign_bundle(bundle, priv)
    with pytest.raises(BundleError, match="a private key; verification takes the public key"):
        Guard.load(bundle, verify=priv)
    with pytest.raises(BundleError, match="verification takes the public key"):
        Guard.load(bundle, verify=ed25519.Ed25519PrivateKey.generate())
    with pytest.raises(BundleError, match="this is a public key: signing needs the private one"):
        sign_bundle(bundle, pub)
    with pytest.raises(BundleError, match="cannot read the public key"):
        Guard.load(bundle, verify=tmp_path / "missing.pub.pem")
    (tmp_path / "junk.pem").write_text("not a key")
    with pytest.raises(BundleError, match="not a PEM or OpenSSH public key"):
        Guard.load(bundle, verify=tmp_path / "junk.pem")
    with pytest.raises(BundleError, match="expected a key file path"):
        Guard.load(bundle, verify=12345)
    r = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    (tmp_path / "rsa.pem").write_bytes(r.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                       serialization.NoEncryption()))
    (tmp_path / "rsa.pub.pem").write_bytes(r.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    with pytest.raises(BundleError, match="convguard signs with Ed25519 keys"):
        sign_bundle(bundle, tmp_path / "rsa.pem")
    with pytest.raises(BundleError, match="convguard verifies Ed25519 signatures only"):
        Guard.load(bundle, verify=tmp_path / "rsa.pub.pem")
    with pytest.raises(BundleError, match="refusing to overwrite"):
        generate_signing_key(priv)


def test_an_encrypted_signing_key_takes_its_password(bundle, tmp_path, monkeypatch):
    k = ed25519.Ed25519PrivateKey.generate()
    enc = tmp_path / "enc.pem"
    enc.write_bytes(k.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.BestAvailableEncryption(b"s3cret")))
    monkeypatch.delenv("CONVGUARD_SIGN_KEY_PASSWORD", raising=False)
    with pytest.raises(BundleError, match="encrypted.*CONVGUARD_SIGN_KEY_PASSWORD"):
        sign_bundle(bundle, enc)
    sign_bundle(bundle, enc, password="s3cret")
    Guard.load(bundle, verify=pem_public(k))
    monkeypatch.setenv("CONVGUARD_SIGN_KEY_PASSWORD", "s3cret")
    sign_bundle(bundle, enc)
    Guard.load(bundle, verify=pem_public(k))


def test_verify_none_keeps_the_hash_check(bundle):
    """``verify=os.environ.get("KEY")`` with the variable unset must not switch verification off."""
    (bundle / "harm" / "notes.txt").write_text("added")
    with pytest.raises(BundleError, match="not listed in the manifest"):
        Guard.load(bundle, verify=None)
    Guard.load(bundle, verify=False)  # only an explicit False skips it


def test_convguard_bundle_signs_with_sign_key(tiny_bundle, tmp_path, keys, capsys):
    from convguard.cli import main

    priv, pub = keys
    root = tiny_bundle.parent  # the tiny detectors' training runs and data (conftest.build_tiny_bundle)
    args = ["bundle", "--harm", str(root / "runs" / "harm"), "--crisis", str(root / "runs" / "crisis"),
            "--validation", str(root / "validation.jsonl"), "tracking.enabled=false"]
    # a bad key fails before any scoring, and no bundle is written
    (tmp_path / "bad.pem").write_text("nope")
    assert main(args + ["--out", str(tmp_path / "x"), "--sign-key", str(tmp_path / "bad.pem")]) == 2
    assert "not a PEM private key" in capsys.readouterr().err and not (tmp_path / "x").exists()
    assert main(args + ["--out", str(tmp_path / "signed"), "--sign-key", str(priv)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["signed_by"] == key_fingerprint(pub)
    assert Guard.load(tmp_path / "signed", verify=pub, require_user_last=False).check(HI).action


def test_convguard_export_signs_after_the_manifest_rewrite_and_before_packaging(bundle, keys, monkeypatch,
                                                                                capsys):
    """ONNX rewrites the manifest (which drops a signature); the MLflow model copies the bundle.
    With --sign-key the order is ONNX, sign, MLflow, so what is packaged is signed."""
    import convguard.export as export
    from convguard.cli import main

    priv, pub = keys
    seen = []

    def fake_export_cli(a):
        seen.append((tuple(a.format), (Path(a.bundle) / SIGNATURE).exists()))
        if a.format == ["onnx"]:
            (Path(a.bundle) / "onnx").mkdir()
            (Path(a.bundle) / "onnx" / "export.json").write_text("{}")
            write_manifest(a.bundle)
        else:  # what MLflow packages must verify with the key
            verify_bundle(a.bundle, public_key=pub)
        return 0

    monkeypatch.setattr(export, "export_cli", fake_export_cli)
    sign_bundle(bundle, ed25519.Ed25519PrivateKey.generate())  # an old signature, by someone else
    assert main(["export", "--bundle", str(bundle), "--format", "onnx", "--format", "mlflow",
                 "--sign-key", str(priv)]) == 0
    assert seen == [(("onnx",), True), (("mlflow",), True)]
    assert f"key {key_fingerprint(pub)}" in capsys.readouterr().out
    Guard.load(bundle, verify=pub)
    # a parity failure (exit 3 with --strict-parity) leaves the bundle unsigned
    monkeypatch.setattr(export, "export_cli", lambda a: (write_manifest(a.bundle), 3)[1])
    assert main(["export", "--bundle", str(bundle), "--format", "onnx", "--sign-key", str(priv)]) == 3
    assert "NOT signed" in capsys.readouterr().err and not (bundle / SIGNATURE).exists()


def test_convguard_export_mlflow_packages_the_signature(bundle, keys, tmp_path):
    """The real MLflow export (no tracking server: --out only is not possible from the CLI, so the
    API): the saved model's bundle artifact carries manifest.sig and verifies with the key."""
    from convguard.export import export_mlflow

    priv, pub = keys
    sign_bundle(bundle, priv)
    res = export_mlflow(bundle, out=tmp_path / "model", tracking=False, backend="torch")
    copies = [p.parent for p in Path(res["saved_to"]).rglob(SIGNATURE)]
    assert len(copies) == 1
    verify_bundle(copies[0], public_key=pub)
