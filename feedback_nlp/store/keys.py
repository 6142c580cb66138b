"""API keys (stored hashed) and store settings such as the author-hash salt."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from feedback_nlp.privacy.authors import new_salt
from feedback_nlp.store.engine import Store
from feedback_nlp.store.tables import api_keys, settings

ROLES: tuple[str, ...] = ("analyst", "region_operator", "methodologist", "admin")


def hash_key(key: str) -> str:
    """SHA-256 of an API key (keys are random, so no salt is needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class ApiKey:
    id: int
    role: str
    region: str | None
    name: str | None
    created_at: datetime
    revoked_at: datetime | None = None


def create_api_key(store: Store, role: str, region: str | None = None,
                   name: str | None = None) -> tuple[str, ApiKey]:
    """A new key (returned once, in clear) and its stored record."""
    if role not in ROLES:
        raise ValueError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "region_operator" and not region:
        raise ValueError("role region_operator needs a region")
    key = "fnlp_" + secrets.token_urlsafe(32)
    now = datetime.now(timezone.utc)
    with store.engine.begin() as conn:
        result = conn.execute(insert(api_keys).values(
            key_hash=hash_key(key), role=role, region=region, name=name, created_at=now))
        new_id = int(result.inserted_primary_key[0])  # type: ignore[index]
    return key, ApiKey(new_id, role, region, name, now)


def find_api_key(store: Store, key: str) -> ApiKey | None:
    """The record of a valid (not revoked) key, else None."""
    with store.engine.connect() as conn:
        r = conn.execute(select(api_keys).where(api_keys.c.key_hash == hash_key(key))).first()
    if r is None or r.revoked_at is not None:
        return None
    return ApiKey(r.id, r.role, r.region, r.name, r.created_at, r.revoked_at)


def revoke_api_key(store: Store, key_id: int) -> None:
    with store.engine.begin() as conn:
        conn.execute(update(api_keys).where(api_keys.c.id == key_id)
                     .values(revoked_at=datetime.now(timezone.utc)))


def get_setting(store: Store, key: str) -> str | None:
    with store.engine.connect() as conn:
        return conn.execute(select(settings.c.value).where(settings.c.key == key)).scalar()


def store_salt(store: Store) -> str:
    """The store's own author-hash salt, generated on first use and kept in the store."""
    salt = get_setting(store, "author_salt")
    if salt is not None:
        return salt
    try:
        with store.engine.begin() as conn:
            conn.execute(insert(settings).values(key="author_salt", value=new_salt()))
    except IntegrityError:  # another process created it first
        pass
    return get_setting(store, "author_salt")  # type: ignore[return-value]
