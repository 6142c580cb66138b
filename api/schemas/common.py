"""Bodies shared by every resource: the problem document and code enumerations."""
from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, Field

from feedback_nlp.codes import INDICATORS, SOURCE_KINDS

Indicator = Enum("Indicator", {code: code for code in INDICATORS}, type=str)  # type: ignore[misc]
SourceKind = Enum("SourceKind", {kind: kind for kind in SOURCE_KINDS}, type=str)  # type: ignore[misc]
PERIOD_PATTERN = r"^[1-9]\d{3}Q[1-4]$"
NAME_MAX = 255
TEXT_MAX = 20_000


class ErrorItem(BaseModel):
    """One bad value: where it is and why (row-level problems of uploads, bad request fields)."""

    file: str | None = None
    line: int | None = None
    field: str | None = None
    value: Any = None
    why: str


class ProblemOut(BaseModel):
    """``application/problem+json`` error document."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[ErrorItem] | None = None


class Evidence(BaseModel):
    start: int
    end: int
    text: str


class AspectOut(BaseModel):
    indicator: str
    group: str
    sentiment: float
    polarity: int
    confidence: float
    evidence: list[Evidence]
    source: str | None = None


class PredictionOut(BaseModel):
    """The prediction JSON of INTERFACES.md."""

    id: str
    relevant: bool
    relevance: float
    general: int | None
    sentiment: float
    polarity: int
    aspects: list[AspectOut]
    model: str


class Page(BaseModel):
    next_cursor: str | None = Field(None, description="pass as `cursor` for the next page; null at the end")
