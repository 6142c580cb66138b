"""``GET /v1/methodologies`` and ``GET /v1/methodologies/{name}`` (the file, JSON or YAML)."""
from __future__ import annotations

from typing import Annotated, Any, Literal

import yaml
from fastapi import APIRouter, Path, Query
from starlette.responses import JSONResponse, Response

from api.deps import ReaderKey
from api.index_service import describe_methodologies, methodology_names, methodology_text
from api.problems import ApiError
from api.schemas.index import MethodologyList

router = APIRouter(prefix="/v1/methodologies", tags=["methodologies"])


@router.get("", response_model=MethodologyList, summary="the bundled methodologies")
def list_methodologies(_key: ReaderKey) -> dict[str, Any]:
    return {"methodologies": describe_methodologies()}


@router.get("/{name}", summary="a methodology file",
            responses={200: {"description": "the methodology document",
                             "content": {"application/json": {"schema": {"type": "object"}},
                                         "application/yaml": {"schema": {"type": "string"}}}}})
def get_methodology(name: Annotated[str, Path(max_length=64)], _key: ReaderKey,
                    format: Annotated[Literal["json", "yaml"], Query()] = "json") -> Response:
    if name not in methodology_names():
        raise ApiError(404, f"no methodology {name!r} (bundled: {', '.join(methodology_names())})")
    text = methodology_text(name)
    if format == "yaml":
        return Response(text, media_type="application/yaml")
    return JSONResponse(yaml.safe_load(text))
