"""Any feedback as JSONL/JSON/CSV/XLSX with a ``text`` column (free-text survey answers …)."""
from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from feedback_nlp.codes import SOURCE_KINDS
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.rows import TableSource, parse_rating, row_date
from feedback_nlp.sources.tabular import Row
from feedback_nlp.sources.text import clean_text

FIELDS = {
    "id": ("id", "external_id"),
    "text": ("text", "текст"),
    "created_at": ("created_at", "date", "дата"),
    "region": ("region", "регион"),
    "center_id": ("center_id", "center"),
    "source_kind": ("source_kind",),
    "url": ("url",),
    "rating": ("rating",),
    "author_id": ("author_id",),
}


def adapt_generic_row(row: Row, default_kind: str) -> Feedback | Reject:
    """One record; its ``source_kind`` (else ``default_kind``) must be a methodology source kind."""
    text = clean_text(row.text("text"))
    if not text:
        return row.reject("empty text")
    kind = row.text("source_kind") or default_kind
    if kind not in SOURCE_KINDS:
        return row.reject(f"unknown source_kind {kind!r}; known: {', '.join(SOURCE_KINDS)}")
    try:
        rating = parse_rating(row.get("rating"))
        created = row_date(row, "created_at")
    except ValueError as error:
        return row.reject(str(error) if str(error).startswith("rating") else f"created_at: {error}")
    metadata = {"author_id": row.text("author_id")} if row.text("author_id") else {}
    return Feedback(
        source_kind=kind, source=f"generic:{Path(row.file).name}", external_id=row.text("id") or row.key,
        text=text, created_at=created, url=row.text("url") or None, rating=rating,
        region=row.text("region") or None, center_id=row.text("center_id") or None, metadata=metadata,
    )


@register_source("generic")
class GenericSource(TableSource):
    """Generic records; ``source_kind`` option is the kind of rows that do not name one."""

    name = "generic"
    source_kind = "survey_comment"
    FIELDS = FIELDS

    def __init__(self, columns: Mapping[str, str] | None = None, source_kind: str = "survey_comment") -> None:
        super().__init__(columns)
        if source_kind not in SOURCE_KINDS:
            raise ValueError(f"unknown source_kind {source_kind!r}; known: {', '.join(SOURCE_KINDS)}")
        self.default_kind = source_kind

    def adapt(self, row: Row) -> Feedback | Reject:
        return adapt_generic_row(row, self.default_kind)
