"""Data of the audit pages that the public API does not give: filter choices and agreement."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from feedback_nlp.reports.agreement import agreement, corrected_pairs
from feedback_nlp.store import Store
from feedback_nlp.store.tables import feedback


def facets(store: Store, region: str | None = None) -> dict[str, Any]:
    """Regions, centers (with their region) and source kinds present in the store."""
    with store.engine.connect() as conn:
        pairs = conn.execute(select(feedback.c.region, feedback.c.center_id).distinct()
                             .where(feedback.c.region.is_not(None))).all()
        kinds = conn.execute(select(feedback.c.source_kind).distinct()).scalars().all()
    if region is not None:
        pairs = [p for p in pairs if p[0] == region]
    return {"regions": sorted({r for r, _ in pairs}),
            "centers": sorted(({"region": r, "center_id": c} for r, c in pairs if c),
                              key=lambda x: (x["region"], x["center_id"])),
            "source_kinds": sorted(kinds)}


def agreement_document(store: Store) -> dict[str, Any]:
    """Agreement of the model with the corrections, per indicator."""
    return agreement(corrected_pairs(store))
