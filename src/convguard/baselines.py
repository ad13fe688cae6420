"""TF-IDF + logistic regression baselines for both tasks, saved without pickle (skops).

They read the same role-marked conversation text (:func:`convguard.text.render_text`), train on
the same prefixes, and are scored, thresholded and evaluated exactly like the fine-tuned
detectors, so every report shows how much fine-tuning adds.

Loading refuses any type outside a fixed allow-list: a ``.skops`` file cannot run code.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .config import BaselineConfig
from .schema import Conversation
from .text import render_text

log = logging.getLogger(__name__)

#: the only types a baseline file may contain (checked before loading)
ALLOWED_TYPES = {
    "sklearn.pipeline.Pipeline",
    "sklearn.feature_extraction.text.TfidfVectorizer",
    "sklearn.feature_extraction.text.TfidfTransformer",
    "sklearn.linear_model._logistic.LogisticRegression",
    "numpy.float64", "numpy.int64", "numpy.dtype", "numpy.ndarray", "builtins.dict", "builtins.list",
    "builtins.tuple", "builtins.str", "builtins.int", "builtins.float", "builtins.bool",
}


def conversation_text(conv: Conversation) -> str:
    return render_text(conv.messages)


@dataclass
class BaselineModel:
    """One binary TF-IDF + LR classifier for ``task`` (``terminate`` or ``crisis``)."""

    task: str
    pipeline: Any

    @classmethod
    def train(cls, task: str, convs: list[Conversation], cfg: BaselineConfig, seed: int = 0) -> "BaselineModel":
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import Pipeline

        y = np.array([int(getattr(c.labels, task) or 0) for c in convs])
        if len(set(y.tolist())) < 2:
            raise ValueError(f"baseline {task}: the training data has only one class")
        pipe = Pipeline([
            ("tfidf", TfidfVectorizer(ngram_range=(1, cfg.ngram_max), min_df=cfg.min_df, max_features=cfg.max_features,
                                      sublinear_tf=True, lowercase=True)),
            ("lr", LogisticRegression(C=cfg.C, max_iter=cfg.max_iter, random_state=seed,
                                      class_weight=None if cfg.class_weight == "none" else "balanced")),
        ])
        pipe.fit([conversation_text(c) for c in convs], y)
        return cls(task, pipe)

    def score(self, convs: list[Conversation]) -> np.ndarray:
        return self.pipeline.predict_proba([conversation_text(c) for c in convs])[:, 1]

    def score_message_lists(self, convs) -> np.ndarray:
        return self.pipeline.predict_proba([render_text(m) for m in convs])[:, 1]

    def score_messages(self, messages) -> float:
        return float(self.pipeline.predict_proba([render_text(messages)])[0, 1])

    # -- persistence without pickle ---------------------------------------------------------
    def save(self, folder: str | Path) -> Path:
        import skops.io as sio

        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{self.task}.skops"
        vec = self.pipeline.steps[0][1]
        # numpy ints in the vocabulary become one array file each in a .skops archive (18 MB of
        # schema, 4 s to load a 28k-term vocabulary); Python ints are stored inline
        vec.vocabulary_ = {term: int(i) for term, i in vec.vocabulary_.items()}
        sio.dump(self.pipeline, path)
        meta_path = folder / "baselines.json"
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        meta[self.task] = {"file": path.name, "kind": "tfidf_logreg"}
        meta_path.write_text(json.dumps(meta, indent=1))
        return path

    @classmethod
    def load(cls, folder: str | Path, task: str) -> "BaselineModel":
        import skops.io as sio

        path = Path(folder) / f"{task}.skops"
        if not path.exists():
            raise FileNotFoundError(f"{path}: no baseline for task {task!r}")
        # every type named anywhere in the file (skops trusts some sklearn types by default;
        # we trust only what a TF-IDF + LR pipeline consists of)
        untrusted = sio.get_untrusted_types(file=path)
        bad = sorted(t for t in skops_types(path) | set(untrusted) if t not in ALLOWED_TYPES)
        if bad:
            raise ValueError(f"{path}: refusing to load types outside the allow-list: {', '.join(bad)}")
        return cls(task, sio.load(path, trusted=untrusted))


def skops_types(path: str | Path) -> set[str]:
    """All ``module.Class`` names in a .skops file's schema."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as z:
            schema = json.loads(z.read("schema.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError) as e:
        raise ValueError(f"{path}: not a readable skops file: {e}") from None
    found: set[str] = set()

    def walk(o: Any) -> None:
        if isinstance(o, dict):
            if "__class__" in o and "__module__" in o:
                found.add(f"{o['__module__']}.{o['__class__']}")
            for v in o.values():
                walk(v)
        elif isinstance(o, list):
            for v in o:
                walk(v)

    walk(schema)
    return found


def load_baselines(folder: str | Path) -> dict[str, BaselineModel]:
    folder = Path(folder)
    meta_path = folder / "baselines.json"
    if not meta_path.exists():
        return {}
    meta = json.loads(meta_path.read_text())
    return {task: BaselineModel.load(folder, task) for task in meta}
