"""Concurrency and faults against real databases (SQLite, and PostgreSQL when configured).

Four ingest processes on overlapping files; a SIGKILL in the middle of a run, then a rerun;
the database going away under the CLI. Each starts real ``feedback-nlp ingest`` processes.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from feedback_nlp.ingest import IngestOptions, ingest_paths
from feedback_nlp.store import open_store
from feedback_nlp.store.tables import batches, feedback, near_keys
from tests.conftest import BACKENDS, backend_url, pg_base_url

ROOT = Path(__file__).resolve().parents[2]
VOLATILE = ("seq", "batch_id", "ingested_at")   # differ between any two runs
SALT = "fault-tests"
TOPICS = ["очередь", "пособие", "резюме", "вакансии", "курсы", "инспектор", "сайт", "запись"]


@pytest.fixture(params=BACKENDS)
def url(request, tmp_path):
    yield from backend_url(request.param, tmp_path)


def text_of(n: int) -> str:
    """A distinct text per ``n`` (never near-duplicates of another ``n``)."""
    words = " ".join(f"{TOPICS[(n >> k) % 8]}{(n * 7919 + k) % 1000}" for k in range(8))
    return f"Отзыв номер {n} о ЦЗН в Твери: {words}"


def write_file(path: Path, ids: range, copies: dict[int, int] | None = None) -> None:
    """JSONL of items ``ids``; ``copies`` maps an id to the text number it repeats."""
    with path.open("w", encoding="utf-8") as f:
        for i in ids:
            n = (copies or {}).get(i, i)
            f.write(json.dumps({"id": str(i), "text": text_of(n)}, ensure_ascii=False) + "\n")


def ingest_argv(url: str, *paths: Path, batch: int = 200) -> list[str]:
    return [sys.executable, "-m", "feedback_nlp.cli", "ingest", "generic", *map(str, paths),
            "--db", url, "--no-redact", "--batch-size", str(batch), "--workers", "0"]


def env() -> dict[str, str]:
    return {**os.environ, "FEEDBACK_NLP_SALT": SALT, "PYTHONPATH": str(ROOT)}


def parse_counts(stdout: str) -> dict[str, int]:
    """``read 10 · stored 8 · …`` -> {"read": 10, "stored": 8, …}."""
    line = stdout.strip().splitlines()[-1]
    return {name: int(n) for name, n in (p.rsplit(" ", 1) for p in line.split(" · "))}


def table_contents(url: str) -> tuple[list[tuple], list[tuple]]:
    """Every feedback row (without run-specific columns) and every LSH key, sorted."""
    store = open_store(url)
    columns = [c for c in feedback.c if c.name not in VOLATILE]
    with store.engine.connect() as conn:
        rows = sorted(tuple(json.dumps(v, sort_keys=True, default=str) for v in r)
                      for r in conn.execute(select(*columns)))
        keys = sorted(tuple(r) for r in conn.execute(select(near_keys.c.key, feedback.c.id)
                                                     .join(feedback, feedback.c.seq
                                                           == near_keys.c.item_seq)))
    store.close()
    return rows, keys


def committed_batches(url: str) -> int:
    store = open_store(url)
    try:
        with store.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(batches)
                                .where(batches.c.status == "committed")).scalar_one()
    finally:
        store.close()


def wait_for_batches(url: str, proc: subprocess.Popen, n: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while committed_batches(url) < n:
        assert proc.poll() is None, "the ingest ended before it could be interrupted"
        assert time.monotonic() < deadline, "no batch committed in time"
        time.sleep(0.05)


@pytest.mark.slow
def test_four_concurrent_ingesters_store_every_item_once(url, tmp_path):
    # six files of 600 items; process k ingests files k, k+1, k+2 (mod 6): every file by three
    # processes at once. Files 3-5 repeat texts of files 0-2 under their own ids (copies
    # across sources), which must be linked as duplicates, not stored as originals.
    files = []
    for f in range(6):
        path = tmp_path / f"part{f}.jsonl"
        ids = range(f * 600, (f + 1) * 600)
        write_file(path, ids, {i: i - 1800 for i in ids if f >= 3 and i % 3 == 0})
        files.append(path)
    open_store(url).close()  # migrate once, before the race
    procs = [subprocess.Popen(ingest_argv(url, *(files[(k + j) % 6] for j in range(3))),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env())
             for k in range(4)]
    outputs = [p.communicate(timeout=600) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0, 0], [err for _, err in outputs]
    counts = [parse_counts(out) for out, _ in outputs]

    total_items = 6 * 600
    copies = sum(1 for i in range(1800, 3600) if i % 3 == 0)
    assert sum(c["read"] for c in counts) == 4 * 3 * 600
    assert sum(c["stored"] for c in counts) == total_items          # nothing lost …
    assert sum(c["duplicate"] for c in counts) == 4 * 3 * 600 - total_items  # … nor doubled
    assert sum(c["near-duplicate"] for c in counts) == copies
    store = open_store(url)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(feedback)).scalar_one() == total_items
        pairs = Counter(conn.execute(select(feedback.c.source, feedback.c.external_id)).all())
        assert len(pairs) == total_items and max(pairs.values()) == 1
        originals = conn.execute(select(func.count()).select_from(feedback)
                                 .where(feedback.c.duplicate_of.is_(None))).scalar_one()
        assert originals == total_items - copies
        keys = Counter(k for (k,) in conn.execute(select(near_keys.c.key)))
        assert max(keys.values()) == 1   # one item per LSH band key, even across processes
    store.close()


@pytest.mark.slow
def test_sigkill_mid_run_then_rerun_equals_one_clean_run(url, tmp_path):
    data = tmp_path / "big.jsonl"
    write_file(data, range(6_000), {i: i // 2 for i in range(6_000) if i % 10 == 5})
    proc = subprocess.Popen(ingest_argv(url, data, batch=300), stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env())
    wait_for_batches(url, proc, 2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    assert committed_batches(url) < 20  # it was stopped before the end
    subprocess.run(ingest_argv(url, data, batch=300), check=True, capture_output=True, env=env())

    clean = open_store_url_like(url, tmp_path)  # the same ingest, in this process, clean
    store = open_store(clean)
    ingest_paths(store, "generic", [data],
                 options=IngestOptions(redact=False, batch_size=300, salt=SALT))
    store.close()
    rows, keys = table_contents(url)
    clean_rows, clean_keys = table_contents(clean)
    assert len(rows) == 6_000
    assert rows == clean_rows
    assert keys == clean_keys


def open_store_url_like(url: str, tmp_path: Path) -> str:
    """A second fresh store on the same backend as ``url``."""
    if url.startswith("sqlite"):
        return f"sqlite:///{tmp_path / 'clean.db'}"
    gen = backend_url("postgresql", tmp_path)
    clean = next(gen)
    open_store_url_like.cleanup.append(gen)  # type: ignore[attr-defined]
    return clean


open_store_url_like.cleanup = []  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _drop_extra_databases():
    yield
    while open_store_url_like.cleanup:  # type: ignore[attr-defined]
        gen = open_store_url_like.cleanup.pop()  # type: ignore[attr-defined]
        next(gen, None)


def corrupt(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if p.exists():
            with p.open("r+b") as f:
                f.write(b"not a database!!" * 4096)


@pytest.mark.slow
@pytest.mark.parametrize("backend", BACKENDS)
def test_cli_exits_1_with_a_clear_message_when_the_database_goes_away(backend, tmp_path):
    data = tmp_path / "big.jsonl"
    write_file(data, range(100_000))
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'gone.db'}"
        cluster = None
    else:
        if pg_base_url() is None:
            pytest.skip("PostgreSQL variant: set FEEDBACK_NLP_TEST_PG_URL "
                        "(eval \"$(scripts/pg-test-cluster.sh start)\")")
        # a cluster of its own, which this test stops (in a directory the server user can reach)
        out = subprocess.run([str(ROOT / "scripts" / "pg-test-cluster.sh"), "start"],
                             check=True, capture_output=True, text=True).stdout
        url = out.split("FEEDBACK_NLP_TEST_PG_URL=", 1)[1].split()[0]
        cluster = Path(out.split("FEEDBACK_NLP_TEST_PG_DIR=", 1)[1].split()[0])
    try:
        proc = subprocess.Popen(ingest_argv(url, data, batch=500), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env())
        wait_for_batches(url, proc, 1)
        if cluster is None:
            corrupt(tmp_path / "gone.db")
        else:
            subprocess.run([str(ROOT / "scripts" / "pg-test-cluster.sh"), "stop", str(cluster)],
                           check=True)
        out, err = proc.communicate(timeout=120)
    finally:
        if cluster is not None:
            subprocess.run([str(ROOT / "scripts" / "pg-test-cluster.sh"), "stop", str(cluster)],
                           check=False)
    assert proc.returncode == 1, err
    assert "Traceback" not in err
    message = err.strip().splitlines()[-1]
    assert message.startswith("error: the store ") and "is unavailable or failed" in message
    assert "rerun the same command" in message
    assert "Отзыв" not in err  # no stored text in the message
