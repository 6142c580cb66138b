"""``POST /v1/classify``: predictions for texts, nothing stored."""
from __future__ import annotations

from fastapi import APIRouter

from api.deps import ModelDep, ReaderKey
from api.model import classify_texts_async
from api.schemas.classify import ClassifyIn, ClassifyOut

router = APIRouter(prefix="/v1/classify", tags=["classify"])


@router.post("", response_model=ClassifyOut, summary="classify one or many texts")
async def classify(body: ClassifyIn, model: ModelDep, _key: ReaderKey) -> dict[str, object]:
    texts = body.texts
    return {"predictions": await classify_texts_async(model, [t.text for t in texts], [t.id for t in texts])}
