"""Pattern recognizers for structured personal data: e-mail, card, СНИЛС, passport, ИНН, phone.

Each recognizer is a small function ``text -> Iterator[PiiSpan]`` (presidio's pattern
recognizers, without the framework). Check digits confirm bare numbers; a context word
("паспорт", "снилс", "инн", "карт") confirms numbers whose check digits fail or that have none.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from feedback_nlp.privacy.checksums import digits_of, inn_ok, luhn_ok, snils_ok
from feedback_nlp.privacy.spans import PiiSpan

CONTEXT_WINDOW = 40  # characters before a number searched for a context word

EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[^\W\d_]{2,}(?!\w)")

# A run of digits with the separators people type: spaces, dashes, dots, brackets, a leading +.
NUMBER_RE = re.compile(r"(?<![\w+\-/.,])(?:\+\s?)?\(?\d(?:[\d\-()]|\s(?=[\d(]))*\d\)?(?![\w])|"
                       r"(?<![\w+\-/.,])\+?\d(?![\w])")

SNILS_RE = re.compile(r"(?<!\d)\d{3}[\- ]\d{3}[\- ]\d{3}[\- ]\d{2}(?!\d)")
PASSPORT_SERIES_RE = re.compile(
    r"(?i)(?<!\w)сери[яиюей]\w*\s*:?\s*(\d{2}\s?\d{2})[\s,]*"
    r"(?:(?:номер|ном\.|№|n|no)\s*:?\s*)?(\d{6})(?!\d)")
PASSPORT_FORMAT_RE = re.compile(r"(?<![\d\-])\d{2}\s\d{2}\s(?:№\s?)?\d{6}(?![\d\-])|"
                                r"(?<![\d\-])\d{4}\s(?:№\s?)?\d{6}(?![\d\-])")

PASSPORT_CONTEXT = re.compile(r"(?i)паспорт|серия|удостоверени")
SNILS_CONTEXT = re.compile(r"(?i)снилс|страхов\w* (?:номер|свидетельств)|пенсионн")
INN_CONTEXT = re.compile(r"(?i)(?<!\w)инн(?!\w)")
CARD_CONTEXT = re.compile(r"(?i)карт[аыуеойч]|card|visa|мир(?!\w)|сбер")
PHONE_CONTEXT = re.compile(r"(?i)тел|звон|номер|позвон|моб|сот|whatsapp|ватсап|вайбер|viber")


def _context(text: str, start: int, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text, max(0, start - CONTEXT_WINDOW), start) is not None


def find_emails(text: str) -> Iterator[PiiSpan]:
    """E-mail addresses, Cyrillic domains included."""
    for m in EMAIL_RE.finditer(text):
        yield PiiSpan(m.start(), m.end(), "EMAIL", "email")


def find_snils(text: str) -> Iterator[PiiSpan]:
    """СНИЛС in its printed form ``123-456-789 01`` (with or without check digits)."""
    for m in SNILS_RE.finditer(text):
        value = m.group()
        if "-" in value or snils_ok(digits_of(value)) or _context(text, m.start(), SNILS_CONTEXT):
            yield PiiSpan(m.start(), m.end(), "SNILS", "snils_format")


def find_passports(text: str) -> Iterator[PiiSpan]:
    """Passport series and number: ``серия 45 09 № 123456``, ``4509 123456``, ``45 09 123456``."""
    for m in PASSPORT_SERIES_RE.finditer(text):
        yield PiiSpan(m.start(1), m.end(2), "PASSPORT", "passport_series")
    for m in PASSPORT_FORMAT_RE.finditer(text):
        yield PiiSpan(m.start(), m.end(), "PASSPORT", "passport_format")


def _classify_number(text: str, start: int, end: int) -> str | None:
    """The PII type of a bare digit run, or None when it looks like an ordinary number."""
    raw = text[start:end]
    digits = digits_of(raw)
    n = len(digits)
    separators = sum(1 for ch in raw if ch in "-() ")
    if 13 <= n <= 19 and (luhn_ok(digits) or _context(text, start, CARD_CONTEXT)):
        return "CARD"
    if n == 11 and _context(text, start, SNILS_CONTEXT):
        return "SNILS"
    if n in (10, 12) and _context(text, start, INN_CONTEXT):
        return "INN"
    if n == 10 and _context(text, start, PASSPORT_CONTEXT):
        return "PASSPORT"
    if raw.startswith("+7") and n == 11:
        return "PHONE"
    if n == 11 and digits[0] in "78" and (separators or digits[1] in "9834"):
        return "PHONE"
    if n == 10 and ("(" in raw or (digits[0] == "9" and (separators or _context(text, start, PHONE_CONTEXT)))):
        return "PHONE"
    if n == 11 and snils_ok(digits) and separators == 0:
        return "SNILS"
    if n in (10, 12) and separators == 0 and inn_ok(digits):
        return "INN"
    if n in (5, 6, 7) and raw.count("-") >= 2 and re.fullmatch(r"\d{1,3}-\d{2}-\d{2}", raw):
        return "PHONE"
    if n in (6, 7, 10) and _context(text, start, PHONE_CONTEXT) and separators >= 1 \
            and not re.fullmatch(r"\d{1,3}(?: \d{3})+", raw):
        return "PHONE"
    return None


def find_numbers(text: str) -> Iterator[PiiSpan]:
    """Phones, cards, ИНН and context-confirmed СНИЛС/passports among bare digit runs."""
    for m in NUMBER_RE.finditer(text):
        start, end = m.start(), m.end()
        # a closing bracket with no opening one in the run is punctuation, not part of the number
        if text[end - 1] == ")" and "(" not in text[start:end]:
            end -= 1
        if text[start] == "(" and ")" not in text[start:end]:
            start += 1
        kind = _classify_number(text, start, end)
        if kind is not None:
            yield PiiSpan(start, end, kind, "number")


PATTERN_RECOGNIZERS: tuple[Callable[[str], Iterator[PiiSpan]], ...] = (
    find_emails, find_snils, find_passports, find_numbers,
)


def find_patterns(text: str) -> list[PiiSpan]:
    """Every structured personal-data span of ``text`` (possibly overlapping)."""
    if not any(ch.isdigit() or ch == "@" for ch in text):
        return []
    return [span for find in PATTERN_RECOGNIZERS for span in find(text)]
