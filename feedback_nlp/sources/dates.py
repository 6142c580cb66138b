"""Dates of sources to timezone-aware datetimes (local times are Moscow time)."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

try:
    from zoneinfo import ZoneInfo

    MOSCOW = ZoneInfo("Europe/Moscow")
except Exception:  # pragma: no cover - no tz database on the host: Moscow is UTC+3 since 2014
    MOSCOW = timezone(timedelta(hours=3), "MSK")  # type: ignore[assignment]

_FORMATS = (
    "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y, %H:%M", "%d.%m.%Y",
    "%d.%m.%y %H:%M", "%d.%m.%y", "%d/%m/%Y %H:%M", "%d/%m/%Y",
)
_MONTHS = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
_RUSSIAN = re.compile(
    r"^(\d{1,2})\s+([а-я]+)\s+(\d{4})(?:\s*(?:г\.?)?,?\s*(?:в\s+)?(\d{1,2}):(\d{2}))?$", re.IGNORECASE
)
_UNIX = re.compile(r"^\d{9,11}(\.\d+)?$")


def from_unix(seconds: float | int | str) -> datetime:
    """A unix timestamp as an aware UTC datetime."""
    return datetime.fromtimestamp(float(seconds), tz=timezone.utc)


def parse_datetime(value: object, tz: timezone | ZoneInfo = MOSCOW) -> datetime | None:
    """An aware datetime from ISO, Russian (12.03.2024, 12 марта 2024), RFC 2822 or unix values.

    Empty values give None; times without a zone are taken in ``tz`` (Moscow); an unreadable
    value raises ValueError.
    """
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=tz)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return from_unix(value)
    text = " ".join(str(value).split())
    if not text:
        return None
    if _UNIX.match(text):
        return from_unix(text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = _parse_other(text)
    if parsed is None:
        raise ValueError(f"unrecognised date {text!r}")
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)


def _parse_other(text: str) -> datetime | None:
    for fmt in _FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    match = _RUSSIAN.match(text)
    if match and match.group(2).lower() in _MONTHS:
        day, month, year = int(match.group(1)), _MONTHS[match.group(2).lower()], int(match.group(3))
        hour, minute = int(match.group(4) or 0), int(match.group(5) or 0)
        try:
            return datetime(year, month, day, hour, minute)
        except ValueError:
            return None
    if "," in text or re.search(r"[A-Za-z]{3}", text):
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return None
