"""Rows of new items: redaction, attribution, fingerprints — CPU work, no database.

This is what a worker process runs (``workers.py``); everything here is picklable.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from feedback_nlp.attribution import Attributor
from feedback_nlp.dedup import Fingerprint, fingerprints
from feedback_nlp.ingest.checks import author_key, clean_metadata
from feedback_nlp.privacy import Redactor, hash_author, redact_patterns
from feedback_nlp.schema import Feedback
from feedback_nlp.store.items import item_id


@dataclass
class NewRow:
    """A new item on its way into the store: its fingerprint and its ``feedback`` row."""

    fingerprint: Fingerprint
    row: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.row["source"], self.row["external_id"]


@dataclass(frozen=True)
class RowMaker:
    """Builds rows with the run's tools and settings (``redactor`` None: no redaction)."""

    redactor: Redactor | None
    attributor: Attributor
    salt: str
    keep_raw_text: bool = False
    region: str | None = None
    center_id: str | None = None

    def __call__(self, items: list[Feedback], batch_id: str) -> list[NewRow]:
        """Rows of ``items``, in order, with ``duplicate_of`` still unset."""
        texts = [i.text for i in items]
        redacted = list(self.redactor.map(texts)) if self.redactor is not None else None
        clean_texts = [r.text for r in redacted] if redacted is not None else texts
        prints = fingerprints(clean_texts)
        now = datetime.now(timezone.utc)
        redact = self.redactor is not None
        rows: list[NewRow] = []
        for n, (item, text, fp) in enumerate(zip(items, clean_texts, prints)):
            where = self.attributor.attribute(
                text, item.metadata, item.source, item.region or self.region,
                item.center_id or self.center_id)
            author = author_key(item)
            metadata = _json_safe(clean_metadata(item.metadata, redact)) if item.metadata else {}
            rows.append(NewRow(fp, {
                "id": item_id(item.source, item.external_id), "source_kind": item.source_kind,
                "source": item.source, "external_id": item.external_id, "text": text,
                "raw_text": item.text if self.keep_raw_text else None,
                "text_hash": fp.text_hash, "signature": fp.signature,
                "created_at": item.created_at,
                "url": redact_patterns(item.url) if item.url and redact else item.url,
                "author_hash": hash_author(author, self.salt) if author else None,
                "rating": item.rating, "region": where.region, "center_id": where.center_id,
                "attribution": where.method, "language": item.language or "ru",
                "metadata": metadata, "flags": list(item.flags),
                "pii": redacted[n].counts if redacted is not None else {},
                "batch_id": batch_id, "duplicate_of": None, "ingested_at": now,
            }))
        return rows


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))
