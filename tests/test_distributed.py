"""The real training recipe under torchrun with 2 CPU processes (gloo): it trains, logs once,
and both ranks end with the same weights."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import mlflow
import pytest

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.skipif(shutil.which("torchrun") is None and not Path(sys.executable).with_name("torchrun").exists(),
                    reason="torchrun not installed")
def test_torchrun_two_processes_train_log_once_and_agree(tiny_encoder, small_splits, tmp_path):
    out = tmp_path / "ddp"
    mlruns = tmp_path / "mlruns"
    env = dict(os.environ, OMP_NUM_THREADS="1", CUDA_VISIBLE_DEVICES="", PYTHONUNBUFFERED="1")
    env.pop("MLFLOW_TRACKING_URI", None)
    cmd = [sys.executable, "-m", "torch.distributed.run", "--nproc_per_node=2", "--master_addr=127.0.0.1",
           f"--master_port={free_port()}", str(ROOT / "training" / "train_harm.py"), str(ROOT / "configs" / "harm_minilm.yaml"),
           f"model.base={tiny_encoder}", f"data.train={small_splits['train']}",
           f"data.validation={small_splits['validation']}", f"output_dir={out}", "train.epochs=2", "train.batch_size=4",
           "model.max_length=64", "train.progress=false", "train.device=cpu", "train.precision=fp32", f"tracking.mlruns_dir={mlruns}",
           "tracking.experiment=ddp", "tracking.register_as=ddp-harm"]
    proc = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    # the same weights on both ranks
    digests = [(out / f"weights.rank{r}.sha256").read_text() for r in (0, 1)]
    assert digests[0] == digests[1]
    # logged once: one run, one registered version, written by rank 0
    client = mlflow.MlflowClient(tracking_uri=f"sqlite:///{mlruns / 'mlflow.db'}")
    exp = client.get_experiment_by_name("ddp")
    runs = client.search_runs([exp.experiment_id])
    assert len(runs) == 1
    # it trained, each rank on its half of the batches: ceil(n / 4) batches split over 2 ranks per epoch
    import json
    import math

    n = int(runs[0].data.params["n_train_examples"])
    per_epoch = math.ceil(n / 4) // 2
    hist = json.loads((out / "history.json").read_text())
    assert [h["step"] for h in hist] == [per_epoch, 2 * per_epoch]
    assert len(client.get_metric_history(runs[0].info.run_id, "val/pr_auc")) == 2
    assert len(client.search_model_versions("name='ddp-harm'")) == 1
    assert (out / "model" / "model.safetensors").exists()
