"""Ingest: collected feedback into the store, redacted, attributed and de-duplicated."""
from __future__ import annotations

from feedback_nlp.ingest.pipeline import IngestCounts, IngestOptions, Pipeline
from feedback_nlp.ingest.runs import ingest_paths, ingest_samples, sample_paths

__all__ = ["IngestCounts", "IngestOptions", "Pipeline", "ingest_paths", "ingest_samples",
           "sample_paths"]
