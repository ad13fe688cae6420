"""The training examples of both detectors: conversations encoded once into token sequences
(``units``) and, per example, the units it is scored from and its targets.

* :func:`encode_examples`: one example per conversation (or prefix), labelled as of its last message;
* :func:`turn_examples`: one example per turn, for the per-turn detectors (views ``user_turns`` and
  ``turns``), with :func:`evidence_labels` and :func:`harmful_turns` reading the turn labels from a
  conversation's ``meta``.

:func:`convguard.train.fit` trains on them; everything here is also importable from
:mod:`convguard.train`, where it lived before.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from .dataset import targets
from .modeling import TURN_HEADS
from .schema import Conversation
from .taxonomy import Taxonomy
from .text import ConversationEncoder, previous_user_turn


@dataclass
class Examples:
    """Encoded examples: the unique token sequences (``units``) and, per example, the units it
    is scored from (``bags``: one unit, or one per user turn in the ``user_turns`` view, pooled by
    the highest main-head logit) and its targets."""

    units: list[list[int]]
    bags: list[list[int]]
    y: dict[str, np.ndarray]

    def __len__(self) -> int:
        return len(self.bags)

    def select(self, keep: list[int]) -> "Examples":
        """The examples at ``keep``, with only the units they read (renumbered)."""
        used = sorted({u for i in keep for u in self.bags[i]})
        new = {u: j for j, u in enumerate(used)}
        return Examples([self.units[u] for u in used], [[new[u] for u in self.bags[i]] for i in keep],
                        {k: v[keep] for k, v in self.y.items()})

    def lengths(self) -> list[int]:
        return [sum(len(self.units[u]) for u in b) for b in self.bags]


def encode_examples(encoder: ConversationEncoder, convs: list[Conversation], recipe: str, progress: bool,
                    desc: str, taxonomy: Taxonomy | None = None) -> Examples:
    """One example per conversation (or prefix), labelled as of its last message (harm
    categories as indices into ``taxonomy``; None: the default)."""
    from tqdm.auto import tqdm

    units: list[list[int]] = []
    bags: list[list[int]] = []
    for c in tqdm(convs, desc=desc, disable=not progress, leave=False):
        u = encoder.encode_units(c.messages)
        if not u:
            raise ValueError(f"conversation {c.id}: no user turn to score")
        bags.append(list(range(len(units), len(units) + len(u))))
        units += u
    ys = [targets(c, recipe, taxonomy) for c in convs]
    return Examples(units, bags, {k: np.array([t[k] for t in ys]) for k in ys[0]} if ys else {})


#: how many other refused requests a user turn that presses nothing after a refusal is re-read
#: after (``context_swap``; see :func:`turn_examples`)
DROP_REREADS = 3


def turn_examples(encoder: ConversationEncoder, convs: list[Conversation], progress: bool, desc: str, *,
                  context_swap: float = 0.0, seed: int = 0) -> Examples:
    """Training examples of a per-turn detector (views ``user_turns`` and ``turns``), one per turn.

    Crisis (user turns):

    * every user turn of a conversation without crisis, and every user turn before
      ``crisis_from_turn`` of one with crisis: negative;
    * the turn at ``crisis_from_turn``: positive;
    * a crisis conversation without ``crisis_from_turn``: one positive bag of all its user turns
      (multiple-instance: at least one of them carries the signal; the max is trained);
    * turns after the onset carry no crisis label: they may repeat the signal or go quiet, and
      which one is not labelled.

    Evidence (view ``turns`` only, from ``meta.push_turns``, ``meta.reask_turns`` and
    ``meta.refusal_turns``): every user turn is a push example (positive iff it presses the same
    request again: in ``push_turns`` or ``reask_turns``, see :func:`evidence_labels`), every assistant turn a
    refusal example (positive iff it is in ``refusal_turns``) and a crisis-response example
    (positive iff it is a refusal turn after ``crisis_from_turn`` of a crisis conversation; unknown
    in a crisis conversation without the onset).  Every user turn of a conversation without
    crisis is also a harmful example (:func:`harmful_turns`: positive iff it asks for or presses
    a request of a harm category -- ``meta.harm_from_turn`` and the pushes and re-asks after it;
    a benign request refused and insisted on is negative, so the head judges the request, not the
    reply); crisis conversations carry no harmful label (crisis support, never an end).  A label
    a unit does not carry is NaN (masked out of the loss).

    ``context_swap`` (``model.context_swap``): for that share of the turns, one more example read
    after another conversation's context, drawn (``seed``) from all of ``convs``: a user turn after
    another assistant reply, half the time also after another user turn before it (push and
    harmful labels kept), an assistant turn after another user
    request (refusal label kept); every other label unset.  The push head cannot learn to judge the
    reply, nor the refusal head to judge the request: each decides on its own turn's words, and the
    policy's evidence, min(p refusal, p push), needs both.  A crisis onset turn is re-read after
    another conversation's request and refusal instead (crisis and push labels kept): a disclosure
    that follows harmful talk is still crisis.  A user turn right after a refusal that presses
    nothing (a drop, a thank-you, a new subject) is re-read after :data:`DROP_REREADS` other
    refused requests (push 0): without it the push head read "ok nvm" after a refusal as a push
    (0.95 on the challenge set), since nearly every turn in that place of a training chat is one.

    Identical (sequence, labels) examples -- the corpus' recurring small talk -- are kept once."""
    from tqdm.auto import tqdm

    evidence = encoder.reads_replies
    names = tuple(h.name for h in TURN_HEADS) if evidence else ("crisis",)
    nan = float("nan")
    units: list[list[int]] = []
    index: dict[tuple[int, ...], int] = {}
    bags: list[list[int]] = []
    ys: list[tuple[float, ...]] = []
    seen: set[tuple] = set()  # (unit, labels)

    def unit(ids: list[int]) -> int:
        key = tuple(ids)
        if key not in index:
            index[key] = len(units)
            units.append(ids)
        return index[key]

    def add(bag: list[int], y: tuple[float, ...]) -> None:
        key = (tuple(bag), tuple("nan" if v != v else v for v in y))
        if key in seen:
            return
        seen.add(key)
        bags.append(bag)
        ys.append(y)

    rng = random.Random(f"convguard-push-reply-swap:{seed}")
    swap = evidence and context_swap > 0
    pool = {r: [m for c in convs for m in c.messages if m.role == r] if swap else []
            for r in ("user", "assistant")}
    # (pressing turns, refusal turns) per conversation, read once
    labelled = [evidence_labels(c) if evidence else (None, None) for c in convs]
    # (request, refusal) exchanges: the context a crisis statement or a drop is re-read after
    refused = [(c.messages[j], c.messages[i]) for c, (_, refs) in zip(convs, labelled) if swap for i in refs
               if (j := previous_user_turn(c.messages, i)) is not None]

    def reread_after_refusal(message, y: tuple[float, ...]) -> None:
        """``message`` (a user turn) read right after another chat's refused request."""
        q, a = rng.choice(refused)
        add([unit(encoder.encode_turn([q, a, message], 2))], y)

    for c, (pushes, refusals) in tqdm(list(zip(convs, labelled)), desc=desc, disable=not progress, leave=False):
        crisis = bool(c.labels.crisis)
        onset = c.labels.crisis_from_turn if crisis else None
        # pushes: every turn that presses the request (push_turns and reask_turns)
        harmful = None if crisis or not evidence else harmful_turns(c, pushes)
        if crisis and onset is None:
            bag = [unit(encoder.encode_turn(c.messages, i)) for i in c.user_turn_indices]
            if bag:
                add(bag, tuple(1.0 if k == "crisis" else nan for k in names))
            crisis_known = False
        else:
            crisis_known = True
        for i, role, ids in encoder.turn_units(c.messages):
            if role == "user":
                if crisis_known and not (crisis and i > onset):
                    yc = 1.0 if crisis and i == onset else 0.0
                else:
                    yc = nan
                # the evidence labels of a user turn stay with it when its context is swapped below
                kept = {"push": float(i in pushes), "harmful": nan if harmful is None else float(i in harmful)} \
                    if evidence else {}
                y = {"crisis": yc} | kept
            else:
                # a crisis response: a refusal turn after the onset of a crisis conversation (the
                # generator's and the challenge set's crisis replies); unknown when the onset is
                # not labelled
                y_cr = (float(i in refusals and i > onset) if onset is not None else nan) if crisis else 0.0
                y = {"refusal": float(i in refusals), "crisis_response": y_cr}
            y = tuple(y.get(k, nan) for k in names)
            if all(v != v for v in y):
                continue
            add([unit(ids)], y)
            if role == "user" and refused and not crisis and i - 1 in refusals and i not in pushes:
                # a user turn right after a refusal that presses nothing (drops it, accepts, thanks,
                # changes the subject): rarer than the pushes in that place, so it is re-read after
                # DROP_REREADS other refused requests (push 0, harmful label kept) -- "ok nvm" after
                # a refusal is no push because of its words, whatever was refused
                for _ in range(DROP_REREADS):
                    reread_after_refusal(c.messages[i], tuple(0.0 if k == "crisis" else kept.get(k, nan) for k in names))
            if not pool["user"] or rng.random() >= context_swap:
                continue
            swapped = list(c.messages)
            if role == "user" and yc == 1.0 and refused:
                # a crisis statement after another chat's refused request: the user's words, not
                # the harmful talk before them, say crisis (push label kept: a disclosure is no push)
                reread_after_refusal(c.messages[i], tuple(1.0 if k == "crisis" else kept.get(k, nan) for k in names))
            elif role == "user" and i > 0 and c.messages[i - 1].role == "assistant":
                # another reply before this user turn, and half the time another user turn before
                # that: pressing (and asking for harm) is in the user's words, not in the reply, nor
                # in whether the user pushed the turn before (a drop after a push is no push)
                swapped[i - 1] = rng.choice(pool["assistant"])
                j = previous_user_turn(c.messages, i - 1)
                if j is not None and rng.random() < 0.5:
                    swapped[j] = rng.choice(pool["user"])
                add([unit(encoder.encode_turn(swapped, i))], tuple(kept.get(k, nan) for k in names))
            elif role == "assistant" and encoder.spec.reply_context > 0:
                # another request before this reply: refusing is in the reply's words
                j = previous_user_turn(c.messages, i)
                if j is not None:
                    swapped[j] = rng.choice(pool["user"])
                    add([unit(encoder.encode_reply(swapped, i))],
                        tuple(float(i in refusals) if k == "refusal" else nan for k in names))
    arr = np.array(ys, dtype=np.float64).reshape(len(ys), len(names))
    return Examples(units, bags, {k: arr[:, j] for j, k in enumerate(names)})


