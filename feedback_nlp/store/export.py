"""Export of stored items: JSONL, CSV (streamed), XLSX and Parquet."""
from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from feedback_nlp.schema import Feedback

FORMATS: tuple[str, ...] = ("jsonl", "csv", "xlsx", "parquet")
COLUMNS: tuple[str, ...] = (
    "id", "source_kind", "source", "external_id", "created_at", "text", "region", "center_id",
    "duplicate_of", "url", "rating", "author_hash", "language", "flags", "batch_id", "metadata",
)


def item_record(item: Feedback) -> dict[str, Any]:
    """An item as a flat JSON-ready dict (``created_at`` ISO 8601 with its offset)."""
    return {
        "id": item.id, "source_kind": item.source_kind, "source": item.source,
        "external_id": item.external_id,
        "created_at": item.created_at.isoformat() if item.created_at else None,
        "text": item.text, "region": item.region, "center_id": item.center_id,
        "duplicate_of": item.duplicate_of, "url": item.url, "rating": item.rating,
        "author_hash": item.author_hash, "language": item.language, "flags": list(item.flags),
        "batch_id": item.batch_id, "metadata": item.metadata,
    }


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    out = dict(record)
    out["flags"] = ",".join(record["flags"])
    out["metadata"] = json.dumps(record["metadata"], ensure_ascii=False)
    return out


def write_jsonl(items: Iterable[Feedback], out: IO[str]) -> int:
    n = 0
    for item in items:
        out.write(json.dumps(item_record(item), ensure_ascii=False) + "\n")
        n += 1
    return n


def write_csv(items: Iterable[Feedback], out: IO[str]) -> int:
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    n = 0
    for item in items:
        writer.writerow(_flat(item_record(item)))
        n += 1
    return n


def write_table(items: Iterable[Feedback], path: Path, fmt: str, chunk: int = 50_000) -> int:
    """XLSX (openpyxl via pandas) or Parquet (pyarrow, written in row groups)."""
    import pandas as pd

    if fmt == "xlsx":
        frame = pd.DataFrame([_flat(item_record(i)) for i in items], columns=list(COLUMNS))
        frame.to_excel(path, index=False, sheet_name="feedback")
        return len(frame)
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([(c, pa.float64() if c == "rating" else pa.string()) for c in COLUMNS])
    n = 0
    with pq.ParquetWriter(path, schema) as writer:
        rows: list[dict[str, Any]] = []
        for item in items:
            rows.append(_flat(item_record(item)))
            if len(rows) >= chunk:
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
                n += len(rows)
                rows = []
        if rows or n == 0:
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(rows)
    return n
