"""The store's own error: the database cannot be reached or failed in the middle of a write."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from feedback_nlp.errors import FeedbackNLPError


class StoreError(FeedbackNLPError):
    """The store is unavailable or failed; the message never quotes stored data."""


def describe_failure(url: str, exc: BaseException) -> str:
    """One line for people: which store, and the driver's reason (its first line only)."""
    orig = getattr(exc, "orig", None) or exc
    reason = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    try:
        where = make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - a malformed URL is shown as given
        where = url
    return f"the store {where} is unavailable or failed ({type(orig).__name__}: {reason})"


@contextmanager
def store_errors(url: str, hint: str = "") -> Iterator[None]:
    """Turn driver errors inside the block into a ``StoreError`` naming the store."""
    try:
        yield
    except DBAPIError as exc:
        raise StoreError(describe_failure(url, exc) + (f"; {hint}" if hint else "")) from None
