"""Model cards and ``convguard push`` / ``convguard.hub.pull``, offline: a stand-in for
``huggingface_hub.HfApi`` (and ``snapshot_download``) records the calls and copies the folder it
is given; nothing ever reaches the network.  The cards are written into the bundle before the
upload and are the only files its manifest leaves out, so writing one never breaks
``verify_bundle`` or a signature."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from convguard import Guard
from convguard.bundle import BundleError, MODEL_CARDS, verify_bundle, write_manifest
from convguard.cli import main


class FakeHub:
    """``HfApi`` as convguard uses it: ``create_repo`` and ``upload_folder`` (which copies the
    folder to ``remote/<repo>``, as the Hub would then hold it)."""

    def __init__(self, remote: Path):
        self.remote = remote
        self.calls: list[tuple[str, dict]] = []

    def __call__(self, *args, **kwargs):  # huggingface_hub.HfApi() -> this object
        return self

    def create_repo(self, repo_id, **kwargs):
        self.calls.append(("create_repo", {"repo_id": repo_id, **kwargs}))
        return f"https://huggingface.co/{repo_id}"

    def upload_folder(self, *, repo_id, folder_path, **kwargs):
        self.calls.append(("upload_folder", {"repo_id": repo_id, "folder_path": folder_path, **kwargs}))
        shutil.copytree(folder_path, self.remote / repo_id, dirs_exist_ok=True)
        return SimpleNamespace(oid="0" * 40, commit_url=f"https://huggingface.co/{repo_id}/commit/{'0' * 40}")


def _no_network(*args, **kwargs):
    raise AssertionError("the test reached huggingface_hub for real")


@pytest.fixture()
def hub(tmp_path, monkeypatch):
    import huggingface_hub

    fake = FakeHub(tmp_path / "remote")
    for name in ("snapshot_download", "hf_hub_download", "create_repo", "upload_folder"):
        monkeypatch.setattr(huggingface_hub, name, _no_network)
    monkeypatch.setattr(huggingface_hub, "HfApi", fake)
    return fake


@pytest.fixture()
def bundle(tiny_bundle, tmp_path) -> Path:
    dst = tmp_path / "bundle"
    shutil.copytree(tiny_bundle, dst)
    return dst


def test_card_reads_a_manifest_written_under_the_old_metric_names(bundle):
    """Quickstarts before the names were unified recorded test_f1, test_fpr, test_in_family_f1:
    the card shows them under the current names (convguard.metric_names)."""
    write_manifest(bundle, metrics={"test_f1": 0.8125, "test_fpr": 0.0625, "test_in_family_f1": 0.5,
                                    "challenge_pr_auc": 0.25, "test_crisis_recall": 0.75, "test_replay_n_late": 3})
    card = (bundle / "README.md").read_text()
    for name, v in (("test_term_f1", "0.812"), ("test_benign_ftr", "0.062"), ("test_term_f1_in_family", "0.500"),
                    ("challenge_term_pr_auc", "0.250"), ("test_crisis_recall", "0.750")):
        assert f"| `{name}` | {v} |" in card, name
    assert "`test_replay_n_late`" in card
    assert "`test_f1`" not in card and "`test_fpr`" not in card and "`challenge_pr_auc`" not in card


def test_write_manifest_writes_cards_that_the_manifest_leaves_out(bundle):
    manifest = write_manifest(bundle, metrics={"test_term_f1": 0.8125, "test_crisis_recall": 0.75})
    for rel in MODEL_CARDS:
        assert (bundle / rel).is_file(), rel
        assert rel not in manifest["files"]
    card = (bundle / "README.md").read_text()
    # labels, policy, recorded metrics, data fingerprint, intended use, limits
    assert "harm_category" in card and "indiscriminate_weapons" in card and "`refusal`" in card
    assert "| `terminate` | 0.500 |" in card and "`min_refused_pushes` | 2 |" in card
    assert "| `test_term_f1` | 0.812 |" in card and "`test_crisis_recall`" in card
    assert manifest["data_fingerprint"]["sha256"] in card
    assert "## Intended use" in card and "## Limitations" in card
    # the part a plain pipeline gets wrong, and the convguard way instead
    assert 'pipeline("text-classification")' in card and "softmax per multiclass head" in card
    assert "Guard.load(path)" in card and "library_name: convguard" in card
    det = (bundle / "crisis" / "README.md").read_text()
    assert "convguard crisis detector" in det and "**per turn**" in det and "Detector(path, TorchBackend(path))" in det
    # a card is documentation: edits to it never break the bundle ...
    (bundle / "README.md").write_text("edited")
    (bundle / "harm" / "README.md").unlink()
    verify_bundle(bundle)
    # ... but only the cards: any other unlisted file is still refused
    (bundle / "baselines" / "README.md").write_text("not a card")
    with pytest.raises(BundleError, match="baselines/README.md: not listed in the manifest"):
        verify_bundle(bundle)


def test_a_rewritten_card_keeps_the_signature_valid(bundle):
    pytest.importorskip("cryptography")
    from convguard.bundle import generate_signing_key, sign_bundle
    from convguard.hub import write_bundle_cards

    priv, pub = generate_signing_key(bundle.parent / "key.pem")
    sign_bundle(bundle, priv)
    write_bundle_cards(bundle, repo="someone/else")
    assert "someone/else" in (bundle / "README.md").read_text()
    assert "manifest.sig" in (bundle / "README.md").read_text()
    verify_bundle(bundle, public_key=pub)


def test_push_bundle_uploads_the_verified_folder_with_its_card(bundle, hub, capsys):
    write_manifest(bundle, metrics={"test_term_f1": 0.5})
    assert main(["push", "--bundle", str(bundle), "--repo", "my-org/convguard-guard", "--private",
                 "--commit-message", "first"]) == 0
    out = capsys.readouterr().out
    assert "uploaded" in out and "https://huggingface.co/my-org/convguard-guard" in out
    (c1, create), (c2, upload) = hub.calls
    assert (c1, c2) == ("create_repo", "upload_folder")
    assert create == {"repo_id": "my-org/convguard-guard", "private": True, "exist_ok": True, "repo_type": "model"}
    assert upload["folder_path"] == str(bundle) and upload["commit_message"] == "first"
    remote = hub.remote / "my-org" / "convguard-guard"
    card = (remote / "README.md").read_text()
    assert 'pull("my-org/convguard-guard", "convguard-bundle")' in card and "| `test_term_f1` | 0.500 |" in card
    assert card == (bundle / "README.md").read_text()  # written into the bundle before the upload
    assert (remote / "harm" / "README.md").exists() and (remote / "manifest.json").exists()
    verify_bundle(remote)
    verify_bundle(bundle)  # the local bundle is intact


def test_push_detector_writes_a_card_from_the_training_run(tiny_bundle, tmp_path, hub, capsys):
    run = tmp_path / "harm_run"
    shutil.copytree(tiny_bundle.parent / "runs" / "harm", run)
    (run / "model" / "README.md").unlink()
    assert main(["push", "--detector", str(run), "--repo", "me/convguard-harm"]) == 0  # output_dir -> model/
    (_, create), (_, upload) = hub.calls
    assert create["private"] is None and upload["folder_path"] == str(run / "model")
    remote = hub.remote / "me" / "convguard-harm"
    assert not (remote / "checkpoint").exists()  # the model folder only, never the run's optimizer state
    card = (remote / "README.md").read_text()
    summary = json.loads((run / "summary.json").read_text())
    assert "# convguard harm detector" in card and "## Training" in card and "`pr_auc`" in card
    assert summary["data_fingerprint"]["train"]["sha256"] in card and "## Data: validation" in card
    assert 'pipeline("text-classification")' in card and 'pull("me/convguard-harm", "convguard-harm")' in card
    assert "| `persistence` | multiclass | 4 logits: 0, 1, 2, 3+ | softmax over this head's logits |" in card


def test_push_a_bundles_detector_keeps_the_bundle_valid(bundle, hub):
    assert main(["push", "--detector", str(bundle / "crisis"), "--repo", "me/convguard-crisis"]) == 0
    card = (hub.remote / "me" / "convguard-crisis" / "README.md").read_text()
    assert "## In its bundle" in card and 'pull("me/convguard-crisis", "convguard-crisis")' in card
    verify_bundle(bundle)


def test_push_refuses_before_uploading(bundle, tmp_path, hub, capsys):
    (bundle / "policy.yaml").write_text((bundle / "policy.yaml").read_text() + "\n# edited\n")
    assert main(["push", "--bundle", str(bundle), "--repo", "me/x"]) == 2
    assert "policy.yaml: size" in capsys.readouterr().err  # tampered: refused before any upload
    assert main(["push", "--bundle", str(bundle), "--repo", "not a repo"]) == 2
    assert "not a Hub repository id" in capsys.readouterr().err
    det = tmp_path / "det"
    shutil.copytree(bundle / "harm", det)
    (det / "extra.pkl").write_bytes(b"\x80\x04K\x01.")
    assert main(["push", "--detector", str(det), "--repo", "me/x"]) == 2
    assert "pickle" in capsys.readouterr().err
    assert hub.calls == []


def test_push_dry_run_writes_the_card_and_uploads_nothing(bundle, monkeypatch, capsys):
    import huggingface_hub

    monkeypatch.setattr(huggingface_hub, "HfApi", _no_network)
    (bundle / "README.md").unlink()
    assert main(["push", "--bundle", str(bundle), "--repo", "me/x", "--dry-run"]) == 0
    assert "dry run: would upload" in capsys.readouterr().out
    assert 'pull("me/x", "convguard-bundle")' in (bundle / "README.md").read_text()


def test_without_huggingface_hub_push_says_what_to_install(bundle, monkeypatch, capsys):
    import transformers  # noqa: F401 - imported first: transformers itself needs huggingface_hub

    monkeypatch.setitem(sys.modules, "huggingface_hub", None)  # import fails
    assert main(["push", "--bundle", str(bundle), "--repo", "me/x"]) == 2
    assert "pip install 'convguard[hub]'" in capsys.readouterr().err


def test_a_hub_failure_is_one_clear_line(bundle, hub, capsys):
    def refuse(*args, **kwargs):
        raise PermissionError("403 Forbidden: you cannot write to me/x")

    hub.upload_folder = refuse
    assert main(["push", "--bundle", str(bundle), "--repo", "me/x"]) == 2
    assert capsys.readouterr().err.strip() == ("convguard: error: me/x: the upload failed: PermissionError: 403 "
                                               "Forbidden: you cannot write to me/x")


def _hub_cache(folder: Path, cache: Path) -> Path:
    """``folder`` laid out as the hub cache holds a snapshot: symbolic links into a blob store,
    plus the repository's .gitattributes."""
    snap = cache / "snapshots" / "0"
    for p in sorted(folder.rglob("*")):
        if p.is_file():
            blob = cache / "blobs" / p.relative_to(folder).as_posix().replace("/", "__")
            blob.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(p, blob)
            link = snap / p.relative_to(folder)
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(blob)
    (snap / ".gitattributes").write_text("*.safetensors filter=lfs diff=lfs merge=lfs -text\n")
    return snap


