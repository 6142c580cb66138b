"""Check digits of Russian identifiers and bank cards (pure functions on digit strings)."""
from __future__ import annotations


def digits_of(text: str) -> str:
    """Only the digits of ``text``."""
    return "".join(ch for ch in text if ch.isdigit())


def luhn_ok(digits: str) -> bool:
    """Whether a card number passes the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return len(digits) >= 12 and total % 10 == 0


def snils_ok(digits: str) -> bool:
    """Whether an 11-digit СНИЛС has a valid control number."""
    if len(digits) != 11:
        return False
    body, control = digits[:9], int(digits[9:])
    total = sum(int(d) * (9 - i) for i, d in enumerate(body))
    if total > 101:
        total %= 101
    expected = 0 if total in (100, 101) else total
    return expected == control


_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_check(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights)) % 11 % 10


def inn_ok(digits: str) -> bool:
    """Whether a 10-digit (organisation) or 12-digit (person) ИНН has valid check digits."""
    if len(digits) == 10:
        return _inn_check(digits, _INN10) == int(digits[9])
    if len(digits) == 12:
        return (_inn_check(digits, _INN12_1) == int(digits[10])
                and _inn_check(digits, _INN12_2) == int(digits[11]))
    return False
