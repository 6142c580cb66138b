from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from feedback_nlp.privacy import Redactor
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.store import open_store


class ListSource:
    """A tiny in-test collector: yields the records it was given."""

    name = "test-list"
    version = "1"
    source_kind = "social"

    def __init__(self, records: Sequence[Feedback | Reject]):
        self.records = records

    def iter_items(self, paths: Sequence[Path]) -> Iterator[Feedback | Reject]:
        yield from self.records


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    return Redactor.load()


@pytest.fixture
def store(store_url):  # SQLite, and PostgreSQL with FEEDBACK_NLP_TEST_PG_URL (tests/conftest.py)
    s = open_store(store_url)
    yield s
    s.close()
