"""Feedback items in the store: ids, rows, the batch write, and filtered queries."""
from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, and_, func, insert, select

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


def existing_external_ids(conn: Connection, source: str, external_ids: Sequence[str]) -> set[str]:
    """Which of ``external_ids`` of ``source`` are already stored."""
    found: set[str] = set()
    for part in chunked(list(external_ids)):
        query = select(feedback.c.external_id).where(
            feedback.c.source == source, feedback.c.external_id.in_(part))
        found.update(conn.execute(query).scalars())
    return found


def originals_by_text_hash(conn: Connection, hashes: Sequence[str]) -> dict[str, str]:
    """text hash -> id of the first stored item with that normalised text."""
    found: dict[str, str] = {}
    for part in chunked(list(hashes)):
        query = (select(feedback.c.text_hash, feedback.c.id)
                 .where(feedback.c.text_hash.in_(part), feedback.c.duplicate_of.is_(None))
                 .order_by(feedback.c.seq))
        for text_hash, id_ in conn.execute(query):
            found.setdefault(text_hash, id_)
    return found


def candidates_by_keys(conn: Connection, keys: Sequence[int]) -> dict[int, list[str]]:
    """LSH band key -> ids of stored items sharing it."""
    found: dict[int, list[str]] = {}
    for part in chunked(list(keys)):
        for key, id_ in conn.execute(select(near_keys.c.key, near_keys.c.item_id)
                                     .where(near_keys.c.key.in_(part))):
            found.setdefault(key, []).append(id_)
    return found


def signatures_of(conn: Connection, ids: Sequence[str]) -> dict[str, bytes]:
    found: dict[str, bytes] = {}
    for part in chunked(list(ids)):
        for id_, sig in conn.execute(select(feedback.c.id, feedback.c.signature)
                                     .where(feedback.c.id.in_(part))):
            found[id_] = sig
    return found


def insert_items(conn: Connection, rows: list[dict[str, Any]], keys: list[dict[str, Any]]) -> None:
    """Insert feedback rows and their LSH keys (executemany; the caller owns the transaction)."""
    if rows:
        conn.execute(insert(feedback), rows)
    if keys:
        conn.execute(insert(near_keys), keys)


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


