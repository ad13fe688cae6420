"""Replay conversations turn by turn.

    python eval/replay.py --bundle quickstart/bundle --data quickstart/data/test.jsonl [--terminate-threshold 0.8]

Scores every user-turn prefix once, then reports when the policy would first end each conversation
versus the labelled ``terminate_from_turn``: premature, on-time, late and missed ends, false ends of
benign conversations and crisis conversations ended (must be none), at the policy's thresholds and
at a grid of other termination thresholds (from the same cached scores).  Same as `convguard
replay`; the job itself lives in convguard.replay / convguard.eval_cli.
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    sys.exit(main(["replay", *sys.argv[1:]]))
