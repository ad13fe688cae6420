"""Batch scoring on Spark through the bundle's MLflow pyfunc model.

Audit a threshold or model change on millions of logged conversations before shipping it::

    from pyspark.sql import SparkSession
    from convguard.spark import guard_udf, score_dataframe

    spark = SparkSession.builder.getOrCreate()
    chats = spark.read.json("s3://logs/chats/*.jsonl")          # id, messages: [{role, content}]
    udf = guard_udf(spark, "models:/convguard-guard/3")          # or a saved model folder
    decisions = score_dataframe(chats, udf)                      # + action, terminate, crisis, ...
    decisions.groupBy("action").count().show()

The UDF runs :class:`convguard.pyfunc.ConvGuardModel` on each partition (the bundle is loaded
once per Python worker, hashes verified), so the decisions equal ``convguard predict``.
Needs the ``spark`` extra (``pip install -e ".[spark]"``) and Java.
"""

from __future__ import annotations

from typing import Any

#: the pyfunc model's output columns and their Spark types
OUTPUT_FIELDS = (("action", "string"), ("terminate", "double"), ("crisis", "double"), ("harm_category", "string"),
                 ("harm_category_prob", "double"), ("persistence", "double"), ("reason", "string"),
                 ("message", "string"), ("evidence", "string"))


def result_type():
    from pyspark.sql.types import DoubleType, StringType, StructField, StructType

    kinds = {"string": StringType(), "double": DoubleType()}
    return StructType([StructField(n, kinds[t], True) for n, t in OUTPUT_FIELDS])


def guard_udf(spark, model_uri: str, *, env_manager: str = "local") -> Any:
    """A Spark UDF over a convguard pyfunc model (``convguard export --format mlflow``)."""
    import mlflow.pyfunc

    return mlflow.pyfunc.spark_udf(spark, model_uri=model_uri, result_type=result_type(), env_manager=env_manager)


def score_dataframe(df, udf, *, messages_col: str = "messages", keep: tuple[str, ...] | None = None,
                    prefix: str = ""):
    """``df`` plus one column per output field (``prefix`` + name).  ``messages_col`` holds
    ``array<struct<role, content>>`` (or JSON text of the list)."""
    from pyspark.sql import functions as F

    scored = df.withColumn("__decision", udf(F.col(messages_col).alias("messages")))
    cols = [F.col(c) for c in (keep if keep is not None else df.columns)]
    cols += [F.col(f"__decision.{n}").alias(prefix + n) for n, _ in OUTPUT_FIELDS]
    return scored.select(*cols)
