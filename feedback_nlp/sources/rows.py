"""The common shape of tabular collectors: files -> rows -> ``adapt`` -> Feedback or Reject."""
from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.sources.dates import parse_datetime
from feedback_nlp.sources.files import iter_files
from feedback_nlp.sources.tabular import TABLE_SUFFIXES, Fields, Row, check_columns, read_rows

_CENTER_ID = re.compile(r"[A-Za-z0-9_.\-]+")


class TableSource:
    """Base of collectors that read CSV/XLSX/JSON/JSONL rows; subclasses define FIELDS and adapt."""

    name: ClassVar[str]
    version: ClassVar[str] = "1"
    source_kind: ClassVar[str]
    FIELDS: ClassVar[Fields]
    REQUIRED: ClassVar[tuple[str, ...]] = ("text",)
    SUFFIXES: ClassVar[tuple[str, ...]] = TABLE_SUFFIXES

    def __init__(self, columns: Mapping[str, str] | None = None) -> None:
        self.columns = check_columns(columns, self.FIELDS)

    def iter_items(self, paths: Sequence[Path]) -> Iterator[Feedback | Reject]:
        """Records of every row of every file (directories: their table files)."""
        for path in iter_files(paths, self.SUFFIXES):
            yield from self.iter_file(path)

    def iter_file(self, path: Path) -> Iterator[Feedback | Reject]:
        for row in read_rows(path, self.FIELDS, self.columns, self.REQUIRED):
            yield row if isinstance(row, Reject) else self.adapt(row)

    def adapt(self, row: Row) -> Feedback | Reject:
        raise NotImplementedError


def row_date(row: Row, field: str = "date") -> datetime | None:
    """The row's date as an aware datetime (Moscow time if local); ValueError if unreadable."""
    return parse_datetime(row.get(field))


def dated_place(row: Row) -> tuple[datetime | None, str | None, str | None, dict[str, Any]] | Reject:
    """(created_at, region, center_id, metadata) of a row, or its Reject for an unreadable date."""
    try:
        created = row_date(row)
    except ValueError as error:
        return row.reject(f"date: {error}")
    return (created, *place(row))


def place(row: Row) -> tuple[str | None, str | None, dict[str, Any]]:
    """(region, center_id, metadata) from the row's region/center fields.

    A center given as an identifier (``tver-01``) becomes ``center_id``; a center given by name
    stays in ``metadata["center"]`` for attribution to resolve.
    """
    region = row.text("region") or None
    center = row.text("center")
    if center and _CENTER_ID.fullmatch(center):
        return region, center, {}
    return region, None, ({"center": center} if center else {})


def parse_rating(value: object) -> float | None:
    """A 1..5 rating (``"4"``, ``4.5``, ``"4,5"``); ValueError naming the value otherwise."""
    if value is None or value == "":
        return None
    try:
        rating = float(str(value).replace(",", ".").strip())
    except ValueError:
        raise ValueError(f"rating {value!r} is not a number") from None
    if not 1 <= rating <= 5:
        raise ValueError(f"rating {value} outside 1..5")
    return rating


def phone_id(value: str) -> str:
    """A phone as digits with the Russian trunk prefix unified (8 915… and +7 915… agree)."""
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    return digits or value
