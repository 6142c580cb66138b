"""Lemma matching of gazetteer and center phrases in a text."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from feedback_nlp.attribution.gazetteer import Entry
from feedback_nlp.attribution.lemmas import normal_forms

WORD_RE = re.compile(r"[0-9A-Za-zА-Яа-яЁё]+(?:-[0-9A-Za-zА-Яа-яЁё]+)*")
LOCATIVE = frozenset({"в", "во", "из", "г", "город", "города", "городе", "городу", "под",
                      "по", "до", "на"})
MAX_WORDS = 6


@dataclass(frozen=True)
class Hit:
    """An entry found at ``text[start:end]``."""

    entry: Entry
    start: int
    end: int


class Matcher:
    """Finds gazetteer/center phrases by lemmas; lemmatises only words that could match."""

    def __init__(self, entries: Iterable[Entry]):
        self.index: dict[str, list[Entry]] = {}
        self.prefixes: set[str] = set()
        self._word_cache: dict[str, bool] = {}
        self._forms_cache: dict[str, frozenset[str]] = {}
        for e in entries:
            self.index.setdefault(e.lemmas[0], []).append(e)
            for lem in e.lemmas:
                self.prefixes.add(lem[:3])

    def _forms(self, word: str) -> frozenset[str]:
        forms = self._forms_cache.get(word)
        if forms is None:
            forms = self._compute_forms(word)
            if len(self._forms_cache) < 500_000:
                self._forms_cache[word] = forms
        return forms

    def _compute_forms(self, word: str) -> frozenset[str]:
        low = word.lower().replace("ё", "е")
        # a word whose first letters start no gazetteer lemma can't match: skip pymorphy
        if low[:3] not in self.prefixes:
            return frozenset((low,))
        return normal_forms(low)

    def _may_match(self, word: str) -> bool:
        hit = self._word_cache.get(word)
        if hit is None:
            hit = any(f in self.index for f in self._forms(word))
            if len(self._word_cache) < 500_000:
                self._word_cache[word] = hit
        return hit

    def find(self, text: str) -> list[Hit]:
        """Every (longest, non-overlapping) phrase hit in ``text``, in order."""
        # fast path: most texts have no word that starts any entry
        if not any(self._may_match(w) for w in WORD_RE.findall(text)):
            return []
        words = list(WORD_RE.finditer(text))
        forms = [self._forms(w.group()) for w in words]
        hits: list[Hit] = []
        i = 0
        while i < len(words):
            best: tuple[int, Entry] | None = None
            candidates = [e for f in forms[i] for e in self.index.get(f, ())]
            for e in candidates:
                n = len(e.lemmas)
                if i + n > len(words) or any(lem not in forms[i + k]
                                             for k, lem in enumerate(e.lemmas)):
                    continue
                if not self._fits(e, words, i, text):
                    continue
                if best is None or n > best[0] or (n == best[0] and e.weight > best[1].weight):
                    best = (n, e)
            if best is None:
                i += 1
                continue
            n, e = best
            hits.append(Hit(e, words[i].start(), words[i + n - 1].end()))
            i += n
        return hits

    @staticmethod
    def _fits(e: Entry, words: list[re.Match[str]], i: int, text: str) -> bool:
        word = words[i].group()
        if e.surface is not None:
            return word == e.surface or word.upper() == e.surface.replace(" ", "") \
                and word.isupper()
        if e.capitalised and not word[:1].isupper():
            return False
        if e.weak:
            return i > 0 and words[i - 1].group().lower() in LOCATIVE
        return True
