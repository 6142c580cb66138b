"""Feedback items in the store: ids, rows, the batch write, and filtered queries."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Connection, LargeBinary, Row, Select, Table, and_, func, select

from feedback_nlp.schema import Feedback
from feedback_nlp.store.engine import Store
from feedback_nlp.store.tables import feedback, near_keys

IN_CHUNK = 4000  # values per IN (…) list: far below every backend's parameter limit


def item_id(source: str, external_id: str) -> str:
    """Stable id of an item: the same source record gets the same id in every store."""
    return hashlib.sha1(f"{source}\x1f{external_id}".encode()).hexdigest()[:32]


def chunked(values: Sequence[Any], size: int = IN_CHUNK) -> Iterator[Sequence[Any]]:
    for i in range(0, len(values), size):
        yield values[i:i + size]


# The batch look-ups and inserts below are the ingest hot path: they go to the driver with
# plain SQL (``exec_driver_sql``) and values already converted by the columns' own bind
# processors, which skips SQLAlchemy's per-row parameter handling (~10 µs a row).


def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def select_in(conn: Connection, sql: str, values: Sequence[Any],
              extra: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
    """Rows of ``sql`` ending in ``column IN ({})``, in chunks; ``extra`` parameters first."""
    mark = _placeholder(conn)
    for part in chunked(list(values)):
        marks = ", ".join([mark] * len(part))
        # fetchall: one driver call, not one per row through the result wrapper
        yield from conn.exec_driver_sql(sql.format(marks), (*extra, *part)).fetchall()


def existing_external_ids(conn: Connection, source: str, external_ids: Sequence[str]) -> set[str]:
    """Which of ``external_ids`` of ``source`` are already stored."""
    mark = _placeholder(conn)
    sql = f"SELECT external_id FROM feedback WHERE source = {mark} AND external_id IN ({{}})"
    return {r[0] for r in select_in(conn, sql, external_ids, (source,))}


def originals_by_text_hash(conn: Connection, hashes: Sequence[str]) -> dict[str, str]:
    """text hash -> id of the first stored original with that normalised text."""
    found: dict[str, tuple[int, str]] = {}
    sql = ("SELECT text_hash, id, seq FROM feedback WHERE duplicate_of IS NULL "
           "AND text_hash IN ({})")
    for text_hash, id_, seq in select_in(conn, sql, sorted(set(hashes))):
        if text_hash not in found or seq < found[text_hash][0]:
            found[text_hash] = (seq, id_)
    return {h: id_ for h, (_, id_) in found.items()}


def candidates_by_keys(conn: Connection, keys: Sequence[int]) -> dict[int, int]:
    """LSH band key -> ``seq`` of the stored item that represents it (``keys`` sorted, unique)."""
    return dict(select_in(conn, "SELECT key, item_seq FROM near_keys WHERE key IN ({})", keys))


def signatures_of(conn: Connection, seqs: Sequence[int]) -> dict[int, tuple[str, bytes | None]]:
    """``seq`` -> (id, MinHash signature) of stored items."""
    sql = "SELECT seq, id, signature FROM feedback WHERE seq IN ({})"
    return {seq: (id_, bytes(sig) if sig is not None else None)
            for seq, id_, sig in select_in(conn, sql, seqs)}


WRITE_LOCK = 0x666E6C70  # PostgreSQL advisory lock id of ingest writes ("fnlp")


def lock_for_write(conn: Connection) -> None:
    """Make the transaction just begun on ``conn`` the store's only ingest writer until it ends.

    SQLite: ``BEGIN IMMEDIATE`` (the write lock now, not at the first insert, so the look-ups
    that decide what to insert see every committed batch); PostgreSQL: a transaction-level
    advisory lock. Must be the first statement of the transaction.
    """
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({WRITE_LOCK})")


def allocate_seqs(conn: Connection, n: int) -> list[int]:
    """``n`` new, ascending ``feedback.seq`` values, before the rows are inserted.

    Their near-duplicate keys point at them, so the writer needs them first. SQLite: after the
    current maximum (the caller holds the write lock, as SQLite itself would number the rows);
    PostgreSQL: from the column's sequence, which other writers share.
    """
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        rows = conn.exec_driver_sql(
            "SELECT nextval(pg_get_serial_sequence('feedback', 'seq')) "
            "FROM generate_series(1, %s)", (n,))
        return sorted(r[0] for r in rows)
    last = conn.exec_driver_sql("SELECT max(seq) FROM feedback").scalar() or 0
    return list(range(last + 1, last + 1 + n))


def insert_tuples(conn: Connection, table: Table, names: Sequence[str],
                  values: Sequence[Sequence[Any]]) -> None:
    """executemany of ``values`` (one tuple a row, columns ``names``), already bind-processed."""
    if not values:
        return
    quote = conn.dialect.identifier_preparer.quote
    mark = _placeholder(conn)
    sql = (f"INSERT INTO {quote(table.name)} ({', '.join(quote(n) for n in names)}) "
           f"VALUES ({', '.join([mark] * len(names))})")
    conn.exec_driver_sql(sql, values)


class RowEncoder:
    """Rows of ``names`` (columns of ``table``) as the values the driver takes.

    These are the columns' own bind processors, which SQLAlchemy would otherwise apply row by
    row at execute time; done here they can run in a worker process, so the writer only inserts.
    Holds only plain callables: forked workers inherit it.
    """

    def __init__(self, dialect: Any, table: Table, names: Sequence[str]):
        self.names = tuple(names)
        # bytes go to every driver as they are; the processor would wrap them in a memoryview,
        # which cannot be pickled back from a worker
        procs = [(n, table.c[name].type.dialect_impl(dialect).bind_processor(dialect))
                 for n, name in enumerate(self.names)
                 if not isinstance(table.c[name].type, LargeBinary)]
        self.procs = [(n, p) for n, p in procs if p is not None]
        # most JSON values are empty ({} metadata, [] flags): convert those once
        self.empty = {n: (p({}), p([])) for n, p in self.procs
                      if isinstance(table.c[self.names[n]].type, JSON)}

    def __call__(self, row: Sequence[Any]) -> tuple[Any, ...]:
        value = list(row)
        empty = self.empty
        for n, p in self.procs:
            v = value[n]
            if v is None:
                if n not in empty:
                    continue  # NULL needs no conversion (JSON columns would write 'null')
            elif n in empty and not v and isinstance(v, (dict, list)):
                value[n] = empty[n][0 if isinstance(v, dict) else 1]
                continue
            value[n] = p(v)
        return tuple(value)


def insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """executemany of ``rows`` (same keys each) with the columns' bind processors applied."""
    if not rows:
        return
    encode = RowEncoder(conn.dialect, table, list(rows[0]))
    get = itemgetter(*encode.names)
    values = [encode(get(row) if len(encode.names) > 1 else (get(row),)) for row in rows]
    insert_tuples(conn, table, encode.names, values)


