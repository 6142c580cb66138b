"""Four concurrent ingesters into one PostgreSQL store (issue 7: ≥ 3,000 items/s in total).

    python benchmarks/bench_scale_ingest.py                     # a throwaway cluster is started
    python benchmarks/bench_scale_ingest.py --db postgresql://…  # an existing server (a fresh
                                                                # database is created on it)

Each ingester is a process with its own engine, ingesting its own file-worth of synthetic
300-character posts (``bench_ingest.py``'s generator) without redaction, in batches of 1000;
a quarter of each process's items are also ingested by another process (overlap), so the
one-writer-at-a-time batch transactions and the duplicate checks are exercised. Posts are
generated before the clock starts; the figure is all records read / wall time from the common
start to the last finish. ``FEEDBACK_NLP_TEST_PG_URL`` is used when set and ``--db`` is not.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_ingest import make_post  # noqa: E402

SCRIPT = ROOT / "scripts" / "pg-test-cluster.sh"


def _ingester(url: str, k: int, n: int, overlap: int, barrier, out) -> None:  # type: ignore[no-untyped-def]
    import random

    from feedback_nlp.attribution import Attributor
    from feedback_nlp.ingest import IngestOptions, Pipeline
    from feedback_nlp.schema import Feedback
    from feedback_nlp.store import open_store

    rnd = random.Random(k)
    ids = list(range(k * n, (k + 1) * n)) + list(range((k + 1) % 4 * n, (k + 1) % 4 * n + overlap))
    records = [Feedback("social", "bench:scale", str(i), make_post(rnd, i)) for i in ids]
    store = open_store(url)
    pipeline = Pipeline(store, None, Attributor(),
                        IngestOptions(redact=False, salt="scale", batch_size=1000))
    barrier.wait()
    started = time.time()
    counts = pipeline.run(records)
    out.put((k, started, time.time(), counts.as_dict()))
    store.close()


def _server_cpu() -> float:
    """CPU seconds so far of the local PostgreSQL server processes (user ``postgres``)."""
    import psutil

    total = 0.0
    for p in psutil.process_iter(["username", "cpu_times"]):
        if p.info["username"] == "postgres" and p.info["cpu_times"] is not None:
            total += p.info["cpu_times"].user + p.info["cpu_times"].system
    return total


def _children_cpu() -> float:
    import resource

    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def _fresh_database(base: str) -> str:
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(base).set(drivername="postgresql")
    name = f"fnlp_bench_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(admin.render_as_string(hide_password=False), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(database=name).render_as_string(hide_password=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="PostgreSQL server URL (default $FEEDBACK_NLP_TEST_PG_URL, "
                        "else a throwaway cluster)")
    parser.add_argument("--items", type=int, default=25_000, help="items per ingester")
    parser.add_argument("--processes", type=int, default=4)
    args = parser.parse_args()
    base = args.db or os.environ.get("FEEDBACK_NLP_TEST_PG_URL")
    cluster = None
    if not base:
        lines = subprocess.run([str(SCRIPT), "start"], check=True, capture_output=True,
                               text=True).stdout
        env = dict(line.removeprefix("export ").split("=", 1) for line in lines.splitlines())
        base, cluster = env["FEEDBACK_NLP_TEST_PG_URL"], env["FEEDBACK_NLP_TEST_PG_DIR"]
    try:
        url = _fresh_database(base)
        from feedback_nlp.store import count_items, open_store

        open_store(url).close()  # migrate before the race
        ctx = multiprocessing.get_context("fork")
        barrier, out = ctx.Barrier(args.processes), ctx.Queue()
        overlap = args.items // 4
        procs = [ctx.Process(target=_ingester, args=(url, k, args.items, overlap, barrier, out))
                 for k in range(args.processes)]
        server0, own0 = _server_cpu(), _children_cpu()
        for p in procs:
            p.start()
        results = [out.get() for _ in procs]
        for p in procs:
            p.join()
        cpu = _server_cpu() - server0 + _children_cpu() - own0
        start = min(r[1] for r in results)
        end = max(r[2] for r in results)
        read = sum(r[3]["read"] for r in results)
        stored = sum(r[3]["stored"] for r in results)
        store = open_store(url)
        in_store = count_items(store)
        store.close()
        print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
        print(f"{args.processes} concurrent ingesters into PostgreSQL, no redaction: "
              f"{read / (end - start):,.0f} items/s in total ({read:,} records, "
              f"{stored:,} stored = {in_store:,} in the store, {end - start:,.1f} s)  "
              f"target ≥ 3,000")
        print(f"  cost: {read / cpu:,.0f} items per CPU-second of ingesters and server together "
              f"(includes generating the posts); {os.cpu_count()} free cores would give about "
              f"{(os.cpu_count() or 1) * read / cpu:,.0f} items/s")
        assert stored == in_store == args.processes * args.items, (stored, in_store)
    finally:
        if cluster:
            subprocess.run([str(SCRIPT), "stop", cluster], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
