"""The ingest pipeline: collected items -> checks -> redact -> attribute -> dedup -> store.

Each batch of items is one database transaction together with its ``batches`` row: a crash or
kill in the middle leaves no half batch, and rerunning the same input stores only what is
missing (items already stored are counted as duplicates).

The CPU work of a batch (redaction, attribution, fingerprints: ``rows.py``) runs before its
transaction, optionally in forked worker processes (``workers.py``); the transaction itself
holds the store's write lock (``lock_for_write``), so concurrent ingesters of overlapping input
neither collide nor miss each other's duplicates, and only re-checks, links and inserts.

Nothing here logs item text or metadata: only counts and ids.
"""
from __future__ import annotations

import logging
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, update

from feedback_nlp.attribution import Attributor
from feedback_nlp.ingest.checks import MAX_CHARS, check_item
from feedback_nlp.ingest.link import link_rows
from feedback_nlp.ingest.rows import ROW_COLUMNS, PreparedRows, RowMaker, row_encoder
from feedback_nlp.ingest.workers import RowWorkers, can_fork
from feedback_nlp.privacy import Redactor
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.store import Store, store_salt
from feedback_nlp.store.items import (
    allocate_seqs, existing_external_ids, insert_tuples, lock_for_write,
)
from feedback_nlp.store.tables import batches, feedback, near_keys

__all__ = ["DEFAULT_BATCH_SIZE", "IngestCounts", "IngestOptions", "Pipeline"]

log = logging.getLogger(__name__)

# items per transaction: each commit writes every page its inserts touched, and random keys
# (ids, text hashes, LSH keys) touch most index pages of a young store, so larger batches share
# those writes: the writer then spends ≈ 8 µs an item less than with batches of 1000, about as
# much as a row-building worker, so neither waits for the other. Larger batches save a little
# more but hold more memory, start writing later and overlap less in short runs. A kill loses
# at most one batch of work, which the rerun redoes.
DEFAULT_BATCH_SIZE = 2000


@dataclass
class IngestCounts:
    """What happened to the records of one ingest run."""

    read: int = 0
    stored: int = 0            # new rows (near-duplicates included: they are stored, linked)
    duplicate: int = 0         # already stored (same source and external id): nothing written
    near_duplicate: int = 0    # stored, linked to an original by ``duplicate_of``
    rejected: int = 0
    unattributed: int = 0      # stored without a region
    truncated: int = 0
    batches: int = 0

    def add(self, other: IngestCounts) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def summary(self) -> str:
        """One line for people: ``read 10 · stored 8 · duplicate 1 · …``."""
        parts = [("read", self.read), ("stored", self.stored), ("duplicate", self.duplicate),
                 ("near-duplicate", self.near_duplicate), ("rejected", self.rejected),
                 ("unattributed", self.unattributed), ("truncated", self.truncated)]
        return " · ".join(f"{name} {n}" for name, n in parts)


