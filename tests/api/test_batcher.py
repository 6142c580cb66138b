from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from api.batcher import MicroBatcher
from api.model import model_names
from tests.api.conftest import FakeModel


class SlowModel(FakeModel):
    def __init__(self) -> None:
        super().__init__()
        self.sizes: list[int] = []

    def map(self, texts):
        texts = list(texts)
        self.sizes.append(len(texts))
        time.sleep(0.05)
        return super().map(texts)


def test_results_are_those_of_the_model_in_order():
    model = FakeModel()
    batcher = MicroBatcher(model)
    texts = ["ЦЗН: грубо", "погода", "очередь", ""]
    try:
        assert [p.to_dict() for p in batcher.map(texts)] == [p.to_dict() for p in FakeModel().map(texts)]
        assert list(batcher.map([])) == []
        assert model_names(batcher) == ("fake", "0", "fake-v0")
    finally:
        batcher.close()


def test_concurrent_requests_share_batches():
    model = SlowModel()
    batcher = MicroBatcher(model)
    try:
        with ThreadPoolExecutor(16) as pool:
            results = list(pool.map(lambda n: [p.relevant for p in batcher.map([f"ЦЗН {n}", "погода"])], range(32)))
    finally:
        batcher.close()
    assert results == [[True, False]] * 32
    assert sum(model.sizes) == 64 and len(model.sizes) < 32 and max(model.sizes) > 2


def test_model_errors_reach_every_waiting_caller():
    class Broken(FakeModel):
        def map(self, texts):
            raise RuntimeError("broken")

    batcher = MicroBatcher(Broken())
    try:
        with pytest.raises(RuntimeError, match="broken"):
            list(batcher.map(["x"]))
        assert threading.active_count() >= 1
    finally:
        batcher.close()
