"""The embedded default corpus generator.

``generate(out_dir, n=DEFAULT_N, seed=0)`` writes ``train.jsonl``, ``validation.jsonl``,
``test.jsonl`` and ``manifest.json``; ``generate_conversations(n, seed)`` returns the labelled
conversations; ``split_conversations(convs, seed)`` splits any conversations by family.

Modules: ``banks_*`` (phrase and intent banks per area), ``intents`` (compositional intent
clusters), ``families`` (families, pools, the held-out partition), ``scripts`` (one dialogue
script per subtype), ``noise`` (seeded surface noise), ``generate`` (sampling, labels, splits,
manifest).  The design is documented in ``data/README.md``.
"""

from __future__ import annotations

from .families import Family, build_families, partition_families
from .generate import (DEFAULT_N, GENERATOR_VERSION, SUBTYPE_WEIGHTS, generate, generate_conversations,
                       intent_counts, split_conversations)
from .scripts import Variations

__all__ = [
    "DEFAULT_N", "GENERATOR_VERSION", "SUBTYPE_WEIGHTS", "Family", "build_families", "generate",
    "generate_conversations", "intent_counts", "partition_families", "split_conversations", "Variations",
]
