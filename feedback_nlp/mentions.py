"""Text mentions for the index, read from the store's predictions (and corrections).

One row per aspect of the latest prediction of every relevant, non-duplicate item attributed to
a center (region and center known) and created in the quarter. When a methodologist corrected an
item, the latest correction replaces the model's aspects: its ``relevant`` flag decides whether
the item counts, and each corrected label contributes its polarity (−1, 0, +1) as sentiment.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from feedback_nlp.codes import MENTION_COLUMNS
from feedback_nlp.errors import InputError, Problem
from feedback_nlp.store.engine import Store, open_store
from feedback_nlp.store.tables import corrections, feedback, predictions



def quarter_bounds(period: str) -> tuple[datetime, datetime]:
    """``[start, end)`` of a quarter ``YYYYQn`` in UTC."""
    try:
        year, quarter = int(period[:4]), int(period[5:])
        if period[4] not in "Qq" or len(period) != 6 or not 1 <= quarter <= 4:
            raise ValueError(period)
        start = datetime(year, 3 * quarter - 2, 1, tzinfo=timezone.utc)
        end = datetime(year + 1, 1, 1, tzinfo=timezone.utc) if quarter == 4 else \
            datetime(year, 3 * quarter + 1, 1, tzinfo=timezone.utc)
    except (ValueError, IndexError):  # also years datetime cannot hold (0, 9999Q4)
        raise InputError(Problem("--period", None, "period", period,
                                 "must be a quarter YYYYQn, e.g. 2022Q2")) from None
    return start, end


def _latest(conn: Any, table: Any, item_ids: list[str]) -> dict[str, Any]:
    """item id -> the row with the highest id of ``table`` (predictions or corrections)."""
    found: dict[str, Any] = {}
    for i in range(0, len(item_ids), 500):
        part = item_ids[i:i + 500]
        newest = (select(func.max(table.c.id)).where(table.c.item_id.in_(part))
                  .group_by(table.c.item_id))
        for row in conn.execute(select(table).where(table.c.id.in_(newest))):
            found[row.item_id] = row
    return found


def mentions_from_store(url_or_store: str | Store, period: str) -> pd.DataFrame:
    """Mentions of ``period`` (columns region, center_id, period, indicator, sentiment)."""
    period = period.upper()
    start, end = quarter_bounds(period)
    store = open_store(url_or_store) if isinstance(url_or_store, str) else url_or_store
    try:
        rows: list[tuple[str, str, str, str, float]] = []
        with store.engine.connect() as conn:
            items = conn.execute(
                select(feedback.c.id, feedback.c.region, feedback.c.center_id)
                .where(feedback.c.duplicate_of.is_(None), feedback.c.region.is_not(None),
                       feedback.c.center_id.is_not(None), feedback.c.created_at >= start,
                       feedback.c.created_at < end)
                .order_by(feedback.c.seq)).fetchall()
            ids = [r.id for r in items]
            latest = _latest(conn, predictions, ids)
            corrected = _latest(conn, corrections, ids)
        for item in items:
            for indicator, sentiment in _aspects(latest.get(item.id), corrected.get(item.id)):
                rows.append((item.region, item.center_id, period, indicator, sentiment))
    finally:
        if isinstance(url_or_store, str):
            store.close()
    frame = pd.DataFrame(rows, columns=list(MENTION_COLUMNS))
    frame["sentiment"] = frame["sentiment"].astype(float)
    return frame


def _aspects(prediction: Any, correction: Any) -> list[tuple[str, float]]:
    if correction is not None:
        labels = correction.labels or {}
        if not labels.get("relevant", True):
            return []
        return [(str(label["indicator"]), float(label["polarity"])) for label in labels.get("labels", [])]
    if prediction is None:
        return []
    data = prediction.prediction or {}
    if not data.get("relevant"):
        return []
    return [(str(a["indicator"]), float(a["sentiment"])) for a in data.get("aspects", [])]
