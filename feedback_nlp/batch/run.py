"""The batch job: partitions → ``map_partitions(classify_frame)`` → Parquet, on a Dask cluster."""
from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from feedback_nlp.batch.partitions import DEFAULT_BLOCKSIZE, empty_input, fit_blocksize, list_parts, read_part
from feedback_nlp.batch.predict import arrow_schema, classify_frame, empty_predictions
from feedback_nlp.errors import FeedbackNLPError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BatchResult:
    """What a batch run did."""

    partitions: int
    rows: int
    errors: int
    seconds: float
    workers: int
    output: Path


def _missing_dask() -> FeedbackNLPError:
    return FeedbackNLPError('classify-batch needs Dask: pip install "dask[dataframe]" distributed')


# The worker's statistical profiler samples every thread's stack each 10 ms, the GIL monitor
# every 1 ms, and the event loop wakes every 20 ms to check that it is not blocked: with a task
# that holds the GIL all the time (the classifier), each wake-up takes the GIL from it. Off or
# slower for the clusters this module starts (+4 % texts per worker CPU-second, measured by A/B
# runs of benchmarks/bench_scale.py's cluster); for an existing cluster set the same keys where its
# workers start (README, Scale).
QUIET_WORKERS = {"distributed.worker.profile.enabled": False, "distributed.admin.system-monitor.gil.enabled": False,
                 "distributed.admin.tick.interval": "1s", "distributed.admin.system-monitor.interval": "2s",
                 "distributed.worker.memory.monitor-interval": "500ms",
                 # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536 so that memory of data held
                 # between tasks goes back to the OS. Setting it turns off glibc's adaptive mmap
                 # threshold: every large NumPy temporary of a batch is then a fresh mmap, ~15 page
                 # faults a text. Our workers keep no data between tasks; unset, a worker needs
                 # 6 % less CPU per text (269 vs 285 µs, 3x fewer page faults; benchmarks/bench_scale.py).
                 "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None}


# Texts are classified from Python strings and written with an explicit Arrow schema: Dask's
# default conversion of every object column to pyarrow strings after reading a partition would be
# converted straight back (~2 % of a worker's time, measured with py-spy).
JOB_CONFIG = {"dataframe.convert-string": False}


@contextmanager
def dask_client(scheduler: str | None = None, workers: int = 2, memory_limit: str | None = "auto") -> Iterator:
    """A ``distributed.Client`` of ``scheduler``, or of a new LocalCluster of ``workers`` processes."""
    try:
        import dask
        from distributed import Client, LocalCluster
    except ImportError:
        raise _missing_dask() from None
    if scheduler:
        try:
            client = Client(scheduler, timeout="30s")
        except OSError as exc:
            raise FeedbackNLPError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
        with client:
            yield client
        return
    # One thread per process: the classifier is pure Python/NumPy and holds the GIL. ":0": the
    # scheduler's HTTP server starts even without a dashboard, and 8787 may be another cluster's.
    with dask.config.set(QUIET_WORKERS), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                         dashboard_address=":0", memory_limit=memory_limit) as cluster, Client(cluster) as client:
        yield client


def build_frame(input_spec: str | Path, model_path: str | Path | None = None, blocksize: int = DEFAULT_BLOCKSIZE):
    """The lazy Dask frame of predictions of every partition of ``input_spec``."""
    try:
        import dask
        import dask.dataframe as dd
    except ImportError:
        raise _missing_dask() from None
    parts = list_parts(input_spec, blocksize)
    model = None if model_path is None else str(Path(model_path).resolve())
    with dask.config.set(JOB_CONFIG):   # read at graph construction: computing later keeps it out
        frame = dd.from_map(read_part, parts, meta=empty_input(), label="read-texts", enforce_metadata=False)
        return frame.map_partitions(classify_frame, model, meta=empty_predictions()), len(parts)


def classify_batch(input_spec: str | Path, output: str | Path, *, scheduler: str | None = None, workers: int = 2,
                   model_path: str | Path | None = None, blocksize: int = DEFAULT_BLOCKSIZE,
                   client=None) -> BatchResult:
    """Classify every text of ``input_spec`` into Parquet files ``output/part-NNNNN.parquet``."""
    output = Path(output)
    list_parts(input_spec, blocksize)  # bad input fails before a cluster starts
    start = time.perf_counter()
    with _given(client) if client is not None else dask_client(scheduler, workers) as c:
        n_workers = len(c.scheduler_info(n_workers=-1)["workers"])
        frame, n_parts = build_frame(input_spec, model_path, fit_blocksize(input_spec, blocksize, n_workers))
        log.info("classifying %d partitions on %d workers (%s)", n_parts, n_workers, c.scheduler.address)
        frame.to_parquet(output, write_index=False, name_function=lambda i: f"part-{i:05d}.parquet",
                         schema=arrow_schema(), overwrite=False, compute=True)
    seconds = time.perf_counter() - start
    rows, errors = _count(output)
    return BatchResult(n_parts, rows, errors, seconds, n_workers, output)


@contextmanager
def _given(client):
    yield client


def _count(output: Path) -> tuple[int, int]:
    import pyarrow.parquet as pq

    rows = errors = 0
    for path in sorted(output.glob("part-*.parquet")):
        table = pq.read_table(path, columns=["error"])
        rows += table.num_rows
        errors += table.num_rows - table.column("error").null_count
    return rows, errors
