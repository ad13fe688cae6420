"""The names of a bundle's files, in one place (:mod:`convguard.bundle` writes and checks them,
:mod:`convguard.modelcard` describes them)."""

from __future__ import annotations

MANIFEST = "manifest.json"
#: the optional signature of ``manifest.json`` (see :func:`convguard.bundle.sign_bundle`)
SIGNATURE = "manifest.sig"
#: the detector folders, plain Hugging Face save_pretrained folders
DETECTORS = ("harm", "crisis")
#: the model cards (convguard.modelcard): generated documentation, the only files the manifest leaves out
MODEL_CARDS = ("README.md",) + tuple(f"{d}/README.md" for d in DETECTORS)
