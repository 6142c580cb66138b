"""The collector plug-in contract and its registry.

A collector turns one source's real format into ``Feedback`` records. Each module has a pure
``parse_*`` (bytes/objects -> records) and a thin fetch (files, HTTP with an injected client).
Bad records never stop a collection: they come out as ``Reject`` with the place and reason.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, runtime_checkable

from feedback_nlp.schema import Feedback


@dataclass(frozen=True)
class Reject:
    """A record that could not be collected: where it was and why."""

    file: str
    line: int | None
    reason: str
    excerpt: str = ""   # at most a short, redacted excerpt; never raw personal data


@runtime_checkable
class Source(Protocol):
    """A registered collector: a name (the ``ingest KIND``), a version, what it reads."""

    name: str
    version: str
    source_kind: str

    def iter_items(self, paths: Sequence[Path]) -> Iterator[Feedback | Reject]:
        """Yield feedback records (and rejects) from the given inputs, streaming."""
        ...


_REGISTRY: dict[str, Callable[..., Source]] = {}


def register_source(name: str) -> Callable[[Callable[..., Source]], Callable[..., Source]]:
    """Class decorator: make a collector available as ``ingest NAME``."""

    def decorate(factory: Callable[..., Source]) -> Callable[..., Source]:
        if name in _REGISTRY:
            raise ValueError(f"source {name!r} is registered twice")
        _REGISTRY[name] = factory
        return factory

    return decorate


def get_source(name: str, **options: object) -> Source:
    """A collector by its registered name, built with its options."""
    from feedback_nlp import sources  # noqa: F401  (imports register every collector)

    try:
        factory = _REGISTRY[name]
    except KeyError:
        known = ", ".join(sorted(_REGISTRY)) or "none"
        raise ValueError(f"unknown source {name!r}; known: {known}") from None
    return factory(**options)


def source_names() -> list[str]:
    """Names of all registered collectors."""
    from feedback_nlp import sources  # noqa: F401

    return sorted(_REGISTRY)
