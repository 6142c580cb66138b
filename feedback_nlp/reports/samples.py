"""A store filled like the demo's (every sample source and the quarter's feedback), classified.

For the notebooks and for trying the report without a store of one's own.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from feedback_nlp.store import Store, open_store

SAMPLE_PERIOD = "2024Q2"  # the quarter of the demo's feedback, survey and objective samples


def sample_store(path: str | Path, model: Any = None) -> Store:
    """Open (creating) a SQLite store at ``path`` with the demo's feedback ingested and classified."""
    from feedback_nlp.classifiers import load_default_model
    from feedback_nlp.demo import sample_path
    from feedback_nlp.ingest import ingest_paths, ingest_samples
    from feedback_nlp.pipeline import classify_store

    store = open_store(f"sqlite:///{Path(path)}")
    ingest_samples(store, sample_path("centers.csv"))
    ingest_paths(store, "generic", [sample_path("demo/feedback.jsonl")])
    classify_store(store, model if model is not None else load_default_model())
    return store
