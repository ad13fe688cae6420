"""Assemble a bundle from trained detectors: thresholds chosen on validation, policy, manifest.

    python training/bundle.py [--config configs/bundle.yaml] [--harm DIR --crisis DIR ...] [key=value ...]

Same as `convguard bundle`; the step itself lives in convguard.assemble (the quickstart runs it too).
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    args = sys.argv[1:] or ["--config", "configs/bundle.yaml"]
    sys.exit(main(["bundle", *args]))
