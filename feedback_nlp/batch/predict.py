"""Classification of one partition with a model loaded once per worker process."""
from __future__ import annotations

import json
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pandas as pd

from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.classifiers.runtime import batch_settings, freeze_long_lived

# ``aspects`` is the prediction's aspect list as a JSON string (INTERFACES.md format): Parquet
# readers of any language get it without a nested schema; ``error`` is null for classified rows.
PREDICTION_COLUMNS = ("id", "source", "relevant", "relevance", "sentiment", "polarity", "general",
                      "aspects", "model", "error")
_DTYPES = {"id": "object", "source": "object", "relevant": "boolean", "relevance": "float64",
           "sentiment": "float64", "polarity": "Int8", "general": "Int8", "aspects": "object",
           "model": "object", "error": "object"}



def arrow_schema():
    """The Parquet schema of the output (explicit: empty partitions must not change it)."""
    import pyarrow as pa

    types = {"id": pa.string(), "source": pa.string(), "relevant": pa.bool_(), "relevance": pa.float64(),
             "sentiment": pa.float64(), "polarity": pa.int8(), "general": pa.int8(), "aspects": pa.string(),
             "model": pa.string(), "error": pa.string()}
    return pa.schema([(c, types[c]) for c in PREDICTION_COLUMNS])


_lock = threading.Lock()
_loads: Counter[str] = Counter()


def _key(path: str | Path | None) -> str | None:
    return None if path is None else str(Path(path).resolve())


@lru_cache(maxsize=2)
def _cached_model(key: str | None):
    _loads[str(key)] += 1
    model = load_default_model(key)
    freeze_long_lived()     # a worker's full collections would walk the model at every partition
    return model


def worker_model(path: str | Path | None = None):
    """The model at ``path`` (default: the bundled one), loaded once per process."""
    with _lock:  # threads of one worker must not each load the model
        return _cached_model(_key(path))


def model_loads() -> dict[str, int]:
    """How many times this process loaded each model (tests: once per worker)."""
    return dict(_loads)


def empty_predictions() -> pd.DataFrame:
    """The output frame with no rows: the ``meta`` of the Dask graph."""
    return pd.DataFrame({c: pd.Series([], dtype=_DTYPES[c]) for c in PREDICTION_COLUMNS})


def _predict(model, texts: list[str], ids: list[str]) -> list[dict | str]:
    """Prediction dicts in order; if the batch fails, text by text, the failing ones as a reason."""
    try:
        with batch_settings():      # the dicts of a partition: no collections (runtime.py)
            return [p.to_dict() for p in model.map(texts, ids)]
    except Exception:  # noqa: BLE001 - one text that breaks a library must not sink the partition
        pass
    out: list[dict | str] = []
    for text, ident in zip(texts, ids, strict=True):
        try:
            out.append(next(iter(model.map([text], [ident]))).to_dict())
        except Exception as exc:  # noqa: BLE001 - the type only: messages may quote the text
            out.append(f"classifier failed: {type(exc).__name__}")
    return out


def classify_frame(frame: pd.DataFrame, model_path: str | None = None) -> pd.DataFrame:
    """Predictions of the rows of ``frame`` (``id, text, source, error``) in the same order."""
    if not len(frame):
        return empty_predictions()
    ok = frame["error"].isna().to_numpy()
    texts = frame["text"].to_numpy()[ok].tolist()
    ids = frame["id"].to_numpy()[ok].tolist()
    predictions = iter(_predict(worker_model(model_path), texts, ids) if texts else ())
    columns: dict[str, list] = {c: [] for c in PREDICTION_COLUMNS}
    for good, ident, source, error in zip(ok, frame["id"], frame["source"], frame["error"], strict=True):
        row = next(predictions) if good else error
        if isinstance(row, str):
            row, error = {}, row
        columns["id"].append(ident)
        columns["source"].append(source)
        for name in ("relevant", "relevance", "sentiment", "polarity", "general", "model"):
            columns[name].append(row.get(name))
        columns["aspects"].append(json.dumps(row["aspects"], ensure_ascii=False) if row else None)
        columns["error"].append(None if row else error)
    out = pd.DataFrame(columns)
    return out.astype(_DTYPES)
