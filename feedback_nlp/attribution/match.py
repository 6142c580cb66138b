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
CACHE_SIZE = 100_000  # words remembered per cache; cleared when full


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
        self._known: set[str] = set()       # words already checked …
        self._starting: set[str] = set()    # … and those of them that may start an entry
        self._forms_cache: dict[str, frozenset[str]] = {}
        for e in entries:
            self.index.setdefault(e.lemmas[0], []).append(e)
            for lem in e.lemmas:
                self.prefixes.add(lem[:3])
        # numbers are most of the distinct words of a stream; skip them unless an entry starts so
        self.skip_numbers = not any(first[:1].isdigit() for first in self.index)

    def _forms(self, word: str) -> frozenset[str]:
        forms = self._forms_cache.get(word)
        if forms is None:
            forms = self._compute_forms(word)
            if len(self._forms_cache) >= CACHE_SIZE:  # bounded: streaming memory stays flat
                self._forms_cache.clear()
            self._forms_cache[word] = forms
        return forms

    def _compute_forms(self, word: str) -> frozenset[str]:
        low = word.lower().replace("ё", "е")
        # a word whose first letters start no gazetteer lemma can't match: skip pymorphy
        if low[:3] not in self.prefixes:
            return frozenset((low,))
        return normal_forms(low)

    def _starters(self, words: list[str]) -> set[str]:
        """The words among ``words`` that may start an entry (set operations, cached per word)."""
        distinct = set(words)
        new = distinct - self._known
        if new:
            if len(self._known) >= CACHE_SIZE:
                self._known.clear()
                self._starting.clear()
                new = distinct
            for w in new:
                if self.skip_numbers and w.isdigit():
                    continue
                if any(f in self.index for f in self._forms(w)):
                    self._starting.add(w)
            self._known |= new
        return distinct & self._starting

    def find(self, text: str) -> list[Hit]:
        """Every (longest, non-overlapping) phrase hit in ``text``, in order."""
        words = WORD_RE.findall(text)
        # fast path: most texts have no word that starts any entry
        starters = self._starters(words)
        if not starters:
            return []
        forms: dict[int, frozenset[str]] = {}

        def forms_at(k: int) -> frozenset[str]:
            f = forms.get(k)
            if f is None:
                f = forms[k] = self._forms(words[k])
            return f

        starts: list[int] = []
        hits: list[Hit] = []
        i = 0
        # only positions whose word may start an entry are tried; the scan is otherwise the
        # same greedy left-to-right, longest-first one
        for j in _positions(words, starters):
            if j < i:
                continue
            best: tuple[int, Entry] | None = None
            candidates = [e for f in forms_at(j) for e in self.index.get(f, ())]
            for e in candidates:
                n = len(e.lemmas)
                if j + n > len(words) or any(lem not in forms_at(j + k)
                                             for k, lem in enumerate(e.lemmas)):
                    continue
                if not self._fits(e, words, j):
                    continue
                if best is None or n > best[0] or (n == best[0] and e.weight > best[1].weight):
                    best = (n, e)
            if best is None:
                continue
            n, e = best
            # offsets of the words up to the hit: each word is found after the previous one
            # (only non-word characters lie between two tokens)
            while len(starts) < j + n:
                k = len(starts)
                starts.append(text.find(words[k], starts[-1] + len(words[k - 1]) if k else 0))
            hits.append(Hit(e, starts[j], starts[j + n - 1] + len(words[j + n - 1])))
            i = j + n
        return hits

    @staticmethod
    def _fits(e: Entry, words: list[str], i: int) -> bool:
        word = words[i]
        if e.surface is not None:
            return word == e.surface or word.upper() == e.surface.replace(" ", "") \
                and word.isupper()
        if e.capitalised and not word[:1].isupper():
            return False
        if e.weak:
            return i > 0 and words[i - 1].lower() in LOCATIVE
        return True


def _positions(words: list[str], wanted: set[str]) -> list[int]:
    """Sorted indices of ``words`` that are in ``wanted`` (``list.index`` scans in C)."""
    found: list[int] = []
    for w in wanted:
        j = -1
        while True:
            try:
                j = words.index(w, j + 1)
            except ValueError:
                break
            found.append(j)
    found.sort()
    return found
