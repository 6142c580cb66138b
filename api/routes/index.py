"""``GET /v1/index`` (centers and regions with the full breakdown) and ``GET /v1/ratings``."""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import JSONResponse

from api.deps import CacheDep, ReaderKey, StoreDep
from api.index_service import filter_document, index_document, methodology_names, rating_document
from api.problems import ApiError
from api.schemas.common import NAME_MAX, PERIOD_PATTERN
from api.schemas.index import IndexOut, RatingOut
from scoring.methodology import DEFAULT_METHODOLOGY

index = APIRouter(prefix="/v1/index", tags=["index"])
ratings = APIRouter(prefix="/v1/ratings", tags=["index"])
Period = Annotated[str, Query(pattern=PERIOD_PATTERN, description="quarter, e.g. 2022Q2")]
MethodologyName = Annotated[str, Query(max_length=64, description="a bundled methodology")]


def _known(name: str) -> str:
    if name not in methodology_names():
        raise ApiError(422, f"unknown methodology {name!r} (bundled: {', '.join(methodology_names())})",
                       [{"field": "query.methodology", "value": name[:64], "why": "not a bundled methodology"}])
    return name


# The cached document is already plain JSON: returned as is, without a second validation.
@index.get("", response_model=IndexOut, summary="indices of centers and regions of a period")
def get_index(period: Period, store: StoreDep, cache: CacheDep, _key: ReaderKey,
              region: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
              center: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
              methodology: MethodologyName = DEFAULT_METHODOLOGY) -> JSONResponse:
    document = index_document(store, cache, _known(methodology), period)
    return JSONResponse(filter_document(document, region, center))


@ratings.get("", response_model=RatingOut, summary="the rating of regions of a period")
def get_ratings(period: Period, store: StoreDep, cache: CacheDep, _key: ReaderKey,
                methodology: MethodologyName = DEFAULT_METHODOLOGY) -> JSONResponse:
    return JSONResponse(rating_document(index_document(store, cache, _known(methodology), period)))
