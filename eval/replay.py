"""Replay conversations turn by turn -- the library calls behind ``convguard replay``.

    python eval/replay.py --bundle quickstart/bundle --data quickstart/data/test.jsonl [--terminate-threshold 0.8]

Scores every user-turn prefix once, then reports when the policy would first end each conversation
versus the labelled ``terminate_from_turn``: premature, on-time, late and missed ends, false ends of
benign conversations and crisis conversations ended (must be none), at the policy's thresholds and
at a grid of other termination thresholds (from the same cached scores).
"""

import argparse
from pathlib import Path

from convguard.config import TrackingConfig
from convguard.eval_cli import default_out, load_eval_data
from convguard.replay import write_replay
from convguard.tracking import Tracker

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--bundle", required=True)
p.add_argument("--data", required=True)
p.add_argument("--terminate-threshold", type=float, default=None)
p.add_argument("--crisis-threshold", type=float, default=None)
p.add_argument("--out", default=None)
p.add_argument("--tracking", choices=("on", "off"), default="on")
args = p.parse_args()

convs, name = load_eval_data(args.data)
result = write_replay(args.bundle, convs, Path(args.out) if args.out else default_out(args.bundle, "replay", name),
                      terminate_threshold=args.terminate_threshold, crisis_threshold=args.crisis_threshold,
                      data_name=name, tracker=Tracker(TrackingConfig(enabled=args.tracking == "on")))
for system, s in result["summaries"].items():
    t = s["termination"]
    print(f"{system}: {t.get('n_premature', 0)} premature, {t.get('n_on_time', 0)} on time, {t.get('n_late', 0)} late, "
          f"{t.get('n_missed', 0)} missed of {t.get('n', 0)}; {s['false_ends']['n_false_end']} false ends; "
          f"{s['crisis']['n_crisis_ended']} crisis conversations ended")
print("report:", result["report"])
