"""Person names: natasha/slovnet NER (batched) plus rules for forms the news-trained model misses.

Rules: initials ("Иванова И.И.", "И. И. Иванова"), a role word followed by a name
("инспектор Петрова" — the role word stays), a first name with a patronymic ("Ольга Николаевна").
NER runs only on texts with a capitalised word that could be a name (pymorphy3 tags it
Name/Surn/Patr, or it is unknown to the dictionary and not at a sentence start): most feedback
has none, and skipping it is what makes redaction fast.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from feedback_nlp.attribution.lemmas import is_known, name_tags
from feedback_nlp.privacy.spans import PiiSpan

CAPITALISED_RE = re.compile(r"(?<![\w-])[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?(?![\w])")
SENTENCE_START_RE = re.compile(r"(?:^|[.!?…]\s*|\n\s*|[«\"(]\s*|[-–—]\s+)$")

_NAME_WORD = r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁ][а-яё]+)?"
INITIALS_AFTER_RE = re.compile(rf"(?<![\w.]){_NAME_WORD}\s+[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.)?")
INITIALS_BEFORE_RE = re.compile(rf"(?<![\w.])[А-ЯЁ]\.\s?(?:[А-ЯЁ]\.\s?)?{_NAME_WORD}(?![\w])")

ROLE_WORDS = (
    "инспектор", "специалист", "консультант", "директор", "начальник", "сотрудник", "сотрудниц",
    "руководител", "заведующ", "оператор", "менеджер", "юрист", "психолог", "методист",
    "заместител", "замдиректор", "работниц", "работник", "куратор", "карьерн", "девушк",
    "женщин", "мужчин", "охранник", "секретар", "администратор", "наставник", "преподавател",
    "сосед", "муж", "жена", "сын", "дочь", "дочк", "мам", "пап", "брат", "сестр", "гражданин",
    "гражданк", "заявител", "клиент", "соискател", "коллег",
)
ROLE_RE = re.compile(
    rf"(?i:(?<![\w])(?:{'|'.join(ROLE_WORDS)})[а-яё]*\.?)\s+((?:{_NAME_WORD})(?:\s+{_NAME_WORD}){{0,2}})")


def _sentence_initial(text: str, start: int) -> bool:
    return SENTENCE_START_RE.search(text, max(0, start - 4), start) is not None or start == 0


def may_have_names(text: str) -> bool:
    """Cheap gate: whether NER is worth running on ``text``."""
    for m in CAPITALISED_RE.finditer(text):
        word = m.group()
        if name_tags(word):
            return True
        if not _sentence_initial(text, m.start()) and not is_known(word.lower()):
            return True
    return False


def _name_like(word: str) -> bool:
    return bool(name_tags(word)) or not is_known(word.lower())


def find_rule_names(text: str) -> Iterator[PiiSpan]:
    """Names the rules see: initials, role word + name, first name + patronymic."""
    for regex in (INITIALS_AFTER_RE, INITIALS_BEFORE_RE):
        for m in regex.finditer(text):
            word = re.search(_NAME_WORD, m.group()).group()  # type: ignore[union-attr]
            if _name_like(word):
                yield PiiSpan(m.start(), m.end(), "PER", "initials")
    for m in ROLE_RE.finditer(text):
        words = list(re.finditer(_NAME_WORD, m.group(1)))
        taken = []
        for w in words:
            if not name_tags(w.group()):
                break
            taken.append(w)
        if taken:
            base = m.start(1)
            yield PiiSpan(base + taken[0].start(), base + taken[-1].end(), "PER", "role")
    words = list(CAPITALISED_RE.finditer(text))
    for first, second in zip(words, words[1:]):
        gap = text[first.end():second.start()]
        if gap.strip() == "" and "Name" in name_tags(first.group()) \
                and "Patr" in name_tags(second.group()):
            yield PiiSpan(first.start(), second.end(), "PER", "name_patronymic")


class NerNames:
    """Batched natasha NewsNERTagger restricted to PER spans."""

    name = "natasha.NewsNERTagger"

    def __init__(self, tagger: Any):
        self.tagger = tagger

    @classmethod
    def load(cls, batch_size: int = 64) -> NerNames:
        """Load the NER model shipped inside the natasha package (no download)."""
        from natasha import NewsEmbedding, NewsNERTagger

        tagger = NewsNERTagger(NewsEmbedding())
        tagger.batch_size = batch_size
        tagger.infer.encoder.batch_size = batch_size
        return cls(tagger)

    def map(self, texts: Sequence[str]) -> Iterator[list[PiiSpan]]:
        """PER spans of each text, in order; only sentences with name candidates go to the model.

        NER costs time in proportion to the words it reads, and a name is recognised from its
        own sentence, so a 300-character post with one name costs one sentence, not ten.
        """
        parts: list[tuple[int, int, int]] = []   # (text index, start, end) of candidate runs
        for i, text in enumerate(texts):
            if may_have_names(text):
                parts.extend((i, start, end) for start, end in candidate_runs(text))
        found: dict[int, list[PiiSpan]] = {}
        # sort by length so batches pad little
        parts.sort(key=lambda p: p[2] - p[1])
        chunks = [texts[i][start:end] for i, start, end in parts]
        for (i, start, _), markup in zip(parts, self.tagger.map(chunks)):
            found.setdefault(i, []).extend(
                _trim(texts[i], PiiSpan(start + s.start, start + s.stop, "PER", "ner"))
                for s in markup.spans if s.type == "PER")
        for i in range(len(texts)):
            yield sorted(found.get(i, []), key=lambda s: s.start)


SENTENCE_GAP_RE = re.compile(r"(?<=[.!?…;])\s+|\n\s*")


def candidate_runs(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of runs of consecutive sentences of ``text`` that may hold a name."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in SENTENCE_GAP_RE.finditer(text):
        bounds.append((start, m.start()))
        start = m.end()
    bounds.append((start, len(text)))
    runs: list[tuple[int, int]] = []
    for start, end in bounds:
        if end <= start or not may_have_names(text[start:end]):
            continue
        if runs and text[runs[-1][1]:start].strip() == "":
            runs[-1] = (runs[-1][0], end)   # neighbours stay one piece: context for the model
        else:
            runs.append((start, end))
    return runs


def _trim(text: str, span: PiiSpan) -> PiiSpan:
    start, end = span.start, span.end
    while end > start and not (text[end - 1].isalnum() or text[end - 1] == "."):
        end -= 1
    return PiiSpan(start, end, span.type, span.recognizer)


def merge_names(spans: Iterable[PiiSpan]) -> list[PiiSpan]:
    """Union of overlapping or touching PER spans (NER "Иванова" + rule "Иванова И.И.")."""
    merged: list[PiiSpan] = []
    for s in sorted(spans, key=lambda s: (s.start, -s.end)):
        if merged and s.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = PiiSpan(last.start, max(last.end, s.end), "PER", last.recognizer)
        else:
            merged.append(s)
    return merged
