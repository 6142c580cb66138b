"""VK live mode: ``wall.get`` of communities and ``newsfeed.search`` by query, paged,
at most ``rate`` requests a second, with bounded exponential backoff on error 6 and HTTP 5xx.

The token is an argument (the CLI reads ``FEEDBACK_NLP_VK_TOKEN``); it goes in the POST body,
never in a URL, so it cannot reach request logs.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

from feedback_nlp.errors import SourceError
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.sources.vk import adapt_vk_item, vk_error_reason

VK_API = "https://api.vk.com/method"
VK_VERSION = "5.199"
TOKEN_REJECTED = "VK token rejected (error 5) — set FEEDBACK_NLP_VK_TOKEN"
TOKEN_MISSING = "VK token missing — set FEEDBACK_NLP_VK_TOKEN"
_RETRY_CODES = frozenset({6, 10})   # too many requests per second; internal server error


class VKCallError(Exception):
    """An API error for one request that retrying cannot fix (access denied, no such wall …)."""

    def __init__(self, error: Any):
        super().__init__(vk_error_reason(error))


class VKLiveSource:
    """Posts of communities (``owner_ids``) and search results (``queries``) from the VK API."""

    name = "vk"
    version = "1"
    source_kind = "social"

    def __init__(
        self,
        token: str | None,
        *,
        owner_ids: Sequence[int | str] = (),
        queries: Sequence[str] = (),
        client: httpx.Client | None = None,
        base_url: str = VK_API,
        page_size: int = 100,
        max_items: int | None = None,
        max_attempts: int = 5,
        backoff: float = 1.0,
        rate: float = 3.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token:
            raise SourceError(TOKEN_MISSING)
        if not _listed(owner_ids) and not _listed(queries):
            raise SourceError("VK live mode needs owner_ids (communities) or queries to search")
        self.token, self.owner_ids, self.queries = token, _listed(owner_ids), _listed(queries)
        self.client, self.base_url = client, base_url.rstrip("/")
        self.page_size, self.max_items = int(page_size), None if max_items is None else int(max_items)
        self.max_attempts, self.backoff, self.interval = int(max_attempts), float(backoff), 1.0 / float(rate)
        self.clock, self.sleep = clock, sleep
        self._last: float | None = None

    def iter_items(self, paths: Sequence[Path] = ()) -> Iterator[Feedback | Reject]:
        """Records from the API (``paths`` are ignored); a bad token raises SourceError."""
        own = self.client is None
        client = self.client or httpx.Client(timeout=30.0)
        try:
            for owner in self.owner_ids:
                yield from self._collect(client, "wall.get", {"owner_id": owner}, "offset")
            for query in self.queries:
                yield from self._collect(client, "newsfeed.search", {"q": query, "extended": 0}, "next_from")
        finally:
            if own:
                client.close()

    def _collect(
        self, client: httpx.Client, method: str, params: dict[str, Any], paging: str
    ) -> Iterator[Feedback | Reject]:
        label = f"vk:{method}?" + "&".join(f"{k}={v}" for k, v in params.items() if k != "extended")
        seen, offset, start_from = 0, 0, None
        limit = 200 if method == "newsfeed.search" else 100
        while self.max_items is None or seen < self.max_items:
            page = {**params, "count": min(self.page_size, limit)}
            if paging == "offset":
                page["offset"] = offset
            elif start_from:
                page["start_from"] = start_from
            try:
                response = self.call(client, method, page)
            except VKCallError as error:
                yield Reject(label, None, str(error))
                return
            items = response.get("items") or []
            for number, item in enumerate(items, start=1):
                if self.max_items is not None and seen >= self.max_items:
                    return
                seen += 1
                yield from adapt_vk_item(item, label, seen)
            offset += len(items)
            start_from = response.get("next_from")
            if not items or (paging == "offset" and offset >= int(response.get("count", 0))):
                return
            if paging == "next_from" and not start_from:
                return

    def call(self, client: httpx.Client, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """The ``response`` of one API call, retried on error 6/10 and HTTP 5xx with backoff."""
        data = {**params, "access_token": self.token, "v": VK_VERSION}
        problem = ""
        for attempt in range(1, self.max_attempts + 1):
            if attempt > 1:
                self.sleep(self.backoff * 2 ** (attempt - 2))
            self._throttle()
            try:
                reply = client.post(f"{self.base_url}/{method}", data=data)
            except httpx.TransportError as error:
                problem = f"VK API unreachable at {self.base_url} ({type(error).__name__})"
                continue
            if reply.status_code >= 500:
                problem = f"VK API answered HTTP {reply.status_code}"
                continue
            if reply.status_code != 200:
                raise SourceError(f"VK API answered HTTP {reply.status_code} to {method}")
            try:
                payload = reply.json()
            except ValueError:
                raise SourceError(f"VK API sent a non-JSON answer to {method}") from None
            error = payload.get("error") if isinstance(payload, dict) else None
            if error is not None:
                code = error.get("error_code") if isinstance(error, dict) else None
                if code == 5:
                    raise SourceError(TOKEN_REJECTED)
                if code in _RETRY_CODES:
                    problem = vk_error_reason(error)
                    continue
                raise VKCallError(error)
            response = payload.get("response") if isinstance(payload, dict) else None
            if not isinstance(response, dict):
                raise SourceError(f"VK API sent an unexpected answer to {method} (no response object)")
            return response
        raise SourceError(f"{problem} — gave up on {method} after {self.max_attempts} attempts")

    def _throttle(self) -> None:
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            self.sleep(self.interval - (now - self._last))
        self._last = self.clock()


def _listed(values: Sequence[int | str] | str) -> tuple[int | str, ...]:
    """Values from a list, or from a comma-separated string given on the command line."""
    if isinstance(values, str):
        return tuple(v.strip() for v in values.split(",") if v.strip())
    return tuple(values)
