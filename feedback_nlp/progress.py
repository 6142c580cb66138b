"""Progress bars for long work: shown only on a terminal, never in pipes, CI logs or with --quiet.

    >>> for item in progress(items, desc="классификация", unit=" текстов", quiet=args.quiet):
    ...     ...
"""
from __future__ import annotations

import sys
from collections.abc import Iterable
from typing import IO, Any, TypeVar

from tqdm import tqdm

T = TypeVar("T")


def progress_enabled(quiet: bool = False, stream: IO[str] | None = None) -> bool:
    """Whether a bar should be drawn: not quiet and ``stream`` (default stderr) is a terminal."""
    stream = sys.stderr if stream is None else stream
    if quiet:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def progress(iterable: Iterable[T] | None = None, *, total: int | None = None, desc: str | None = None,
             unit: str = "it", quiet: bool = False, stream: IO[str] | None = None,
             **options: Any) -> tqdm:
    """A tqdm bar on stderr that draws nothing unless ``progress_enabled``; iterate it or ``update`` it."""
    stream = sys.stderr if stream is None else stream
    return tqdm(iterable, total=total, desc=desc, unit=unit, file=stream, leave=False,
                disable=not progress_enabled(quiet, stream), dynamic_ncols=True, **options)
