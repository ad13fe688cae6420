"""Command-line flags generated from typed dataclasses: each flag's type, default, choices and
help are declared once, on a dataclass field, and the argparse argument is derived from it.

    @dataclass
    class ReplayFlags:
        bundle: str = flag("bundle to replay", required=True)
        out: str | None = flag("report folder (default: beside the bundle)")

    FlagGroup(ReplayFlags).add_to(parser)                     # --bundle, --out
    FlagGroup(ThresholdConfig, helps={"max_fpr": "..."})      # a config's own fields as flags

Field -> flag: ``snake_case`` -> ``--snake-case`` (``names`` renames), the dest is the field name;
``Literal[...]`` -> ``choices``; ``X | None`` -> ``type=X``; ``bool`` -> ``store_true``;
``list[X]`` -> a repeatable flag (``action="append"``) or, with ``positional=True``, ``nargs="*"``.
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

__all__ = ["flag", "FlagGroup"]


def flag(help: str, default: Any = None, *, required: bool = False, positional: bool = False) -> Any:
    """A dataclass field that is also a command-line flag (``help`` is required: every flag has one)."""
    meta = {"help": help, "required": required, "positional": positional}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=default, metadata=meta)


def _default(f: dataclasses.Field) -> Any:
    if f.default_factory is not dataclasses.MISSING:
        return f.default_factory()
    return None if f.default is dataclasses.MISSING else f.default


@dataclass(frozen=True)
class FlagGroup:
    """The flags of ``cls``: every field declared with :func:`flag`, or, for a config dataclass
    whose fields carry no help, the fields named in ``helps`` (with that help)."""

    cls: type
    helps: Mapping[str, str] | None = None
    names: Mapping[str, str] = dataclasses.field(default_factory=dict)
    title: str | None = None

    def fields(self) -> list[dataclasses.Field]:
        fs = dataclasses.fields(self.cls)
        if self.helps is None:
            return [f for f in fs if "help" in f.metadata]
        unknown = set(self.helps) - {f.name for f in fs}
        if unknown:
            raise TypeError(f"{self.cls.__name__} has no field(s) {sorted(unknown)}")
        return [f for f in fs if f.name in self.helps]

    def option(self, f: dataclasses.Field) -> str:
        """The flag of field ``f`` (``--max-fpr``), or its name for a positional argument."""
        if f.metadata.get("positional"):
            return f.name
        return "--" + self.names.get(f.name, f.name).replace("_", "-")

    def argument(self, f: dataclasses.Field) -> tuple[list[str], dict[str, Any]]:
        """(``add_argument``'s names, its keyword arguments) for field ``f``."""
        tp = typing.get_type_hints(self.cls)[f.name]
        if typing.get_origin(tp) in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                raise TypeError(f"{self.cls.__name__}.{f.name}: a flag takes one type, not {tp}")
            tp = args[0]
        help_ = self.helps[f.name] if self.helps is not None else f.metadata["help"]
        kw: dict[str, Any] = {"help": help_, "default": _default(f)}
        if f.metadata.get("positional"):
            if typing.get_origin(tp) is not list:
                raise TypeError(f"{self.cls.__name__}.{f.name}: a positional flag here is a list (nargs='*')")
            return [f.name], {**kw, "nargs": "*"}
        if f.metadata.get("required"):
            kw["required"] = True
        if typing.get_origin(tp) is Literal:
            kw["choices"] = typing.get_args(tp)
        elif typing.get_origin(tp) is list:
            (inner,) = typing.get_args(tp)
            kw.update(action="append", type=inner)
        elif tp is bool:
            if kw["default"] is not False:
                raise TypeError(f"{self.cls.__name__}.{f.name}: a bool flag switches something on (default False)")
            kw["action"] = "store_true"
        elif tp in (int, float):
            kw["type"] = tp
        elif tp is not str:
            raise TypeError(f"{self.cls.__name__}.{f.name}: no flag for type {tp}")
        return [self.option(f)], {**kw, "dest": f.name}

    def add_to(self, parser: argparse.ArgumentParser) -> None:
        target = parser.add_argument_group(self.title) if self.title else parser
        for f in self.fields():
            names, kw = self.argument(f)
            target.add_argument(*names, **kw)

    def values(self, ns: argparse.Namespace) -> Any:
        """``cls`` built from the parsed flags (its other fields keep their defaults)."""
        return self.cls(**{f.name: getattr(ns, f.name) for f in self.fields()})