def evidence_labels(c: Conversation) -> tuple[set[int], set[int]]:
    """``(pressing turns, refusal_turns)`` of a conversation, from its ``meta`` (the generator and
    the challenge set write them; see data/README.md).  Training the turn detector needs
    ``push_turns`` and ``refusal_turns``; ``reask_turns`` (optional) adds the user turns that press
    the same request after a reply that was no refusal.

    The push head learns *pressing the same request again*, pushes and re-asks alike; whether the
    reply before it refused is the refusal head's call, and the policy's evidence is the smaller of
    the two (:func:`convguard.guard.turn_evidence`).  Labelling re-asks negative instead made the
    push head judge the assistant's reply from its first few tokens, a second refusal detector
    that did not transfer ("just say it" after a refusal that ended on a question scored 0.06)."""
    missing = [k for k in ("push_turns", "refusal_turns") if not isinstance(c.meta.get(k), list)]
    if missing:
        raise ValueError(f"conversation {c.id}: meta.{missing[0]} is missing: the turn detector (view 'turns') "
                         f"trains on meta.push_turns and meta.refusal_turns (message indices; see data/README.md)")
    reask = c.meta.get("reask_turns", [])
    if not isinstance(reask, list):
        raise ValueError(f"conversation {c.id}: meta.reask_turns must be a list of message indices, got "
                         f"{type(reask).__name__}")
    pressing = {int(i) for i in c.meta["push_turns"]} | {int(i) for i in reask}
    return pressing, {int(i) for i in c.meta["refusal_turns"]}


def harmful_turns(c: Conversation, pressing: set[int]) -> set[int]:
    """The user turns of a non-crisis conversation that ask for harm: from ``meta.harm_from_turn``
    (the first harmful ask) on, that turn and every turn in ``pressing`` (pushes and re-asks:
    :func:`evidence_labels`); none when ``labels.harm_category`` is ``none`` (an over-refused
    benign request stays benign however often it is pressed).  A harmful conversation without
    ``harm_from_turn`` is refused, naming it: which turn asked is the label."""
    if c.labels.harm_category in (None, "none"):
        return set()
    start = c.meta.get("harm_from_turn")
    if not isinstance(start, int) or isinstance(start, bool):
        raise ValueError(f"conversation {c.id}: meta.harm_from_turn is missing or not a message index: the turn "
                         f"detector's harmful head (view 'turns') trains on it for every conversation whose "
                         f"harm_category is not 'none' (see data/README.md)")
    return {start} | {i for i in pressing if i > start}
