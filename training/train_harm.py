"""Train the harm-and-persistence detector.

    python training/train_harm.py configs/harm_minilm.yaml [key=value ...]
    torchrun --nproc_per_node=4 training/train_harm.py configs/harm_minilm.yaml   # DDP, one node

Same as `convguard train CONFIG`; the recipe itself lives in convguard.recipes / convguard.train.
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    args = sys.argv[1:] or ["configs/harm_minilm.yaml"]
    sys.exit(main(["train", *args, "recipe=harm"]))
