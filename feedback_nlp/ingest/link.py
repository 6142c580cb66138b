"""Linking new rows to the originals they copy (exact text or MinHash near-duplicate).

Runs inside the batch's write transaction: look-ups of the stored text hashes, LSH band keys
and signatures are batched ``IN (…)`` queries.
"""
from __future__ import annotations

from typing import Any

from feedback_nlp.dedup import THRESHOLD, Fingerprint, similarity
from feedback_nlp.ingest.rows import NewRow
from feedback_nlp.store.items import candidates_by_keys, originals_by_text_hash, signatures_of


def link_rows(conn: Any, rows: list[NewRow]) -> list[tuple[int, str]]:
    """Set ``duplicate_of`` of the rows that copy an original; the ``(key, item_id)`` to store."""
    prints = [r.fingerprint for r in rows]
    originals, taken_keys = find_originals(conn, prints)
    keys: list[tuple[int, str]] = []
    for n, r in enumerate(rows):
        duplicate_of = originals.get(n)
        if duplicate_of is not None:
            r.row["duplicate_of"] = duplicate_of
            continue
        # one item per band key: the first one represents it, so look-ups stay
        # O(1) even when thousands of templated texts share bands
        id_ = r.row["id"]
        for k in r.fingerprint.band_keys:
            if k not in taken_keys:
                taken_keys.add(k)
                keys.append((k, id_))
    resolve_batch_refs([r.row for r in rows])
    return keys


def find_originals(conn: Any, prints: list[Fingerprint]) -> tuple[dict[int, str], set[int]]:
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
            original = _near(fp, key_hits, stored_sigs, batch_keys, prints, ids_in_batch)
        ids_in_batch[n] = f"#{n}"
        if original is not None:
            result[n] = original
            continue
        batch_hash.setdefault(fp.text_hash, n)
        for k in fp.band_keys:
            batch_keys.setdefault(k, n)
    return result, set(key_hits)


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
