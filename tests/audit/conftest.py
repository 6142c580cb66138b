"""Fixtures of the audit tests: an app on a filled store (items, predictions, a correction) and keys."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_model
from api.settings import Settings, get_settings
from feedback_nlp.store import create_api_key, open_store
from tests.reports.helpers import fill_store

ROLES = ("analyst", "region_operator", "methodologist", "admin")


class RulesModel:
    """The tests' rule classifier behind the API's model interface (batch-first)."""

    name, version, label = "test-rules", "0", "test-rules-v0"

    def map(self, texts, ids=None):
        from tests.reports.helpers import classify

        for n, text in enumerate(texts):
            yield classify(text, str(n))


@pytest.fixture
def audit_env(tmp_path: Path) -> dict:
    """A filled store, keys of every role, the item ids; returned as a dict."""
    url = f"sqlite:///{tmp_path / 'audit.db'}"
    store = open_store(url)
    try:
        ids = fill_store(store, uploads=False)
        keys = {role: create_api_key(store, role, region="Тверская область" if role == "region_operator" else None,
                                     name=f"{role}-тест")[0] for role in ROLES}
    finally:
        store.close()
    return {"url": url, "ids": ids, "keys": keys,
            "settings": Settings(db_url=url, ner_redaction=False, max_body_bytes=2_000_000)}


@pytest.fixture
def audit_app(audit_env):
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: audit_env["settings"]
    app.dependency_overrides[get_model] = lambda: RulesModel()
    return app


@pytest.fixture
def client(audit_app) -> Iterator[TestClient]:
    with TestClient(audit_app, raise_server_exceptions=False) as c:
        yield c
