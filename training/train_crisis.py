"""Train the crisis-signal detector (a separate model with its own config).

    python training/train_crisis.py configs/crisis_minilm.yaml [key=value ...]
    torchrun --nproc_per_node=4 training/train_crisis.py configs/crisis_minilm.yaml
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    args = sys.argv[1:] or ["configs/crisis_minilm.yaml"]
    sys.exit(main(["train", *args, "recipe=crisis"]))
