import pytest

from feedback_nlp.privacy import Redactor


@pytest.fixture(scope="session")
def redactor() -> Redactor:
    return Redactor.load()
