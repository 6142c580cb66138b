"""Linking new rows to the originals they copy (exact text or MinHash near-duplicate).

Runs inside the batch's write transaction: look-ups of the stored text hashes, LSH band keys
and signatures are batched ``IN (…)`` queries.

Most rows copy nothing: their text hash is new and none of their band keys is stored or shared
with another row of the batch. Those are found with array operations over the whole batch and
are originals with all their keys; only the rest go through the row-by-row decision, in input
order, which gives exactly what deciding every row in turn would.
"""
from __future__ import annotations

from typing import Any

import numpy as np

from feedback_nlp.dedup import NUM_PERM, THRESHOLD, similarity
from feedback_nlp.ingest.rows import PreparedRows
from feedback_nlp.store.items import candidates_by_keys, originals_by_text_hash, signatures_of


def link_rows(conn: Any, rows: PreparedRows,
              seqs: list[int]) -> tuple[list[str | None], list[tuple[int, int]]]:
    """``duplicate_of`` of each row (None: an original) and the ``(key, item_seq)`` to store.

    A band key is stored once: the first original that has it represents it, so look-ups stay
    O(1) even when thousands of templated texts share bands.
    """
    prints = rows.prints
    duplicate_of: list[str | None] = [None] * len(rows)
    eligible = np.flatnonzero([sig is not None for sig in prints.signatures])
    if not len(eligible):
        return duplicate_of, []
    band_keys = prints.band_keys[eligible]
    unique_keys, inverse, counts = np.unique(band_keys.ravel(), return_inverse=True,
                                             return_counts=True)
    hashes = [prints.text_hashes[n] for n in eligible]
    by_hash = originals_by_text_hash(conn, hashes)
    key_hits = candidates_by_keys(conn, unique_keys.tolist())

    suspect = (counts[inverse.ravel()] > 1).reshape(band_keys.shape)
    if key_hits:
        suspect |= np.isin(band_keys, np.fromiter(key_hits, np.int64, len(key_hits)))
    suspect = suspect.any(axis=1)
    # exact copies share every band key, so they are suspects already, except copies of an
    # original stored without its keys (rows written by other tools)
    for j, h in enumerate(hashes):
        if h in by_hash:
            suspect[j] = True

    clear = ~suspect
    seq_array = np.asarray(seqs, dtype=np.int64)
    keys = list(zip(band_keys[clear].ravel().tolist(),
                    np.repeat(seq_array[eligible[clear]], band_keys.shape[1]).tolist()))
    if suspect.any():
        suspects = eligible[suspect]
        similar = _similar_stored(conn, rows, suspects, key_hits) if key_hits else {}
        decide = _Decider(rows, seqs, by_hash, similar, set(key_hits))
        for n in suspects.tolist():
            duplicate_of[n] = decide(n, keys)
    return duplicate_of, keys


def _similar_stored(conn: Any, rows: PreparedRows, suspects: np.ndarray,
                    key_hits: dict[int, int]) -> dict[int, str]:
    """Row -> id of the first stored item, in band order, that shares a band key with it and
    whose signature is similar enough. Independent of the other rows, so computed for all
    suspects at once: one signature comparison per (row, band) in a single array operation."""
    hit_keys = np.fromiter(key_hits, np.int64, len(key_hits))
    hit_seqs = np.fromiter(key_hits.values(), np.int64, len(key_hits))
    order = np.argsort(hit_keys)
    hit_keys, hit_seqs = hit_keys[order], hit_seqs[order]
    band_keys = rows.prints.band_keys[suspects]
    at = np.minimum(np.searchsorted(hit_keys, band_keys), len(hit_keys) - 1)
    shares = hit_keys[at] == band_keys
    stored = signatures_of(conn, np.unique(hit_seqs[at[shares]]).tolist())
    stored_seqs = np.array(sorted(stored), dtype=np.int64)
    ids = [stored[seq][0] for seq in stored_seqs.tolist()]
    # signatures of candidates without one (never written by ingest) compare as all-different
    empty = bytes(4 * NUM_PERM)
    stored_sigs = np.frombuffer(b"".join(stored[seq][1] or empty for seq in stored_seqs.tolist()),
                                np.uint32).reshape(len(stored_seqs), NUM_PERM)
    has_sig = np.array([stored[seq][1] is not None for seq in stored_seqs.tolist()], dtype=bool)
    cand = np.searchsorted(stored_seqs, hit_seqs[at])
    cand = np.minimum(cand, len(stored_seqs) - 1)
    own = np.frombuffer(b"".join(rows.prints.signatures[n] for n in suspects.tolist()),
                        np.uint32).reshape(len(suspects), NUM_PERM)
    same = (own[:, None, :] == stored_sigs[cand]).sum(axis=2)
    match = shares & has_sig[cand] & (same / NUM_PERM >= THRESHOLD)
    first = match.argmax(axis=1)
    return {n: ids[cand[j, first[j]]] for j, n in enumerate(suspects.tolist()) if match[j].any()}


class _Decider:
    """Row-by-row linking of the rows that may copy another (call them in input order)."""

    def __init__(self, rows: PreparedRows, seqs: list[int], by_hash: dict[str, str],
                 similar_stored: dict[int, str], taken: set[int]):
        self.rows, self.seqs = rows, seqs
        self.by_hash, self.similar_stored = by_hash, similar_stored
        self.batch_hash: dict[str, int] = {}    # text hash -> first original row with it
        self.batch_keys: dict[int, int] = {}    # band key -> first original row with it
        self.taken = taken                      # keys already represented

    def __call__(self, n: int, keys_out: list[tuple[int, int]]) -> str | None:
        """The id of the original row ``n`` copies, or None (then its new keys go to ``keys_out``)."""
        prints = self.rows.prints
        h = prints.text_hashes[n]
        band_keys = prints.band_keys[n].tolist()
        original = self.by_hash.get(h)
        if original is None and h in self.batch_hash:
            original = self.rows.ids[self.batch_hash[h]]
        if original is None:
            original = self.similar_stored.get(n)
        if original is None:
            original = self._near_in_batch(n, band_keys)
        if original is not None:
            return original
        self.batch_hash.setdefault(h, n)
        for k in band_keys:
            self.batch_keys.setdefault(k, n)
            if k not in self.taken:
                self.taken.add(k)
                keys_out.append((k, self.seqs[n]))
        return None

    def _near_in_batch(self, n: int, band_keys: list[int]) -> str | None:
        signatures = self.rows.prints.signatures
        signature = signatures[n]
        assert signature is not None
        for k in band_keys:
            m = self.batch_keys.get(k)
            if m is not None:
                other = signatures[m]
                if other is not None and similarity(signature, other) >= THRESHOLD:
                    return self.rows.ids[m]
        return None
