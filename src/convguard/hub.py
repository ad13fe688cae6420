"""Bundles and detectors on the Hugging Face Hub (``convguard push``; model cards: :mod:`convguard.modelcard`).

``convguard push --bundle DIR | --detector DIR --repo OWNER/NAME``
    :func:`push`: check the folder (a bundle is verified; a detector folder may hold no links,
    pickles or custom code), write its card for that repository, ``HfApi().create_repo(...,
    exist_ok=True)`` and ``HfApi().upload_folder(...)``.  Needs ``huggingface_hub``
    (``pip install 'convguard[hub]'``) and a token (``HF_TOKEN`` or ``hf auth login``).

:func:`pull` is the way back: ``snapshot_download`` into the hub cache, then a copy with real
files (the cache holds symbolic links, which :func:`convguard.Guard.load` refuses) and without
the repository's ``.gitattributes``, checked like the upload.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path
from typing import Any

from .bundle import DETECTORS, MANIFEST, BundleError, check_detector_folder, detector_dir, verify_bundle
from .modelcard import HUB_EXTRA, write_bundle_cards, write_detector_card

log = logging.getLogger(__name__)

class HubError(RuntimeError):
    """``huggingface_hub`` missing, or the Hub refused a call (the message says which)."""


def _hub():
    try:
        import huggingface_hub
    except ImportError:
        raise HubError(f"convguard push/pull needs the huggingface_hub package: {HUB_EXTRA}") from None
    return huggingface_hub


# ------------------------------------------------------------------------------------------
# push / pull
# ------------------------------------------------------------------------------------------

def push(folder: str | Path, repo_id: str, *, kind: str = "bundle", private: bool = False,
         revision: str | None = None, commit_message: str | None = None, dry_run: bool = False,
         api: Any = None) -> dict[str, Any]:
    """Upload a bundle (``kind="bundle"``) or a detector folder (``"detector"``) to the Hub
    repository ``repo_id`` (created when missing; ``private`` applies to a new one), after
    checking it and writing its model card.  ``dry_run``: check and write the card, upload
    nothing.  ``api``: an ``HfApi``-like object (default ``huggingface_hub.HfApi()``)."""
    if not re.fullmatch(r"[\w.-]+/[\w.-]+", repo_id or ""):
        raise ValueError(f"--repo: {repo_id!r} is not a Hub repository id such as 'my-org/convguard-guard'")
    if kind == "bundle":
        root = Path(folder)
        verify_bundle(root)  # never publish a tampered or incomplete bundle
        cards = write_bundle_cards(root, repo=repo_id)
    elif kind == "detector":
        root = detector_dir(folder, "--detector", "convguard push")
        check_detector_folder(root)
        if root.name in DETECTORS and (root.parent / MANIFEST).is_file():
            verify_bundle(root.parent)  # a bundle's detector: the bundle's hashes vouch for it
        cards = [write_detector_card(root, repo=repo_id)]
    else:
        raise ValueError(f"kind must be 'bundle' or 'detector', got {kind!r}")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    result: dict[str, Any] = {"repo": repo_id, "folder": str(root), "kind": kind, "cards": [str(c) for c in cards],
                              "files": files, "uploaded": False}
    if dry_run:
        return result
    if api is None:
        api = _hub().HfApi()
    message = commit_message or f"convguard {kind} from {root.name}"
    try:
        url = api.create_repo(repo_id, private=private or None, exist_ok=True, repo_type="model")
        info = api.upload_folder(repo_id=repo_id, folder_path=str(root), commit_message=message, revision=revision,
                                 repo_type="model")
    except Exception as e:  # noqa: BLE001 - auth, network, permissions: one clear line
        raise HubError(f"{repo_id}: the upload failed: {type(e).__name__}: {e}") from e
    result.update({"uploaded": True, "url": str(url), "commit": getattr(info, "oid", None),
                   "commit_url": getattr(info, "commit_url", None)})
    return result


def pull(repo_id: str, dest: str | Path, *, revision: str | None = None) -> Path:
    """Download a pushed bundle or detector folder to ``dest`` (real files, no
    ``.gitattributes``) and check it like :func:`push` did; returns ``dest``.  ``dest`` must not
    exist or be empty."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FileExistsError(f"{dest}: exists and is not empty; pull into a new folder")
    try:
        snap = Path(_hub().snapshot_download(repo_id, revision=revision, ignore_patterns=[".gitattributes"]))
    except HubError:
        raise
    except Exception as e:  # noqa: BLE001
        raise HubError(f"{repo_id}: the download failed: {type(e).__name__}: {e}") from e
    tmp = dest.with_name(f".{dest.name}.pull")
    if tmp.exists():
        shutil.rmtree(tmp)
    # the hub cache links into its blob store: copy the files themselves
    shutil.copytree(snap, tmp, symlinks=False, ignore=shutil.ignore_patterns(".gitattributes", ".cache"))
    try:
        if (tmp / MANIFEST).is_file():
            verify_bundle(tmp)
        else:
            check_detector_folder(tmp)
    except BundleError:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    if dest.exists():
        dest.rmdir()
    tmp.rename(dest)
    return dest


def push_cli(args) -> int:
    import sys

    kind, folder = ("bundle", args.bundle) if args.bundle else ("detector", args.detector)
    try:
        res = push(folder, args.repo, kind=kind, private=args.private, revision=args.revision,
                   commit_message=args.commit_message, dry_run=args.dry_run)
    except HubError as e:
        print(f"convguard: error: {e}", file=sys.stderr)
        return 2
    print(f"model card: {', '.join(res['cards'])}")
    if not res["uploaded"]:
        print(f"dry run: would upload {len(res['files'])} files from {res['folder']} to {res['repo']}")
        return 0
    print(f"uploaded {len(res['files'])} files from {res['folder']} to {res['url']}"
          + (f" (commit {res['commit']})" if res.get("commit") else ""))
    print(f"load it: convguard.hub.pull({res['repo']!r}, DIR), then "
          + ("convguard.Guard.load(DIR)" if kind == "bundle" else "the card's 'Load it with convguard'"))
    return 0
