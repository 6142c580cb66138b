"""The FastAPI application: lifespan (store, model, tools loaded once), errors, routers, docs."""
from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import Any

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.staticfiles import StaticFiles
from starlette.responses import HTMLResponse

import feedback_nlp
from api import audit
from api.batcher import MicroBatcher
from api.cache import IndexCache
from api.deps import KeyCache, get_model
from api.feedback_service import IngestTools
from api.middleware import AccessLog, BodyLimit, SettingsCORS
from api.model import load_model
from api.problems import PROBLEM_TYPE, install_problem_handlers
from api.routes import classify, feedback, health, index, methodologies, model, uploads
from api.schemas.common import ProblemOut
from api.settings import Settings, get_settings
from api.store_errors import install_store_error_handlers
from feedback_nlp.attribution import Attributor
from feedback_nlp.classifiers.runtime import freeze_long_lived
from feedback_nlp.errors import ModelError
from feedback_nlp.privacy import Redactor
from feedback_nlp.store import open_store

log = logging.getLogger("feedback_nlp.api")
DOCS_STATIC = "/docs-static"
WARM_UP_TEXT = "Консультант в центре занятости ответила вежливо, но очередь была два часа."


def _resolve(app: FastAPI, dependency: Callable[..., Any]) -> Any:
    """A zero-argument dependency as the app resolves it (honouring test overrides)."""
    return app.dependency_overrides.get(dependency, dependency)()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    settings: Settings = _resolve(app, get_settings)
    app.state.settings = settings
    app.state.store = open_store(settings.db_url)
    app.state.index_cache = IndexCache(settings.index_cache_size)
    app.state.key_cache = KeyCache()
    app.state.model, app.state.model_meta = None, {}
    if get_model in app.dependency_overrides:
        app.state.model = _resolve(app, get_model)
    else:
        try:
            model, app.state.model_meta = load_model(settings.model_path)
            list(model.map([WARM_UP_TEXT]))  # lazy parts load now, not on a request
            app.state.model = MicroBatcher(model)
        except ModelError as exc:
            log.warning("serving without a classification model: %s", exc)
        except Exception as exc:  # noqa: BLE001 - a model that cannot classify: not ready, not down
            log.error("the model failed to load or warm up (%s: %s); serving without it, /readyz is 503",
                      type(exc).__name__, exc)
    app.state.ingest_tools = IngestTools(Redactor.load(ner=settings.ner_redaction), Attributor())
    log.info("ready: store %s, model %s", app.state.store.url, "loaded" if app.state.model else "none")
    # Models, dictionaries and the gazetteer are millions of long-lived objects: keep them out of
    # the collector's full passes, whose pauses otherwise show as 100 ms+ tail latencies.
    if settings.freeze_gc:
        freeze_long_lived()
    try:
        yield
    finally:
        if isinstance(app.state.model, MicroBatcher):
            app.state.model.close()
        app.state.store.close()


def _problem_ref() -> dict[str, Any]:
    return {"description": "error (application/problem+json)",
            "content": {PROBLEM_TYPE: {"schema": {"$ref": "#/components/schemas/ProblemOut"}}}}


def build_openapi(app: FastAPI) -> dict[str, Any]:
    """FastAPI's schema with problem+json as every operation's error response."""
    if app.openapi_schema:
        return app.openapi_schema
    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}").get(
            "$defs", {}).items():
        components[name] = definition
    problem = ProblemOut.model_json_schema(ref_template="#/components/schemas/{model}")
    problem.pop("$defs", None)
    components["ProblemOut"] = problem
    for name in ("HTTPValidationError", "ValidationError"):
        components.pop(name, None)
    for path_item in schema.get("paths", {}).values():
        for operation in path_item.values():
            responses = operation.setdefault("responses", {})
            responses.pop("422", None)
            responses["4XX"] = _problem_ref()
            responses["503"] = _problem_ref()
    app.openapi_schema = schema
    return schema


def _install_docs(app: FastAPI) -> None:
    """Swagger UI served from the assets of the ``fastapi-offline`` package (no CDN needed)."""
    static = files("fastapi_offline") / "static"
    app.mount(DOCS_STATIC, StaticFiles(directory=str(static)), name="docs-static")

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(openapi_url=f"{root}/openapi.json", title=f"{app.title} — API",
                                   swagger_js_url=f"{root}{DOCS_STATIC}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{root}{DOCS_STATIC}/swagger-ui.css",
                                   swagger_favicon_url=f"{root}{DOCS_STATIC}/favicon.png")


def create_app() -> FastAPI:
    """A new application; settings come from ``get_settings`` (override it in tests)."""
    app = FastAPI(title="feedback-nlp", version=feedback_nlp.__version__, lifespan=lifespan,
                  docs_url=None, redoc_url=None,
                  description="Customer-centricity index of employment centers (ЦЗН): feedback, "
                  "classification, corrections, survey and objective uploads, indices and ratings. "
                  "Send the key in the `X-API-Key` header; errors are `application/problem+json`.")
    install_problem_handlers(app)
    install_store_error_handlers(app)
    for router in (health.router, classify.router, feedback.router, uploads.surveys, uploads.objective,
                   index.index, index.ratings, methodologies.router, model.router):
        app.include_router(router)
    app.include_router(audit.router)
    _install_docs(app)
    app.add_middleware(BodyLimit)
    app.add_middleware(SettingsCORS)
    app.add_middleware(AccessLog)
    app.openapi = lambda: build_openapi(app)  # type: ignore[method-assign]
    return app
