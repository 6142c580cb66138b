"""``/v1/index``, ``/v1/ratings``, ``/v1/methodologies``, uploads: bodies."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel


class IndicatorOut(BaseModel):
    coefficient: float
    objective: float | None
    survey: float | None
    text: float | None
    client: float | None
    mentions: int
    flags: list[str]


class CenterOut(BaseModel):
    region: str
    center_id: str
    index: float
    groups: dict[str, float]
    indicators: dict[str, IndicatorOut]
    respondents: int
    employers: int
    flags: list[str]


class RegionOut(BaseModel):
    region: str
    index: float
    rank: int | None
    centers: int
    respondents: int
    employers: int
    flags: list[str]


class IndexOut(BaseModel):
    """The index result of INTERFACES.md (plus methodology version/hash and the data version)."""

    methodology: str
    methodology_version: str
    methodology_hash: str
    period: str
    maximum: float
    data_version: str
    centers: list[CenterOut]
    regions: list[RegionOut]


class RatingOut(BaseModel):
    methodology: str
    methodology_version: str
    period: str
    data_version: str
    regions: list[RegionOut]


class MethodologyInfo(BaseModel):
    name: str
    version: str
    title: str
    hash: str
    maximum: float
    default: bool


class MethodologyList(BaseModel):
    methodologies: list[MethodologyInfo]


class UploadOut(BaseModel):
    rows: int
    file: str
    regions: list[str]
    periods: list[str]
    data_version: str


class ModelOut(BaseModel):
    name: str
    version: str
    label: str
    card: dict[str, Any]


class HealthOut(BaseModel):
    status: str


class ReadyOut(BaseModel):
    status: str
    model: str
    store: str