def insert_items(conn: Connection, rows: list[dict[str, Any]],
                 keys: list[tuple[int, int]]) -> None:
    """Insert feedback rows and their ``(key, item_seq)`` LSH keys (the caller's transaction)."""
    insert_rows(conn, feedback, rows)
    insert_tuples(conn, near_keys, ("key", "item_seq"), keys)


@dataclass(frozen=True)
class ItemFilter:
    """Filters of ``query_items``; ``None`` means no restriction."""

    region: str | None = None
    center_id: str | None = None
    source_kind: str | None = None
    since: datetime | None = None          # created_at >= since
    until: datetime | None = None          # created_at < until
    query: str | None = None               # case-insensitive substring of the text
    ids: Sequence[str] | None = None
    include_duplicates: bool = True
    unattributed: bool | None = None       # True: only items without a region


def _where(stmt: Select[Any], f: ItemFilter) -> Select[Any]:
    c = feedback.c
    conds = []
    if f.region is not None:
        conds.append(c.region == f.region)
    if f.center_id is not None:
        conds.append(c.center_id == f.center_id)
    if f.source_kind is not None:
        conds.append(c.source_kind == f.source_kind)
    if f.since is not None:
        conds.append(c.created_at >= f.since)
    if f.until is not None:
        conds.append(c.created_at < f.until)
    if f.query:
        escaped = f.query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        conds.append(c.text.ilike(f"%{escaped}%", escape="\\"))
    if f.ids is not None:
        conds.append(c.id.in_(list(f.ids)))
    if not f.include_duplicates:
        conds.append(c.duplicate_of.is_(None))
    if f.unattributed is True:
        conds.append(c.region.is_(None))
    elif f.unattributed is False:
        conds.append(c.region.is_not(None))
    return stmt.where(and_(*conds)) if conds else stmt


def adapt_row(row: Row[Any]) -> Feedback:
    """A stored row as a ``Feedback`` record."""
    m = row._mapping
    return Feedback(
        source_kind=m["source_kind"], source=m["source"], external_id=m["external_id"],
        text=m["text"], created_at=m["created_at"], url=m["url"], author_hash=m["author_hash"],
        rating=m["rating"], region=m["region"], center_id=m["center_id"],
        language=m["language"], metadata=m["metadata"] or {}, id=m["id"],
        batch_id=m["batch_id"], duplicate_of=m["duplicate_of"], flags=tuple(m["flags"] or ()),
    )


def iter_items(store: Store, filters: ItemFilter = ItemFilter(), *, after: int | None = None,
               limit: int | None = None, page_size: int = 1000) -> Iterator[tuple[int, Feedback]]:
    """``(cursor, item)`` pairs in insertion order, streamed page by page.

    Pass the last cursor as ``after`` to continue where a previous page stopped.
    """
    columns = [c for c in feedback.c if c.name not in ("signature", "raw_text")]
    left = limit
    cursor = after
    with store.engine.connect() as conn:
        while left is None or left > 0:
            size = page_size if left is None else min(page_size, left)
            stmt = _where(select(*columns), filters)
            if cursor is not None:
                stmt = stmt.where(feedback.c.seq > cursor)
            rows = conn.execute(stmt.order_by(feedback.c.seq).limit(size)).fetchall()
            for row in rows:
                cursor = row.seq
                yield cursor, adapt_row(row)
            if len(rows) < size:
                return
            if left is not None:
                left -= len(rows)


def query_items(store: Store, filters: ItemFilter = ItemFilter(), *, after: int | None = None,
                limit: int = 100) -> tuple[list[Feedback], int | None]:
    """One page of items and the cursor of the next page (``None`` when there is no more)."""
    page = list(iter_items(store, filters, after=after, limit=limit + 1))
    if len(page) > limit:
        return [item for _, item in page[:limit]], page[limit - 1][0]
    return [item for _, item in page], None


def count_items(store: Store, filters: ItemFilter = ItemFilter()) -> int:
    """Number of items matching ``filters``."""
    with store.engine.connect() as conn:
        return int(conn.execute(_where(select(func.count()).select_from(feedback), filters))
                   .scalar_one())


def get_raw_text(store: Store, id_: str) -> str | None:
    """The unredacted text, stored only when the installation enabled ``keep_raw_text``."""
    with store.engine.connect() as conn:
        return conn.execute(select(feedback.c.raw_text).where(feedback.c.id == id_)).scalar()


