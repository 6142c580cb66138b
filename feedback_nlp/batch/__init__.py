"""Batch classification of partitioned data on Dask (``feedback-nlp classify-batch``).

    >>> from feedback_nlp.batch import classify_batch
    >>> classify_batch("in/*.parquet", "out/", workers=2)   # a LocalCluster of 2 processes
"""
from __future__ import annotations

from feedback_nlp.batch.partitions import Part, list_parts, read_part
from feedback_nlp.batch.predict import PREDICTION_COLUMNS, classify_frame, model_loads
from feedback_nlp.batch.run import BatchResult, classify_batch

__all__ = ["PREDICTION_COLUMNS", "BatchResult", "Part", "classify_batch", "classify_frame", "list_parts",
           "model_loads", "read_part"]
