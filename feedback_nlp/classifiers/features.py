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
        state.pop("_token_cache", None)
        return state

    @property
    def n_text_features(self) -> int:
        return len(self.vocabulary_)

    @property
    def n_features(self) -> int:
        return self.n_text_features + (300 if self.embeddings else 0)

    def token_ids(self, lower: str, lemma: str) -> np.ndarray:
        """Feature ids of one token (cached)."""
        cache = self.__dict__.setdefault("_token_cache", {})
        ids = cache.get(lower)
        if ids is None:
            vocab = self.vocabulary_
            ids = np.array([vocab[k] for k in token_keys(lower, lemma, *self.char_range) if k in vocab],
                           dtype=np.int32)
            if len(cache) < 1_000_000:
                cache[lower] = ids
        return ids

    def doc_ids(self, a: Analysis) -> list[np.ndarray]:
        """Feature ids per token, with each bigram credited to its first token."""
        per_token = [self.token_ids(lower, lemma) for lower, lemma in zip(a.lowers, a.lemmas)]
        if self.bigrams:
            vocab = self.vocabulary_
            for i, key in enumerate(self._bigram_keys(a.lemmas)):
                j = vocab.get(key)
                if j is not None:
                    per_token[i] = np.append(per_token[i], j)
        return per_token

    def transform_text(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        """The TF-IDF block (rows L2-normalised)."""
        check_is_fitted(self, "vocabulary_")
        indptr, chunks = [0], []
        for a in analyses:
            ids = self.doc_ids(a)
            row = np.concatenate(ids) if ids else np.empty(0, dtype=np.int32)
            chunks.append(row)
            indptr.append(indptr[-1] + len(row))
        indices = np.concatenate(chunks) if chunks else np.empty(0, dtype=np.int32)
        matrix = sp.csr_matrix((np.ones(len(indices)), indices, np.array(indptr)),
                               shape=(len(analyses), self.n_text_features))
        matrix.sum_duplicates()
        matrix.data = (1 + np.log(matrix.data)) * self.idf_[matrix.indices]
        return normalize(matrix)

    def transform_embedding(self, analyses: Sequence[Analysis]) -> np.ndarray:
        """Mean navec vector of the known tokens, L2-normalised and weighted."""
        out = np.zeros((len(analyses), 300), dtype=np.float32)
        for row, a in enumerate(analyses):
            vectors = [v for v in map(_vector, a.lowers, a.lemmas) if v is not None]
            if vectors:
                out[row] = np.mean(vectors, axis=0)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1, norms) * self.embedding_weight

    def transform(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        text = self.transform_text(analyses)
        if not self.embeddings:
            return text
        return sp.hstack([text, sp.csr_matrix(self.transform_embedding(analyses))], format="csr")

    def token_contributions(self, a: Analysis, row: sp.csr_matrix, weights: np.ndarray) -> np.ndarray:
        """Share of a linear score ``weights · x`` carried by each token of ``a``."""
        values = dict(zip(row.indices.tolist(), row.data.tolist()))
        return np.array([sum(values.get(int(f), 0.0) * weights[f] for f in ids) for ids in self.doc_ids(a)])


@lru_cache(maxsize=300_000)
def _vector(lower: str, lemma: str):
    if not lower[:1].isalpha():
        return None
    navec = load_navec()
    for word in (lower, lemma):
        if word in navec:
            return navec[word]
    return None
