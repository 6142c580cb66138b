import re
import sys

import pytest
import razdel

from feedback_nlp.classifiers.text import TOKEN_RE, analyse, lemmatize, negation_flags


@pytest.mark.parametrize("text", [
    "Консультант вежливая, но очередь два часа!",
    "гр-ка Соколова, 62 г., жалуется: сайт ЦЗН не открывается 3-й день…",
    "ВАКАНСИИ НА БИРЖЕ ОДНИ И ТЕ ЖЕ!!! дворник за 19 тыщ 😡",
])
def test_text_words_agree_with_razdel(text):
    ours = [w for w in analyse(text).lowers if w[0].isalpha()]
    theirs = [t.text.lower() for t in razdel.tokenize(text) if t.text[0].isalpha()]
    assert ours == theirs


@pytest.mark.parametrize("text, clauses", [
    ("вежливо, но долго", ["вежливо,", "но долго"]),
    ("Консультант вежливая, а очередь два часа; сайт висит.", ["Консультант вежливая,", "а очередь два часа;", "сайт висит."]),
    ("Всё хорошо. Спасибо", ["Всё хорошо.", "Спасибо"]),
    ("Оператор: Алло.\nКлиент: не дозвониться", ["Оператор: Алло.", "Клиент: не дозвониться"]),
    # negatives: no connective, no split
    ("очень вежливо и быстро", ["очень вежливо и быстро"]),
])
def test_text_clauses(text, clauses):
    a = analyse(text)
    assert [text[a.starts[s]:a.ends[e - 1]] for s, e in a.clauses] == clauses


@pytest.mark.parametrize("word, lemma", [("очереди", "очередь"), ("наорала", "наорать"), ("ещё", "еще"), ("цзн", "цзн")])
def test_text_lemmatize(word, lemma):
    assert lemmatize(word) == lemma


def test_text_empty():
    a = analyse("")
    assert (a.lemmas, a.clauses) == ((), ((0, 0),))


def test_text_letter_without_a_unicode_name():
    # pymorphy3 raises ValueError on letters unicodedata cannot name (Tangut U+17000)
    assert lemmatize("\U00017000") == "\U00017000"
    assert analyse("ЦЗН \U00017000 грубо").lemmas == ("цзн", "\U00017000", "грубо")


def test_text_lower_casing_keeps_every_character_class():
    # analyse() tokenises the lower-cased text when it is as long as the text: valid only if no
    # character that lower-cases to one character changes class for TOKEN_RE
    classes = [re.compile(p) for p in (r"[^\W\d_]", r"\d", r"\s", r"\w", r"[-'.,]")]
    changed = []
    for code in range(sys.maxunicode + 1):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        low = char.lower()
        if len(low) == 1 and low != char and any(bool(c.match(char)) != bool(c.match(low)) for c in classes):
            changed.append(hex(code))
    assert not changed


@pytest.mark.parametrize("text", [
    "", "   ", "ЦЗН", "İstanbul: ЦЗН", "ΣΟΦΟΣ ЦЗН", "a_b c__d", "12,5-й раз, 3.14 и 7", "ну-ну!!! 😡😡",
    "строка\nстрока\r\nещё\n\nконец", "не не не очень вежливо, но долго; а потом", "ǅ ﬃ ß ẞ 𝔘 и\u0306",
])
def test_text_analysis_equals_one_match_per_token(text):
    # offsets from the running lengths of split() pieces equal the regular expression's matches
    a = analyse(text)
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    assert list(zip(a.starts, a.ends)) == spans
    assert list(a.lowers) == [text[s:e].lower() for s, e in spans]
    assert list(a.negated) == negation_flags(a.lowers)
    assert [a.clause_of(i) for i in range(len(a))] == [
        next(n for n, (s, e) in enumerate(a.clauses) if s <= i < e) for i in range(len(a))]


def test_fast_token_split_agrees_with_the_unicode_pattern_on_its_characters():
    """``analyse`` splits texts made of Russian/European characters with explicit ranges
    (``_FAST_SPLIT``): on such texts it must give exactly ``_TOKEN_SPLIT``'s tokens and gaps."""
    import random
    import re

    from feedback_nlp.classifiers import text

    outside = text._OUTSIDE_FAST
    chars = [chr(c) for c in range(0x2200) if not outside.search(chr(c))]
    assert "ё" in chars and "—" in chars and "№" in chars and "😀" not in chars
    rng = random.Random(0)
    common = list("абвгдеёжзийклмнопрстуфхцчшщъыьэюяabcxyz0123456789 -'.,!?;:…—«»()\n")
    for _ in range(5000):
        pool = chars if rng.random() < 0.5 else common
        sample = "".join(rng.choice(pool) for _ in range(rng.randint(0, 40)))
        assert not outside.search(sample)
        assert text._FAST_SPLIT.split(sample) == text._TOKEN_SPLIT.split(sample), sample
    for char in chars:
        for sample in (char, f"а{char}б", f"1{char}2", f"а-{char}", f"1.{char}"):
            assert text._FAST_SPLIT.split(sample) == text._TOKEN_SPLIT.split(sample), sample
    assert re.search(outside, "ok 😀")
