"""Call-center logs (CSV/XLSX: call id, time, topic, operator notes or a transcript, center).

In a dialogue transcript only the client's turns are the client's feedback; the operator's
turns are dropped. cp1251 and ``;`` exports are read as they come (see ``tabular``).
"""
from __future__ import annotations

import re
from pathlib import Path

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.rows import TableSource, dated_place, phone_id
from feedback_nlp.sources.tabular import Row
from feedback_nlp.sources.text import clean_text

FIELDS = {
    "call_id": ("call_id", "id звонка", "номер звонка", "id", "№", "номер обращения", "id обращения"),
    "date": ("time", "date", "datetime", "started_at", "дата и время", "дата звонка", "время звонка",
             "дата", "время"),
    "topic": ("topic", "тема", "тематика", "тема обращения", "категория"),
    "transcript": ("transcript", "расшифровка", "транскрипт", "транскрипция", "диалог", "расшифровка звонка"),
    "notes": ("notes", "комментарий оператора", "комментарий", "примечание", "суть обращения",
              "текст обращения", "text", "текст"),
    "center": ("center_id", "center", "цзн", "центр", "центр занятости"),
    "region": ("region", "регион"),
    "phone": ("phone", "телефон", "номер телефона", "номер абонента", "caller", "abonent"),
}
CLIENT_SPEAKERS = ("клиент", "клиентка", "абонент", "заявитель", "гражданин", "гражданка", "соискатель",
                   "звонящий", "собеседник")
OPERATOR_SPEAKERS = ("оператор", "специалист", "консультант", "сотрудник", "инспектор")
_SPEAKER = re.compile(
    r"(?:^|(?<=[\s.!?…]))(" + "|".join(CLIENT_SPEAKERS + OPERATOR_SPEAKERS) + r")\s*:", re.IGNORECASE
)


def client_turns(transcript: str) -> str | None:
    """The client's turns of a dialogue joined by new lines; None when ``transcript`` is no dialogue."""
    marks = list(_SPEAKER.finditer(transcript))
    if not marks:
        return None
    turns = []
    for mark, following in zip(marks, [*marks[1:], None]):
        if mark.group(1).lower() in CLIENT_SPEAKERS:
            turn = clean_text(transcript[mark.end(): following.start() if following else None])
            if turn:
                turns.append(turn)
    return "\n".join(turns)


def adapt_call_row(row: Row) -> Feedback | Reject:
    """One call: the client's turns of its transcript, else the operator's notes of the request."""
    transcript = row.text("transcript")
    text = client_turns(transcript) if transcript else None
    if text == "":
        return row.reject("no client turns in transcript")
    if text is None:
        text = clean_text(transcript or row.text("notes"))
    if not text:
        return row.reject("empty text")
    fields = dated_place(row)
    if isinstance(fields, Reject):
        return fields
    created, region, center_id, metadata = fields
    if row.text("topic"):
        metadata["topic"] = row.text("topic")
    metadata["text_from"] = "transcript" if transcript else "notes"
    if row.text("phone"):
        metadata["author_id"] = phone_id(row.text("phone"))
    return Feedback(
        source_kind="call_center", source=f"call-center:{Path(row.file).name}",
        external_id=row.text("call_id") or row.key, text=text, created_at=created,
        region=region, center_id=center_id, metadata=metadata,
    )


@register_source("call-center")
class CallCenterSource(TableSource):
    """Call logs; ``columns={"transcript": "Расшифровка", ...}`` overrides recognised headers."""

    name = "call-center"
    source_kind = "call_center"
    FIELDS = FIELDS
    REQUIRED = ("transcript|notes",)

    def adapt(self, row: Row) -> Feedback | Reject:
        return adapt_call_row(row)
