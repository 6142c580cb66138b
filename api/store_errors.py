"""A store that stops answering mid-request: 503 problem+json (retry later), not a 500.

SQLAlchemy wraps every driver's "cannot reach / cannot read the database" as
``OperationalError`` or ``InterfaceError`` (psycopg: server gone, connection refused; SQLite:
unable to open, disk I/O error) or as a bare ``DatabaseError`` (SQLite: file is not a database,
disk image is malformed); the pool raises ``DisconnectionError`` or its ``TimeoutError``. Its
other errors (integrity, programming, data) are bugs or conflicts and stay 500. None of them is the client's fault, and all may pass: the engine reconnects
on the next request (``pool_pre_ping`` for PostgreSQL), so the service recovers by itself.
"""
from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from sqlalchemy import exc as sa_exc
from starlette.responses import JSONResponse

from api.problems import problem_response

STORE_DOWN = "the store (database) is not answering; retry later"
RETRY_AFTER_SECONDS = 5
DOWN_ERRORS: tuple[type[Exception], ...] = (sa_exc.OperationalError, sa_exc.InterfaceError,
                                            sa_exc.DisconnectionError, sa_exc.TimeoutError)
log = logging.getLogger("feedback_nlp.api")


def is_store_down(exc: Exception) -> bool:
    """True for errors that say the database cannot be reached or read (not a bad statement)."""
    if isinstance(exc, DOWN_ERRORS):
        return True
    return isinstance(exc, sa_exc.DBAPIError) and (exc.connection_invalidated or type(exc) is sa_exc.DatabaseError)


async def _on_store_error(request: Request, exc: Exception) -> JSONResponse:
    # Type only: the driver's message may carry the connection string or client text.
    if not is_store_down(exc):
        log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
        return problem_response(500, "internal error; the request was logged")
    log.error("store unavailable (%s) on %s %s", type(exc).__name__, request.method, request.url.path)
    return problem_response(503, STORE_DOWN, headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
                            title="Store unavailable")


def install_store_error_handlers(app: FastAPI) -> None:
    """Answer 503 problem+json when the store fails to answer during a request."""
    for error in (sa_exc.DBAPIError, sa_exc.DisconnectionError, sa_exc.TimeoutError):
        app.add_exception_handler(error, _on_store_error)
