"""Uniform errors: every error response is ``application/problem+json`` (RFC 9457).

``title``, ``status`` and ``detail`` always; ``errors`` lists row-level problems of uploads (the
same ``file, line, field, value, why`` the command line prints) and the fields of a bad request.
"""
from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse

from feedback_nlp.errors import MAX_LISTED_PROBLEMS, FeedbackNLPError, InputError, Problem

PROBLEM_TYPE = "application/problem+json"
MAX_VALUE_CHARS = 200
log = logging.getLogger("feedback_nlp.api")


class ApiError(Exception):
    """An error a route raises on purpose: status, detail and optional row-level problems."""

    def __init__(self, status: int, detail: str, errors: list[dict[str, Any]] | None = None,
                 headers: dict[str, str] | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors
        self.headers = headers


def problem_response(status: int, detail: str, errors: list[dict[str, Any]] | None = None,
                     headers: dict[str, str] | None = None, title: str | None = None) -> JSONResponse:
    """The problem+json response of ``status``."""
    body: dict[str, Any] = {"type": "about:blank",
                            "title": title or _title(status), "status": status, "detail": detail}
    if errors is not None:
        body["errors"] = [{"file": None, "line": None, "field": None, "value": None, **e} for e in errors]
    return JSONResponse(body, status_code=status, headers=headers, media_type=PROBLEM_TYPE)


def _title(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def _plain(value: object) -> Any:
    if value is None or isinstance(value, (bool, int, float)):
        return value
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


def problem_item(p: Problem, file: str | None = None) -> dict[str, Any]:
    """A row-level problem as JSON (``file`` replaces the spooled file's temporary path)."""
    return {"file": file or p.file, "line": p.line, "field": p.field, "value": _plain(p.value), "why": p.why}


def input_error_items(exc: InputError, file: str | None = None) -> list[dict[str, Any]]:
    return [problem_item(p, file) for p in exc.problems[:MAX_LISTED_PROBLEMS * 4]]


def _validation_items(exc: RequestValidationError) -> list[dict[str, Any]]:
    items = []
    for e in exc.errors():
        loc = [str(part) for part in e.get("loc", ())]
        items.append({"file": None, "line": None, "field": ".".join(loc) or None,
                      "value": None, "why": str(e.get("msg", "invalid"))})
    return items


async def _on_api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    return problem_response(exc.status, exc.detail, exc.errors, exc.headers)


async def _on_http(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else _title(exc.status_code)
    return problem_response(exc.status_code, detail, headers=getattr(exc, "headers", None))


async def _on_validation(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return problem_response(422, "the request does not match the API schema", _validation_items(exc))


async def _on_input(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, InputError)
    detail = f"bad input: {exc.total} problem(s)"
    return problem_response(422, detail, input_error_items(exc))


async def _on_feedback_error(_request: Request, exc: Exception) -> JSONResponse:
    log.error("request failed: %s", type(exc).__name__)
    return problem_response(503, "the service cannot do this now (model or store unavailable)")


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    # Type and route only: messages may carry user text or connection strings.
    log.error("unexpected %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return problem_response(500, "internal error; the request was logged")


def install_problem_handlers(app: FastAPI) -> None:
    """Route every error through the problem+json responses above."""
    app.add_exception_handler(ApiError, _on_api_error)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(InputError, _on_input)
    app.add_exception_handler(FeedbackNLPError, _on_feedback_error)
    app.add_exception_handler(Exception, _on_unexpected)
