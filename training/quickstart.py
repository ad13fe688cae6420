"""The main job in one script: generate, train both detectors and the baselines, pick
thresholds, evaluate, write the bundle.

    python training/quickstart.py --out quickstart [key=value ...]
"""

import sys

from convguard.cli import main

if __name__ == "__main__":
    sys.exit(main(["quickstart", *sys.argv[1:]]))
