import pytest
import razdel

from feedback_nlp.classifiers.text import analyse, lemmatize


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
