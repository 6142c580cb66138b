"""RSS 2.0 / Atom media feeds from files or URLs (feedparser); HTML stripped to text."""
from __future__ import annotations

import calendar
from collections.abc import Iterator, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject, register_source
from feedback_nlp.sources.files import SNIFF_BYTES, is_binary, iter_files
from feedback_nlp.sources.text import strip_html

FEED_SUFFIXES = (".xml", ".rss", ".atom")


def parse_feed(content: bytes, file: str) -> Iterator[Feedback | Reject]:
    """Records of one feed document: title and text of each entry, its link and date."""
    import feedparser

    if is_binary(content[:SNIFF_BYTES]):
        yield Reject(file, None, "binary file, not text")
        return
    feed = feedparser.parse(content)
    error = feed.get("bozo_exception")
    if feed.bozo and not isinstance(error, feedparser.CharacterEncodingOverride):
        # feedparser recovers what it can from broken XML: report the break, keep what it read
        line = error.getLineNumber() if hasattr(error, "getLineNumber") else None
        message = error.getMessage() if hasattr(error, "getMessage") else str(error)
        yield Reject(file, line, f"malformed feed: {message}")
    elif not feed.get("version") and not feed.entries:  # no 'version' at all for empty input
        yield Reject(file, None, "not an RSS or Atom feed")
        return
    outlet = strip_html(feed.feed.get("title", "")) or Path(file).name
    for number, entry in enumerate(feed.entries, start=1):
        yield adapt_entry(entry, outlet, file, number)


def adapt_entry(entry: Any, outlet: str, file: str, number: int) -> Feedback | Reject:
    """One feed entry as a media record (title, then the full content or the summary)."""
    title = strip_html(entry.get("title", ""))
    contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
    body = strip_html(contents[0] if contents else entry.get("summary", ""))
    # feeds without a description repeat the title as the summary: keep it once
    text = title if body == title else "\n\n".join(part for part in (title, body) if part)
    if not text:
        return Reject(file, None, f"entry {number}: empty text")
    # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed with a
    # DeprecationWarning when the published date was there but unparseable (None)
    parsed = dict.get(entry, "published_parsed") or dict.get(entry, "updated_parsed")
    created = datetime.fromtimestamp(calendar.timegm(parsed), tz=timezone.utc) if parsed else None
    link = entry.get("link") or None
    metadata: dict[str, Any] = {"outlet": outlet}
    if title:
        metadata["title"] = title
    return Feedback(
        source_kind="media", source=f"rss:{outlet}", external_id=entry.get("id") or link or f"{Path(file).name}#{number}",
        text=text, created_at=created, url=link, metadata=metadata,
    )


@register_source("rss")
class RSSSource:
    """Feeds from files (a directory: its ``.xml``/``.rss``/``.atom`` files) and URLs.

    URLs come from ``urls`` or as ``http(s)://`` strings among the paths; they are fetched with
    the injected ``client`` (one is made, and closed, when none is given).
    """

    name = "rss"
    version = "1"
    source_kind = "media"

    def __init__(self, urls: Sequence[str] = (), client: httpx.Client | None = None) -> None:
        listed = urls.split(",") if isinstance(urls, str) else urls   # a string from the command line
        self.urls, self.client = tuple(u.strip() for u in listed if u.strip()), client

    def iter_items(self, paths: Sequence[Path | str]) -> Iterator[Feedback | Reject]:
        urls = [*self.urls, *(p for p in paths if isinstance(p, str) and p.startswith(("http://", "https://")))]
        files = [p for p in paths if not (isinstance(p, str) and p.startswith(("http://", "https://")))]
        for path in iter_files(files, FEED_SUFFIXES):
            try:
                content = path.read_bytes()
            except OSError as error:
                yield Reject(str(path), None, f"cannot read file: {error.strerror or error}")
                continue
            yield from parse_feed(content, str(path))
        if urls:
            yield from self._fetch_all(urls)

    def _fetch_all(self, urls: list[str]) -> Iterator[Feedback | Reject]:
        client = self.client or httpx.Client(timeout=30.0, follow_redirects=True)
        try:
            for url in urls:
                try:
                    reply = client.get(url)
                except httpx.HTTPError as error:
                    yield Reject(url, None, f"cannot fetch feed ({type(error).__name__})")
                    continue
                if reply.status_code != 200:
                    yield Reject(url, None, f"cannot fetch feed: HTTP {reply.status_code}")
                    continue
                yield from parse_feed(reply.content, url)
        finally:
            if self.client is None:
                client.close()
