"""convguard: conversation-level harm-and-persistence and crisis detectors, a termination policy
that combines them (crisis always overrides), evaluation harnesses and export."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Guard", "Decision", "__version__"]


def __getattr__(name: str):  # lazy: importing convguard must not import torch
    if name in ("Guard", "Decision"):
        from . import guard

        return getattr(guard, name)
    raise AttributeError(name)
