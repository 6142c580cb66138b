"""Row building in worker processes, so redaction and fingerprints use the other cores.

Workers are forked (Linux): they inherit the loaded NER model instead of loading it again, and
die with their parent (``PR_SET_PDEATHSIG``), so a killed ingest leaves no orphans. They never
touch the database: the parent reads, links and writes.
"""
from __future__ import annotations

import ctypes
import multiprocessing
import signal
import sys
from collections.abc import Callable
from multiprocessing.pool import AsyncResult, Pool
from typing import Any

from feedback_nlp.ingest.rows import PreparedRows, RowMaker
from feedback_nlp.schema import Feedback

PR_SET_PDEATHSIG = 1
_maker: RowMaker | None = None


def can_fork() -> bool:
    """Whether worker processes are available here (fork start method: Linux)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _init(maker: RowMaker, engine: Any) -> None:
    global _maker
    _maker = maker
    # the parent's pooled connections must never be used or closed from here
    engine.dispose(close=False)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux glibc
        pass


def _make_rows(items: list[Feedback], batch_id: str) -> PreparedRows:
    assert _maker is not None
    return _maker(items, batch_id)


class RowWorkers:
    """A pool of ``n`` forked row builders; ``submit`` returns a handle whose ``get`` waits."""

    def __init__(self, maker: RowMaker, engine: Any, n: int):
        self.pool: Pool = multiprocessing.get_context("fork").Pool(
            n, initializer=_init, initargs=(maker, engine))

    def submit(self, items: list[Feedback], batch_id: str) -> Callable[[], PreparedRows]:
        result: AsyncResult[PreparedRows] = self.pool.apply_async(_make_rows, (items, batch_id))
        return result.get

    def close(self, ok: bool) -> None:
        if ok:
            self.pool.close()
        else:
            self.pool.terminate()
        self.pool.join()
