"""Dependencies of the routes: settings, store, model, cache, and the key with its role."""
from __future__ import annotations

import threading
import time
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request, Security
from fastapi.security import APIKeyHeader

from api.cache import IndexCache
from api.model import Classifier
from api.problems import ApiError
from api.settings import Settings, get_settings
from feedback_nlp.store import Store, find_api_key
from feedback_nlp.store.keys import ApiKey, hash_key

KEY_CACHE_SECONDS = 10.0  # a revoked key stops working within this time

api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                              description="an API key created with `feedback-nlp keys create`")


async def get_store(request: Request) -> Store:
    return request.app.state.store


async def get_model(request: Request) -> Classifier:
    model = getattr(request.app.state, "model", None)
    if model is None:
        raise ApiError(503, "no classification model is loaded")
    return model


async def get_optional_model(request: Request) -> Classifier | None:
    """The model, or None when the service runs without one (ingest then skips classification)."""
    return getattr(request.app.state, "model", None)


async def get_index_cache(request: Request) -> IndexCache:
    return request.app.state.index_cache


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
ModelDep = Annotated[Classifier, Depends(get_model)]
OptionalModelDep = Annotated[Classifier | None, Depends(get_optional_model)]
CacheDep = Annotated[IndexCache, Depends(get_index_cache)]


class KeyCache:
    """Recently checked keys (by hash, never in clear), so most requests skip the store."""

    def __init__(self, seconds: float = KEY_CACHE_SECONDS):
        self.seconds = seconds
        self._items: dict[str, tuple[float, ApiKey | None]] = {}
        self._lock = threading.Lock()

    def find(self, store: Store, key: str) -> ApiKey | None:
        digest, now = hash_key(key), time.monotonic()
        with self._lock:
            hit = self._items.get(digest)
        if hit is not None and hit[0] > now:
            return hit[1]
        record = find_api_key(store, key)
        with self._lock:
            if len(self._items) > 10_000:  # a flood of random keys must not grow memory
                self._items.clear()
            self._items[digest] = (now + self.seconds, record)
        return record


async def get_key_cache(request: Request) -> KeyCache:
    return request.app.state.key_cache


async def current_key(store: StoreDep, cache: Annotated[KeyCache, Depends(get_key_cache)],
                      key: Annotated[str | None, Security(api_key_header)] = None) -> ApiKey:
    """The valid key of the request, else 401."""
    if not key:
        raise ApiError(401, "an API key is required in the X-API-Key header",
                       headers={"WWW-Authenticate": "ApiKey"})
    record = cache.find(store, key) if len(key) <= 256 else None
    if record is None:
        raise ApiError(401, "the API key is unknown or revoked", headers={"WWW-Authenticate": "ApiKey"})
    return record


def require(*roles: str) -> Callable[[ApiKey], Awaitable[ApiKey]]:
    """A dependency admitting keys of ``roles`` (admin is always admitted), else 403."""
    allowed = ("admin", *roles)

    async def check(key: Annotated[ApiKey, Depends(current_key)]) -> ApiKey:
        if key.role not in allowed:
            raise ApiError(403, f"role {key.role} may not do this (allowed: {', '.join(allowed)})")
        return key

    return check


READERS = ("analyst", "methodologist")
reader = require(*READERS)
methodologist = require("methodologist")
uploader = require("region_operator")
feeder = require("region_operator")

ReaderKey = Annotated[ApiKey, Depends(reader)]
MethodologistKey = Annotated[ApiKey, Depends(methodologist)]
UploaderKey = Annotated[ApiKey, Depends(uploader)]
FeederKey = Annotated[ApiKey, Depends(feeder)]


def key_author(key: ApiKey) -> str:
    """How a key is named in stored records (never the key itself)."""
    return key.name or f"key:{key.id}"
