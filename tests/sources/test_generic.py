"""Generic JSONL/CSV records with a text column."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feedback_nlp.sources import get_source

from .conftest import SAMPLES
from .helpers import split, where, write

MSK = timezone(timedelta(hours=3))


def test_generic_jsonl_sample():
    records, rejects = split(get_source("generic").iter_items([SAMPLES / "generic" / "survey_comments_2024q2.jsonl"]))
    assert [(r.external_id, r.region, r.center_id) for r in records] == [
        ("srv-001", "Тверская область", "tver-01"),
        ("srv-002", "Тверская область", "tver-02"),
        ("srv-003", "Республика Татарстан", "kazan-01"),
        ("srv-004", "Республика Татарстан", "kazan-03"),
        ("srv-006", "Новосибирская область", "nsk-02"),
        ("srv-008", "Свердловская область", "ekb-01"),
        ("srv-009", "Свердловская область", "ekb-01"),
    ]
    assert {r.source_kind for r in records} == {"survey_comment"}
    assert records[0].created_at == datetime(2024, 4, 10, tzinfo=MSK)
    assert where(rejects) == [
        ("survey_comments_2024q2.jsonl", 5, "empty text"),
        ("survey_comments_2024q2.jsonl", 7, "malformed JSON: Expecting ',' delimiter (column 173)"),
        ("survey_comments_2024q2.jsonl", 10,
         "unknown source_kind 'website'; known: social, review, media, call_center, complaint_book, sms, email, "
         "survey_comment"),
    ]


def test_generic_csv_with_kinds_ratings_and_default_kind(tmp_path):
    path = write(tmp_path / "g.csv", "text,source_kind,rating,created_at,author_id\n"
                 "a,,4,2024-04-01T10:00:00+03:00,u1\nb,email,,,\nc,,9,,\nd,,,31.02.2024,\n")
    records, rejects = split(get_source("generic", source_kind="sms").iter_items([path]))
    assert [(r.external_id, r.text, r.source_kind, r.rating, r.metadata) for r in records] == [
        ("g.csv:2", "a", "sms", 4.0, {"author_id": "u1"}),
        ("g.csv:3", "b", "email", None, {}),
    ]
    assert where(rejects) == [
        ("g.csv", 4, "rating 9 outside 1..5"),
        ("g.csv", 5, "created_at: unrecognised date '31.02.2024'"),
    ]


def test_generic_rejects_unknown_default_kind():
    with pytest.raises(ValueError, match="^unknown source_kind 'blog'"):
        get_source("generic", source_kind="blog")
