"""SMS exports: the phone is the author id (for hashing), never text."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feedback_nlp.sources import get_source
from feedback_nlp.sources.rows import phone_id

from .conftest import SAMPLES
from .helpers import split, where

MSK = timezone(timedelta(hours=3))


def test_sms_csv_sample():
    records, rejects = split(get_source("sms").iter_items([SAMPLES / "sms" / "sms_replies_2024-04.csv"]))
    assert [(r.external_id, r.metadata["author_id"], r.center_id) for r in records] == [
        ("sms-9001", "79150001001", "tver-01"),
        ("sms-9002", "79150001002", "tver-01"),
        ("sms-9003", "79870001003", "kazan-02"),
        ("sms-9005", "79130001005", "nsk-01"),
        ("sms-9006", "79130001006", "nsk-02"),
        ("sms-9007", "73430001007", "ekb-01"),
    ]
    assert records[1].text == "2. Долго ждал в очереди, консультант торопился"
    assert records[1].created_at == datetime(2024, 4, 8, 10, 15, tzinfo=MSK)
    assert all("000-10" not in r.text for r in records)
    assert {(r.source, r.source_kind) for r in records} == {("sms:sms_replies_2024-04.csv", "sms")}
    assert where(rejects) == [("sms_replies_2024-04.csv", 5, "empty text")]


def test_sms_json_gateway_sample_keeps_offsets():
    records, rejects = split(get_source("sms").iter_items([SAMPLES / "sms" / "sms_gateway_2024-04-16.json"]))
    assert rejects == []
    assert [(r.external_id, r.created_at) for r in records] == [
        ("gw-31", datetime(2024, 4, 16, 4, 12, tzinfo=timezone.utc)),
        ("gw-32", datetime(2024, 4, 16, 4, 40, tzinfo=timezone.utc)),
        ("gw-33", datetime(2024, 4, 16, 7, 5, tzinfo=timezone.utc)),
    ]
    assert records[0].metadata == {"author_id": "79120001101"}


@pytest.mark.parametrize(
    "value, expected",
    [("+7 (915) 000-10-01", "79150001001"), ("8-915-000-10-01", "79150001001"), ("9150001001", "9150001001"),
     ("short", "short")],
)
def test_phone_id(value, expected):
    assert phone_id(value) == expected
