"""Rows of new items: redaction, attribution, fingerprints — CPU work, no database.

This is what a worker process runs (``workers.py``). Its result is already in the driver's
terms (``RowEncoder``) and column by column, so it pickles quickly and the writer, the one
process that cannot be parallelised, only decides on duplicates and inserts.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from feedback_nlp.attribution import Attributor
from feedback_nlp.dedup import BatchPrints, batch_fingerprints
from feedback_nlp.ingest.checks import author_key, clean_metadata
from feedback_nlp.privacy import Redactor, hash_author, redact_patterns
from feedback_nlp.schema import Feedback
from feedback_nlp.store.items import RowEncoder, item_id
from feedback_nlp.store.tables import feedback

# the feedback columns a row builder fills, in this order; the writer adds duplicate_of and seq
ROW_COLUMNS = ("id", "source_kind", "source", "external_id", "text", "raw_text", "text_hash",
               "signature", "created_at", "url", "author_hash", "rating", "region", "center_id",
               "attribution", "language", "metadata", "flags", "pii", "batch_id", "ingested_at")


def row_encoder(dialect: Any) -> RowEncoder:
    """The encoder of ``ROW_COLUMNS`` for the store's dialect."""
    return RowEncoder(dialect, feedback, ROW_COLUMNS)


@dataclass
class PreparedRows:
    """The new rows of a batch, driver-ready, with what the writer decides duplicates on."""

    ids: list[str]
    keys: list[tuple[str, str]]       # (source, external_id)
    values: list[tuple[Any, ...]]     # ROW_COLUMNS, encoded
    prints: BatchPrints
    unattributed: list[bool]
    truncated: list[bool]

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: list[int]) -> PreparedRows:
        """Only ``rows`` (indexes, ascending)."""
        return PreparedRows([self.ids[n] for n in rows], [self.keys[n] for n in rows],
                            [self.values[n] for n in rows], self.prints.take(rows),
                            [self.unattributed[n] for n in rows],
                            [self.truncated[n] for n in rows])


@dataclass(frozen=True)
class RowMaker:
    """Builds rows with the run's tools and settings (``redactor`` None: no redaction)."""

    redactor: Redactor | None
    attributor: Attributor
    salt: str
    encode: RowEncoder
    keep_raw_text: bool = False
    region: str | None = None
    center_id: str | None = None

    def __call__(self, items: list[Feedback], batch_id: str) -> PreparedRows:
        """Rows of ``items``, in order (``duplicate_of`` is the writer's decision)."""
        texts = [i.text for i in items]
        redacted = list(self.redactor.map(texts)) if self.redactor is not None else None
        clean_texts = [r.text for r in redacted] if redacted is not None else texts
        prints = batch_fingerprints(clean_texts)
        now = datetime.now(timezone.utc)
        redact = self.redactor is not None
        ids: list[str] = []
        values: list[tuple[Any, ...]] = []
        unattributed: list[bool] = []
        for n, (item, text) in enumerate(zip(items, clean_texts)):
            where = self.attributor.attribute(
                text, item.metadata, item.source, item.region or self.region,
                item.center_id or self.center_id)
            author = author_key(item)
            metadata = _json_safe(clean_metadata(item.metadata, redact)) if item.metadata else {}
            id_ = item_id(item.source, item.external_id)
            ids.append(id_)
            unattributed.append(where.region is None)
            values.append(self.encode((
                id_, item.source_kind, item.source, item.external_id, text,
                item.text if self.keep_raw_text else None, prints.text_hashes[n],
                prints.signatures[n], item.created_at,
                redact_patterns(item.url) if item.url and redact else item.url,
                hash_author(author, self.salt) if author else None,
                item.rating, where.region, where.center_id, where.method, item.language or "ru",
                metadata, list(item.flags), redacted[n].counts if redacted is not None else {},
                batch_id, now)))
        return PreparedRows(ids, [(i.source, i.external_id) for i in items], values, prints,
                            unattributed, ["truncated" in i.flags for i in items])


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))
