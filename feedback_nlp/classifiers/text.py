"""Normalisation and segmentation: tokens with offsets, cached pymorphy3 lemmas, clauses.

Tokens are found with one regular expression rather than ``razdel.tokenize``: razdel's rule
engine costs ~200 µs on a 300-character text (measured), the whole per-text budget of the
5,000 texts/s target. The expression keeps razdel's word atoms (hyphenated words, numbers with
a decimal separator, one token per punctuation mark or emoji); ``tests/classifiers`` checks the
two agree on word tokens of corpus-like texts.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import accumulate, chain

import numpy as np

TOKEN_RE = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[.,]\d+)?(?:-[^\W\d_]+)?|[^\w\s]", re.UNICODE)
_TOKEN_SPLIT = re.compile(f"({TOKEN_RE.pattern})")   # split() keeps the tokens and the gaps between them


def _char_ranges(codes: Sequence[int]) -> str:
    """A regular-expression character class body of the sorted code points ``codes``."""
    out, i = [], 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        out.append(f"\\u{codes[i]:04x}" + (f"-\\u{codes[j]:04x}" if j > i else ""))
        i = j + 1
    return "".join(out)


def _fast_split() -> tuple[re.Pattern, re.Pattern]:
    """``_TOKEN_SPLIT`` restricted to the characters of Russian and European texts, and the
    pattern finding a character outside them. The Unicode classes of ``TOKEN_RE`` (``[^\\W\\d_]``,
    ``\\d``, ``[^\\w\\s]``) cost the regex engine a category look-up per character; explicit
    ranges of the same characters split a 300-character text ~5 µs faster. The classes are
    computed from ``TOKEN_RE``'s own, so on a text made of these characters both patterns agree
    (tests/classifiers/test_text.py); other texts take ``_TOKEN_SPLIT``."""
    codes = [*range(0x250), *range(0x400, 0x530), *range(0x2000, 0x2070), *range(0x20A0, 0x20C0), 0x2116]
    kinds: dict[str, list[int]] = {"letter": [], "digit": [], "mark": []}
    for code in codes:
        char = chr(code)
        if re.fullmatch(r"[^\W\d_]", char):
            kinds["letter"].append(code)
        elif re.fullmatch(r"\d", char):
            kinds["digit"].append(code)
        elif re.fullmatch(r"[^\w\s]", char):
            kinds["mark"].append(code)
    letter, digit, mark = (_char_ranges(kinds[k]) for k in ("letter", "digit", "mark"))
    split = re.compile(f"([{letter}]+(?:[-'][{letter}]+)*|[{digit}]+(?:[.,][{digit}]+)?(?:-[{letter}]+)?|[{mark}])")
    return split, re.compile(f"[^{_char_ranges(codes)}]")


_FAST_SPLIT, _OUTSIDE_FAST = _fast_split()
SENTENCE_END = frozenset(".!?…\n")
# "вежливо, но долго" → two clauses; the connective opens the new clause.
CLAUSE_OPENERS = frozenset({"но", "а", "однако", "зато", "хотя", "правда"})
CLAUSE_MARKS = frozenset({";"})
BOUNDARY_TOKENS = CLAUSE_OPENERS | SENTENCE_END | CLAUSE_MARKS
# A negator scopes over the next few words of its clause, up to punctuation:
# «совсем не пришлось ждать» → прийтись, ждать negated; «не очень вежлива» → очень, вежливый.
NEGATORS = frozenset({"не", "ни", "нет", "без", "никак", "нельзя", "ничуть", "отнюдь"})
NEGATION_SCOPE = 3
_MARKS = BOUNDARY_TOKENS | NEGATORS


@lru_cache(maxsize=1)
def _morph():
    import pymorphy3  # imported lazily: building the analyzer costs ~0.1 s

    return pymorphy3.MorphAnalyzer()


@lru_cache(maxsize=1)
def _quick_lemmatizer():
    """A function giving ``_morph().parse(form)[0].normal_form`` for most words and None for
    the rest, which ``lemmatize`` leaves to ``parse``; None itself when the analyzer is not set
    up as assumed here (pymorphy3 2.0's Russian units and P(tag | word) estimator).

    ``parse`` builds a normal form and a ``Parse`` for every candidate of a word before the
    estimator orders them, yet only the winner's normal form is needed: without the others a
    dictionary word costs ~3 µs instead of ~8 (measured). The estimator keeps the units' order
    when it knows no P(tag | word) for the word and otherwise sorts stably, so the winner is
    the first candidate of the highest probability: this finds it among bare (spelling,
    paradigm, form index) candidates and builds one normal form. A new pymorphy3 may change
    these steps: ``tests/classifiers/test_lemmatize.py`` checks the lemmas still agree.
    """
    from pymorphy3.analyzer import ProbabilityEstimator
    from pymorphy3.units import AbbreviatedFirstNameAnalyzer, AbbreviatedPatronymicAnalyzer, DictionaryAnalyzer

    morph = _morph()
    chain = list(getattr(morph, "_units", ()))    # (unit, whether an answer ends the analysis)
    first_group = [(DictionaryAnalyzer, False), (AbbreviatedFirstNameAnalyzer, False),
                   (AbbreviatedPatronymicAnalyzer, True)]
    if ([(type(unit), last) for unit, last in chain[:3]] != first_group
            or type(morph.prob_estimator) is not ProbabilityEstimator):
        return None
    later = [unit for unit, _ in chain[1:]]
    initials = frozenset(chain[1][0].letters) | frozenset(chain[2][0].letters)
    dictionary = morph.dictionary
    similar_items, substitutes = dictionary.words.similar_items, morph.char_substitutes
    paradigms, normal_form = dictionary.paradigms, dictionary.build_normal_form
    tags = [str(tag) for tag in dictionary.gramtab]      # the estimator's keys are "word:tag"
    # The estimator divides these integers by 10⁶, which keeps their order and ties.
    cpd = morph.prob_estimator.p_t_given_w
    probability, known = cpd.get, cpd.keys

    def lemma(form: str) -> str | None:
        lower = form.lower()
        found = similar_items(lower, substitutes)   # [(spelling, with ё, [(paradigm, form index)])]
        if not found:
            # Shapes, hyphens and analogies answer unit by unit; with no probability for the word
            # the first parse of the first unit to answer wins, so the units after it (and the
            # estimator) need not run. All scores zero would make ``parse`` divide by zero: left
            # to it. These words cost ~30 µs, mostly in the units' own calls of ``parse``.
            if known(lower + ":"):
                return None
            seen: set = set()
            for unit in later:
                parses = unit.parse(form, lower, seen)
                if parses:
                    return parses[0][2] if parses[0][3] > 0 else None
            return None
        if form in initials:     # the initials units share the dictionary's group: they answer too
            return None
        fixed, (para_id, idx) = found[0][0], found[0][1][0]
        if len(found) > 1 or len(found[0][1]) > 1:
            candidates = [(fixed, para_id, idx) for fixed, parses in found for para_id, idx in parses]
            probs = []
            for _, para_id, idx in candidates:
                paradigm = paradigms[para_id]            # the tag as ``build_tag_info`` finds it
                probs.append(probability(f"{lower}:{tags[paradigm[len(paradigm) // 3 + idx]]}", 0))
            fixed, para_id, idx = candidates[probs.index(max(probs))]
        return normal_form(para_id, idx, fixed)

    return lemma


_LEMMAS: dict[str, str] = {}


def lemmatize(word: str) -> str:
    """Normal form of a lower-case word by pymorphy3's most probable parse (ё → е), cached."""
    lemma = _LEMMAS.get(word)
    if lemma is None:
        form = word.replace("ё", "е")
        lemma = form
        if form[:1].isalpha():
            quick = _quick_lemmatizer()
            try:
                lemma = ((quick and quick(form)) or _morph().parse(form)[0].normal_form).replace("ё", "е")
            except ValueError:   # pymorphy3 calls unicodedata.name(), which fails on unnamed letters
                lemma = form
        if len(_LEMMAS) < 500_000:
            _LEMMAS[word] = lemma
    return lemma


@dataclass(frozen=True)
class Analysis:
    """A text split into tokens (offsets, lower-case forms, lemmas) and clauses."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    lowers: tuple[str, ...]
    lemmas: tuple[str, ...]
    clauses: tuple[tuple[int, int], ...]   # token index ranges [start, end)
    negated: tuple[bool, ...] = ()          # each token in the scope of a negator (``negation_flags``)

    def __len__(self) -> int:
        return len(self.starts)

    @cached_property
    def clause_ends(self) -> tuple[int, ...]:
        """The end (exclusive token index) of each clause."""
        return tuple([end for _, end in self.clauses])

    def clause_of(self, token: int) -> int:
        """Index of the clause holding token number ``token`` (the last clause past the end)."""
        return min(bisect_right(self.clause_ends, token), len(self.clauses) - 1)

    def char_span(self, first: int, last: int) -> tuple[int, int]:
        """Character offsets covering tokens ``first`` … ``last - 1``."""
        return self.starts[first], self.ends[last - 1]


def negation_flags(lowers: Sequence[str], negators: Sequence[int] | None = None) -> list[bool]:
    """For each token: is it inside the scope of a preceding negator (same clause, no punctuation).
    ``negators``: the positions of negators when the caller has found them already."""
    out = [False] * len(lowers)
    if negators is None:
        negators = [i for i, low in enumerate(lowers) if low in NEGATORS]
    n = len(lowers)
    for i in negators:
        j, left = i + 1, NEGATION_SCOPE
        while left and j < n:
            low = lowers[j]
            if low in NEGATORS or not low[:1].isalnum():
                break
            out[j] = True
            left -= 1
            j += 1
    return out


def segment_clauses(lowers: tuple[str, ...], text: str, starts: tuple[int, ...],
                    events: list[int] | None = None) -> tuple[tuple[int, int], ...]:
    """Token ranges of clauses: split at sentence ends, ';', contrastive connectives and line breaks.

    Only the tokens where something can happen are visited (connectives, marks and the first
    token after each line break), so a text costs one set look-up per token. ``events``: the
    positions of ``BOUNDARY_TOKENS`` when the caller has found them already.
    """
    n = len(lowers)
    if events is None:
        events = [i for i, low in enumerate(lowers) if low in BOUNDARY_TOKENS]
    after_break: set[int] = set()
    if "\n" in text:
        position = text.find("\n")
        while position != -1:
            j = bisect_right(starts, position)   # the first token after the line break
            if 0 < j < n:
                after_break.add(j)
            position = text.find("\n", position + 1)
        events = sorted(set(events) | after_break)
    clauses: list[tuple[int, int]] = []
    begin = 0
    for i in events:
        low = lowers[i]
        if low in CLAUSE_OPENERS and i > begin:
            clauses.append((begin, i))
            begin = i
        elif low in SENTENCE_END or low in CLAUSE_MARKS:
            clauses.append((begin, i + 1))
            begin = i + 1
        elif i in after_break and i > begin:
            clauses.append((begin, i))
            begin = i
    if begin < n:
        clauses.append((begin, n))
    return tuple(c for c in clauses if c[1] > c[0]) or ((0, 0),)


def batch_clauses(analyses: Sequence[Analysis]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each text's number of tokens and of clauses, and every clause's token range
    ``[start, end)`` on the batch's token axis (the texts' tokens one after another), as arrays:
    what the batch computations of features and rule hits place tokens and hits with."""
    n_tokens = np.fromiter(map(len, analyses), dtype=np.int64, count=len(analyses))
    n_clauses = np.fromiter(map(len, (a.clauses for a in analyses)), dtype=np.int64, count=len(analyses))
    n = int(n_clauses.sum())
    bounds = np.fromiter(chain.from_iterable(chain.from_iterable(a.clauses for a in analyses)),
                         dtype=np.int64, count=2 * n).reshape(n, 2)
    bounds += np.repeat(np.cumsum(n_tokens) - n_tokens, n_clauses)[:, None]
    return n_tokens, n_clauses, bounds


def analyse(text: str) -> Analysis:
    """Tokenise, lemmatise and segment one text."""
    low = text.lower()
    if len(low) != len(text):       # a few characters change length when lower-cased
        return _analyse_by_spans(text)
    # Tokens of the lower-cased text are those of the text (lower-casing keeps every character's
    # class, checked over all of Unicode in tests/classifiers/test_text.py). Splitting on the
    # tokens keeps the gaps between them, whose running lengths are the offsets: no match objects.
    parts = (_TOKEN_SPLIT if _OUTSIDE_FAST.search(low) else _FAST_SPLIT).split(low)
    if len(parts) == 1:
        return Analysis(text, (), (), (), (), ((0, 0),), ())
    lowers = tuple(parts[1::2])
    bounds = tuple(accumulate(map(len, parts)))
    starts = bounds[0:-1:2]
    try:
        lemmas = tuple(map(_LEMMAS.__getitem__, lowers))
    except KeyError:                # a form seen for the first time
        lemmas = tuple([_LEMMAS.get(w) or lemmatize(w) for w in lowers])
    # one scan finds both the clause boundaries and the negators
    marks = [i for i, w in enumerate(lowers) if w in _MARKS]
    boundaries = [i for i in marks if lowers[i] in BOUNDARY_TOKENS] if marks else marks
    negators = [i for i in marks if lowers[i] in NEGATORS] if marks else marks
    return Analysis(text, starts, bounds[1::2], lowers, lemmas,
                    segment_clauses(lowers, text, starts, boundaries),
                    tuple(negation_flags(lowers, negators)) if negators else (False,) * len(lowers))


def _analyse_by_spans(text: str) -> Analysis:
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    if not spans:
        return Analysis(text, (), (), (), (), ((0, 0),), ())
    starts, ends = zip(*spans)
    lowers = tuple([text[s:e].lower() for s, e in spans])
    lemmas = tuple([_LEMMAS.get(w) or lemmatize(w) for w in lowers])
    return Analysis(text, starts, ends, lowers, lemmas, segment_clauses(lowers, text, starts),
                    tuple(negation_flags(lowers)))
