"""A per-example time bound: a hang fails the example instead of stalling the suite."""
from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

EXAMPLE_SECONDS = 10.0  # generous: the 2-CPU machine is shared; a real hang never ends


class Hang(BaseException):
    """The code under test ran past its bound (a BaseException: catch-alls under test must not eat it)."""


@contextmanager
def bounded(seconds: float = EXAMPLE_SECONDS) -> Iterator[None]:
    """Raise ``Hang`` in the main thread after ``seconds`` (SIGALRM)."""

    def on_alarm(_signum, _frame):
        raise Hang(f"no result after {seconds} s")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
