"""Statistical features of an analysed text: TF-IDF of lemmas, lemma bigrams and character
n-grams, plus the mean navec embedding.

Speed trick: every distinct token gets its feature ids computed once (a cache keyed by the
lower-case form), so a text costs one dict lookup per token, and the sparse matrix of a batch
is built, weighted and normalised with numpy in one go. Because each feature comes from known
tokens, a linear model's score splits back onto tokens: that is the evidence of model aspects.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.preprocessing import normalize
from sklearn.utils.validation import check_is_fitted

from feedback_nlp.classifiers.text import Analysis


@lru_cache(maxsize=1)
def load_navec():
    """navec news vectors shipped inside the natasha package (no download)."""
    from natasha.emb import NewsEmbedding

    return NewsEmbedding()


def char_ngrams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def token_keys(lower: str, lemma: str, low: int, high: int) -> list[str]:
    """Feature names of one token: its lemma and the character n-grams of its form."""
    keys = ["w:" + lemma]
    if lower[:1].isalpha():
        keys += ["c:" + g for g in char_ngrams(lower, low, high)]
    return keys


class TextFeaturizer(TransformerMixin, BaseEstimator):
    """Analyses → L2-normalised TF-IDF block (+ a mean-embedding block when ``embeddings``)."""

    def __init__(self, min_df: int = 2, char_range: tuple[int, int] = (3, 5),
                 bigrams: bool = True, embeddings: bool = True, embedding_weight: float = 0.5):
        self.min_df = min_df
        self.char_range = char_range
        self.bigrams = bigrams
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight

    def fit(self, analyses: Sequence[Analysis], y=None) -> TextFeaturizer:
        low, high = self.char_range
        df: Counter[str] = Counter()
        for a in analyses:
            keys = set()
            for lower, lemma in zip(a.lowers, a.lemmas):
                keys.update(token_keys(lower, lemma, low, high))
            if self.bigrams:
                keys.update(self._bigram_keys(a.lemmas))
            df.update(keys)
        names = sorted(k for k, n in df.items() if n >= self.min_df)
        self.vocabulary_ = {k: i for i, k in enumerate(names)}
        self.feature_names_ = np.array(names, dtype=object)
        n_docs = len(analyses)
        self.idf_ = np.array([np.log((1 + n_docs) / (1 + df[k])) + 1 for k in names])
        return self

    @staticmethod
    def _bigram_keys(lemmas: Sequence[str]) -> list[str]:
        return [f"b:{a} {b}" for a, b in zip(lemmas, lemmas[1:])]

    def __getstate__(self):
        state = self.__dict__.copy()
        for key in ("_token_cache", "_score_cache", "_emb"):
            state.pop(key, None)
        return state

    @property
    def n_text_features(self) -> int:
        return len(self.vocabulary_)

    @property
    def n_features(self) -> int:
        return self.n_text_features + (300 if self.embeddings else 0)

    def token_ids(self, lower: str, lemma: str) -> list[int]:
        """Feature ids of one token (cached by form)."""
        cache = self.__dict__.setdefault("_token_cache", {})
        ids = cache.get(lower)
        if ids is None:
            vocab = self.vocabulary_
            ids = [vocab[k] for k in token_keys(lower, lemma, *self.char_range) if k in vocab]
            if len(cache) < 1_000_000:
                cache[lower] = ids
        return ids

    def doc_indices(self, a: Analysis) -> list[int]:
        """Feature ids of a document with repetitions (unigrams, char n-grams, bigrams)."""
        ids: list[int] = []
        token_ids = self.token_ids
        for lower, lemma in zip(a.lowers, a.lemmas):
            ids += token_ids(lower, lemma)
        if self.bigrams:
            vocab = self.vocabulary_
            lemmas = a.lemmas
            for i in range(len(lemmas) - 1):
                j = vocab.get(f"b:{lemmas[i]} {lemmas[i + 1]}")
                if j is not None:
                    ids.append(j)
        return ids

    def counts(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        """Raw feature counts of documents."""
        check_is_fitted(self, "vocabulary_")
        indptr, indices = [0], []
        for a in analyses:
            indices += self.doc_indices(a)
            indptr.append(len(indices))
        matrix = sp.csr_matrix((np.ones(len(indices)), np.array(indices, dtype=np.int32), np.array(indptr)),
                               shape=(len(analyses), self.n_text_features))
        matrix.sum_duplicates()
        return matrix

    def tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF × IDF, rows L2-normalised."""
        matrix = counts.copy()
        matrix.data = (1 + np.log(matrix.data)) * self.idf_[matrix.indices]
        return normalize(matrix)

    def transform_text(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        """The TF-IDF block."""
        return self.tfidf(self.counts(analyses))

    @property
    def _embedding_matrix(self) -> sp.csr_matrix:
        """navec vectors of the lemma features (zero rows for lemmas navec lacks), built once."""
        matrix = self.__dict__.get("_emb")
        if matrix is None:
            navec = load_navec()
            matrix = np.zeros((self.n_text_features, 300), dtype=np.float32)
            for name, j in self.vocabulary_.items():
                if name.startswith("w:") and name[2:] in navec:
                    matrix[j] = navec[name[2:]]
            matrix = self.__dict__["_emb"] = sp.csr_matrix(matrix)
        return matrix

    def embed(self, counts: sp.csr_matrix) -> np.ndarray:
        """Mean navec vector of a document's lemmas, L2-normalised and weighted."""
        out = np.asarray((counts @ self._embedding_matrix).todense())
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms) * self.embedding_weight

    def transform(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        counts = self.counts(analyses)
        text = self.tfidf(counts)
        if not self.embeddings:
            return text
        return sp.hstack([text, sp.csr_matrix(self.embed(counts))], format="csr")

    def token_scores(self, a: Analysis, weights: np.ndarray, key: str) -> np.ndarray:
        """Each token's idf-weighted share of a linear score (``key`` names the weights for the cache).

        Document-independent (tf and row norm scale all tokens of a document alike), so it is
        cached per token form: evidence of model aspects costs one lookup per token.
        """
        cache = self.__dict__.setdefault("_score_cache", {})
        out = []
        for lower, lemma in zip(a.lowers, a.lemmas):
            score = cache.get((key, lower))
            if score is None:
                ids = self.token_ids(lower, lemma)
                score = float(np.dot(weights[ids], self.idf_[ids])) if ids else 0.0
                cache[(key, lower)] = score
            out.append(score)
        return np.array(out)
