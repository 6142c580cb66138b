"""Media-monitoring exports (CSV/XLSX: date, outlet, title, text, url), columns configurable."""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.rows import TableSource, dated_place
from feedback_nlp.sources.tabular import Row
from feedback_nlp.sources.text import strip_html

FIELDS = {
    "id": ("id", "id публикации", "номер"),
    "date": ("date", "дата", "дата публикации", "дата и время", "published", "published_at"),
    "outlet": ("outlet", "сми", "источник", "издание", "media", "source"),
    "title": ("title", "заголовок"),
    "text": ("text", "текст", "содержание", "фрагмент", "текст публикации", "body", "content"),
    "url": ("url", "ссылка", "link", "url публикации"),
    "region": ("region", "регион"),
    "center": ("center_id", "center", "цзн"),
}


def adapt_media_row(row: Row) -> Feedback | Reject:
    """One publication: title and text (HTML stripped), its outlet, date and link."""
    title, body = strip_html(row.text("title")), strip_html(row.text("text"))
    text = title if body == title else "\n\n".join(p for p in (title, body) if p)
    if not text:
        return row.reject("empty text")
    fields = dated_place(row)
    if isinstance(fields, Reject):
        return fields
    created, region, center_id, metadata = fields
    outlet = row.text("outlet")
    if outlet:
        metadata["outlet"] = outlet
    if title:
        metadata["title"] = title
    url = row.text("url") or None
    return Feedback(
        source_kind="media", source=f"media-csv:{outlet or Path(row.file).name}",
        external_id=row.text("id") or url or row.key, text=text, created_at=created, url=url,
        region=region, center_id=center_id, metadata=metadata,
    )


@register_source("media-csv")
class MediaCSVSource(TableSource):
    """Media-monitoring exports; ``columns={"text": "Текст", ...}`` overrides recognised headers."""

    name = "media-csv"
    source_kind = "media"
    FIELDS = FIELDS
    REQUIRED = ("text|title",)

    def adapt(self, row: Row) -> Feedback | Reject:
        return adapt_media_row(row)
