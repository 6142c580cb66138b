from __future__ import annotations

from pathlib import Path

import pytest

import feedback_nlp

SAMPLES = Path(feedback_nlp.__file__).parent / "samples" / "sources"
FIXTURES = Path(__file__).parent / "fixtures"


class FakeClock:
    """A clock whose ``sleep`` only advances time and records the pauses."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
