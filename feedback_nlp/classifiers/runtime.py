"""Process settings held while a prediction batch runs: no cyclic garbage collection and one
BLAS thread.

Why the collector: a batch allocates hundreds of thousands of short-lived containers (tokens,
hits, matrices' wrappers) that die by reference counting, yet their allocation count triggers
collections, and every full collection walks all ~200k objects of the loaded libraries
(pymorphy3, spaCy, natasha). Measured on the benchmark texts: ~25 % of the CPU time of a batch.
Cyclic garbage made during a batch is bounded by the batch size and collected right after.

Why one BLAS thread: the dense products of a batch are small (a few thousand rows × 300), so a
second OpenBLAS thread brings no wall-clock gain but spins on the other core: the process's CPU
time per text halved with one thread at equal wall-clock throughput (2 cores, loaded machine).

After loading a model a process should also ``freeze_long_lived``: the model, pymorphy3's
dictionaries and the caches are millions of objects that every full collection walks. Turning
predictions into JSON dicts outside a batch allocates enough containers to trigger such
collections: measured, ``Prediction.to_dict`` cost 25 µs a text with the loaded model in the
collector's sight, 11 µs after ``gc.freeze()`` and 9 µs with the collector off.

Both settings are process-wide. Batches running concurrently in several threads share one
counter, so the settings are restored when the last of them ends; meanwhile other threads'
numpy code also runs with one BLAS thread and no cyclic collection.
"""
from __future__ import annotations

import functools
import gc
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

_lock = threading.Lock()
_depth = 0
_saved: tuple[bool, list[int]] | None = None
_blas = None

T = TypeVar("T")


def _blas_controllers() -> list:
    global _blas
    if _blas is None:
        try:
            from threadpoolctl import ThreadpoolController

            _blas = ThreadpoolController().select(user_api="blas").lib_controllers
        except Exception:   # threadpoolctl missing or unable to inspect the libraries: leave BLAS alone
            _blas = []
    return _blas


@contextmanager
def batch_settings() -> Iterator[None]:
    """Collector off and one BLAS thread while the block runs (re-entrant, thread-safe)."""
    global _depth, _saved
    with _lock:
        if _depth == 0:
            enabled = gc.isenabled()
            gc.disable()
            threads = []
            for lib in _blas_controllers():
                threads.append(lib.num_threads)
                lib.set_num_threads(1)
            _saved = (enabled, threads)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _saved is not None:
                enabled, threads = _saved
                for lib, n in zip(_blas_controllers(), threads):
                    lib.set_num_threads(n)
                if enabled:
                    gc.enable()
                _saved = None


def in_batch_settings(function: Callable[..., T]) -> Callable[..., T]:
    """Decorator: run ``function`` under ``batch_settings``."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        with batch_settings():
            return function(*args, **kwargs)
    return wrapper


def freeze_long_lived() -> None:
    """Collect once, then move every object alive now (the loaded model, dictionaries, caches)
    out of the collector's sight for good (``gc.freeze``). For processes that load a model and
    then classify: the CLI, a batch worker, the API at start-up."""
    gc.collect()
    gc.freeze()
