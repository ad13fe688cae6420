"""Train the TF-IDF + logistic-regression baselines for both tasks (seconds on a CPU).

    python training/train_baseline.py configs/baseline_tfidf.yaml [key=value ...]
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    args = sys.argv[1:] or ["configs/baseline_tfidf.yaml"]
    sys.exit(main(["train", *args, "recipe=baseline"]))
