"""near_keys keyed by (key, item_id): one B-tree instead of a table plus an index.

On SQLite the table becomes WITHOUT ROWID (the LSH keys are the ingest's most numerous rows:
eight per original item); on PostgreSQL the primary key replaces the plain index.

Revision ID: 0003_near_keys_pk
Revises: 0002_index_data
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003_near_keys_pk"
down_revision = "0002_index_data"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TABLE near_keys_new (key BIGINT NOT NULL, item_id VARCHAR(32) NOT NULL, "
                   "PRIMARY KEY (key, item_id)) WITHOUT ROWID")
        op.execute("INSERT OR IGNORE INTO near_keys_new (key, item_id) "
                   "SELECT key, item_id FROM near_keys")
        op.drop_index("ix_near_keys_key", table_name="near_keys")
        op.drop_table("near_keys")
        op.rename_table("near_keys_new", "near_keys")
        return
    op.execute("DELETE FROM near_keys a USING near_keys b WHERE a.ctid < b.ctid "
               "AND a.key = b.key AND a.item_id = b.item_id")
    op.create_primary_key("pk_near_keys", "near_keys", ["key", "item_id"])
    op.drop_index("ix_near_keys_key", table_name="near_keys")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE TABLE near_keys_old (key BIGINT NOT NULL, item_id VARCHAR(32) NOT NULL)")
        op.execute("INSERT INTO near_keys_old (key, item_id) SELECT key, item_id FROM near_keys")
        op.drop_table("near_keys")
        op.rename_table("near_keys_old", "near_keys")
    else:
        op.drop_constraint("pk_near_keys", "near_keys", type_="primary")
    op.create_index("ix_near_keys_key", "near_keys", ["key"])
