"""Fixtures of the report tests: one filled store per module, its report built once."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from feedback_nlp.reports import Report
from feedback_nlp.reports.load import load_report
from feedback_nlp.store import Store, open_store
from tests.reports.helpers import PERIOD, make_store


@pytest.fixture(scope="package")
def store_url(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, dict[str, str]]:
    return make_store(tmp_path_factory.mktemp("reports") / "store.db")


@pytest.fixture
def store(store_url) -> Iterator[Store]:
    s = open_store(store_url[0])
    yield s
    s.close()


@pytest.fixture(scope="package")
def report(store_url) -> Report:
    s = open_store(store_url[0])
    try:
        return load_report(PERIOD, store=s)
    finally:
        s.close()


@pytest.fixture(scope="package")
def written(report, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from feedback_nlp.reports import write_report

    return write_report(report, tmp_path_factory.mktemp("out"))
