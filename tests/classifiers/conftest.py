"""Heavy objects once per session: the bundled model and the rule set."""
from __future__ import annotations

import pytest

from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.classifiers.rules import RuleSet


@pytest.fixture(scope="session")
def model():
    return load_default_model()


@pytest.fixture(scope="session")
def rules():
    return RuleSet.default()
