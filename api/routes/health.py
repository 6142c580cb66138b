"""``/healthz`` (the process answers) and ``/readyz`` (model loaded, store reachable)."""
from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from api.model import model_names
from api.problems import ApiError
from api.schemas.index import HealthOut, ReadyOut

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=HealthOut, summary="the process is up")
def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", response_model=ReadyOut, summary="the model is loaded and the store answers")
def readyz(request: Request) -> dict[str, str]:
    model = getattr(request.app.state, "model", None)
    if model is None:
        raise ApiError(503, "no classification model is loaded")
    try:
        with request.app.state.store.engine.connect() as conn:
            # Reads a real table: "SELECT 1" touches no page, so a garbled SQLite file would pass.
            conn.execute(text("SELECT version_num FROM alembic_version"))
    except Exception:  # noqa: BLE001 - any failure means not ready; the reason stays in the logs
        raise ApiError(503, "the store does not answer") from None
    return {"status": "ready", "model": model_names(model)[2], "store": "ok"}
