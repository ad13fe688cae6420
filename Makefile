# The two commands of the README.  Both install what they need first (idempotent).
PYTHON ?= python3
OUT ?= quickstart

.PHONY: install quickstart test test-fast bench

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

bench: install
	$(PYTHON) benchmarks/bench_latency.py
