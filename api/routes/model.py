"""``GET /v1/model``: the current model and its card's figures."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request

from api.deps import ModelDep, ReaderKey
from api.model import describe_model
from api.schemas.index import ModelOut

router = APIRouter(prefix="/v1/model", tags=["model"])


@router.get("", response_model=ModelOut, summary="the model in use and its card's figures")
def get_model_card(model: ModelDep, _key: ReaderKey, request: Request) -> dict[str, Any]:
    return describe_model(model, getattr(request.app.state, "model_meta", None))
