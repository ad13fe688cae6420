"""Evaluate one or more bundles on a data set -- the library calls behind ``convguard evaluate``.

    python eval/evaluate.py --bundle quickstart/bundle --data quickstart/data/test.jsonl
    python eval/evaluate.py --bundle runs/a/bundle --bundle runs/b/bundle --data test.jsonl --out reports/a-vs-b

Writes report.md (side-by-side table with bootstrap CIs, per-category/subtype breakdown, crisis,
calibration, turn-by-turn replay, plots) and the error-analysis pages; logs an MLflow run unless
--tracking off.  ``convguard evaluate --help`` has every option.
"""

import argparse
from pathlib import Path

from convguard.config import TrackingConfig
from convguard.eval_cli import default_out, load_eval_data
from convguard.report import write_evaluation
from convguard.tracking import Tracker

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--bundle", action="append", required=True, help="repeat to compare bundles")
p.add_argument("--data", required=True, help="JSONL/Parquet/CSV, datasets folder, hf://..., xstest:PATH, ...")
p.add_argument("--out", default=None)
p.add_argument("--n-boot", type=int, default=1000)
p.add_argument("--tracking", choices=("on", "off"), default="on")
p.add_argument("--mlruns-dir", default="mlruns")
args = p.parse_args()

convs, name = load_eval_data(args.data)
tracker = Tracker(TrackingConfig(enabled=args.tracking == "on", mlruns_dir=args.mlruns_dir))
result = write_evaluation(args.bundle, convs, Path(args.out) if args.out else default_out(args.bundle[0], "eval", name),
                          n_boot=args.n_boot, tracker=tracker, data_name=name)
for system, numbers in result["headline"].items():
    print(system, {k: round(v, 3) for k, v in numbers.items() if not k.endswith(("_low", "_high"))})
print("report:", result["report"])
