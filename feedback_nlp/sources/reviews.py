"""Review-portal exports (Yandex Maps / 2GIS-like JSON or CSV: rating 1–5, text, date,
organisation, address)."""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.rows import TableSource, parse_rating, place, row_date
from feedback_nlp.sources.tabular import Row
from feedback_nlp.sources.text import strip_html

FIELDS = {
    "id": ("id", "review_id", "reviewid", "id отзыва"),
    "rating": ("rating", "stars", "score", "оценка", "рейтинг"),
    "text": ("text", "review", "comment", "текст", "отзыв", "текст отзыва"),
    "date": ("date", "date_created", "created_at", "updatedtime", "time", "дата", "дата отзыва"),
    "organisation": ("organisation", "organization", "org", "orgname", "company", "object.name",
                     "business.name", "организация", "компания", "филиал"),
    "address": ("address", "object.address", "business.address", "адрес"),
    "author": ("author", "author.name", "user.name", "user", "автор", "имя"),
    "platform": ("platform", "site", "площадка", "портал"),
    "url": ("url", "link", "ссылка"),
    "region": ("region", "регион"),
    "center": ("center_id", "center", "цзн"),
}


def adapt_review_row(row: Row) -> Feedback | Reject:
    """One review; a rating outside 1..5 (or not a number) rejects it."""
    text = strip_html(row.text("text"))
    if not text:
        return row.reject("empty text")
    try:
        rating = parse_rating(row.get("rating"))
        created = row_date(row)
    except ValueError as error:
        return row.reject(str(error) if str(error).startswith("rating") else f"date: {error}")
    region, center_id, metadata = place(row)
    for field in ("organisation", "address", "platform"):
        if row.text(field):
            metadata[field] = row.text(field)
    if row.text("author"):
        metadata["author_id"] = row.text("author")
    origin = row.text("platform") or Path(row.file).name
    return Feedback(
        source_kind="review", source=f"reviews:{origin}", external_id=row.text("id") or row.key,
        text=text, created_at=created, url=row.text("url") or None, rating=rating,
        region=region, center_id=center_id, metadata=metadata,
    )


@register_source("reviews")
class ReviewsSource(TableSource):
    """Review exports as JSON (array, or ``{"reviews": [...]}``), JSONL, CSV or XLSX."""

    name = "reviews"
    source_kind = "review"
    FIELDS = FIELDS

    def adapt(self, row: Row) -> Feedback | Reject:
        return adapt_review_row(row)
