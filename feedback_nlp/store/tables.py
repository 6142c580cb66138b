"""Table definitions (SQLAlchemy Core); alembic migrations in ``migrations/`` create them.

Portable SQL only (SQLite and PostgreSQL): JSON, text, integers, timestamps stored in UTC.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON, BigInteger, Column, DateTime, Float, ForeignKey, Index, Integer, LargeBinary, MetaData,
    PrimaryKeyConstraint, String, Table, Text, TypeDecorator, UniqueConstraint,
)

metadata = MetaData()


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware datetimes stored as naive UTC (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; attach a time zone")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=timezone.utc)


feedback = Table(
    "feedback", metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),  # insertion order, cursor key
    Column("id", String(32), nullable=False, unique=True),
    Column("source_kind", String(32), nullable=False),
    Column("source", String(255), nullable=False),
    Column("external_id", String(255), nullable=False),
    Column("text", Text, nullable=False),
    Column("raw_text", Text),                      # only with keep_raw_text
    Column("text_hash", String(40), nullable=False),
    Column("signature", LargeBinary),              # MinHash of the normalised text (near-dups)
    Column("created_at", UTCDateTime),
    Column("url", Text),
    Column("author_hash", String(64)),
    Column("rating", Float),
    Column("region", String(255)),
    Column("center_id", String(255)),
    Column("attribution", String(32)),             # metadata | centers | text | None
    Column("language", String(16), nullable=False, default="ru"),
    Column("metadata", JSON, nullable=False, default=dict),
    Column("flags", JSON, nullable=False, default=list),
    Column("pii", JSON, nullable=False, default=dict),   # placeholder counts per type
    Column("batch_id", String(32), ForeignKey("batches.id")),
    Column("duplicate_of", String(32)),
    Column("ingested_at", UTCDateTime, nullable=False),
    UniqueConstraint("source", "external_id", name="uq_feedback_source_external_id"),
)
Index("ix_feedback_text_hash", feedback.c.text_hash)
Index("ix_feedback_region", feedback.c.region)
Index("ix_feedback_center_id", feedback.c.center_id)
Index("ix_feedback_created_at", feedback.c.created_at)
# no index on duplicate_of: every query asks ``IS NULL`` (most rows), and SQLite's planner
# would pick the index over better ones (migration 0004)

# LSH band keys of the items' signatures: near-duplicate candidates are found by SQL look-up,
# so memory stays flat however large the store grows. One row per key (the first original that
# has it represents it), pointing at the item's ``seq``: small rows, because ingest writes
# eight of them per item (migration 0004). On SQLite the key is the rowid (INTEGER PRIMARY KEY).
near_keys = Table(
    "near_keys", metadata,
    Column("key", BigInteger().with_variant(Integer, "sqlite"), nullable=False,
           autoincrement=False),
    Column("item_seq", Integer, nullable=False),
    PrimaryKeyConstraint("key", name="pk_near_keys"),
)

batches = Table(
    "batches", metadata,
    Column("id", String(32), primary_key=True),
    Column("run_id", String(32), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("files", JSON, nullable=False, default=list),
    Column("counts", JSON, nullable=False, default=dict),
    Column("started_at", UTCDateTime, nullable=False),
    Column("finished_at", UTCDateTime),
    Column("status", String(16), nullable=False),   # committed | failed
    Column("error", Text),
)
Index("ix_batches_run_id", batches.c.run_id)

predictions = Table(
    "predictions", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(32), ForeignKey("feedback.id"), nullable=False),
    Column("model_name", String(128), nullable=False),
    Column("model_version", String(64), nullable=False),
    Column("prediction", JSON, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)
Index("ix_predictions_item_model", predictions.c.item_id, predictions.c.model_name,
      predictions.c.model_version)

corrections = Table(
    "corrections", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("item_id", String(32), ForeignKey("feedback.id"), nullable=False),
    Column("author", String(255), nullable=False),
    Column("role", String(64), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("reason", Text),
    Column("labels", JSON, nullable=False),   # the corrected labels (corpus format)
)
Index("ix_corrections_item_id", corrections.c.item_id)

api_keys = Table(
    "api_keys", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key_hash", String(128), nullable=False, unique=True),
    Column("role", String(32), nullable=False),
    Column("region", String(255)),
    Column("name", String(255)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("revoked_at", UTCDateTime),
)

settings = Table(
    "settings", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)
