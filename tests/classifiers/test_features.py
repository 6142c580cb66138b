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


def _corpus_analyses(n):
    from pathlib import Path

    from feedback_nlp.classifiers.corpus import read_items

    items, _ = read_items(Path(__file__).resolve().parents[2] / "models" / "corpus" / "parts")
    return [analyse(item.text) for item in items[:n]]


@pytest.mark.parametrize("char_range", [None, (2, 4)])
def test_features_clause_counts_equal_token_by_token_reference(char_range):
    # the form table (one look-up per token, ids gathered with numpy) against the plain loop,
    # with several ids per form (character n-grams), negated tokens and sarcastic tokens
    from tests.classifiers import reference

    analyses = _corpus_analyses(400)
    f = TextFeaturizer(min_df=1, char_range=char_range, embeddings=False).fit(analyses[:300])
    sarcastic = [frozenset(range(0, len(a), 7)) if i % 3 == 0 else frozenset() for i, a in enumerate(analyses)]
    fast, owner, flags = f.clause_counts(analyses, sarcastic)
    slow, slow_owner, slow_flags = reference.clause_counts(f, analyses, sarcastic)
    assert (fast != slow).nnz == 0 and fast.nnz > 1000
    assert owner.tolist() == slow_owner.tolist() and flags == slow_flags


def test_features_form_table_shared_by_threads():
    # batches in several threads (the API) add forms to one table at once: each gets the counts
    # it gets alone
    from concurrent.futures import ThreadPoolExecutor

    analyses = _corpus_analyses(1200)
    f = TextFeaturizer(min_df=1, embeddings=False).fit(analyses)
    batches = [analyses[i::6] for i in range(6)]
    alone = [f.clause_counts(b)[0] for b in batches]
    f.__dict__.pop("_form_table")
    with ThreadPoolExecutor(6) as pool:
        together = list(pool.map(lambda b: f.clause_counts(b)[0], batches))
    assert all((x != y).nnz == 0 for x, y in zip(alone, together))
    table = f.__dict__["_form_table"]
    assert sorted(table.index.values()) == list(range(table.n_forms)) and table.n_forms > 1024
