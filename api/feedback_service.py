"""Feedback through the API: ingest a posted batch, classify it, list and show stored items.

Thin glue over the store and the ingest pipeline; no HTTP types here.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select

from api.model import Classifier, classify_texts, model_names
from feedback_nlp.attribution import Attributor
from feedback_nlp.ingest import IngestCounts, IngestOptions, Pipeline
from feedback_nlp.mentions import quarter_bounds
from feedback_nlp.privacy import Redactor
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.store import (
    ItemFilter, Store, item_id, iter_items, list_corrections, list_predictions, save_predictions,
)
from feedback_nlp.store.tables import predictions

MAX_SCANNED = 5000  # items examined per page when filtering by predictions (indicator, polarity)
_write_lock = threading.Lock()  # one ingest at a time: SQLite has one writer anyway


@dataclass(frozen=True)
class IngestTools:
    """What ingest needs, built once at start-up."""

    redactor: Redactor
    attributor: Attributor


def ingest_feedback(store: Store, tools: IngestTools, items: Sequence[Feedback],
                    model: Classifier | None) -> dict[str, Any]:
    """Store new items (idempotent by source + external id), then classify the new ones."""
    rejects: list[Reject] = []
    with _write_lock:
        pipeline = Pipeline(store, tools.redactor, tools.attributor, IngestOptions(kind="api"))
        counts: IngestCounts = pipeline.run(list(items), on_reject=rejects.append)
    ids = [item_id(i.source, i.external_id) for i in items]
    classified = classify_items(store, model, ids) if model is not None else 0
    return {"read": counts.read, "stored": counts.stored, "existing": counts.duplicate,
            "duplicates": counts.near_duplicate, "rejected": counts.rejected,
            "rejects": [{"field": "items", "value": r.file, "why": r.reason} for r in rejects[:50]],
            "classified": classified, "ids": ids}


def classify_items(store: Store, model: Classifier, ids: Sequence[str]) -> int:
    """Classify stored originals among ``ids`` that this model version has not classified yet."""
    name, version, _ = model_names(model)
    with store.engine.connect() as conn:
        done = set(conn.execute(select(predictions.c.item_id).where(and_(
            predictions.c.item_id.in_(list(ids)), predictions.c.model_name == name,
            predictions.c.model_version == version))).scalars())
    todo = [item for _, item in iter_items(store, ItemFilter(ids=list(ids), include_duplicates=False))
            if item.id not in done]
    if not todo:
        return 0
    preds = classify_texts(model, [i.text for i in todo], [str(i.id) for i in todo])
    return save_predictions(store, name, version, [(str(i.id), p) for i, p in zip(todo, preds)])


def latest_predictions(store: Store, ids: Sequence[str]) -> dict[str, dict[str, Any]]:
    """item id -> its latest prediction JSON."""
    found: dict[str, dict[str, Any]] = {}
    with store.engine.connect() as conn:
        for i in range(0, len(ids), 500):
            rows = conn.execute(select(predictions.c.item_id, predictions.c.prediction)
                                .where(predictions.c.item_id.in_(list(ids[i:i + 500])))
                                .order_by(predictions.c.id))
            for item, prediction in rows:
                found[item] = prediction
    return found


def item_record(item: Feedback, prediction: dict[str, Any] | None) -> dict[str, Any]:
    return {"id": item.id, "source_kind": item.source_kind, "source": item.source,
            "external_id": item.external_id, "created_at": item.created_at, "text": item.text,
            "url": item.url, "rating": item.rating, "region": item.region,
            "center_id": item.center_id, "duplicate_of": item.duplicate_of,
            "flags": list(item.flags), "prediction": _with_item_id(prediction, item.id)}


def _with_item_id(prediction: dict[str, Any] | None, id_: str | None) -> dict[str, Any] | None:
    return None if prediction is None else {**prediction, "id": id_}


def _matches(prediction: dict[str, Any] | None, indicator: str | None, polarity: int | None) -> bool:
    if indicator is None and polarity is None:
        return True
    if prediction is None or not prediction.get("relevant"):
        return False
    aspects = prediction.get("aspects", [])
    if indicator is not None:
        aspects = [a for a in aspects if a.get("indicator") == indicator]
        if polarity is None:
            return bool(aspects)
        return any(a.get("polarity") == polarity for a in aspects)
    return prediction.get("polarity") == polarity


def list_feedback(store: Store, *, region: str | None = None, center_id: str | None = None,
                  source_kind: str | None = None, period: str | None = None, query: str | None = None,
                  indicator: str | None = None, polarity: int | None = None,
                  after: int | None = None, limit: int = 50) -> dict[str, Any]:
    """One page of items with their latest prediction, and the cursor of the next page."""
    since, until = quarter_bounds(period) if period else (None, None)
    filters = ItemFilter(region=region, center_id=center_id, source_kind=source_kind,
                         since=since, until=until, query=query)
    by_prediction = indicator is not None or polarity is not None
    scan = MAX_SCANNED if by_prediction else limit + 1
    page = list(iter_items(store, filters, after=after, limit=scan, page_size=min(scan, 1000)))
    preds = latest_predictions(store, [str(i.id) for _, i in page])
    out: list[dict[str, Any]] = []
    next_cursor: int | None = None
    for position, (cursor, item) in enumerate(page):
        prediction = preds.get(str(item.id))
        if not _matches(prediction, indicator, polarity):
            continue
        if len(out) == limit:
            next_cursor = page[position - 1][0]
            break
        out.append(item_record(item, prediction))
    else:
        if by_prediction and len(page) == scan:  # scanned as far as allowed; more may follow
            next_cursor = page[-1][0]
    if next_cursor is None and not by_prediction and len(page) > limit:
        next_cursor = page[limit - 1][0]
    return {"items": out, "next_cursor": None if next_cursor is None else str(next_cursor)}


def get_item(store: Store, id_: str) -> Feedback | None:
    found = [item for _, item in iter_items(store, ItemFilter(ids=[id_]), limit=1)]
    return found[0] if found else None


def feedback_detail(store: Store, item: Feedback) -> dict[str, Any]:
    """The item, its latest prediction, every prediction and every correction."""
    history = list_predictions(store, item_id=str(item.id))
    record = item_record(item, history[-1].prediction if history else None)
    record["predictions"] = [{"model_name": p.model_name, "model_version": p.model_version,
                              "created_at": p.created_at,
                              "prediction": _with_item_id(p.prediction, item.id)} for p in history]
    record["corrections"] = [correction_record(c) for c in list_corrections(store, str(item.id))]
    return record


def correction_record(c: Any) -> dict[str, Any]:
    return {"id": c.id, "item_id": c.item_id, "author": c.author, "role": c.role,
            "created_at": c.created_at, "reason": c.reason, "labels": c.labels}
