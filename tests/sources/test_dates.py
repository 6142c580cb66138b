"""Dates of sources to aware datetimes: local times are Moscow time."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from feedback_nlp.sources.dates import parse_datetime

MSK = timezone(timedelta(hours=3))
UTC = timezone.utc


@pytest.mark.parametrize(
    "value, expected",
    [
        # Russian forms, local time
        ("12.03.2024", datetime(2024, 3, 12, tzinfo=MSK)),
        ("12.03.2024 14:05", datetime(2024, 3, 12, 14, 5, tzinfo=MSK)),
        ("12.03.2024 14:05:33", datetime(2024, 3, 12, 14, 5, 33, tzinfo=MSK)),
        ("12 марта 2024", datetime(2024, 3, 12, tzinfo=MSK)),
        ("12 марта 2024 г., 14:05", datetime(2024, 3, 12, 14, 5, tzinfo=MSK)),
        # ISO with and without zone
        ("2024-03-12T14:05:00", datetime(2024, 3, 12, 14, 5, tzinfo=MSK)),
        ("2024-03-12 14:05", datetime(2024, 3, 12, 14, 5, tzinfo=MSK)),
        ("2024-03-12T11:05:00Z", datetime(2024, 3, 12, 11, 5, tzinfo=UTC)),
        ("2024-03-12T16:05:00+05:00", datetime(2024, 3, 12, 11, 5, tzinfo=UTC)),
        # RFC 2822 and unix
        ("Tue, 12 Mar 2024 14:05:00 +0300", datetime(2024, 3, 12, 11, 5, tzinfo=UTC)),
        ("1710241500", datetime(2024, 3, 12, 11, 5, tzinfo=UTC)),
        (1710241500, datetime(2024, 3, 12, 11, 5, tzinfo=UTC)),
        # typed cells
        (datetime(2024, 3, 12, 14, 5), datetime(2024, 3, 12, 14, 5, tzinfo=MSK)),
        (date(2024, 3, 12), datetime(2024, 3, 12, tzinfo=MSK)),
        # nothing
        ("", None), ("   ", None), (None, None),
    ],
)
def test_parse_datetime(value, expected):
    parsed = parse_datetime(value)
    assert parsed == expected
    assert parsed is None or parsed.tzinfo is not None


@pytest.mark.parametrize("value", ["31.04.2024", "вчера", "32 марта 2024", "2024-13-01"])
def test_parse_datetime_rejects_bad_values(value):
    with pytest.raises(ValueError, match=f"^unrecognised date '{value}'$"):
        parse_datetime(value)
