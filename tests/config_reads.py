"""Which config keys a run actually reads: every read of a config dataclass field from outside
the config module (and outside ``dataclasses`` / ``copy``, which read every field to save or
copy a config) is recorded while a run executes, and mapped back to the dotted key of the
quickstart config it came from.  Used to prove that a shipped config holds no key the run ignores."""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import sys
from typing import Any, Iterator

from convguard import config as C
from convguard import taxonomy as T

#: the config dataclasses, and those of other modules a config holds (the harm taxonomy)
_CLASSES = [o for o in vars(C).values()
            if isinstance(o, type) and dataclasses.is_dataclass(o) and o.__module__ == C.__name__] + [T.Taxonomy]
_SKIP = {dataclasses.__file__, copy.__file__, C.__file__}


def _leaves(obj: Any, prefix: str, out: dict[tuple[int, str], str]) -> None:
    for f in dataclasses.fields(obj):
        v = object.__getattribute__(obj, f.name)
        if dataclasses.is_dataclass(v):
            _leaves(v, f"{prefix}{f.name}.", out)
        else:
            out[(id(obj), f.name)] = f"{prefix}{f.name}"


@contextlib.contextmanager
def quickstart_reads(cfg: C.QuickstartConfig) -> Iterator[set[str]]:
    """Record which of ``cfg``'s keys are read inside the block; yields the set, filled on exit.
    The training runs ``cfg.recipe(name)`` builds are followed back to the keys they copy."""
    reads: set[tuple[int, str]] = set()
    where: dict[tuple[int, str], str] = {}
    _leaves(cfg, "", where)
    keep: list[Any] = []  # recipes built during the run stay alive: their ids are not reused
    original_recipe = C.QuickstartConfig.recipe

    def recipe(self, name):
        r = original_recipe(self, name)
        keep.append(r)
        if self is cfg:
            for k, v in (("seed", "seed"), ("output_dir", "out"), ("resume", "resume")):
                where[(id(r), k)] = v
            for f in dataclasses.fields(C.DataSourceConfig):
                where[(id(r.data), f.name)] = f"data.{f.name}"
            if name != "baseline":  # the baseline samples with the defaults (no key of its own)
                for f in dataclasses.fields(C.SamplingConfig):
                    where[(id(r.data), f.name)] = f"{name}.sampling.{f.name}"
            for f in dataclasses.fields(C.TrackingConfig):
                if f.name not in ("run_name", "register_as"):  # set per run by recipe()
                    where[(id(r.tracking), f.name)] = f"tracking.{f.name}"
        return r

    def patch(cls):
        names = {f.name for f in dataclasses.fields(cls)}

        def getattribute(self, name):
            if name in names and sys._getframe(1).f_code.co_filename not in _SKIP:
                reads.add((id(self), name))
            return object.__getattribute__(self, name)
        cls.__getattribute__ = getattribute

    original_replace = dataclasses.replace

    def replace(obj, /, **changes):
        """A copy made by ``dataclasses.replace`` stands for the same keys (but the replaced ones);
        its nested configs are the same objects, already mapped."""
        new = original_replace(obj, **changes)
        keep.append(new)
        for f in dataclasses.fields(obj):
            if f.name not in changes and (id(obj), f.name) in where:
                where[(id(new), f.name)] = where[(id(obj), f.name)]
        return new

    found: set[str] = set()
    for cls in _CLASSES:
        patch(cls)
    C.QuickstartConfig.recipe = recipe
    dataclasses.replace = replace
    try:
        yield found
    finally:
        for cls in _CLASSES:
            del cls.__getattribute__
        C.QuickstartConfig.recipe = original_recipe
        dataclasses.replace = original_replace
        found.update(where[r] for r in reads if r in where)


def all_keys(cfg: C.QuickstartConfig) -> set[str]:
    out: dict[tuple[int, str], str] = {}
    _leaves(cfg, "", out)
    return set(out.values())
