"""Classified feedback read from the store for text analytics: items and their aspects.

The same rules as the index's text mentions (``feedback_nlp.mentions``): originals only, the
latest prediction of an item, and a methodologist's latest correction replacing the model's
aspects (a corrected label has the polarity as sentiment and no evidence).
"""
from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select

from feedback_nlp.codes import INDICATOR_GROUPS
from feedback_nlp.mentions import quarter_bounds
from feedback_nlp.store import Store
from feedback_nlp.store.tables import corrections, feedback, predictions

ITEM_COLUMNS = ["id", "source_kind", "source", "created_at", "region", "center_id", "text",
                "prediction", "correction"]
ASPECT_COLUMNS = ["item_id", "region", "center_id", "source_kind", "created_at", "text", "indicator",
                  "group", "sentiment", "polarity", "confidence", "evidence", "rule", "origin"]
CHUNK = 500


def _latest(conn: Any, table: Any, column: Any, ids: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for i in range(0, len(ids), CHUNK):
        part = ids[i:i + CHUNK]
        newest = select(func.max(table.c.id)).where(table.c.item_id.in_(part)).group_by(table.c.item_id)
        for item_id, value in conn.execute(select(table.c.item_id, column).where(table.c.id.in_(newest))):
            found[item_id] = value
    return found


def load_items(store: Store, period: str | None = None, region: str | None = None) -> pd.DataFrame:
    """Original items (of a quarter and region, or all) with latest prediction and correction."""
    stmt = select(feedback.c.id, feedback.c.source_kind, feedback.c.source, feedback.c.created_at,
                  feedback.c.region, feedback.c.center_id, feedback.c.text
                  ).where(feedback.c.duplicate_of.is_(None)).order_by(feedback.c.seq)
    if period is not None:
        start, end = quarter_bounds(period.upper())
        stmt = stmt.where(feedback.c.created_at >= start, feedback.c.created_at < end)
    if region is not None:
        stmt = stmt.where(feedback.c.region == region)
    with store.engine.connect() as conn:
        rows = [tuple(r) for r in conn.execute(stmt)]
        ids = [r[0] for r in rows]
        preds = _latest(conn, predictions, predictions.c.prediction, ids)
        fixes = _latest(conn, corrections, corrections.c.labels, ids)
    records = [(*r, preds.get(r[0]), fixes.get(r[0])) for r in rows]
    return pd.DataFrame(records, columns=ITEM_COLUMNS).astype({"text": object})


def item_aspects(prediction: dict[str, Any] | None, correction: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The aspects that count for an item: the correction's labels, else the prediction's."""
    if correction is not None:
        if not correction.get("relevant", True):
            return []
        return [{"indicator": str(label["indicator"]), "sentiment": float(label["polarity"]),
                 "polarity": int(label["polarity"]), "confidence": 1.0, "evidence": [],
                 "rule": "исправление методиста", "origin": "correction"}
                for label in correction.get("labels", [])]
    if not prediction or not prediction.get("relevant"):
        return []
    return [{"indicator": str(a["indicator"]), "sentiment": float(a["sentiment"]),
             "polarity": int(a.get("polarity", 0)), "confidence": float(a.get("confidence", 0.0)),
             "evidence": list(a.get("evidence", [])), "rule": str(a.get("source") or prediction.get("model", "")),
             "origin": "model"} for a in prediction.get("aspects", [])]


def aspect_rows(items: pd.DataFrame) -> pd.DataFrame:
    """One row per counted aspect of every item (``ASPECT_COLUMNS``)."""
    rows = []
    for item in items.itertuples(index=False):
        for a in item_aspects(item.prediction, item.correction):
            rows.append({"item_id": item.id, "region": item.region, "center_id": item.center_id,
                         "source_kind": item.source_kind, "created_at": item.created_at, "text": item.text,
                         "group": INDICATOR_GROUPS.get(a["indicator"], ""), **a})
    frame = pd.DataFrame(rows, columns=ASPECT_COLUMNS)
    return frame.astype({"sentiment": float, "confidence": float}) if len(frame) else frame
