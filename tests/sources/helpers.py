"""Small helpers shared by the collector tests."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject


def split(items: Iterable[Feedback | Reject]) -> tuple[list[Feedback], list[Reject]]:
    """Records and rejects of a collection, each in order."""
    records, rejects = [], []
    for item in items:
        (rejects if isinstance(item, Reject) else records).append(item)
    return records, rejects


def where(rejects: Iterable[Reject]) -> list[tuple[str, int | None, str]]:
    """(file name, line, reason) of rejects."""
    return [(Path(r.file).name, r.line, r.reason) for r in rejects]


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path
