"""Input partitions of a batch: Parquet row groups and byte ranges of JSONL files.

A partition is described by a small picklable ``Part`` on the client and read on a worker, so
the input is never shipped through the scheduler (workers must see the same paths).
"""
from __future__ import annotations

import glob
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq

from feedback_nlp.errors import InputError, Problem

SUFFIXES = {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl", ".ndjson": "jsonl"}
DEFAULT_BLOCKSIZE = 8 << 20  # bytes of JSONL per partition: ~25k texts of 300 characters
MIN_BLOCKSIZE = 64 << 10     # smallest JSONL partition chosen to keep every worker busy
INPUT_COLUMNS = ("id", "text", "source")


@dataclass(frozen=True)
class Part:
    """One partition: a Parquet row group, or the lines starting in ``[start, end)`` of a JSONL file."""

    path: str
    kind: str            # "parquet" | "jsonl"
    start: int = 0       # row group (parquet) or first byte (jsonl)
    end: int = 0         # jsonl: byte after the range


def input_files(spec: str | Path) -> list[Path]:
    """Files of a directory (recursively), a glob or one file, in sorted order."""
    path = Path(spec)
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    elif path.is_file():
        found = [path]
    else:
        found = sorted(Path(p) for p in glob.glob(str(spec), recursive=True) if Path(p).is_file())
    found = [p for p in found if p.suffix.lower() in SUFFIXES or p == path]
    if not found:
        raise InputError(Problem(str(spec), None, None, None, "no .parquet or .jsonl files found"))
    return found


def list_parts(spec: str | Path, blocksize: int = DEFAULT_BLOCKSIZE) -> list[Part]:
    """The partitions of the input, in input order."""
    parts = []
    for path in input_files(spec):
        kind = SUFFIXES.get(path.suffix.lower())
        if kind is None:
            raise InputError(Problem(str(path), None, None, None, "expected a .parquet or .jsonl file"))
        if kind == "parquet":
            try:
                meta = pq.ParquetFile(path).metadata
            except Exception as exc:  # pyarrow raises several unrelated types on bad files
                raise InputError(Problem(str(path), None, None, None, f"not a Parquet file ({exc})")) from None
            missing = {"id", "text"} - set(meta.schema.names)
            if missing:
                raise InputError(Problem(str(path), None, ", ".join(sorted(missing)), None, "missing column"))
            parts += [Part(str(path), kind, group) for group in range(meta.num_row_groups)]
        else:
            size = path.stat().st_size
            parts += [Part(str(path), kind, s, min(s + blocksize, size)) for s in range(0, size, blocksize)]
    return parts


def fit_blocksize(spec: str | Path, blocksize: int, workers: int) -> int:
    """``blocksize``, or less so that small JSONL inputs still give each worker about 2 partitions."""
    total = sum(p.stat().st_size for p in input_files(spec) if SUFFIXES.get(p.suffix.lower()) == "jsonl")
    return min(blocksize, max(MIN_BLOCKSIZE, -(-total // (2 * max(workers, 1)))))


def empty_input() -> pd.DataFrame:
    """The frame every partition reader returns: ``id, text, source, error`` as strings."""
    return pd.DataFrame({name: pd.Series([], dtype="object") for name in (*INPUT_COLUMNS, "error")})


def read_part(part: Part) -> pd.DataFrame:
    """Rows of one partition; a row that cannot be classified carries the reason in ``error``."""
    rows = _parquet_rows(part) if part.kind == "parquet" else _jsonl_rows(part)
    frame = pd.DataFrame(rows, columns=[*INPUT_COLUMNS, "error"], dtype="object")
    return frame if len(frame) else empty_input()


def _parquet_rows(part: Part) -> list[tuple]:
    file = pq.ParquetFile(part.path)
    columns = [c for c in INPUT_COLUMNS if c in file.schema_arrow.names]
    table = file.read_row_group(part.start, columns=columns).to_pydict()
    n = len(table["id"])
    sources = table.get("source", [None] * n)
    return [_row(table["id"][i], table["text"][i], sources[i]) for i in range(n)]


def _jsonl_rows(part: Part) -> list[tuple]:
    rows = []
    with open(part.path, "rb") as f:
        if part.start:
            f.seek(part.start - 1)
            f.readline()  # the line crossing ``start`` belongs to the previous partition
        while f.tell() < part.end:
            offset, line = f.tell(), f.readline()
            if not line:
                break
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (UnicodeDecodeError, json.JSONDecodeError) as exc:
                rows.append((None, None, None, f"{part.path}@{offset}: not JSON ({exc})"))
                continue
            if not isinstance(obj, dict):
                rows.append((None, None, None, f"{part.path}@{offset}: expected a JSON object"))
                continue
            rows.append(_row(obj.get("id"), obj.get("text"), obj.get("source")))
    return rows


def _row(id_: object, text: object, source: object) -> tuple:
    ident = None if id_ is None else str(id_)
    source = None if source is None else str(source)
    if ident is None:
        return None, None, source, "no id"
    if not isinstance(text, str):
        return ident, None, source, "text must be a string"
    return ident, text, source, None
