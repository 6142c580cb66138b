"""The database going away mid-service: 503 problem+json while it is gone, 200 again once it is back.

SQLite: the real store file (and its WAL files) overwritten in place with garbage, as a failing
disk returns it, then restored. PostgreSQL (when ``FEEDBACK_NLP_TEST_PG_URL`` and
``FEEDBACK_NLP_TEST_PG_DIR`` name a cluster of ``scripts/pg-test-cluster.sh``): the server
stopped with ``pg_ctl`` and started again.
"""
from __future__ import annotations

import os
import shlex
import subprocess
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.deps import get_model
from api.settings import Settings, get_settings
from feedback_nlp.schema import Prediction
from feedback_nlp.store import create_api_key, open_store

PG_URL, PG_DIR = os.environ.get("FEEDBACK_NLP_TEST_PG_URL"), os.environ.get("FEEDBACK_NLP_TEST_PG_DIR")


class QuietModel:
    """A stand-in model: every text relevant, neutral."""

    name, version, label = "quiet", "0", "quiet-v0"

    def map(self, texts: Iterable[str]) -> Iterator[Prediction]:
        for n, _ in enumerate(texts):
            yield Prediction(str(n), True, 0.9, 0.0, None, (), self.label)


def item(n: int) -> dict:
    return {"source_kind": "social", "source": "vk:-1", "external_id": f"down-{n}", "text": f"ЦЗН, отзыв {n}",
            "created_at": "2022-05-10T12:00:00+03:00", "region": "Тверская область", "center_id": "tver-01"}


@contextmanager
def api_client(db_url: str) -> Iterator[tuple[TestClient, dict[str, str]]]:
    settings = Settings(db_url=db_url, ner_redaction=False, freeze_gc=False)
    store = open_store(db_url)
    try:
        key = create_api_key(store, "admin", name="faults")[0]
    finally:
        store.close()
    app = create_app()
    app.dependency_overrides[get_settings] = lambda: settings
    app.dependency_overrides[get_model] = QuietModel
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client, {"X-API-Key": key}


def assert_store_down(response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["retry-after"].isdigit()
    body = response.json()
    assert body["status"] == 503 and body["title"] == "Store unavailable"
    assert "store" in body["detail"] and "retry" in body["detail"]
    assert "sqlite" not in response.text.lower() and "postgres" not in response.text.lower()  # no URL leaks


def check_outage(client: TestClient, headers: dict[str, str], break_it, restore_it) -> None:
    assert client.post("/v1/feedback", json={"items": [item(1)]}, headers=headers).status_code == 200
    assert len(client.get("/v1/feedback", headers=headers).json()["items"]) == 1
    break_it()
    try:
        for _ in range(3):  # stays down, and each request answers at once
            assert_store_down(client.get("/v1/feedback", headers=headers))
        assert_store_down(client.post("/v1/feedback", json={"items": [item(2)]}, headers=headers))
        assert client.get("/readyz").status_code == 503
    finally:
        restore_it()
    assert client.get("/readyz").status_code == 200
    assert client.post("/v1/feedback", json={"items": [item(3)]}, headers=headers).status_code == 200
    ids = sorted(i["external_id"] for i in client.get("/v1/feedback", headers=headers).json()["items"])
    assert ids == ["down-1", "down-3"]


def test_sqlite_file_garbled_then_restored(tmp_path):
    db = tmp_path / "store" / "api.db"
    with api_client(f"sqlite:///{db}") as (client, headers):
        client.get("/v1/feedback", headers=headers)  # the pool holds an open connection now
        saved: dict[Path, bytes] = {}

        def garble() -> None:
            for path in sorted(db.parent.iterdir()):  # api.db, -wal, -shm: rewritten in place
                saved[path] = path.read_bytes()
                with open(path, "r+b") as f:
                    f.write(b"\xde\xad\xbe\xef" * (len(saved[path]) // 4))

        def restore() -> None:
            for path, data in saved.items():
                with open(path, "r+b") as f:
                    f.write(data)

        check_outage(client, headers, garble, restore)


def _postmaster_opts() -> list[str]:
    """The command line the cluster was started with: the server binary, then its options."""
    return shlex.split((Path(PG_DIR) / "data" / "postmaster.opts").read_text())


def _pg_ctl(*args: str) -> None:
    # pg_ctl next to the running server binary (Debian keeps both off PATH)
    binary = Path(_postmaster_opts()[0]).with_name("pg_ctl")
    command = [str(binary), "-D", str(Path(PG_DIR) / "data"), *args]
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        command = ["runuser", "-u", "postgres", "--", *command]
    subprocess.run(command, check=True, capture_output=True, timeout=90)


@pytest.mark.slow
@pytest.mark.skipif(not (PG_URL and PG_DIR), reason="FEEDBACK_NLP_TEST_PG_URL/_DIR not set (scripts/pg-test-cluster.sh)")
def test_postgresql_stopped_then_started():
    import psycopg

    name = f"faults_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = PG_URL.rsplit("/", 1)[0] + "/" + name
    # postmaster.opts holds the command line the cluster was started with (port, socket dir, …)
    opts = _postmaster_opts()
    options = shlex.join(opts[1:][opts[1:].index("-D") + 2:] if "-D" in opts[1:] else opts[1:])
    try:
        with api_client(url) as (client, headers):
            check_outage(client, headers, lambda: _pg_ctl("-m", "fast", "-w", "stop"),
                         lambda: _pg_ctl("-w", "-t", "60", "-l", str(Path(PG_DIR) / "server.log"),
                                         "-o", options, "start"))
    finally:
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
