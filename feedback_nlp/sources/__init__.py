"""Collectors of client feedback, one module per source, registered by name (``ingest KIND``)."""
from __future__ import annotations

# Importing a collector module registers it.
from feedback_nlp.sources import (  # noqa: F401
    call_center,
    complaint_book,
    generic,
    mail,
    media_csv,
    reviews,
    rss,
    sms,
    telegram,
    vk,
)
from feedback_nlp.sources.base import Reject, Source, get_source, register_source, source_names

__all__ = ["Reject", "Source", "get_source", "register_source", "source_names"]
