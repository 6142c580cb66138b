"""Redaction: find personal data, replace it by typed placeholders (batch-first, slovnet style)."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from feedback_nlp.privacy.names import NerNames, find_rule_names, merge_names
from feedback_nlp.privacy.patterns import find_patterns
from feedback_nlp.privacy.spans import PiiSpan, apply_placeholders, resolve_overlaps


@dataclass(frozen=True)
class Redacted:
    """A redacted text, the spans replaced (offsets into the original) and counts per type."""

    text: str
    spans: tuple[PiiSpan, ...]

    @property
    def counts(self) -> dict[str, int]:
        return dict(Counter(s.type for s in self.spans))


class Redactor:
    """Finds names (NER + rules) and structured identifiers; ``names=None`` means patterns only."""

    def __init__(self, names: NerNames | None = None):
        self.names = names

    @classmethod
    def load(cls, ner: bool = True, batch_size: int = 64) -> Redactor:
        """A redactor with the natasha NER model loaded (``ner=False``: patterns and rules only)."""
        return cls(NerNames.load(batch_size) if ner else None)

    def find(self, texts: Sequence[str]) -> Iterator[list[PiiSpan]]:
        """Resolved personal-data spans of each text, in order."""
        ner = self.names.map(texts) if self.names is not None else iter(lambda: [], None)
        for text, ner_spans in zip(texts, ner):
            names = merge_names([*ner_spans, *find_rule_names(text)])
            yield resolve_overlaps([*find_patterns(text), *names])

    def map(self, texts: Sequence[str]) -> Iterator[Redacted]:
        """Redacted version of each text, in order."""
        for text, spans in zip(texts, self.find(texts)):
            yield Redacted(apply_placeholders(text, spans), tuple(spans))

    def __call__(self, text: str) -> Redacted:
        return next(self.map([text]))


def redact_patterns(text: str) -> str:
    """Only the cheap pattern recognizers and name rules (for short strings such as metadata)."""
    spans = resolve_overlaps([*find_patterns(text), *merge_names(find_rule_names(text))])
    return apply_placeholders(text, spans)
