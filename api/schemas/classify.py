"""``POST /v1/classify`` bodies."""
from __future__ import annotations

from pydantic import BaseModel, Field

from api.schemas.common import NAME_MAX, TEXT_MAX, PredictionOut

MAX_TEXTS = 1000


class TextIn(BaseModel):
    id: str = Field(max_length=NAME_MAX)
    text: str = Field(max_length=TEXT_MAX)
    source: str | None = Field(None, max_length=64, description="source kind, e.g. social")


class ClassifyIn(BaseModel):
    texts: list[TextIn] = Field(min_length=1, max_length=MAX_TEXTS)


class ClassifyOut(BaseModel):
    predictions: list[PredictionOut]
