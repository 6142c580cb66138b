"""The text pipeline on any Unicode string: a valid prediction, evidence spans exact substrings."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.codes import INDICATORS
from tests.fuzz.bounds import bounded

WORDS = ["ЦЗН", "центр", "занятости", "грубо", "вежливо", "очередь", "не", "помогли", "спасибо", "пособие",
         "вакансии", "инспектор", "ужасно", "отлично", "ждал", "часа", "сайт", "не работает", "!", "?", ",", "."]
ODD = ["\u200f", "\u202e", "\u0301", "\u0308", "\u200d", "\ufeff", "\u00a0", "\u2028", "\t", "\r\n", "\x00",
       "😡", "👍🏽", "👨‍👩‍👧", "שלום", "مرحبا", "ё", "Ё", "й", "и\u0306", "ǅ", "ﬃ", "İ", "ß", "𝔘"]
PIECES = st.one_of(st.sampled_from(WORDS), st.sampled_from(ODD), st.text(max_size=8))
TEXTS = st.one_of(
    st.text(max_size=300),  # any code points but surrogates
    st.lists(PIECES, max_size=60).map(" ".join),  # Russian feedback words mixed with odd characters
    st.lists(PIECES, min_size=1, max_size=20).map(lambda p: (" ".join(p) + " ") * (10_000 // (len(" ".join(p)) + 1) + 1))
    .map(lambda t: t[:10_000]),  # ~10k characters
)
FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")


@pytest.fixture(scope="module")
def model():
    return load_default_model()


def check_prediction(text: str, p: dict, ident: str) -> None:
    assert p["id"] == ident
    assert isinstance(p["relevant"], bool)
    assert 0.0 <= p["relevance"] <= 1.0
    assert -1.0 <= p["sentiment"] <= 1.0 and p["polarity"] in (-1, 0, 1)
    assert p["general"] in (None, -1, 0, 1)
    if not p["relevant"]:
        assert p["aspects"] == []
    for a in p["aspects"]:
        assert a["indicator"] in INDICATORS and a["group"] == a["indicator"][0]
        assert -1.0 <= a["sentiment"] <= 1.0 and a["polarity"] in (-1, 0, 1)
        assert 0.0 <= a["confidence"] <= 1.0
        for span in a["evidence"]:
            assert 0 <= span["start"] < span["end"] <= len(text)
            assert text[span["start"]:span["end"]] == span["text"]


@FUZZ
@given(text=TEXTS)
def test_any_text_gives_a_valid_prediction(model, text):
    with bounded():
        [prediction] = list(model.map([text], ["x"]))
    check_prediction(text, prediction.to_dict(), "x")


@settings(FUZZ, max_examples=15)
@given(texts=st.lists(TEXTS, min_size=2, max_size=6))
def test_batch_equals_one_by_one(model, texts):
    ids = [f"t{i}" for i in range(len(texts))]
    with bounded(30):
        batch = [p.to_dict() for p in model.map(texts, ids)]
        single = [next(model.map([t], [i])).to_dict() for t, i in zip(texts, ids, strict=True)]
    assert batch == single
    for text, p, ident in zip(texts, batch, ids, strict=True):
        check_prediction(text, p, ident)


def test_letter_without_a_unicode_name(model):
    text = "ЦЗН \U00017000 грубо"
    check_prediction(text, next(model.map([text], ["x"])).to_dict(), "x")
