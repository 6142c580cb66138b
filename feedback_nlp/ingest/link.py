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

from feedback_nlp.dedup import THRESHOLD, similarity
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
        stored_sigs = signatures_of(conn, sorted(set(key_hits.values()))) if key_hits else {}
        decide = _Decider(rows, seqs, by_hash, key_hits, stored_sigs)
        for n in eligible[suspect].tolist():
            duplicate_of[n] = decide(n, keys)
    return duplicate_of, keys


class _Decider:
    """Row-by-row linking of the rows that may copy another (call them in input order)."""

    def __init__(self, rows: PreparedRows, seqs: list[int], by_hash: dict[str, str],
                 key_hits: dict[int, int], stored_sigs: dict[int, tuple[str, bytes | None]]):
        self.rows, self.seqs = rows, seqs
        self.by_hash, self.key_hits, self.stored_sigs = by_hash, key_hits, stored_sigs
        self.batch_hash: dict[str, int] = {}    # text hash -> first original row with it
        self.batch_keys: dict[int, int] = {}    # band key -> first original row with it
        self.taken = set(key_hits)              # keys already represented

    def __call__(self, n: int, keys_out: list[tuple[int, int]]) -> str | None:
        """The id of the original row ``n`` copies, or None (then its new keys go to ``keys_out``)."""
        prints = self.rows.prints
        h = prints.text_hashes[n]
        band_keys = prints.band_keys[n].tolist()
        original = self.by_hash.get(h)
        if original is None and h in self.batch_hash:
            original = self.rows.ids[self.batch_hash[h]]
        if original is None:
            original = self._near(n, band_keys)
        if original is not None:
            return original
        self.batch_hash.setdefault(h, n)
        for k in band_keys:
            self.batch_keys.setdefault(k, n)
            if k not in self.taken:
                self.taken.add(k)
                keys_out.append((k, self.seqs[n]))
        return None

    def _near(self, n: int, band_keys: list[int]) -> str | None:
        signature = self.rows.prints.signatures[n]
        assert signature is not None
        for k in band_keys:
            seq = self.key_hits.get(k)
            if seq is not None:
                id_, stored = self.stored_sigs.get(seq, (None, None))
                if stored is not None and similarity(signature, stored) >= THRESHOLD:
                    return id_
        for k in band_keys:
            m = self.batch_keys.get(k)
            if m is not None:
                other = self.rows.prints.signatures[m]
                if other is not None and similarity(signature, other) >= THRESHOLD:
                    return self.rows.ids[m]
        return None
