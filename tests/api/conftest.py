"""Fixtures of the API tests: a fresh store per test, a fake model, keys of every role."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_model
from api.settings import Settings, get_settings
from feedback_nlp.schema import AspectHit, Prediction, Span
from feedback_nlp.store import create_api_key, open_store

REGION = "Тверская область"
SAMPLES = Path(__file__).resolve().parents[2] / "feedback_nlp" / "samples"
RULES = (  # (pattern, indicator, sentiment)
    (re.compile(r"грубо\w*"), "D2", -0.8),
    (re.compile(r"вежлив\w*"), "D2", 0.7),
    (re.compile(r"очеред\w*"), "L4", -0.6),
)


class FakeModel:
    """A tiny deterministic stand-in for the classifier (batch-first like the real one)."""

    name = "fake"
    version = "0"
    label = "fake-v0"

    def __init__(self) -> None:
        self.calls = 0

    def map(self, texts: Iterable[str]) -> Iterator[Prediction]:
        self.calls += 1
        for n, text in enumerate(texts):
            lower = text.lower()
            aspects = tuple(AspectHit(code, s, 0.9, (Span(m.start(), m.end(), text[m.start():m.end()]),), "fake")
                            for rx, code, s in RULES for m in [rx.search(lower)] if m)
            relevant = "цзн" in lower or "центр занятости" in lower or bool(aspects)
            tone = sum(a.sentiment for a in aspects) / len(aspects) if aspects else 0.0
            yield Prediction(str(n), relevant, 0.95 if relevant else 0.05, tone, None,
                             aspects if relevant else (), self.label)


@pytest.fixture
def settings(store_url: str) -> Settings:
    # store_url: SQLite, and PostgreSQL too when FEEDBACK_NLP_TEST_PG_URL is set
    return Settings(db_url=store_url, ner_redaction=False, freeze_gc=False,
                    max_body_bytes=2_000_000)


@pytest.fixture
def fake_model() -> FakeModel:
    return FakeModel()


@pytest.fixture
def app(settings: Settings, fake_model: FakeModel):
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_model] = lambda: fake_model
    return app


@pytest.fixture
def client(app) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as c:
        yield c


@pytest.fixture
def keys(settings: Settings, client: TestClient) -> dict[str, str]:
    """Key of every role (the region operator's region is Тверская область), plus ``other_region``."""
    store = open_store(settings.db_url)
    try:
        out = {role: create_api_key(store, role, region=REGION if role == "region_operator" else None,
                                    name=f"{role}-test")[0]
               for role in ("analyst", "region_operator", "methodologist", "admin")}
        out["other_region"] = create_api_key(store, "region_operator", region="Республика Татарстан")[0]
    finally:
        store.close()
    return out


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


def problem(response, status: int) -> dict:
    """The problem document of a response, after checking status and media type."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["title"] and body["detail"]
    return body


def item(external_id: str, text: str, **extra) -> dict:
    return {"source_kind": "social", "source": "vk:-1", "external_id": external_id, "text": text,
            "created_at": "2022-05-10T12:00:00+03:00", "region": REGION, "center_id": "tver-01", **extra}
