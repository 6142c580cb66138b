"""Predictions (many per item, never overwritten) and methodologists' corrections."""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import and_, insert, select

from feedback_nlp.schema import Feedback
from feedback_nlp.store.engine import Store
from feedback_nlp.store.items import adapt_row
from feedback_nlp.store.tables import corrections, feedback, predictions


def _now() -> datetime:
    return datetime.now(timezone.utc)


def unclassified_items(store: Store, model_name: str, model_version: str, *,
                       include_duplicates: bool = False,
                       page_size: int = 1000) -> Iterator[Feedback]:
    """Items with no prediction of this model version yet (originals only by default)."""
    done = select(predictions.c.item_id).where(and_(
        predictions.c.model_name == model_name, predictions.c.model_version == model_version))
    columns = [c for c in feedback.c if c.name not in ("signature", "raw_text")]
    last = 0
    with store.engine.connect() as conn:
        while True:
            stmt = select(*columns).where(feedback.c.id.not_in(done), feedback.c.seq > last)
            if not include_duplicates:
                stmt = stmt.where(feedback.c.duplicate_of.is_(None))
            rows = conn.execute(stmt.order_by(feedback.c.seq).limit(page_size)).fetchall()
            for row in rows:
                last = row.seq
                yield adapt_row(row)
            if len(rows) < page_size:
                return


def save_predictions(store: Store, model_name: str, model_version: str,
                     items: Iterable[tuple[str, Mapping[str, Any]]]) -> int:
    """Add ``(item_id, prediction JSON)`` pairs in one transaction; returns how many."""
    now = _now()
    rows = [{"item_id": item_id, "model_name": model_name, "model_version": model_version,
             "prediction": dict(prediction), "created_at": now} for item_id, prediction in items]
    if rows:
        with store.engine.begin() as conn:
            conn.execute(insert(predictions), rows)
    return len(rows)


@dataclass(frozen=True)
class StoredPrediction:
    item_id: str
    model_name: str
    model_version: str
    prediction: dict[str, Any]
    created_at: datetime


def list_predictions(store: Store, item_id: str | None = None,
                     model_name: str | None = None) -> list[StoredPrediction]:
    """Stored predictions, oldest first."""
    stmt = select(predictions).order_by(predictions.c.id)
    if item_id is not None:
        stmt = stmt.where(predictions.c.item_id == item_id)
    if model_name is not None:
        stmt = stmt.where(predictions.c.model_name == model_name)
    with store.engine.connect() as conn:
        return [StoredPrediction(r.item_id, r.model_name, r.model_version, r.prediction,
                                 r.created_at) for r in conn.execute(stmt)]


@dataclass(frozen=True)
class Correction:
    """A methodologist's corrected labels of one item (the prediction stays as it was)."""

    item_id: str
    author: str
    role: str
    labels: dict[str, Any]          # {"relevant", "labels": [{"indicator", "polarity"}], "general"}
    reason: str | None = None
    created_at: datetime | None = None
    id: int | None = None


def add_correction(store: Store, correction: Correction) -> Correction:
    """Store a correction; returns it with its id and time."""
    created = correction.created_at or _now()
    with store.engine.begin() as conn:
        result = conn.execute(insert(corrections).values(
            item_id=correction.item_id, author=correction.author, role=correction.role,
            created_at=created, reason=correction.reason, labels=dict(correction.labels)))
        new_id = result.inserted_primary_key[0]  # type: ignore[index]
    return Correction(correction.item_id, correction.author, correction.role,
                      dict(correction.labels), correction.reason, created, int(new_id))


def list_corrections(store: Store, item_id: str | None = None) -> list[Correction]:
    """Corrections, oldest first (the latest one of an item is the one that counts)."""
    stmt = select(corrections).order_by(corrections.c.id)
    if item_id is not None:
        stmt = stmt.where(corrections.c.item_id == item_id)
    with store.engine.connect() as conn:
        return [Correction(r.item_id, r.author, r.role, r.labels, r.reason, r.created_at, r.id)
                for r in conn.execute(stmt)]
