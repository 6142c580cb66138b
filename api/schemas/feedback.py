"""``/v1/feedback`` bodies: items in, items with predictions and corrections out."""
from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, Field

from api.schemas.common import NAME_MAX, ErrorItem, TEXT_MAX, Indicator, Page, PredictionOut, SourceKind

MAX_ITEMS = 1000
Polarity = Literal[-1, 0, 1]


class FeedbackIn(BaseModel):
    """One item to store; ``(source, external_id)`` makes posting it again harmless."""

    source_kind: SourceKind
    source: str = Field(min_length=1, max_length=NAME_MAX)
    external_id: str = Field(min_length=1, max_length=NAME_MAX)
    text: str = Field(max_length=TEXT_MAX)
    created_at: AwareDatetime | None = None
    url: str | None = Field(None, max_length=2000)
    author: str | None = Field(None, max_length=NAME_MAX, description="raw author id; stored only as a salted hash")
    rating: float | None = Field(None, ge=0, le=10)
    region: str | None = Field(None, max_length=NAME_MAX)
    center_id: str | None = Field(None, max_length=NAME_MAX)


class FeedbackBatchIn(BaseModel):
    items: list[FeedbackIn] = Field(min_length=1, max_length=MAX_ITEMS)


class IngestOut(BaseModel):
    read: int
    stored: int
    existing: int = Field(description="already stored (same source and external_id)")
    duplicates: int = Field(description="stored, marked as copies of an earlier text")
    rejected: int = Field(description="not stored (empty or binary text …); see `rejects`")
    rejects: list[ErrorItem] = Field(default_factory=list)
    classified: int
    ids: list[str] = Field(description="store id of every posted item, in order")


class FeedbackOut(BaseModel):
    id: str
    source_kind: str
    source: str
    external_id: str
    created_at: datetime | None
    text: str
    url: str | None
    rating: float | None
    region: str | None
    center_id: str | None
    duplicate_of: str | None
    flags: list[str]
    prediction: PredictionOut | None = Field(description="the latest prediction, null before classification")


class FeedbackPage(Page):
    items: list[FeedbackOut]


class StoredPredictionOut(BaseModel):
    model_name: str
    model_version: str
    created_at: datetime
    prediction: PredictionOut


class LabelIn(BaseModel):
    indicator: Indicator
    polarity: Polarity


class CorrectionIn(BaseModel):
    """Corrected labels of an item (corpus format) and why."""

    relevant: bool = True
    labels: list[LabelIn] = Field(default_factory=list, max_length=18)
    general: Polarity | None = None
    reason: str = Field(min_length=1, max_length=2000)


class CorrectionOut(BaseModel):
    id: int
    item_id: str
    author: str
    role: str
    created_at: datetime
    reason: str | None
    labels: dict[str, Any]


class FeedbackDetailOut(FeedbackOut):
    predictions: list[StoredPredictionOut] = Field(description="every prediction, oldest first")
    corrections: list[CorrectionOut] = Field(description="every correction, oldest first; the last one counts")
