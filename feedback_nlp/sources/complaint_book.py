"""Complaint books (книга жалоб и предложений): CSV/XLSX entries, or plain-text transcriptions
with one entry per block of lines (blocks separated by blank lines).

A block may start with a header line: ``12.03.2024``, ``Запись №5`` or ``Запись №5 от 12.03.2024``.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.dates import parse_datetime
from feedback_nlp.sources.files import read_text
from feedback_nlp.sources.rows import TableSource, dated_place
from feedback_nlp.sources.tabular import Row
from feedback_nlp.sources.text import clean_text

FIELDS = {
    "number": ("number", "№", "номер", "номер записи", "№ записи", "№ п/п", "id"),
    "date": ("date", "дата", "дата записи"),
    "text": ("text", "текст", "текст записи", "содержание", "содержание записи", "жалоба", "запись",
             "жалоба/предложение", "суть жалобы (предложения)"),
    "kind": ("type", "kind", "вид", "вид записи", "тип записи"),
    "author": ("author", "фио", "фио заявителя", "заявитель"),
    "center": ("center_id", "center", "цзн", "центр"),
    "region": ("region", "регион"),
}
_HEADER = re.compile(
    r"^\s*(?:запись\s*№?\s*(?P<number>\d+))?\s*[,.;:–—-]?\s*(?:от\s+)?"
    r"(?P<date>\d{1,2}\.\d{1,2}\.\d{2,4}(?:\s+\d{1,2}:\d{2})?)?\s*[:.]?\s*$",
    re.IGNORECASE,
)


def parse_book_text(text: str, file: str) -> Iterator[Feedback | Reject]:
    """Entries of a transcribed book: one per block of non-blank lines."""
    block: list[str] = []
    start = 0
    for number, line in enumerate([*text.splitlines(), ""], start=1):
        if line.strip():
            if not block:
                start = number
            block.append(line)
        elif block:
            yield adapt_block(block, file, start)
            block = []


def adapt_block(lines: list[str], file: str, line: int) -> Feedback | Reject:
    """One block: an optional header line (number, date) and the entry's text."""
    header = _HEADER.match(lines[0])
    number = date = None
    if header and (header.group("number") or header.group("date")):
        number, date, lines = header.group("number"), header.group("date"), lines[1:]
    text = clean_text("\n".join(lines))
    if not text:
        return Reject(file, line, "empty text")
    try:
        created = parse_datetime(date)
    except ValueError as error:
        return Reject(file, line, f"date: {error}")
    name = Path(file).name
    return Feedback(
        source_kind="complaint_book", source=f"complaint-book:{name}",
        external_id=f"{name}:№{number}" if number else f"{name}:{line}", text=text, created_at=created,
        metadata={"entry_number": number} if number else {},
    )


def adapt_book_row(row: Row) -> Feedback | Reject:
    """One entry of a tabular book; the author's name goes to ``metadata["author_id"]``."""
    text = clean_text(row.text("text"))
    if not text:
        return row.reject("empty text")
    fields = dated_place(row)
    if isinstance(fields, Reject):
        return fields
    created, region, center_id, metadata = fields
    if row.text("kind"):
        metadata["entry_type"] = row.text("kind")
    if row.text("author"):
        metadata["author_id"] = row.text("author")
    name = Path(row.file).name
    number = row.text("number")
    return Feedback(
        source_kind="complaint_book", source=f"complaint-book:{name}",
        external_id=f"{name}:№{number}" if number else row.key, text=text, created_at=created,
        region=region, center_id=center_id, metadata=metadata,
    )


@register_source("complaint-book")
class ComplaintBookSource(TableSource):
    """Complaint-book entries: ``.txt`` transcriptions by blocks, other files as tables."""

    name = "complaint-book"
    source_kind = "complaint_book"
    FIELDS = FIELDS

    def iter_file(self, path: Path) -> Iterator[Feedback | Reject]:
        if path.suffix.lower() != ".txt":
            yield from super().iter_file(path)
            return
        text, reject = read_text(path)
        if reject is not None:
            yield reject
        else:
            assert text is not None
            yield from parse_book_text(text, str(path))

    def adapt(self, row: Row) -> Feedback | Reject:
        return adapt_book_row(row)
