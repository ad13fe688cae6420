"""Evaluate one or more bundles on a data set.

    python eval/evaluate.py --bundle quickstart/bundle --data quickstart/data/test.jsonl
    python eval/evaluate.py --bundle runs/a/bundle --bundle runs/b/bundle --data test.jsonl --out reports/a-vs-b

Writes report.md (side-by-side table with bootstrap CIs, per-category/subtype breakdown, crisis,
calibration, turn-by-turn replay, plots) and the error-analysis pages; logs an MLflow run unless
--tracking off.  Same as `convguard evaluate` (its --help has every option); the job itself lives
in convguard.report / convguard.eval_cli.
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    sys.exit(main(["evaluate", *sys.argv[1:]]))
