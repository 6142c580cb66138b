import numpy as np
import pytest

from feedback_nlp.classifiers.features import TextFeaturizer, aggregate, dot, negation_flags, stack
from feedback_nlp.classifiers.text import analyse


@pytest.mark.parametrize("text, negated", [
    ("совсем не пришлось ждать", ["ждать", "пришлось"]),
    ("не очень вежлива", ["вежлива", "очень"]),
    # scope ends at punctuation and after three words
    ("не ждали, приняли сразу", ["ждали"]),
    ("не было ни одной вакансии для меня вообще", ["было", "вакансии", "для", "одной"]),
    ("всё хорошо", []),
])
def test_features_negation_scope(text, negated):
    a = analyse(text)
    assert sorted(w for w, f in zip(a.lowers, negation_flags(a.lowers)) if f) == sorted(negated)


def test_features_doc_rows_are_sums_of_clause_rows():
    texts = ["вежливо, но долго ждать", "не пришлось ждать", "сайт не работает; телефон молчит"]
    analyses = [analyse(t) for t in texts]
    f = TextFeaturizer(min_df=1, embeddings=False).fit(analyses)
    counts, owner, _ = f.clause_counts(analyses)
    assert owner.tolist() == [0, 0, 1, 2, 2]
    docs = aggregate(owner, len(texts)) @ counts
    assert docs[1, f.vocabulary_["n:ждать"]] == 1 and docs[0, f.vocabulary_["w:ждать"]] == 1
    assert "n:ждать" not in {f.feature_names_[j] for j in docs[0].indices}


def test_features_dot_equals_stacked_product():
    rng = np.random.default_rng(0)
    analyses = [analyse(t) for t in ["вежливо, но долго", "очередь два часа", "сайт висит"]]
    f = TextFeaturizer(min_df=1, embeddings=False).fit(analyses)
    counts, owner, _ = f.clause_counts(analyses)
    blocks = [*f.blocks(aggregate(owner, 3) @ counts), rng.random((3, 4))]
    w = rng.random((f.n_text_features + 4, 2))
    assert np.allclose(dot(blocks, w), stack(blocks) @ w)
