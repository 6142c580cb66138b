"""The near-duplicate key table (migration 0004), the exact-text look-up and seq allocation."""
from datetime import datetime, timezone

import pytest
from sqlalchemy import inspect, text

from feedback_nlp.store import item_id, open_store
from feedback_nlp.store.engine import create_store_engine, migrate
from feedback_nlp.store.items import allocate_seqs, insert_items, lock_for_write, originals_by_text_hash

NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)


def row(n: int, text_hash: str = "", duplicate_of: str | None = None) -> dict:
    return {"id": item_id("s", str(n)), "source_kind": "social", "source": "s",
            "external_id": str(n), "text": f"текст {n}", "text_hash": text_hash or f"h{n}",
            "language": "ru", "metadata": {}, "flags": [], "pii": {},
            "duplicate_of": duplicate_of, "ingested_at": NOW}


def test_migration_0004_keeps_the_earliest_item_of_each_key(store_url):
    engine = create_store_engine(store_url)
    migrate(engine, "0003_near_keys_pk")
    with engine.begin() as conn:
        for n in (1, 2, 3):
            conn.execute(text("INSERT INTO feedback (id, source_kind, source, external_id, text, "
                              "text_hash, language, metadata, flags, pii, ingested_at) VALUES "
                              "(:id, 'social', 's', :e, 't', :h, 'ru', '{}', '[]', '{}', :now)"),
                         {"id": item_id("s", str(n)), "e": str(n), "h": f"h{n}",
                          "now": NOW.replace(tzinfo=None)})
        # before 0004 a key could point at several items; the first stored one represents it
        pairs = [(11, 2), (11, 1), (12, 3), (-(2**63), 2)]
        for key, n in pairs:
            conn.execute(text("INSERT INTO near_keys (key, item_id) VALUES (:k, :i)"),
                         {"k": key, "i": item_id("s", str(n))})
    migrate(engine)
    with engine.connect() as conn:
        seq = dict(conn.execute(text("SELECT id, seq FROM feedback")).all())
        keys = dict(conn.execute(text("SELECT key, item_seq FROM near_keys")).all())
    assert keys == {11: seq[item_id("s", "1")], 12: seq[item_id("s", "3")],
                    -(2**63): seq[item_id("s", "2")]}
    indexes = {i["name"] for i in inspect(engine).get_indexes("feedback")}
    assert "ix_feedback_duplicate_of" not in indexes and "ix_feedback_text_hash" in indexes
    pk = inspect(engine).get_pk_constraint("near_keys")
    assert pk["constrained_columns"] == ["key"]
    engine.dispose()


def test_near_keys_allow_one_item_per_key(store_url):
    store = open_store(store_url)
    with store.engine.begin() as conn:
        insert_items(conn, [row(1), row(2)], [(7, 1)])
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, wrapped per driver
        with store.engine.begin() as conn:
            insert_items(conn, [], [(7, 2)])
    store.close()


def test_the_exact_text_look_up_uses_the_text_hash_index(tmp_path):
    # with an index on duplicate_of, SQLite chose it for "duplicate_of IS NULL" and read every
    # original for each batch: ingest slowed down as the store grew
    store = open_store(f"sqlite:///{tmp_path / 'x.db'}")
    with store.engine.connect() as conn:
        plan = conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT text_hash, id, seq FROM feedback "
            "WHERE duplicate_of IS NULL AND text_hash IN (?, ?)", ("a", "b")).all()
    assert "ix_feedback_text_hash" in " ".join(str(r[-1]) for r in plan)
    store.close()


def test_originals_by_text_hash_skips_copies_and_takes_the_first(store_url):
    store = open_store(store_url)
    with store.engine.begin() as conn:
        insert_items(conn, [row(1, "x", duplicate_of=item_id("s", "9")), row(2, "x"),
                            row(3, "x"), row(4, "y")], [])
    with store.engine.connect() as conn:
        assert originals_by_text_hash(conn, ["x", "y", "z"]) == {
            "x": item_id("s", "2"), "y": item_id("s", "4")}
    store.close()


def test_allocated_seqs_are_new_and_ascending_with_other_writers_in_between(store_url):
    store = open_store(store_url)
    with store.engine.begin() as conn:
        insert_items(conn, [row(1), row(2)], [])   # the database numbers these
    with store.engine.begin() as conn:
        lock_for_write(conn)
        seqs = allocate_seqs(conn, 3)
        rows = [{**row(n), "seq": s} for n, s in zip((3, 4, 5), seqs)]
        insert_items(conn, rows, [])
    with store.engine.begin() as conn:
        insert_items(conn, [row(6)], [])           # and this one, after them
    with store.engine.connect() as conn:
        stored = conn.execute(text("SELECT external_id, seq FROM feedback ORDER BY seq")).all()
    assert [e for e, _ in stored] == ["1", "2", "3", "4", "5", "6"]
    assert seqs == sorted(seqs) and len(set(s for _, s in stored)) == 6
    with store.engine.connect() as conn:
        assert allocate_seqs(conn, 0) == []
    store.close()
