import pytest

from feedback_nlp.privacy.checksums import inn_ok, luhn_ok, snils_ok
from feedback_nlp.privacy.patterns import find_patterns
from feedback_nlp.privacy.spans import resolve_overlaps


def found(text: str) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.type) for s in resolve_overlaps(find_patterns(text))]


@pytest.mark.parametrize("text, expected", [
    # phones: +7 / 8, spaces, dashes, brackets, local numbers
    ("Звоните +7 (912) 345-67-89", [("+7 (912) 345-67-89", "PHONE")]),
    ("тел. 8-800-555-35-35.", [("8-800-555-35-35", "PHONE")]),
    ("номер 8(4822)55-12-34, никто", [("8(4822)55-12-34", "PHONE")]),
    ("мой 89051234567", [("89051234567", "PHONE")]),
    ("+79261112233 звонила", [("+79261112233", "PHONE")]),
    ("Перезвоните 8 903 765 43 21", [("8 903 765 43 21", "PHONE")]),
    ("справочная 55-12-34", [("55-12-34", "PHONE")]),
    ("(4822) 34-56-78 — приёмная", [("(4822) 34-56-78", "PHONE")]),
    # e-mails, Cyrillic domains too
    ("пишите на ivanova.m@mail.ru;", [("ivanova.m@mail.ru", "EMAIL")]),
    ("маша@почта.рф", [("маша@почта.рф", "EMAIL")]),
    # СНИЛС, passport, ИНН, card
    ("СНИЛС 112-233-445 95", [("112-233-445 95", "SNILS")]),
    ("снилс 11223344595", [("11223344595", "SNILS")]),
    ("паспорт 45 09 123456, выдан", [("45 09 123456", "PASSPORT")]),
    ("серия 2814 номер 456789", [("2814 номер 456789", "PASSPORT")]),
    ("паспорт 4509654321", [("4509654321", "PASSPORT")]),
    ("ИНН 7707083893", [("7707083893", "INN")]),
    ("мой 500100732259", [("500100732259", "INN")]),
    ("карта 4276 3800 1234 5675", [("4276 3800 1234 5675", "CARD")]),
    ("2202-2023-4567-8901", []),  # fails Luhn and no context word
    # look-alike numbers stay
    ("Пособие 12 792 рубля с 01.02.2023", []),
    ("Звонок № 456123 от 12.05.2022 в 10:41, длительность 00:03:15", []),
    ("выплата 2022-06-01, сумма 4 500 руб.", []),
    ("г. Казань, ул. Островского, д. 10, каб. 214", []),
    ("обращение 78/2023 закрыто, окно № 2", []),
    ("курсы по 1С длились 72 часа", []),
])
def test_patterns_find_exact_values(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("digits, ok", [
    ("4276380012345679", True), ("4276380012345675", False), ("79927398713", False),
])
def test_checksums_luhn(digits, ok):
    assert luhn_ok(digits) is ok


@pytest.mark.parametrize("digits, ok", [
    ("11223344595", True), ("11223344596", False), ("1122334459", False),
])
def test_checksums_snils(digits, ok):
    assert snils_ok(digits) is ok


@pytest.mark.parametrize("digits, ok", [
    ("7707083893", True), ("7707083894", False), ("500100732259", True), ("500100732258", False),
])
def test_checksums_inn(digits, ok):
    assert inn_ok(digits) is ok
