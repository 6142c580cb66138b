"""Model output against methodologists' corrections: agreement per indicator.

Every corrected item is compared once: its latest prediction against its latest correction.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import func, select

from feedback_nlp.codes import INDICATORS
from feedback_nlp.store import Store
from feedback_nlp.store.tables import corrections, predictions

Pair = tuple[dict[str, Any] | None, dict[str, Any]]


def labels_of_prediction(prediction: dict[str, Any] | None) -> dict[str, int]:
    """indicator -> polarity of a prediction (empty when off-topic or absent)."""
    if not prediction or not prediction.get("relevant"):
        return {}
    return {str(a["indicator"]): int(a.get("polarity", 0)) for a in prediction.get("aspects", [])}


def labels_of_correction(correction: dict[str, Any]) -> dict[str, int]:
    """indicator -> polarity of corrected labels (empty when marked off-topic)."""
    if not correction.get("relevant", True):
        return {}
    return {str(label["indicator"]): int(label["polarity"]) for label in correction.get("labels", [])}


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def agreement(pairs: Iterable[Pair], indicators: Iterable[str] = INDICATORS) -> dict[str, Any]:
    """Per indicator: model, corrected, both, same polarity, precision, recall, F1, presence agreement."""
    pairs = list(pairs)
    codes = list(indicators)
    stats = {c: {"model": 0, "corrected": 0, "both": 0, "same_polarity": 0} for c in codes}
    relevance_same = exact = 0
    for prediction, correction in pairs:
        mine, theirs = labels_of_prediction(prediction), labels_of_correction(correction)
        relevance_same += bool(prediction and prediction.get("relevant")) == bool(correction.get("relevant", True))
        exact += mine == theirs
        for code in codes:
            s = stats[code]
            s["model"] += code in mine
            s["corrected"] += code in theirs
            if code in mine and code in theirs:
                s["both"] += 1
                s["same_polarity"] += mine[code] == theirs[code]
    rows = []
    n = len(pairs)
    for code in codes:
        s = stats[code]
        precision, recall = _ratio(s["both"], s["model"]), _ratio(s["both"], s["corrected"])
        f1 = 2 * precision * recall / (precision + recall) if precision and recall else (
            0.0 if precision is not None and recall is not None else None)
        disagree = s["model"] + s["corrected"] - 2 * s["both"]
        rows.append({"indicator": code, **s, "precision": precision, "recall": recall, "f1": f1,
                     "polarity_agreement": _ratio(s["same_polarity"], s["both"]),
                     "presence_agreement": _ratio(n - disagree, n)})
    return {"items": n, "relevance_agreement": _ratio(relevance_same, n), "exact_agreement": _ratio(exact, n),
            "indicators": rows}


def corrected_pairs(store: Store) -> list[Pair]:
    """(latest prediction or None, latest correction labels) of every corrected item."""
    with store.engine.connect() as conn:
        latest_fix = select(func.max(corrections.c.id)).group_by(corrections.c.item_id)
        fixes = dict(conn.execute(select(corrections.c.item_id, corrections.c.labels)
                                  .where(corrections.c.id.in_(latest_fix))).all())
        ids = list(fixes)
        preds: dict[str, Any] = {}
        for i in range(0, len(ids), 500):
            part = ids[i:i + 500]
            newest = select(func.max(predictions.c.id)).where(predictions.c.item_id.in_(part)).group_by(
                predictions.c.item_id)
            preds.update(conn.execute(select(predictions.c.item_id, predictions.c.prediction)
                                      .where(predictions.c.id.in_(newest))).all())
    return [(preds.get(item), fixes[item]) for item in ids]
