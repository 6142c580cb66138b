"""Pure ASGI middleware: request body limit (413), CORS from the settings, an access log.

The access log records method, path, status and time only: never query strings (they may
carry search text), headers (the API key) or bodies.
"""
from __future__ import annotations

import logging
import time
from typing import Any

from starlette.exceptions import HTTPException
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.problems import problem_response

access_log = logging.getLogger("feedback_nlp.api.access")
errors_log = logging.getLogger("feedback_nlp.api")


def _settings(scope: Scope) -> Any:
    return scope["app"].state.settings


class BodyLimit:
    """413 when the body is larger than ``settings.max_body_bytes`` (declared or streamed)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = _settings(scope).max_body_bytes
        declared = dict(scope.get("headers", ())).get(b"content-length")
        if declared is not None:
            try:
                too_big = int(declared) > limit
            except ValueError:
                response = problem_response(400, "the Content-Length header is not a number")
                return await response(scope, receive, send)
            if too_big:
                response = problem_response(413, f"the request body is larger than {limit} bytes")
                return await response(scope, receive, send)
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise HTTPException(413, f"the request body is larger than {limit} bytes")
            return message

        await self.app(scope, limited, send)


class SettingsCORS:
    """CORS for the origins in the settings (none: no CORS headers at all)."""

    def __init__(self, app: ASGIApp):
        self.app = app
        self._inner: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self._inner is None:
            origins = list(_settings(scope).cors_origins)
            self._inner = CORSMiddleware(self.app, allow_origins=origins, allow_methods=["GET", "POST"],
                                         allow_headers=["X-API-Key", "Content-Type"]) if origins else self.app
        await self._inner(scope, receive, send)


class AccessLog:
    """One line per request; an unexpected exception becomes a 500 problem here, logged by type
    only, so no traceback (which may quote client text) reaches the server's log."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        start = time.perf_counter()
        status = 500
        started = False

        async def sending(message: Message) -> None:
            nonlocal status, started
            if message["type"] == "http.response.start":
                status, started = message["status"], True
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception as exc:  # noqa: BLE001 - the last line of defence; type and path only
            errors_log.error("unexpected %s on %s %s", type(exc).__name__, scope["method"], scope["path"])
            if not started:
                await problem_response(500, "internal error; the request was logged")(scope, receive, sending)
        finally:
            access_log.info("%s %s %d %.1fms", scope["method"], scope["path"], status,
                            (time.perf_counter() - start) * 1000)