def test_pull_gives_real_files_that_load_as_the_card_says(bundle, tmp_path, monkeypatch):
    import huggingface_hub

    from convguard.guard import Detector, TorchBackend
    from convguard.hub import pull
    from convguard.schema import ValidationOptions, validate_messages

    snap = _hub_cache(bundle, tmp_path / "cache")
    with pytest.raises(BundleError, match="symbolic link"):
        Guard.load(snap)  # why pull copies
    seen = {}

    def snapshot_download(repo_id, **kwargs):
        seen.update(kwargs, repo_id=repo_id)
        return str(snap)

    monkeypatch.setattr(huggingface_hub, "snapshot_download", snapshot_download)
    path = pull("me/x", tmp_path / "convguard-bundle")
    assert seen["repo_id"] == "me/x" and ".gitattributes" in seen["ignore_patterns"]
    assert not (path / ".gitattributes").exists() and not any(p.is_symlink() for p in path.rglob("*"))
    d = Guard.load(path).check([{"role": "user", "content": "hello"}])  # the card's snippet
    assert d.action in ("continue", "end_conversation", "crisis_support")
    with pytest.raises(FileExistsError):
        pull("me/x", path)
    # a detector, as its card says
    snap = _hub_cache(bundle / "harm", tmp_path / "cache2")
    det_path = pull("me/harm", tmp_path / "convguard-harm")
    detector = Detector(det_path, TorchBackend(det_path))
    scores = detector.scores([validate_messages([{"role": "user", "content": "..."}], ValidationOptions())])
    assert scores["terminate"].shape == (1,)
    # a tampered download is refused and leaves nothing behind
    (snap / "config.json").unlink()
    (snap / "config.json").write_text(json.dumps({"convguard": {}, "model_type": "bert", "auto_map": {"x": "y"}}))
    with pytest.raises(BundleError, match="auto_map"):
        pull("me/harm", tmp_path / "again")
    assert not (tmp_path / "again").exists() and not (tmp_path / ".again.pull").exists()
