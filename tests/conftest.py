"""Shared fixtures: a store URL per test, on SQLite and (when configured) on PostgreSQL.

The PostgreSQL variant runs when ``FEEDBACK_NLP_TEST_PG_URL`` names a server where the tests
may create databases (``eval "$(scripts/pg-test-cluster.sh start)"`` starts a throwaway one);
each test gets a fresh database, dropped afterwards.
"""
from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

PG_ENV = "FEEDBACK_NLP_TEST_PG_URL"
BACKENDS = ("sqlite", "postgresql")


def pg_base_url() -> str | None:
    """The configured test server's URL, or None."""
    return os.environ.get(PG_ENV) or None


@contextmanager
def fresh_pg_database(base_url: str) -> Iterator[str]:
    """URL of a new, empty database on the server of ``base_url``; dropped on exit."""
    import psycopg
    from sqlalchemy.engine import make_url

    name = f"fnlp_test_{uuid.uuid4().hex[:16]}"
    admin = make_url(base_url).set(drivername="postgresql")
    conninfo = admin.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield admin.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def backend_url(backend: str, tmp_path) -> Iterator[str]:
    """Store URL of ``backend`` for one test (skips PostgreSQL when it is not configured)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'feedback.db'}"
        return
    base = pg_base_url()
    if base is None:
        pytest.skip(f"PostgreSQL variant: set {PG_ENV} to a server URL "
                    "(eval \"$(scripts/pg-test-cluster.sh start)\")")
    with fresh_pg_database(base) as url:
        yield url


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> Iterator[str]:
    """A fresh store URL: SQLite file, and PostgreSQL database when configured."""
    yield from backend_url(request.param, tmp_path)
