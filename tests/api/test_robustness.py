"""Malformed requests: always a problem+json answer with the right status, never a 500."""
from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_model
from api.settings import get_settings
from tests.api.conftest import auth, problem


def test_unknown_route_and_wrong_method(client, keys):
    assert problem(client.get("/v1/nothing"), 404)["detail"] == "Not Found"
    assert problem(client.delete("/v1/index", headers=auth(keys["admin"])), 405)["detail"] == "Method Not Allowed"


@pytest.mark.parametrize("content,ctype", [
    (b"{not json", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    ("{\"texts\": [{\"id\": 1, \"text\": null}]}".encode(), "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b"texts=1", "application/x-www-form-urlencoded"),
    (b"", "application/json"),
])
def test_malformed_bodies_are_422(client, keys, content, ctype):
    response = client.post("/v1/classify", content=content, headers={**auth(keys["admin"]), "content-type": ctype})
    problem(response, 422)


def test_body_over_the_limit_is_413(client, keys):
    big = b'{"texts": [{"id": "a", "text": "' + b"a" * 2_100_000 + b'"}]}'
    body = problem(client.post("/v1/classify", content=big, headers={**auth(keys["admin"]),
                                                                     "content-type": "application/json"}), 413)
    assert body["detail"] == "the request body is larger than 2000000 bytes"


def test_streamed_body_over_the_limit_is_413(client, keys):
    def chunks():
        for _ in range(30):
            yield b"x" * 100_000

    response = client.post("/v1/surveys", content=chunks(),
                           headers={**auth(keys["admin"]), "content-type": "multipart/form-data; boundary=b"})
    problem(response, 413)


def test_bad_content_length_is_400(client, keys):
    response = client.post("/v1/classify", content=b"{}",
                           headers={**auth(keys["admin"]), "content-type": "application/json", "content-length": "x"})
    problem(response, 400)


def test_oversized_key_is_401(client):
    problem(client.get("/v1/model", headers=auth("k" * 5000)), 401)


def test_unexpected_errors_are_a_500_problem_without_details(settings, keys, caplog):
    class Broken:
        name, version, label = "broken", "1", "broken-v1"

        def map(self, texts):
            raise RuntimeError("secret text of a client")

    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_model] = lambda: Broken()
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.post("/v1/classify", json={"texts": [{"id": "a", "text": "x"}]},
                               headers=auth(keys["admin"]))
    body = problem(response, 500)
    assert body["detail"] == "internal error; the request was logged"
    assert "secret" not in caplog.text
    assert "unexpected RuntimeError on POST /v1/classify" in caplog.text


def test_cors_headers_only_for_configured_origins(settings, fake_model):
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings.model_copy(
        update={"cors_origins": ("https://czn.example",)})
    app.dependency_overrides[get_model] = lambda: fake_model
    with TestClient(app) as client:
        allowed = client.options("/v1/index", headers={"Origin": "https://czn.example",
                                                       "Access-Control-Request-Method": "GET"})
        assert allowed.headers["access-control-allow-origin"] == "https://czn.example"
        other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert "access-control-allow-origin" not in other.headers


def test_access_log_has_no_query_or_key(client, keys, caplog):
    caplog.set_level("INFO", logger="feedback_nlp.api.access")
    client.get("/v1/feedback?q=Иванов", headers=auth(keys["analyst"]))
    assert "GET /v1/feedback 200" in caplog.text
    assert "Иванов" not in caplog.text and keys["analyst"] not in caplog.text
