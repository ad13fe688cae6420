"""Sweep the termination and crisis thresholds of a bundle and pick them with a strategy.

    python eval/sweep.py --bundle quickstart/bundle --data quickstart/data/validation.jsonl \
        --strategy max_recall_at_precision --min-precision 0.95 [--write]

Every user-turn prefix is scored once; the sweep tables, trade-off plots and a turn-by-turn replay of
the chosen policy land in the output folder.  --write stores the thresholds (with the strategy and a
fingerprint of the data) in the bundle's policy.yaml and re-hashes its manifest.  Same as `convguard
sweep`; the job itself lives in convguard.sweeping / convguard.eval_cli.
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    sys.exit(main(["sweep", *sys.argv[1:]]))
