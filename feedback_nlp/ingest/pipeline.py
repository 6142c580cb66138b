"""The ingest pipeline: collected items -> checks -> redact -> attribute -> dedup -> store.

Each batch of items is one database transaction together with its ``batches`` row: a crash or
kill in the middle leaves no half batch, and rerunning the same input stores only what is
missing (items already stored are counted as duplicates).

Nothing here logs item text or metadata: only counts and ids.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import insert, update

from feedback_nlp.attribution import Attributor
from feedback_nlp.dedup import THRESHOLD, Fingerprint, fingerprints, similarity
from feedback_nlp.ingest.checks import MAX_CHARS, author_key, check_item, clean_metadata
from feedback_nlp.privacy import Redactor, hash_author, redact_patterns
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.store import Store, store_salt
from feedback_nlp.store.items import (
    candidates_by_keys, existing_external_ids, insert_items, item_id, originals_by_text_hash,
    signatures_of,
)
from feedback_nlp.store.tables import batches

log = logging.getLogger(__name__)

DEFAULT_BATCH_SIZE = 1000


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


def _json_safe(value: dict[str, Any]) -> dict[str, Any]:
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


class Pipeline:
    """Stateful only in its tools (redactor, attributor, salt); ``run`` is one ingest."""

    def __init__(self, store: Store, redactor: Redactor | None, attributor: Attributor,
                 options: IngestOptions):
        self.store = store
        self.redactor = redactor if options.redact else None
        self.attributor = attributor
        self.options = options
        self.salt = options.salt or store_salt(store)

    def run(self, records: Iterable[Feedback | Reject],
            on_reject: Callable[[Reject], None] = lambda r: None,
            on_progress: Callable[[int], None] = lambda n: None) -> IngestCounts:
        """Ingest every record, batch by batch; returns the counts of the whole run."""
        total = IngestCounts()
        run_id = uuid.uuid4().hex
        for chunk in _chunks(records, self.options.batch_size):
            counts = self._batch(chunk, run_id, on_reject)
            total.add(counts)
            on_progress(len(chunk))
            log.info("batch %d committed: %s", total.batches, counts.summary())
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

    def _batch(self, chunk: list[Feedback | Reject], run_id: str,
               on_reject: Callable[[Reject], None]) -> IngestCounts:
        counts = IngestCounts(batches=1)
        batch_id = uuid.uuid4().hex
        started = _now()
        items = self._prepare(chunk, on_reject, counts)
        try:
            with self.store.engine.begin() as conn:
                by_source: dict[str, list[Feedback]] = {}
                for item in items:
                    by_source.setdefault(item.source, []).append(item)
                stored = {source: existing_external_ids(conn, source,
                                                        [i.external_id for i in group])
                          for source, group in by_source.items()}
                fresh: list[Feedback] = []
                for item in items:  # input order is the store's order
                    if item.external_id in stored[item.source]:
                        counts.duplicate += 1
                    else:
                        fresh.append(item)
                rows, keys = self._rows(conn, fresh, batch_id, counts)
                conn.execute(insert(batches).values(
                    id=batch_id, run_id=run_id, kind=self.options.kind,
                    files=list(self.options.files), counts={}, started_at=started,
                    status="committed"))
                insert_items(conn, rows, keys)
                conn.execute(update(batches).where(batches.c.id == batch_id).values(
                    counts=counts.as_dict(), finished_at=_now()))
        except Exception as exc:
            self._record_failure(batch_id, run_id, started, exc)
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

    def _rows(self, conn: Any, items: list[Feedback], batch_id: str,
              counts: IngestCounts) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        texts = [i.text for i in items]
        if self.redactor is not None:
            redacted = list(self.redactor.map(texts))
        else:
            redacted = None
        clean_texts = [r.text for r in redacted] if redacted is not None else texts
        prints = fingerprints(clean_texts)
        originals, taken_keys = self._find_originals(conn, prints)
        now = _now()
        rows: list[dict[str, Any]] = []
        keys: list[dict[str, Any]] = []
        for n, (item, text, fp) in enumerate(zip(items, clean_texts, prints)):
            id_ = item_id(item.source, item.external_id)
            where = self.attributor.attribute(
                text, item.metadata, item.source, item.region or self.options.region,
                item.center_id or self.options.center_id)
            author = author_key(item)
            duplicate_of = originals.get(n)
            if duplicate_of is not None:
                counts.near_duplicate += 1
            else:
                # one item per band key: the first one represents it, so look-ups stay
                # O(1) even when thousands of templated texts share bands
                for k in fp.band_keys:
                    if k not in taken_keys:
                        taken_keys.add(k)
                        keys.append({"key": k, "item_id": id_})
            if where.region is None:
                counts.unattributed += 1
            if "truncated" in item.flags:
                counts.truncated += 1
            metadata = _json_safe(clean_metadata(item.metadata, self.redactor is not None))
            rows.append({
                "id": id_, "source_kind": item.source_kind, "source": item.source,
                "external_id": item.external_id, "text": text,
                "raw_text": item.text if self.options.keep_raw_text else None,
                "text_hash": fp.text_hash, "signature": fp.signature,
                "created_at": item.created_at,
                "url": redact_patterns(item.url) if item.url and self.redactor else item.url,
                "author_hash": hash_author(author, self.salt) if author else None,
                "rating": item.rating, "region": where.region, "center_id": where.center_id,
                "attribution": where.method, "language": item.language or "ru",
                "metadata": metadata, "flags": list(item.flags),
                "pii": redacted[n].counts if redacted is not None else {},
                "batch_id": batch_id, "duplicate_of": duplicate_of, "ingested_at": now,
            })
        resolve_batch_refs(rows)
        counts.stored += len(rows)
        return rows, keys

    def _find_originals(self, conn: Any, prints: list[Fingerprint]
                        ) -> tuple[dict[int, str], set[int]]:
        """Index in batch -> id of the stored or earlier-in-batch original it copies."""
        ids_in_batch: dict[int, str] = {}
        eligible = [n for n, fp in enumerate(prints) if fp.signature is not None]
        by_hash = originals_by_text_hash(conn, [prints[n].text_hash for n in eligible])
        key_hits = candidates_by_keys(conn, [k for n in eligible for k in prints[n].band_keys])
        candidate_ids = {i for ids in key_hits.values() for i in ids}
        stored_sigs = signatures_of(conn, sorted(candidate_ids)) if candidate_ids else {}
        batch_hash: dict[str, int] = {}
        batch_keys: dict[int, int] = {}
        result: dict[int, str] = {}
        for n in eligible:
            fp = prints[n]
            original = by_hash.get(fp.text_hash)
            if original is None and fp.text_hash in batch_hash:
                original = ids_in_batch[batch_hash[fp.text_hash]]
            if original is None:
                original = self._near(fp, key_hits, stored_sigs, batch_keys, prints,
                                      ids_in_batch)
            ids_in_batch[n] = f"#{n}"
            if original is not None:
                result[n] = original
                continue
            batch_hash.setdefault(fp.text_hash, n)
            for k in fp.band_keys:
                batch_keys.setdefault(k, n)
        return result, set(key_hits)

    @staticmethod
    def _near(fp: Fingerprint, key_hits: dict[int, list[str]], stored_sigs: dict[str, bytes],
              batch_keys: dict[int, int], prints: list[Fingerprint],
              ids_in_batch: dict[int, str]) -> str | None:
        assert fp.signature is not None
        for k in fp.band_keys:
            for cand in key_hits.get(k, ()):
                sig = stored_sigs.get(cand)
                if sig is not None and similarity(fp.signature, sig) >= THRESHOLD:
                    return cand
        for k in fp.band_keys:
            m = batch_keys.get(k)
            if m is not None:
                other = prints[m].signature
                if other is not None and similarity(fp.signature, other) >= THRESHOLD:
                    return ids_in_batch[m]
        return None


def resolve_batch_refs(rows: list[dict[str, Any]]) -> None:
    """Replace in-batch references ``#n`` by the ids of the rows they point to."""
    for row in rows:
        ref = row["duplicate_of"]
        if isinstance(ref, str) and ref.startswith("#"):
            row["duplicate_of"] = rows[int(ref[1:])]["id"]
