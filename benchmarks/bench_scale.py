"""Throughput of ``classify-batch`` on a 2-worker LocalCluster vs one process, and peak memory per worker.

    nice python benchmarks/bench_scale.py [--texts 1000000] [--workers 2] [--rows-per-part 10000]

Texts are corpus texts joined and cut to 300 characters, written to Parquet (one row group per
partition). The single process runs the same partition code (read, classify, write Parquet) in a
loop; the cluster runs ``classify_batch``. Both timings include loading the model; the cluster's
also includes starting it. Peak memory is each worker process's ``ru_maxrss``. With ``--texts``
below 1,000,000 the 1M figures are extrapolated from the measured rates, and the output says so.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarrow as pa  # noqa: E402
import pyarrow.parquet as pq  # noqa: E402

from feedback_nlp.batch import classify_batch, classify_frame, list_parts, read_part  # noqa: E402
from feedback_nlp.batch.predict import arrow_schema, worker_model  # noqa: E402
from feedback_nlp.batch.run import dask_client  # noqa: E402

TARGET_TEXTS = 1_000_000
TARGET_RATIO, TARGET_MB = 1.7, 1500


def corpus_pool() -> list[str]:
    pool = []
    for path in sorted((ROOT / "models" / "corpus" / "parts").glob("*.jsonl")):
        pool += [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return pool


def write_input(folder: Path, n: int, rows_per_part: int, length: int = 300, seed: int = 0) -> None:
    """``n`` texts of ``length`` characters into ``folder/texts.parquet``, ``rows_per_part`` a row group."""
    pool, rng = corpus_pool(), random.Random(seed)
    with pq.ParquetWriter(folder / "texts.parquet", pa.schema([("id", pa.string()), ("text", pa.string())])) as w:
        for first in range(0, n, rows_per_part):
            ids, texts = [], []
            for k in range(first, min(first + rows_per_part, n)):
                text = ""
                while len(text) < length:
                    text += rng.choice(pool) + " "
                ids.append(f"t{k}")
                texts.append(text[:length])
            w.write_table(pa.table({"id": ids, "text": texts}))


def run_single(input_dir: Path, output: Path) -> tuple[float, float, float]:
    """(seconds loading the model, seconds classifying every partition, CPU seconds of that) here."""
    output.mkdir()
    start = time.perf_counter()
    worker_model()
    loaded, cpu = time.perf_counter(), time.process_time()
    for k, part in enumerate(list_parts(input_dir)):
        frame = classify_frame(read_part(part))
        pq.write_table(pa.Table.from_pandas(frame, schema=arrow_schema(), preserve_index=False),
                       output / f"part-{k:05d}.parquet")
    return loaded - start, time.perf_counter() - loaded, time.process_time() - cpu


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def warm_worker() -> bool:
    worker_model()
    return True


def run_cluster(input_dir: Path, output: Path, workers: int) -> tuple[float, float, dict[str, float], float]:
    """(seconds starting the cluster and loading the model on every worker, seconds of the job, peak MB
    per worker, CPU seconds the workers spent on the job)."""
    start = time.perf_counter()
    with dask_client(None, workers=workers) as client:
        client.run(warm_worker)
        cpu_before = client.run(time.process_time)
        ready = time.perf_counter()
        result = classify_batch(input_dir, output, client=client)
        cpu = sum(client.run(time.process_time).values()) - sum(cpu_before.values())
        peaks = client.run(peak_rss_mb)
    return ready - start, result.seconds, peaks, cpu


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--texts", type=int, default=TARGET_TEXTS)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rows-per-part", type=int, default=10_000)
    parser.add_argument("--skip-single", action="store_true", help="only the cluster run")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        tmp = Path(tmp)
        (tmp / "in").mkdir()
        write_input(tmp / "in", args.texts, args.rows_per_part)
        print(f"load before: {os.getloadavg()[0]:.2f} (1-min average, {os.cpu_count()} CPUs)")
        fixed_c, job_c, peaks, cpu_c = run_cluster(tmp / "in", tmp / "out-cluster", args.workers)
        print(f"cluster ({args.workers} workers x 1 thread): start + model load {fixed_c:.1f} s, "
              f"job {job_c:.1f} s = {args.texts / job_c:,.0f} texts/s; "
              f"{args.texts / cpu_c:,.0f} texts per worker CPU-second")
        for address, mb in sorted(peaks.items()):
            print(f"  worker {address}: peak memory {mb:,.0f} MB (ru_maxrss)")
        single = None
        if not args.skip_single:
            single = run_single(tmp / "in", tmp / "out-single")
            print(f"single process: model load {single[0]:.1f} s, job {single[1]:.1f} s = "
                  f"{args.texts / single[1]:,.0f} texts/s; {args.texts / single[2]:,.0f} texts per CPU-second "
                  f"(peak {peak_rss_mb():,.0f} MB)")
        print(f"load after: {os.getloadavg()[0]:.2f}")
    peak = max(peaks.values())
    mem = f"peak per worker {peak:,.0f} MB (target < {TARGET_MB}: {'OK' if peak < TARGET_MB else 'MISSED'})"
    if single is None:
        print(mem)
        return 0
    measured = (single[0] + single[1]) / (fixed_c + job_c)
    print(f"measured on {args.texts:,} texts, start-up included: ratio {measured:.2f}x")
    # Wall-clock ratios depend on what else runs on the machine; CPU per text does not: a 2-worker
    # cluster on 2 idle cores approaches workers x this efficiency.
    efficiency = single[2] / cpu_c
    print(f"CPU efficiency of a worker vs the single process: {efficiency:.2f} -> on {args.workers} idle cores "
          f"expect about {args.workers * efficiency:.2f}x")
    # At 1M texts the fixed costs (cluster start, model loads) are paid once: scale the job times.
    scale = TARGET_TEXTS / args.texts
    t_cluster, t_single = fixed_c + job_c * scale, single[0] + single[1] * scale
    ratio = t_single / t_cluster
    how = "measured" if args.texts == TARGET_TEXTS else (
        f"EXTRAPOLATED from {args.texts:,} texts (fixed costs once + job time x {scale:,.0f})")
    print(f"1M texts ({how}): cluster {t_cluster / 60:.1f} min, single process {t_single / 60:.1f} min; "
          f"ratio {ratio:.2f}x (target >= {TARGET_RATIO}x: {'OK' if ratio >= TARGET_RATIO else 'MISSED'}); {mem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
