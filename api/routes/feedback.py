"""``/v1/feedback``: ingest items, list and show them with predictions, correct them."""
from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request

from api.deps import FeederKey, OptionalModelDep, MethodologistKey, ReaderKey, StoreDep, key_author
from api.feedback_service import (
    IngestTools, correction_record, feedback_detail, get_item, ingest_feedback, list_feedback,
)
from api.problems import ApiError
from api.schemas.common import NAME_MAX, PERIOD_PATTERN, Indicator, SourceKind
from api.schemas.feedback import (
    CorrectionIn, CorrectionOut, FeedbackBatchIn, FeedbackDetailOut, FeedbackPage, IngestOut,
)
from feedback_nlp.schema import Feedback
from feedback_nlp.store import Correction, add_correction

router = APIRouter(prefix="/v1/feedback", tags=["feedback"])
ItemId = Annotated[str, Path(max_length=64, pattern=r"^[0-9a-f]{1,64}$")]


async def get_ingest_tools(request: Request) -> IngestTools:
    return request.app.state.ingest_tools


def _adapt(items: FeedbackBatchIn, region: str | None) -> list[Feedback]:
    out = []
    for i in items.items:
        metadata = {"author": i.author} if i.author else {}
        out.append(Feedback(source_kind=i.source_kind.value, source=i.source, external_id=i.external_id,
                            text=i.text, created_at=i.created_at, url=i.url, rating=i.rating,
                            region=i.region or region, center_id=i.center_id, metadata=metadata))
    return out


@router.post("", response_model=IngestOut, summary="store a batch of feedback items (idempotent)")
def post_feedback(body: FeedbackBatchIn, store: StoreDep, key: FeederKey, model: OptionalModelDep,
                  tools: Annotated[IngestTools, Depends(get_ingest_tools)]) -> dict[str, Any]:
    if key.role == "region_operator":
        foreign = [{"field": f"items.{n}.region", "value": i.region, "why": f"not the region of this key ({key.region})"}
                   for n, i in enumerate(body.items) if i.region not in (None, key.region)]
        if foreign:
            raise ApiError(403, f"this key may post only feedback of {key.region}", foreign)
    region = key.region if key.role == "region_operator" else None
    return ingest_feedback(store, tools, _adapt(body, region), model)


@router.get("", response_model=FeedbackPage, summary="stored items with their latest prediction")
def get_feedback(
    store: StoreDep, _key: ReaderKey,
    region: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
    center: Annotated[str | None, Query(max_length=NAME_MAX)] = None,
    source_kind: SourceKind | None = None,
    indicator: Indicator | None = None,
    polarity: Annotated[int | None, Query(ge=-1, le=1, description="−1, 0 or 1")] = None,
    period: Annotated[str | None, Query(pattern=PERIOD_PATTERN)] = None,
    q: Annotated[str | None, Query(max_length=200, description="case-insensitive text search")] = None,
    cursor: Annotated[str | None, Query(pattern=r"^\d{1,15}$")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
) -> dict[str, Any]:
    return list_feedback(store, region=region, center_id=center,
                         source_kind=source_kind.value if source_kind else None, period=period, query=q,
                         indicator=indicator.value if indicator else None, polarity=polarity,
                         after=int(cursor) if cursor else None, limit=limit)


@router.get("/{item_id}", response_model=FeedbackDetailOut,
            summary="one item with its predictions, evidence and correction history")
def get_feedback_item(item_id: ItemId, store: StoreDep, _key: ReaderKey) -> dict[str, Any]:
    item = get_item(store, item_id)
    if item is None:
        raise ApiError(404, f"no feedback item {item_id}")
    return feedback_detail(store, item)


@router.post("/{item_id}/corrections", response_model=CorrectionOut, status_code=201,
             summary="relabel an item (the model's prediction is kept)")
def post_correction(item_id: ItemId, body: CorrectionIn, store: StoreDep,
                    key: MethodologistKey) -> dict[str, Any]:
    if get_item(store, item_id) is None:
        raise ApiError(404, f"no feedback item {item_id}")
    labels = {"relevant": body.relevant, "general": body.general,
              "labels": [{"indicator": label.indicator.value, "polarity": label.polarity} for label in body.labels]}
    saved = add_correction(store, Correction(item_id, key_author(key), key.role, labels, body.reason))
    return correction_record(saved)
