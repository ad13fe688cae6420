"""Sweep the termination and crisis thresholds of a bundle and pick them with a strategy -- the
library calls behind ``convguard sweep``.

    python eval/sweep.py --bundle quickstart/bundle --data quickstart/data/validation.jsonl \
        --strategy max_recall_at_precision --min-precision 0.95 [--write]

Every user-turn prefix is scored once; the sweep tables, trade-off plots and a turn-by-turn replay of
the chosen policy land in the output folder.  --write stores the thresholds (with the strategy and a
fingerprint of the data) in the bundle's policy.yaml and re-hashes its manifest.
"""

import argparse
from pathlib import Path

from convguard.config import ThresholdConfig, TrackingConfig
from convguard.eval_cli import default_out, load_eval_data
from convguard.sweeping import write_sweep
from convguard.tracking import Tracker

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--bundle", required=True)
p.add_argument("--data", required=True)
p.add_argument("--strategy", default="max_recall_at_fpr",
               choices=("max_f1", "max_recall_at_precision", "max_recall_at_fpr"))
p.add_argument("--min-precision", type=float, default=0.9)
p.add_argument("--max-fpr", type=float, default=0.02)
p.add_argument("--crisis-min-recall", type=float, default=0.98)
p.add_argument("--crisis-max-false-alarm", type=float, default=0.01,
                help="benign false-alarm budget of the crisis threshold (share of non-crisis conversations)")
p.add_argument("--evidence", type=float, default=0.5,
                help="refusal/push probability at which a turn counts as evidence")
p.add_argument("--min-refused-pushes", type=int, default=None)
p.add_argument("--write", action="store_true")
p.add_argument("--out", default=None)
p.add_argument("--tracking", choices=("on", "off"), default="on")
args = p.parse_args()

convs, name = load_eval_data(args.data)
cfg = ThresholdConfig(terminate_strategy=args.strategy, min_precision=args.min_precision, max_fpr=args.max_fpr,
                      crisis_min_recall=args.crisis_min_recall, crisis_max_false_alarm=args.crisis_max_false_alarm,
                      evidence=args.evidence)
result = write_sweep(args.bundle, convs, Path(args.out) if args.out else default_out(args.bundle, "sweep", name),
                     cfg=cfg, min_refused_pushes=args.min_refused_pushes, write=args.write, data_name=name,
                     tracker=Tracker(TrackingConfig(enabled=args.tracking == "on")))
for system, r in result["results"].items():
    print(f"{system}: terminate {r.terminate.threshold:.6g} ({r.terminate.message}); "
          f"crisis {r.crisis.threshold:.6g} ({r.crisis.message})")
print("report:", result["report"], "| written into the bundle" if args.write else "")
