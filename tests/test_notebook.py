"""notebooks/compare_runs.ipynb runs top to bottom (offline, kernel python3) on real tracked runs of
the tiny bundle, so it cannot rot when what the jobs log changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval_runs import tracked_runs

NOTEBOOK = Path(__file__).resolve().parents[1] / "notebooks" / "compare_runs.ipynb"


def test_notebook_is_parameterised():
    import nbformat

    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    params = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(params) == 1 and "TRACKING_URI" in params[0].source
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")  # stored without outputs


def test_notebook_executes_on_tracked_runs(tiny_bundle, tmp_path_factory, tmp_path, monkeypatch):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")

    runs = tracked_runs(str(tiny_bundle), str(tmp_path_factory.getbasetemp()))
    nb = nbformat.read(NOTEBOOK, as_version=4)
    for c in nb.cells:
        if "parameters" in c.metadata.get("tags", []):
            c.source = f'TRACKING_URI = "{runs["uri"]}"\nEXPERIMENT = "convguard"\nLAST = 20\nSWEEPS = 3\n'
    # offline: no hub, no MLflow server; the kernel is this interpreter (python3 kernelspec)
    for k, v in {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "MPLBACKEND": "Agg",
                 "MLFLOW_ENABLE_ARTIFACTS_PROGRESS_BAR": "false"}.items():
        monkeypatch.setenv(k, v)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    client = nbclient.NotebookClient(nb, timeout=180, kernel_name="python3",
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()
    text = []
    images = 0
    for c in nb.cells:
        for o in c.get("outputs", []):
            assert o.output_type != "error", o
            text.append(o.get("text", "") or str(o.get("data", {}).get("text/plain", "")))
            images += "image/png" in o.get("data", {})
    out = "\n".join(text)
    assert "3 evaluation runs" in out
    for rid in runs["runs"].values():
        assert rid[:8] in out  # the comparison table lists every run
    assert images >= 4  # side-by-side bars, threshold scatter, sweep curve, replay outcomes
