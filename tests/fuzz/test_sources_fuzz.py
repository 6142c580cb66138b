"""Every collector on broken files: records or rejects with a reason, never a crash or a hang."""
from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from feedback_nlp.errors import InputError, SourceError
from feedback_nlp.schema import Feedback
from feedback_nlp.sources import Reject, get_source, source_names
from tests.fuzz.bounds import bounded
from tests.fuzz.strategies import SAMPLES, broken_file, sample_files

# (kind, seed sample): every bundled sample of every collector, so each format gets damaged.
CASES = [(kind, path) for kind in source_names() for path in sample_files(SAMPLES / "sources" / kind)]
# a failing example with a huge field is reported all the same; only its repr is large
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")
FUZZ = settings(max_examples=12, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def collect(kind: str, name: str, data: bytes) -> list[Feedback | Reject]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        with bounded():
            try:
                return list(get_source(kind).iter_items([path]))
            except (InputError, SourceError) as exc:  # a whole-file refusal must say why
                assert str(exc).strip()
                return []


def check(items: list[Feedback | Reject]) -> None:
    for item in items:
        assert isinstance(item, (Feedback, Reject)), type(item)
        if isinstance(item, Reject):
            assert item.reason.strip() and item.file
        else:
            assert isinstance(item.text, str) and item.text.strip()


def test_every_collector_has_a_sample():
    assert {kind for kind, _ in CASES} == set(source_names())


@pytest.mark.parametrize("kind, seed", CASES, ids=[f"{k}-{p.name}" for k, p in CASES])
def test_collector_survives_broken_files(kind, seed):
    raw = seed.read_bytes()

    @FUZZ
    @given(data=broken_file(raw))
    def run(data):
        check(collect(kind, seed.name, data))

    run()


EDGE_FILES = {
    "empty": b"",
    "nul": b"\x00" * 64,
    "utf16-bom": b"\xff\xfe\x00",
    "truncated-json": b'{"items": [',
    "deep-nesting": b"[" * 100_000,
    "rtl-combining-emoji": "\u202e\u0301😀\r\n".encode() * 50,
    "one-huge-line": "Очередь".encode() * 400_000,
    "deep-object": b'{"a": ' * 950 + b'"x"' + b"}" * 950,
    "deep-object-line": b'{"text": "a", "b": ' + b'{"a": ' * 950 + b'"x"' + b"}" * 951 + b"\n",
}
TABLE_KINDS = {"call-center", "complaint-book", "generic", "media-csv", "reviews", "sms"}


@pytest.mark.parametrize("name", EDGE_FILES)
@pytest.mark.parametrize("kind", source_names())
def test_collector_survives_edge_files(kind, name):
    data = EDGE_FILES[name]
    suffix = {"email": ".eml", "rss": ".xml", "telegram": ".json", "vk": ".json"}.get(kind, ".csv")
    check(collect(kind, "edge" + suffix, data))
    if kind in TABLE_KINDS:  # the same bytes as each other table format
        for suffix in (".json", ".jsonl", ".xlsx", ".tsv"):
            check(collect(kind, "edge" + suffix, data))


def test_bound_stops_a_hang():
    import time

    from tests.fuzz.bounds import Hang

    with pytest.raises(Hang):
        with bounded(0.2):
            try:
                time.sleep(5)
            except Exception:  # noqa: BLE001 - a catch-all in the code under test must not hide it
                pass
