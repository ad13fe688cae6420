"""Score tables: detector scores and labels for a list of conversations, one row each.

:func:`score_table` runs a :class:`convguard.Guard` (and the TF-IDF baselines) over conversations
once; :func:`table_from_scores` builds the same table from scores computed elsewhere.  Sweeps,
threshold choice (:mod:`convguard.threshold_choice`) and reports (:mod:`convguard.eval_reports`)
then apply policies to a table without running the models again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np

from .schema import Conversation
from .taxonomy import Taxonomy

#: the fine-tuned detectors' entry in a table's ``systems``
MAIN = "convguard"
#: the TF-IDF baselines' entry in a table's ``systems``
BASELINE = "tfidf_baseline"


@dataclass
class ScoreTable:
    """Scores and labels for a list of conversations, one row each."""

    ids: list[str]
    systems: dict[str, dict[str, np.ndarray]]  # name -> {"terminate", "crisis", [...]}
    n_assistant: np.ndarray
    y_terminate: np.ndarray  # 1/0, -1 unknown
    y_crisis: np.ndarray
    group: list[str]
    subtype: list[str]
    harm_category: list[str]
    split_family: list[str]
    terminate_from_turn: list[int | None] = field(default_factory=list)
    #: True for a whole conversation, False for a prefix of one (``meta.prefix_of``)
    whole: np.ndarray | None = None
    #: the conversation each row belongs to (``meta.prefix_of`` for a prefix, else its id): a
    #: chat's rows are resampled together (:func:`convguard.threshold_choice.terminate_threshold_spread`)
    conversation: list[str] = field(default_factory=list)
    #: the harm categories of the main system's ``harm_category`` columns (the bundle's harm
    #: detector's; None: the default taxonomy)
    taxonomy: Taxonomy | None = None

    def __len__(self) -> int:
        return len(self.ids)

    def subset(self, mask: np.ndarray) -> "ScoreTable":
        return self.take(np.flatnonzero(mask))

    def take(self, idx: np.ndarray) -> "ScoreTable":
        """The rows at ``idx``, in that order, repeats allowed (a bootstrap resample)."""
        idx = np.asarray(idx, dtype=int)
        pick = lambda xs: [xs[i] for i in idx]  # noqa: E731
        return ScoreTable(
            ids=pick(self.ids),
            systems={s: {k: v[idx] for k, v in d.items()} for s, d in self.systems.items()},
            n_assistant=self.n_assistant[idx], y_terminate=self.y_terminate[idx], y_crisis=self.y_crisis[idx],
            group=pick(self.group), subtype=pick(self.subtype), harm_category=pick(self.harm_category),
            split_family=pick(self.split_family),
            terminate_from_turn=pick(self.terminate_from_turn) if self.terminate_from_turn else [],
            whole=None if self.whole is None else self.whole[idx],
            conversation=pick(self.conversation) if self.conversation else [], taxonomy=self.taxonomy)

    @property
    def whole_mask(self) -> np.ndarray:
        return np.ones(len(self), dtype=bool) if self.whole is None else self.whole


def _label(v: int | None) -> int:
    return -1 if v is None else int(v)


def score_table(guard, convs: Sequence[Conversation], baselines: Mapping[str, Any] | None = None,
                batch_size: int = 32, progress: bool = False) -> ScoreTable:
    """Score ``convs`` with ``guard`` (a :class:`convguard.Guard`) and optional baselines
    (``{"terminate": BaselineModel, "crisis": BaselineModel}``)."""
    from tqdm.auto import tqdm

    parts: list[dict[str, np.ndarray]] = []
    chunk = max(batch_size * 8, 64)
    for s in tqdm(range(0, len(convs), chunk), desc="scoring", disable=not progress, leave=False):
        parts.append(guard.score([c.messages for c in convs[s: s + chunk]], batch_size))
    main = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]} if parts else {}
    systems = {MAIN: main}
    if baselines:
        systems[BASELINE] = {task: m.score(list(convs)) for task, m in baselines.items()}
    return ScoreTable(
        ids=[c.id for c in convs], systems=systems,
        n_assistant=np.array([sum(1 for m in c.messages if m.role == "assistant") for c in convs]),
        y_terminate=np.array([_label(c.labels.terminate) for c in convs]),
        y_crisis=np.array([_label(c.labels.crisis) for c in convs]),
        group=[c.labels.group for c in convs], subtype=[c.labels.subtype or "unknown" for c in convs],
        harm_category=[c.labels.harm_category or "unknown" for c in convs],
        split_family=[str(c.meta.get("split_family", "unknown")) for c in convs],
        terminate_from_turn=[c.labels.terminate_from_turn for c in convs],
        whole=np.array(["prefix_of" not in c.meta for c in convs], dtype=bool),
        conversation=[str(c.meta.get("prefix_of", c.id)) for c in convs],
        taxonomy=getattr(guard, "taxonomy", None),
    )


def table_from_scores(convs: Sequence[Conversation], systems: Mapping[str, Mapping[str, np.ndarray]],
                      taxonomy: Taxonomy | None = None) -> ScoreTable:
    """A :class:`ScoreTable` from scores computed elsewhere (one row per conversation, in order):
    ``systems`` maps a system name to ``{"terminate": (n,), "crisis": (n,), ...}`` (``taxonomy``:
    the categories of ``harm_category``'s columns; None: the default).  Labels are read from
    ``convs`` exactly as :func:`score_table` reads them; no model is run."""
    n = len(convs)
    out: dict[str, dict[str, np.ndarray]] = {}
    for name, d in systems.items():
        out[name] = {k: np.asarray(v) for k, v in d.items()}
        for k, v in out[name].items():
            if len(v) != n:
                raise ValueError(f"system {name!r}: {k} has {len(v)} rows for {n} conversations")
    return ScoreTable(
        ids=[c.id for c in convs], systems=out,
        n_assistant=np.array([sum(1 for m in c.messages if m.role == "assistant") for c in convs], dtype=int),
        y_terminate=np.array([_label(c.labels.terminate) for c in convs], dtype=int),
        y_crisis=np.array([_label(c.labels.crisis) for c in convs], dtype=int),
        group=[c.labels.group for c in convs], subtype=[c.labels.subtype or "unknown" for c in convs],
        harm_category=[c.labels.harm_category or "unknown" for c in convs],
        split_family=[str(c.meta.get("split_family", "unknown")) for c in convs],
        terminate_from_turn=[c.labels.terminate_from_turn for c in convs],
        whole=np.array(["prefix_of" not in c.meta for c in convs], dtype=bool),
        conversation=[str(c.meta.get("prefix_of", c.id)) for c in convs],
        taxonomy=taxonomy,
    )


def _termination_rows(table: ScoreTable) -> np.ndarray:
    """Termination-worthy vs benign-edgy conversations (crisis and ordinary rows excluded)."""
    g = np.array(table.group, dtype=object)
    return (table.y_terminate >= 0) & ((g == "terminate") | (g == "benign_edgy")) & (table.y_crisis != 1)
