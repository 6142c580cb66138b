"""``lemmatize``'s quick path (``text._quick_lemmatizer``) gives exactly pymorphy3's own lemma,
``parse(form)[0].normal_form``, and leaves to ``parse`` the cases it is not sure of."""
from __future__ import annotations

from pathlib import Path

import pymorphy3
import pytest
from pymorphy3.units import (
    AbbreviatedFirstNameAnalyzer,
    AbbreviatedPatronymicAnalyzer,
    DictionaryAnalyzer,
    UnknAnalyzer,
)
from pymorphy3.units.base import BaseAnalyzerUnit

from feedback_nlp.classifiers import text
from feedback_nlp.classifiers.corpus import read_items
from feedback_nlp.classifiers.text import TOKEN_RE, lemmatize

# Chosen because a wrong pick of the quick path shows on them (checked by mutating the code):
AMBIGUOUS = [   # several dictionary parses; the estimator's order decides (not the first, not the last)
    "были", "день", "село", "стекло", "пила", "ад", "ада", "алла", "понятно", "стали", "мыла", "душ",
    "вина", "белки", "лечу", "аж", "абрамов", "адаптирован", "уже", "дали", "мой", "три", "рада",
]
UNKNOWN = [     # outside the dictionary: shapes, hyphens, prefixes, suffixes, unknown
    "qr-код", "qr-кодами", "автобусе-офисе", "интернет-магазин", "человек-гора", "автомир", "агромаш",
    "псевдокошка", "бутявкать", "смотри-ка", "по-западному", "кто-нибудь", "ггг", "зп", "iphone", "xiv",
    "ok", "пиривет", "пжлст", "цзн",
]
SPELLINGS = [   # ё, case, initials, hyphens, digits, letters pymorphy3 cannot name
    "ещё", "всё", "ёлка", "елка", "её", "чё", "кто-то", "из-за", "по-моему", "3-х", "10-ти", "ǅ", "ß",
    "straße", "café", "\U00017000", "Москва", "МОСКВА", "Иванов", "А", "Е", "Ё", "Ж", "Ш",
]


def _reference(word: str) -> str:
    """What ``lemmatize`` computed before the quick path: the plain pymorphy3 parse."""
    form = word.replace("ё", "е")
    if not form[:1].isalpha():
        return form
    try:
        return text._morph().parse(form)[0].normal_form.replace("ё", "е")
    except ValueError:
        return form


def _uncached(word: str) -> str:
    text._LEMMAS.pop(word, None)
    return lemmatize(word)


def _agrees(quick, form: str) -> bool:
    """The quick path either answers pymorphy3's lemma of ``form`` or passes."""
    try:
        expected = text._morph().parse(form)[0].normal_form
    except ValueError:
        with pytest.raises(ValueError):
            quick(form)
        return True
    got = quick(form)
    return got is None or got == expected


@pytest.fixture(scope="module")
def corpus_words() -> list[str]:
    items, _ = read_items(Path(__file__).resolve().parents[2] / "models" / "corpus" / "parts")
    words = sorted({m.group().lower() for item in items for m in TOKEN_RE.finditer(item.text)})
    return words[::5]     # a few thousand, spread over the alphabet


@pytest.fixture
def quick():
    found = text._quick_lemmatizer()
    assert found is not None, "the quick path is off: pymorphy3's analyzer is not set up as it assumes"
    return found


def test_lemmatize_quick_path_equals_pymorphy_on_corpus_words(corpus_words, quick):
    assert len(corpus_words) > 3000
    assert [w for w in corpus_words if _uncached(w) != _reference(w)] == []
    forms = [w.replace("ё", "е") for w in corpus_words if w[:1].isalpha()]
    assert [f for f in forms if not _agrees(quick, f)] == []
    # the quick path answers nearly every word, so the comparison above is about it
    assert sum(quick(f) is not None for f in forms) > 0.95 * len(forms)


@pytest.mark.parametrize("word", AMBIGUOUS + UNKNOWN + SPELLINGS)
def test_lemmatize_quick_path_equals_pymorphy_on_tricky_words(word, quick):
    assert _uncached(word) == _reference(word)
    assert _agrees(quick, word)                            # the raw form too: ё and capitals kept
    assert _agrees(quick, word.replace("ё", "е"))


@pytest.mark.parametrize("form", ["А", "Е", "Ж"])
def test_lemmatize_initials_go_to_pymorphy(form, quick):
    # a lone capital is also an initial, parsed by the dictionary's unit group
    assert quick(form) is None


@pytest.mark.parametrize("form", ["iv", "c", "алёхина", "решётчатой"])
def test_lemmatize_words_with_probabilities_outside_the_dictionary_go_to_pymorphy(form, quick):
    # P(tag | word) reorders their parses: the first unit's first parse is not the answer
    assert quick(form) is None
    assert text._morph().parse(form)[0].normal_form == {"алёхина": "алёхин", "решётчатой": "решётчатый"}.get(form, form)


class _ZeroScoreUnit(BaseAnalyzerUnit):
    """Answers any word with a zero score, which makes the estimator divide by zero."""

    def parse(self, word, word_lower, seen_parses):
        return [(word_lower, self.dict.gramtab[0], word_lower, 0.0, ((self, word),))]


def _analyzer(units, **kwargs) -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(units=units, **kwargs)


@pytest.fixture
def swap_analyzer(monkeypatch):
    """Run ``_quick_lemmatizer`` over another analyzer; the real one is restored after."""
    def swap(morph):
        monkeypatch.setattr(text, "_morph", lambda: morph)
        text._quick_lemmatizer.cache_clear()
        return text._quick_lemmatizer()
    yield swap
    text._quick_lemmatizer.cache_clear()


def test_lemmatize_zero_scores_go_to_pymorphy(swap_analyzer):
    letters = "АБВ"
    morph = _analyzer([[DictionaryAnalyzer(), AbbreviatedFirstNameAnalyzer(letters), AbbreviatedPatronymicAnalyzer(letters)],
                       _ZeroScoreUnit()])
    quick = swap_analyzer(morph)
    assert quick is not None and quick("стали") == "стать"
    assert quick("бутявка") is None
    with pytest.raises(ZeroDivisionError):
        morph.parse("бутявка")


@pytest.mark.parametrize("units, kwargs", [
    ([DictionaryAnalyzer(), UnknAnalyzer()], {}),                          # other units
    (None, {"probability_estimator_cls": None}),                           # no P(tag | word)
])
def test_lemmatize_no_quick_path_for_other_analyzers(swap_analyzer, units, kwargs):
    assert swap_analyzer(_analyzer(units, **kwargs)) is None
