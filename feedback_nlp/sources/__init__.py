"""Collectors of client feedback, one module per source, registered by name (``ingest KIND``)."""
from __future__ import annotations

from feedback_nlp.sources import rss, telegram, vk  # noqa: F401  (registration)
from feedback_nlp.sources.base import Reject, Source, get_source, register_source, source_names

__all__ = ["Reject", "Source", "get_source", "register_source", "source_names"]