@dataclass
class IngestOptions:
    """Settings of a run; ``salt`` None means the store's own salt."""

    redact: bool = True
    keep_raw_text: bool = False
    batch_size: int = DEFAULT_BATCH_SIZE
    max_chars: int = MAX_CHARS
    salt: str | None = None
    region: str | None = None          # default region of items that carry none
    center_id: str | None = None       # default center of items that carry none
    kind: str = ""                     # collector name, recorded on the batch
    files: list[str] = field(default_factory=list)
    workers: int = 0                   # processes building rows besides this one (Linux)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _chunks(records: Iterable[Feedback | Reject], size: int) -> Iterator[list[Feedback | Reject]]:
    chunk: list[Feedback | Reject] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _stored_keys(conn: Any, keys: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
    """Those of the ``(source, external_id)`` pairs that the store already holds."""
    by_source: dict[str, list[str]] = {}
    for source, external_id in keys:
        by_source.setdefault(source, []).append(external_id)
    return {(source, e) for source, ids in by_source.items()
            for e in existing_external_ids(conn, source, ids)}


@dataclass
class _Pending:
    """A batch whose rows are being built (in a worker or already here)."""

    batch_id: str
    started: datetime
    counts: IngestCounts
    size: int
    n_items: int
    rows: Callable[[], PreparedRows]


class Pipeline:
    """Stateful only in its tools (redactor, attributor, salt); ``run`` is one ingest."""

    def __init__(self, store: Store, redactor: Redactor | None, attributor: Attributor,
                 options: IngestOptions):
        self.store = store
        self.redactor = redactor if options.redact else None
        self.attributor = attributor
        self.options = options
        self.salt = options.salt or store_salt(store)
        self.maker = RowMaker(self.redactor, attributor, self.salt,
                              row_encoder(store.engine.dialect), options.keep_raw_text,
                              options.region, options.center_id)

    def run(self, records: Iterable[Feedback | Reject],
            on_reject: Callable[[Reject], None] = lambda r: None,
            on_progress: Callable[[int], None] = lambda n: None) -> IngestCounts:
        """Ingest every record, batch by batch; returns the counts of the whole run.

        With ``options.workers`` > 0, rows of the next batches are built in worker processes
        while this one writes; batches are still written one by one, in input order.
        """
        total = IngestCounts()
        run_id = uuid.uuid4().hex
        workers = RowWorkers(self.maker, self.store.engine, self.options.workers) \
            if self.options.workers > 0 and can_fork() else None
        pending: deque[_Pending] = deque()
        ok = False

        def write_oldest() -> None:
            counts = self._write(pending.popleft(), run_id)
            total.add(counts)
            on_progress(counts.read)
            log.info("batch %d committed: %s", total.batches, counts.summary())

        try:
            for chunk in _chunks(records, self.options.batch_size):
                pending.append(self._start(chunk, run_id, on_reject, workers))
                if len(pending) > (self.options.workers if workers else 0):
                    write_oldest()
            while pending:
                write_oldest()
            ok = True
        finally:
            if workers is not None:
                workers.close(ok)
        return total

    def _prepare(self, chunk: list[Feedback | Reject], on_reject: Callable[[Reject], None],
                 counts: IngestCounts) -> list[Feedback]:
        items: list[Feedback] = []
        seen: set[tuple[str, str]] = set()
        for record in chunk:
            counts.read += 1
            if isinstance(record, Reject):
                counts.rejected += 1
                on_reject(record)
                continue
            item, reason = check_item(record, self.options.max_chars)
            if item is None:
                counts.rejected += 1
                on_reject(Reject(record.source, None, reason, ""))
                continue
            key = (item.source, item.external_id)
            if key in seen:
                counts.duplicate += 1
                continue
            seen.add(key)
            items.append(item)
        return items

    def _start(self, chunk: list[Feedback | Reject], run_id: str,
               on_reject: Callable[[Reject], None], workers: RowWorkers | None) -> _Pending:
        """Checks, then rows of the items not stored yet (a rerun redacts nothing twice)."""
        counts = IngestCounts(batches=1)
        batch_id = uuid.uuid4().hex
        started = _now()
        items = self._prepare(chunk, on_reject, counts)
        try:
            with self.store.engine.connect() as conn:
                stored = _stored_keys(conn, [(i.source, i.external_id) for i in items])
        except Exception as exc:
            self._record_failure(batch_id, run_id, started, exc)
            raise
        fresh = [i for i in items if (i.source, i.external_id) not in stored]
        if workers is not None and fresh:
            rows = workers.submit(fresh, batch_id)
        else:
            built = self.maker(fresh, batch_id)
            rows = lambda: built  # noqa: E731
        return _Pending(batch_id, started, counts, len(chunk), len(items), rows)

    def _write(self, batch: _Pending, run_id: str) -> IngestCounts:
        """The batch's one transaction: re-check, link near-duplicates, insert."""
        counts = batch.counts
        try:
            rows = batch.rows()
            with self.store.engine.begin() as conn:
                # one writer at a time: concurrent ingesters of overlapping input neither
                # collide on the unique keys nor miss each other's near-duplicates
                lock_for_write(conn)
                stored = _stored_keys(conn, rows.keys)
                if stored:  # written by a concurrent ingester since ``_start`` looked
                    rows = rows.take([n for n, key in enumerate(rows.keys) if key not in stored])
                counts.duplicate += batch.n_items - len(rows)
                seqs = allocate_seqs(conn, len(rows))
                duplicate_of, keys = link_rows(conn, rows, seqs)
                counts.near_duplicate += len(duplicate_of) - duplicate_of.count(None)
                counts.unattributed += sum(rows.unattributed)
                counts.truncated += sum(rows.truncated)
                counts.stored += len(rows)
                conn.execute(insert(batches).values(
                    id=batch.batch_id, run_id=run_id, kind=self.options.kind,
                    files=list(self.options.files), counts={}, started_at=batch.started,
                    status="committed"))
                insert_tuples(conn, feedback, (*ROW_COLUMNS, "duplicate_of", "seq"),
                              [(*v, d, s) for v, d, s in zip(rows.values, duplicate_of, seqs)])
                insert_tuples(conn, near_keys, ("key", "item_seq"), keys)
                conn.execute(update(batches).where(batches.c.id == batch.batch_id).values(
                    counts=counts.as_dict(), finished_at=_now()))
        except Exception as exc:
            self._record_failure(batch.batch_id, run_id, batch.started, exc)
            raise
        return counts

    def _record_failure(self, batch_id: str, run_id: str, started: datetime,
                        exc: Exception) -> None:
        # the exception type only: messages of foreign exceptions may quote data
        try:
            with self.store.engine.begin() as conn:
                conn.execute(insert(batches).values(
                    id=batch_id, run_id=run_id, kind=self.options.kind,
                    files=list(self.options.files), counts={}, started_at=started,
                    finished_at=_now(), status="failed", error=type(exc).__name__))
        except Exception:  # noqa: BLE001 - the original error matters more
            log.warning("could not record the failed batch %s", batch_id)
