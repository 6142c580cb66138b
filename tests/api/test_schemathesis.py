"""Contract fuzzing of the running app with schemathesis: no 5xx, responses conform to the schema."""
from __future__ import annotations

from pathlib import Path

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance,
)

from api.app import create_app
from api.deps import get_model
from api.settings import Settings, get_settings
from feedback_nlp.store import create_api_key, open_store
from tests.api.conftest import FakeModel

ADMIN: dict[str, str] = {}
# The checks the issue asks for: no 5xx, and status, media type, headers and body as documented.
# (Not the opinionated negative/positive-data checks: e.g. a too-large body is rightly a 413.)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("fuzz")
    config = Settings(db_url=f"sqlite:///{folder / 'fuzz.db'}", ner_redaction=False, freeze_gc=False,
                      max_body_bytes=1_000_000)
    store = open_store(config.db_url)
    ADMIN["X-API-Key"] = create_api_key(store, "admin", name="fuzz")[0]
    store.close()
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: config
    app.dependency_overrides[get_model] = FakeModel
    with TestClient(app):  # runs the lifespan: store and model stay on app.state
        yield schemathesis.openapi.from_asgi("/openapi.json", app)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case):
    case.call_and_validate(headers=ADMIN, checks=CHECKS)
