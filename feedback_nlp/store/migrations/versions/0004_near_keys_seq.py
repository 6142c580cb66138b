"""near_keys as (key -> item_seq), one row per LSH band key; no index on duplicate_of.

Ingest writes eight band keys per original item, so the size of a near_keys row decides much
of the write cost: keyed by the 64-bit band key alone (SQLite: the rowid itself) and pointing
at the item's integer ``seq`` instead of its 32-character id, a row shrinks from ~45 to ~14
bytes and a batch dirties a third of the pages. Ingest already stored each key once (the first
original that has it represents it); the primary key now says so.

``ix_feedback_duplicate_of`` served no query (every filter is ``duplicate_of IS NULL``, true of
most rows) and led SQLite's planner to scan all originals for the exact-text look-up.

Revision ID: 0004_near_keys_seq
Revises: 0003_near_keys_pk
"""
from __future__ import annotations

from alembic import op

revision = "0004_near_keys_seq"
down_revision = "0003_near_keys_pk"
branch_labels = None
depends_on = None

# the earliest item that has a key keeps it, as ingest would have decided
COPY_UP = ("INSERT INTO near_keys_new (key, item_seq) SELECT n.key, min(f.seq) FROM near_keys n "
           "JOIN feedback f ON f.id = n.item_id GROUP BY n.key")
COPY_DOWN = ("INSERT INTO near_keys_old (key, item_id) SELECT n.key, f.id FROM near_keys n "
             "JOIN feedback f ON f.seq = n.item_seq")


def upgrade() -> None:
    sqlite = op.get_bind().dialect.name == "sqlite"
    # INTEGER PRIMARY KEY: on SQLite the key is the rowid, so the table is a single B-tree
    key_type = "INTEGER" if sqlite else "BIGINT"
    op.execute(f"CREATE TABLE near_keys_new (key {key_type} NOT NULL, "
               "item_seq INTEGER NOT NULL, PRIMARY KEY (key))")
    op.execute(COPY_UP)
    op.drop_table("near_keys")
    op.rename_table("near_keys_new", "near_keys")
    if not sqlite:  # keep the constraint name of the metadata (PostgreSQL names it by table)
        op.execute("ALTER TABLE near_keys RENAME CONSTRAINT near_keys_new_pkey TO pk_near_keys")
    op.drop_index("ix_feedback_duplicate_of", table_name="feedback")


def downgrade() -> None:
    op.create_index("ix_feedback_duplicate_of", "feedback", ["duplicate_of"])
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.execute("CREATE TABLE near_keys_old (key BIGINT NOT NULL, item_id VARCHAR(32) NOT NULL, "
               "PRIMARY KEY (key, item_id))" + (" WITHOUT ROWID" if sqlite else ""))
    op.execute(COPY_DOWN)
    op.drop_table("near_keys")
    op.rename_table("near_keys_old", "near_keys")
    if not sqlite:
        op.execute("ALTER TABLE near_keys RENAME CONSTRAINT near_keys_old_pkey TO pk_near_keys")
