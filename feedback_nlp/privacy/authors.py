"""Salted hashing of author identifiers: the raw id never reaches the store."""
from __future__ import annotations

import hashlib
import hmac
import secrets


def new_salt() -> str:
    """A random salt for a new store."""
    return secrets.token_hex(16)


def hash_author(raw_id: str, salt: str) -> str:
    """HMAC-SHA256 of the author id under ``salt``, first 32 hex digits (stable per salt)."""
    return hmac.new(salt.encode(), str(raw_id).encode(), hashlib.sha256).hexdigest()[:32]
