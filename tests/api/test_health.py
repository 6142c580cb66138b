from __future__ import annotations

from api.app import create_app
from api.settings import get_settings
from fastapi.testclient import TestClient
from tests.api.conftest import problem


def test_healthz_needs_no_key(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_model_and_store(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "model": "fake-v0", "store": "ok"}


def test_readyz_is_503_without_a_model(settings, tmp_path):
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings.model_copy(update={"model_path": str(tmp_path)})
    with TestClient(app) as client:
        body = problem(client.get("/readyz"), 503)
        assert body["detail"] == "no classification model is loaded"
        assert client.get("/healthz").status_code == 200


def test_openapi_and_docs_need_no_key_and_no_cdn(client):
    schema = client.get("/openapi.json").json()
    assert schema["info"]["title"] == "feedback-nlp"
    assert "/v1/index" in schema["paths"]
    assert schema["components"]["securitySchemes"]["APIKeyHeader"]["name"] == "X-API-Key"
    page = client.get("/docs")
    assert page.status_code == 200
    assert "cdn" not in page.text.lower()
    assert client.get("/docs-static/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs-static/swagger-ui.css").status_code == 200
