"""Linking a batch with array operations gives what deciding each row in turn gives."""
import random
from datetime import datetime, timezone

from feedback_nlp.attribution import Attributor
from feedback_nlp.dedup import THRESHOLD, similarity
from feedback_nlp.ingest import IngestOptions, Pipeline
from feedback_nlp.ingest.link import link_rows
from feedback_nlp.ingest.rows import RowMaker, row_encoder
from feedback_nlp.schema import Feedback
from feedback_nlp.store.items import (
    allocate_seqs, candidates_by_keys, insert_items, lock_for_write, originals_by_text_hash,
    signatures_of,
)

PHRASES = ["очередь два часа", "консультант помогла с резюме", "пособие задерживают",
           "сайт не работает", "никто не берёт трубку", "вакансии только курьеры",
           "в зале душно", "документы потеряли", "спасибо за помощь"]


def texts(rnd: random.Random, n: int) -> list[str]:
    """Texts of few phrases (many share LSH bands), with exact and near copies among them."""
    out: list[str] = []
    for i in range(n):
        if out and i % 7 == 0:
            out.append(rnd.choice(out))                                # exact copy
        elif out and i % 5 == 0:
            out.append(rnd.choice(out) + " " + rnd.choice(PHRASES))   # near copy
        elif i % 11 == 0:
            out.append("Спасибо большое!")                             # too short to link
        else:
            out.append(". ".join(rnd.choice(PHRASES) for _ in range(4)))
    return out


def one_by_one(conn, rows, seqs):
    """The decision row by row, as ingest made it before it was vectorised."""
    p = rows.prints
    eligible = [n for n, s in enumerate(p.signatures) if s is not None]
    keys_of = {n: p.band_keys[n].tolist() for n in eligible}
    by_hash = originals_by_text_hash(conn, [p.text_hashes[n] for n in eligible])
    key_hits = candidates_by_keys(conn, sorted({k for n in eligible for k in keys_of[n]}))
    stored = signatures_of(conn, sorted(set(key_hits.values())))
    batch_hash, batch_keys, taken = {}, {}, set(key_hits)
    duplicate_of, keys = [None] * len(rows), []
    for n in eligible:
        h, sig = p.text_hashes[n], p.signatures[n]
        original = by_hash.get(h) or (rows.ids[batch_hash[h]] if h in batch_hash else None)
        for k in keys_of[n] if original is None else ():
            if k in key_hits and similarity(sig, stored[key_hits[k]][1]) >= THRESHOLD:
                original = stored[key_hits[k]][0]
                break
        for k in keys_of[n] if original is None else ():
            m = batch_keys.get(k)
            if m is not None and similarity(sig, p.signatures[m]) >= THRESHOLD:
                original = rows.ids[m]
                break
        if original is not None:
            duplicate_of[n] = original
            continue
        batch_hash.setdefault(h, n)
        for k in keys_of[n]:
            batch_keys.setdefault(k, n)
            if k not in taken:
                taken.add(k)
                keys.append((k, seqs[n]))
    return duplicate_of, keys


def test_vectorised_linking_equals_the_row_by_row_decision(store):
    rnd = random.Random(5)
    stored_texts = texts(rnd, 300)
    options = IngestOptions(redact=False, salt="s", batch_size=100)
    Pipeline(store, None, Attributor(), options).run(
        Feedback("social", "vk:-1", str(i), t) for i, t in enumerate(stored_texts))
    # the new batch repeats some stored texts too
    batch = texts(rnd, 400) + [rnd.choice(stored_texts) for _ in range(40)]
    maker = RowMaker(None, Attributor(), "s", row_encoder(store.engine.dialect))
    rows = maker([Feedback("social", "tg:x", str(i), t) for i, t in enumerate(batch)], "b")
    with store.engine.begin() as conn:
        lock_for_write(conn)
        seqs = allocate_seqs(conn, len(rows))
        duplicate_of, keys = link_rows(conn, rows, seqs)
        expected_duplicate_of, expected_keys = one_by_one(conn, rows, seqs)
        stored_ids = {i for (i,) in conn.exec_driver_sql("SELECT id FROM feedback")}
    assert duplicate_of == expected_duplicate_of
    assert sorted(keys) == sorted(expected_keys)
    assert len({k for k, _ in keys}) == len(keys)            # one row per key
    # the batch exercised every path: copies of stored and of in-batch rows, and originals
    linked = [d for d in duplicate_of if d is not None]
    assert sum(d in stored_ids for d in linked) >= 40
    assert sum(d in rows.ids for d in linked) >= 50
    assert duplicate_of.count(None) >= 100 and len(keys) > 0


def test_a_copy_of_an_original_stored_without_keys_is_linked_by_its_text(store):
    text = "в ЦЗН Твери очередь два часа, консультант помогла с резюме, спасибо"
    maker = RowMaker(None, Attributor(), "s", row_encoder(store.engine.dialect))
    first = maker([Feedback("social", "vk:-1", "1", text)], "b")
    with store.engine.begin() as conn:   # as a tool other than ingest would write it
        insert_items(conn, [{"id": first.ids[0], "source_kind": "social", "source": "vk:-1",
                             "external_id": "1", "text": text,
                             "text_hash": first.prints.text_hashes[0],
                             "signature": first.prints.signatures[0], "language": "ru",
                             "metadata": {}, "flags": [], "pii": {},
                             "ingested_at": datetime.now(timezone.utc)}], [])
    copy = maker([Feedback("media", "rss:x", "2", text.upper())], "b")
    with store.engine.begin() as conn:
        lock_for_write(conn)
        duplicate_of, keys = link_rows(conn, copy, allocate_seqs(conn, 1))
    assert duplicate_of == [first.ids[0]] and keys == []
