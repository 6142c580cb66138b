"""The registry of collectors: every ingest KIND is there and follows the Source contract."""
from __future__ import annotations

import pytest

from feedback_nlp.codes import SOURCE_KINDS
from feedback_nlp.sources import get_source, source_names
from feedback_nlp.sources.base import Source

from .conftest import SAMPLES

KINDS = ["call-center", "complaint-book", "email", "generic", "media-csv", "reviews", "rss", "sms", "telegram", "vk"]


def test_source_names_lists_every_kind():
    assert source_names() == KINDS


@pytest.mark.parametrize("name", KINDS)
def test_collectors_follow_the_contract(name):
    source = get_source(name)
    assert isinstance(source, Source)
    assert source.name == name
    assert source.source_kind in SOURCE_KINDS
    assert source.version == "1"


@pytest.mark.parametrize("name", KINDS)
def test_every_kind_has_a_bundled_sample_that_yields_records(name):
    folder = SAMPLES / name
    items = list(get_source(name).iter_items([folder]))
    records = [i for i in items if hasattr(i, "external_id")]
    assert 3 <= len(records) <= 40
    assert all(r.text and r.text == r.text.strip() for r in records)
    assert all(r.created_at is None or r.created_at.tzinfo is not None for r in records)
    assert all(r.author_hash is None for r in records)
    keys = [(r.source, r.external_id) for r in records]
    assert len(set(keys)) >= len(keys) - 1   # only the VK original seen again inside a repost repeats


def test_unknown_kind_names_the_known_ones():
    with pytest.raises(ValueError, match="^unknown source 'ok'; known: call-center, complaint-book, email"):
        get_source("ok")
