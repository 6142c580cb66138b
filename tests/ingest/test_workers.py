"""Rows built in forked worker processes give exactly the store of a single-process run."""
import json

import pytest
from sqlalchemy import select

from feedback_nlp.attribution import Attributor
from feedback_nlp.ingest import IngestOptions, Pipeline
from feedback_nlp.ingest.workers import can_fork
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.store import open_store
from feedback_nlp.store.tables import feedback, near_keys
from tests.conftest import BACKENDS, backend_url

VOLATILE = ("seq", "batch_id", "ingested_at")


def records():
    for i in range(600):
        if i % 97 == 0:
            yield Reject("test", i, "malformed JSON", "")
            continue
        n = i // 3 if i % 5 == 0 else i  # every fifth item copies an earlier text
        yield Feedback("social", "vk:-1", str(i % 560),  # ids 0-39 come twice
                       f"Отзыв {n}: в ЦЗН в Твери инспектор Иванова помогла, звонила на "
                       f"8 (4822) 55-12-{n % 100:02d}, очередь {n * 7} минут, спасибо")


def contents(store):
    columns = [c for c in feedback.c if c.name not in VOLATILE]
    with store.engine.connect() as conn:
        rows = [tuple(json.dumps(v, sort_keys=True, default=str) for v in r)
                for r in conn.execute(select(*columns).order_by(feedback.c.seq))]
        keys = sorted(conn.execute(select(near_keys.c.key, feedback.c.id).join(
            feedback, feedback.c.seq == near_keys.c.item_seq)).all())
    return rows, keys


@pytest.mark.skipif(not can_fork(), reason="worker processes need the fork start method (Linux)")
@pytest.mark.parametrize("backend", BACKENDS)
def test_worker_processes_store_exactly_what_one_process_stores(backend, tmp_path, redactor):
    # workers hand back rows already in the driver's terms: they must pickle on each backend
    results = []
    for workers in (0, 2):
        (tmp_path / str(workers)).mkdir()
        urls = backend_url(backend, tmp_path / str(workers))
        store = open_store(next(urls))
        options = IngestOptions(salt="s", batch_size=100, workers=workers)
        counts = Pipeline(store, redactor, Attributor(), options).run(records())
        results.append((counts.as_dict(), contents(store)))
        store.close()
        next(urls, None)  # drops the PostgreSQL database
    (counts0, contents0), (counts2, contents2) = results
    assert counts0 == counts2
    distinct = {i % 560 for i in range(600) if i % 97}
    assert counts0["stored"] == len(distinct) and counts0["near_duplicate"] > 0
    assert contents0 == contents2
