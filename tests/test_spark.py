"""Batch scoring of a Spark DataFrame through the bundle's pyfunc model (pyspark local mode)
gives the same decisions as `convguard predict`."""

from __future__ import annotations

import json
import os
import shutil
import sys

import pytest

pyspark = pytest.importorskip("pyspark", reason="the spark extra is not installed")
if shutil.which("java") is None:  # pragma: no cover
    pytest.skip("Spark needs Java", allow_module_level=True)


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    # the Python workers run this interpreter (Spark's default is `python3` on PATH, which in a venv
    # may be another Python with other packages), unless PYSPARK_PYTHON says otherwise
    before = os.environ.get("PYSPARK_PYTHON")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    s = (SparkSession.builder.master("local[1]").appName("convguard-test")
         .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
         .config("spark.sql.execution.arrow.pyspark.enabled", "true").getOrCreate())
    yield s
    s.stop()
    if before is None:
        os.environ.pop("PYSPARK_PYTHON", None)


def test_spark_udf_equals_predict(spark, tiny_bundle, tmp_path):
    from convguard.cli import main
    from convguard.export import export_mlflow
    from convguard.spark import guard_udf, score_dataframe

    data = tiny_bundle.parent / "test.jsonl"
    model_dir = tmp_path / "pyfunc"
    export_mlflow(tiny_bundle, out=model_dir, tracking=False, backend="torch")
    assert main(["predict", "--bundle", str(tiny_bundle), "--input", str(data), "--output",
                 str(tmp_path / "pred.jsonl")]) == 0
    expected = {r["id"]: r for r in map(json.loads, (tmp_path / "pred.jsonl").read_text().splitlines())}

    rows = [json.loads(line) for line in data.read_text().splitlines()]
    df = spark.createDataFrame([(r["id"], r["messages"]) for r in rows],
                               "id string, messages array<struct<role:string, content:string>>").repartition(2)
    out = score_dataframe(df, guard_udf(spark, str(model_dir)), keep=("id",)).collect()
    assert len(out) == len(rows)
    for r in out:
        e = expected[r["id"]]
        assert r["action"] == e["action"]
        assert r["terminate"] == pytest.approx(e["scores"]["terminate"], abs=1e-5)
        assert r["crisis"] == pytest.approx(e["scores"]["crisis"], abs=1e-5)
        assert r["harm_category"] == e["scores"]["harm_category"]
        assert r["reason"] == e["reason"]
