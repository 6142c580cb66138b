import pickle
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.classifiers.corpus import load_corpus, split_items
from feedback_nlp.classifiers.artifact import models_dir
from feedback_nlp.classifiers.model import FeedbackClassifier

TEXTS = ["Консультант вежливая, но очередь два часа",
         "в мфц опять очередь до выхода",
         "Спасибо центру занятости, нашла работу за две недели!",
         ""]


def test_model_clone_and_params():
    est = FeedbackClassifier(C=2.0, use_rules=False)
    twin = clone(est)
    assert twin.get_params() == est.get_params()
    assert twin is not est


def test_model_not_fitted():
    with pytest.raises(NotFittedError):
        FeedbackClassifier().predict(["текст"])


def test_model_rules_only_fit_is_quick_and_works():
    est = FeedbackClassifier(use_model=False).fit([], [])
    p = est("инспектор в цзн нахамила")
    assert (p.relevant, [(a.indicator, a.polarity) for a in p.aspects]) == (True, [("D2", -1)])


def test_model_both_layers_off():
    with pytest.raises(ValueError, match="at least one"):
        FeedbackClassifier(use_rules=False, use_model=False).fit([], [])


@pytest.mark.slow
def test_model_small_fit_predicts():
    items = split_items(load_corpus(models_dir() / "corpus" / "parts", strict=False))[0][:300]
    est = FeedbackClassifier(folds=2).fit([i.text for i in items], items)
    assert len(est.predict(TEXTS)) == len(TEXTS)


def test_model_pickle_round_trip(model):
    again = pickle.loads(pickle.dumps(model))
    assert [p.to_dict() for p in again.map(TEXTS)] == [p.to_dict() for p in model.map(TEXTS)]


def test_model_batch_equals_single(model):
    batch = [p.to_dict() for p in model.map(TEXTS, ids=["0"] * len(TEXTS))]
    single = [model(t).to_dict() for t in TEXTS]
    assert batch == single


def test_model_empty_text(model):
    p = model("   ")
    assert (p.relevant, p.relevance, p.sentiment, p.aspects) == (False, 0.0, 0.0, ())


def test_model_load_under_3s():
    start = time.perf_counter()
    load_default_model()
    assert time.perf_counter() - start < 3


def test_model_name_and_version(model):
    assert model(TEXTS[0]).model == "feedback-ru-v6"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from("абвгдеёжзийклмнопрстуфхцчшщъыьэюяЦЗН ,.!?;-—:0123456789😡\n"), max_size=200))
def test_model_evidence_spans_are_substrings_random(model, text):
    for aspect in model(text).aspects:
        for span in aspect.spans:
            assert text[span.start:span.end] == span.text and span.start < span.end


def test_model_evidence_spans_are_substrings_corpus(model):
    items = load_corpus(models_dir() / "corpus" / "parts", strict=False)[:400]
    for item, p in zip(items, model.map([i.text for i in items])):
        for aspect in p.aspects:
            assert aspect.source
            for span in aspect.spans:
                assert item.text[span.start:span.end] == span.text


def test_nb_scale_ratios():
    """Columns seen only with the indicator get a positive log-count ratio, columns seen only
    without it a negative one, equally common columns ~0; dense columns past the text block keep 1."""
    import numpy as np
    import scipy.sparse as sp

    from feedback_nlp.classifiers.model import nb_scale

    X = sp.csr_matrix(np.array([[1, 0, 1, 0.3], [1, 0, 1, -0.2], [0, 1, 1, 0.5], [0, 1, 1, 0.1]]))
    scale = nb_scale(X, np.array([1, 1, 0, 0]), n_text=3)
    assert scale[0] > 0.5 and scale[1] < -0.5 and abs(scale[2]) < 1e-12
    assert scale[3] == 1.0


def test_nb_weights_fold_into_the_stacked_matrix():
    """Predicting with W_ (scales folded in) equals the fitted estimator on scaled columns."""
    import numpy as np
    import scipy.sparse as sp

    from feedback_nlp.classifiers.features import stack
    from feedback_nlp.codes import INDICATORS

    items = [i for i in load_corpus(models_dir() / "corpus" / "parts", strict=False)][:400]
    m = FeedbackClassifier(folds=2).fit([i.text for i in items], items)
    enc = m._analyse([i.text for i in items[:50]])
    m._featurise(enc)
    X = stack(enc.doc_blocks)
    k = INDICATORS.index("L4")
    scale = m.nb_scales_["L4"]
    assert scale is not None and not np.allclose(scale, 1.0)
    direct = m.indicators_["L4"].model_.decision_function(X @ sp.diags(scale))
    assert np.allclose(X @ m.W_[:, k] + m.b0_[k], direct)


def test_clause_blend_uses_the_best_clause(model):
    """clause_blend mixes in the best single clause: a one-clause text is unchanged, and with
    weight 1 a two-sentence text scores each indicator as its better sentence alone."""
    import numpy as np

    one, first, second = ("Инспектор грубая", "Инспектор вежливо всё объяснила.",
                          "Но сайт центра занятости не работает третий день.")
    saved = getattr(model, "clause_blend", 0.0)
    try:
        model.clause_blend = 0.0
        plain = model.indicator_probabilities([one, first + " " + second])
        model.clause_blend = 1.0
        blended = model.indicator_probabilities([one, first + " " + second])
        alone = model.indicator_probabilities([first, second])
    finally:
        model.clause_blend = saved
    assert np.allclose(plain[0], blended[0])
    assert np.allclose(blended[1], alone.max(axis=0))
    assert not np.allclose(plain[1], blended[1])
