"""Initial schema: feedback, near-duplicate keys, batches, predictions, corrections, API keys.

Revision ID: 0001
Revises:
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "batches",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("run_id", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        sa.Column("files", sa.JSON, nullable=False),
        sa.Column("counts", sa.JSON, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),
        sa.Column("finished_at", sa.DateTime),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
    )
    op.create_index("ix_batches_run_id", "batches", ["run_id"])
    op.create_table(
        "feedback",
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("id", sa.String(32), nullable=False, unique=True),
        sa.Column("source_kind", sa.String(32), nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("external_id", sa.String(255), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("raw_text", sa.Text),
        sa.Column("text_hash", sa.String(40), nullable=False),
        sa.Column("signature", sa.LargeBinary),
        sa.Column("created_at", sa.DateTime),
        sa.Column("url", sa.Text),
        sa.Column("author_hash", sa.String(64)),
        sa.Column("rating", sa.Float),
        sa.Column("region", sa.String(255)),
        sa.Column("center_id", sa.String(255)),
        sa.Column("attribution", sa.String(32)),
        sa.Column("language", sa.String(16), nullable=False),
        sa.Column("metadata", sa.JSON, nullable=False),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("pii", sa.JSON, nullable=False),
        sa.Column("batch_id", sa.String(32), sa.ForeignKey("batches.id")),
        sa.Column("duplicate_of", sa.String(32)),
        sa.Column("ingested_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("source", "external_id", name="uq_feedback_source_external_id"),
    )
    for column in ("text_hash", "region", "center_id", "created_at", "duplicate_of"):
        op.create_index(f"ix_feedback_{column}", "feedback", [column])
    op.create_table(
        "near_keys",
        sa.Column("key", sa.BigInteger, nullable=False),
        sa.Column("item_id", sa.String(32), nullable=False),
    )
    op.create_index("ix_near_keys_key", "near_keys", ["key"])
    op.create_table(
        "predictions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.String(32), sa.ForeignKey("feedback.id"), nullable=False),
        sa.Column("model_name", sa.String(128), nullable=False),
        sa.Column("model_version", sa.String(64), nullable=False),
        sa.Column("prediction", sa.JSON, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_predictions_item_model", "predictions",
                    ["item_id", "model_name", "model_version"])
    op.create_table(
        "corrections",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("item_id", sa.String(32), sa.ForeignKey("feedback.id"), nullable=False),
        sa.Column("author", sa.String(255), nullable=False),
        sa.Column("role", sa.String(64), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("reason", sa.Text),
        sa.Column("labels", sa.JSON, nullable=False),
    )
    op.create_index("ix_corrections_item_id", "corrections", ["item_id"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("key_hash", sa.String(128), nullable=False, unique=True),
        sa.Column("role", sa.String(32), nullable=False),
        sa.Column("region", sa.String(255)),
        sa.Column("name", sa.String(255)),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("revoked_at", sa.DateTime),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )


def downgrade() -> None:
    for table in ("settings", "api_keys", "corrections", "predictions", "near_keys", "feedback",
                  "batches"):
        op.drop_table(table)
