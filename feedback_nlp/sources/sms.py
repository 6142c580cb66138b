"""SMS replies exported as CSV/XLSX/JSON/JSONL; the phone number is the author, never text."""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.rows import TableSource, dated_place, phone_id
from feedback_nlp.sources.tabular import Row
from feedback_nlp.sources.text import clean_text

FIELDS = {
    "id": ("id", "message_id", "sms_id", "id сообщения"),
    "phone": ("phone", "from", "sender", "msisdn", "телефон", "номер", "номер телефона", "отправитель"),
    "text": ("text", "message", "body", "текст", "сообщение", "текст сообщения"),
    "date": ("date", "received_at", "sent_at", "time", "дата", "дата получения", "время"),
    "region": ("region", "регион"),
    "center": ("center_id", "center", "цзн"),
}


def adapt_sms_row(row: Row) -> Feedback | Reject:
    """One SMS: its text; the sender's phone goes to ``metadata["author_id"]`` for hashing."""
    text = clean_text(row.text("text"))
    if not text:
        return row.reject("empty text")
    fields = dated_place(row)
    if isinstance(fields, Reject):
        return fields
    created, region, center_id, metadata = fields
    if row.text("phone"):
        metadata["author_id"] = phone_id(row.text("phone"))
    return Feedback(
        source_kind="sms", source=f"sms:{Path(row.file).name}", external_id=row.text("id") or row.key,
        text=text, created_at=created, region=region, center_id=center_id, metadata=metadata,
    )


@register_source("sms")
class SMSSource(TableSource):
    """SMS exports; ``columns={"phone": "Абонент", ...}`` overrides recognised headers."""

    name = "sms"
    source_kind = "sms"
    FIELDS = FIELDS

    def adapt(self, row: Row) -> Feedback | Reject:
        return adapt_sms_row(row)
