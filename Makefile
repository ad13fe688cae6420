# The two commands of the README.  Both install what they need first (idempotent).
PYTHON ?= python3
OUT ?= quickstart

.PHONY: install quickstart test test-fast test-floors bench

install:
	# torch is pinned to the CPU wheel: an unpinned torch would pull a multi-GB CUDA build
	$(PYTHON) -m pip install -q torch==2.13.0
	$(PYTHON) -m pip install -q -e ".[dev,spark]"

# main job: generate the embedded corpus, train both detectors and the baselines, choose
# thresholds, evaluate, write $(OUT)/bundle, log everything to MLflow (./mlruns)
quickstart: install
	convguard quickstart --out $(OUT)

# every test, the slow end-to-end ones included
test: install
	$(PYTHON) -m pytest

test-fast: install
	$(PYTHON) -m pytest -m "not slow"

# the fast tests at the declared dependency floors (README "Dependency floors"): a venv that reuses
# the installed packages, the floors of requirements-floors.txt pinned on top, torch held at 2.13.0
FLOORS_VENV ?= /tmp/floors-venv
test-floors: install
	$(PYTHON) -m venv --system-site-packages $(FLOORS_VENV)
	echo "torch==2.13.0" > $(FLOORS_VENV)/torch-constraint.txt
	$(FLOORS_VENV)/bin/pip install -q -c $(FLOORS_VENV)/torch-constraint.txt -r requirements-floors.txt
	$(FLOORS_VENV)/bin/python -c "import torch; assert torch.__version__.startswith('2.13.0'), torch.__version__"
	HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 PYTHONPATH=src $(FLOORS_VENV)/bin/python -m pytest -q -m "not slow" -p no:cacheprovider

bench: install
	$(PYTHON) benchmarks/bench_latency.py
