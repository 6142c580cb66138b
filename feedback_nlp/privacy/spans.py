"""The record of one personal-data finding and the placeholders that replace it."""
from __future__ import annotations

from dataclasses import dataclass

# PII type -> the placeholder written into stored text
PLACEHOLDERS: dict[str, str] = {
    "PER": "[ФИО]",
    "PHONE": "[ТЕЛЕФОН]",
    "EMAIL": "[EMAIL]",
    "SNILS": "[СНИЛС]",
    "PASSPORT": "[ПАСПОРТ]",
    "INN": "[ИНН]",
    "CARD": "[КАРТА]",
}
PII_TYPES: tuple[str, ...] = tuple(PLACEHOLDERS)

# Which finding wins when two overlap: structured identifiers before names before phones.
PRIORITY: dict[str, int] = {
    "EMAIL": 0, "CARD": 1, "SNILS": 2, "PASSPORT": 3, "INN": 4, "PHONE": 5, "PER": 6,
}


@dataclass(frozen=True)
class PiiSpan:
    """``text[start:end]`` is personal data of ``type``; ``recognizer`` says which rule found it."""

    start: int
    end: int
    type: str
    recognizer: str = ""


def resolve_overlaps(spans: list[PiiSpan]) -> list[PiiSpan]:
    """Non-overlapping spans in text order; on overlap the higher-priority, then longer, wins."""
    ranked = sorted(spans, key=lambda s: (PRIORITY[s.type], -(s.end - s.start), s.start))
    kept: list[PiiSpan] = []
    for span in ranked:
        if all(span.end <= k.start or span.start >= k.end for k in kept):
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def apply_placeholders(text: str, spans: list[PiiSpan]) -> str:
    """``text`` with every (non-overlapping, sorted) span replaced by its typed placeholder."""
    parts: list[str] = []
    last = 0
    for span in spans:
        parts.append(text[last:span.start])
        parts.append(PLACEHOLDERS[span.type])
        last = span.end
    parts.append(text[last:])
    return "".join(parts)
