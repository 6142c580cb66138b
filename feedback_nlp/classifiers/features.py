"""Statistical features of clauses: TF-IDF of lemmas, lemma bigrams, negation-scoped lemmas and
character n-grams, plus the mean navec embedding.

Every clause is featurised once; a document row, or the context row of one aspect, is the sum
of its clauses' count rows (a sparse product with a 0/1 selection matrix) weighted and
normalised afterwards. Every distinct token (form × negated or not) gets its feature ids
computed once and cached, so a text costs one dict lookup per token. Because each feature comes
from known tokens, a linear model's score splits back onto tokens: the evidence of model aspects.
"""
from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from feedback_nlp.classifiers.text import Analysis, batch_clauses, negation_flags

@lru_cache(maxsize=1)
def load_navec():
    """navec news vectors shipped inside the natasha package (no download)."""
    from natasha.emb import NewsEmbedding

    return NewsEmbedding()


def char_ngrams(word: str, low: int, high: int) -> list[str]:
    padded = f" {word} "
    return [padded[i:i + n] for n in range(low, high + 1) for i in range(len(padded) - n + 1)]


def token_keys(lower: str, lemma: str, negated: bool, char_range: tuple[int, int] | None) -> list[str]:
    """Feature names of one token: its lemma, ``n:lemma`` when negated, char n-grams of its form."""
    keys = ["w:" + lemma]
    if negated:
        keys.append("n:" + lemma)
    if char_range and lower[:1].isalpha():
        keys += ["c:" + g for g in char_ngrams(lower, *char_range)]
    return keys


class TextFeaturizer(TransformerMixin, BaseEstimator):
    """Clause count rows → L2-normalised TF-IDF block (+ a mean-embedding block when ``embeddings``)."""

    _CACHES = ("_token_cache", "_form_table", "_score_cache", "_emb", "_emb_rows", "_bigrams")

    def __init__(self, min_df: int = 2, char_range: tuple[int, int] | None = None, bigrams: bool = True,
                 negation: bool = True, embeddings: bool = True, embedding_weight: float = 0.5):
        self.min_df = min_df
        self.char_range = char_range
        self.bigrams = bigrams
        self.negation = negation
        self.embeddings = embeddings
        self.embedding_weight = embedding_weight

    def _flags(self, a: Analysis) -> Sequence[bool]:
        if not self.negation:
            return [False] * len(a)
        return a.negated if len(a.negated) == len(a) else negation_flags(a.lowers)

    def fit(self, analyses: Sequence[Analysis], y=None, sarcastic: Sequence[frozenset[int]] | None = None
            ) -> TextFeaturizer:
        """Vocabulary and idf of analyses (``sarcastic``: per analysis, tokens read as sarcasm)."""
        for key in self._CACHES:     # ids cached under a previous vocabulary
            self.__dict__.pop(key, None)
        df: Counter[str] = Counter()
        for number, a in enumerate(analyses):
            keys = set()
            marked = sarcastic[number] if sarcastic else ()
            for i, (lower, lemma, neg) in enumerate(zip(a.lowers, a.lemmas, self._flags(a))):
                keys.update(["s:" + lemma] if i in marked else token_keys(lower, lemma, neg, self.char_range))
            if self.bigrams:
                for s, e in a.clauses:
                    keys.update(f"b:{x} {y}" for x, y in zip(a.lemmas[s:e], a.lemmas[s + 1:e]))
            df.update(keys)
        names = sorted(k for k, n in df.items() if n >= self.min_df)
        self.vocabulary_ = {k: i for i, k in enumerate(names)}
        self.feature_names_ = np.array(names, dtype=object)
        n_docs = len(analyses)
        self.idf_ = np.array([np.log((1 + n_docs) / (1 + df[k])) + 1 for k in names])
        return self

    def __getstate__(self):
        state = self.__dict__.copy()
        for key in self._CACHES:
            state.pop(key, None)
        return state

    @property
    def _bigram_table(self) -> tuple[dict[str, int], np.ndarray, np.ndarray]:
        """Bigram features as numbers: an id for every lemma of a bigram, the sorted keys
        ``first id × n + second id`` of the bigrams and their feature ids (in key order), so the
        bigrams of a whole batch are found by one ``searchsorted`` instead of a look-up per token."""
        table = self.__dict__.get("_bigrams")
        if table is None:
            ids: dict[str, int] = {}
            firsts, seconds, features = [], [], []
            for name, j in self.vocabulary_.items():
                if name.startswith("b:"):
                    x, _, y = name[2:].partition(" ")   # lemmas hold no spaces
                    firsts.append(ids.setdefault(x, len(ids)))
                    seconds.append(ids.setdefault(y, len(ids)))
                    features.append(j)
            keys = np.array(firsts, dtype=np.int64) * max(len(ids), 1) + np.array(seconds, dtype=np.int64)
            order = np.argsort(keys, kind="stable")
            table = self.__dict__["_bigrams"] = (ids, keys[order], np.array(features, dtype=np.int64)[order])
        return table

    @property
    def n_text_features(self) -> int:
        return len(self.vocabulary_)

    @property
    def n_features(self) -> int:
        return self.n_text_features + (300 if self.embeddings else 0)

    def token_ids(self, lower: str, lemma: str, negated: bool = False) -> tuple[int, ...]:
        """Feature ids of one token (cached by form and negation; a tuple, which the garbage
        collector stops tracking, unlike a list)."""
        cache = self.__dict__.setdefault("_token_cache", {})
        key = (lower, negated)
        ids = cache.get(key)
        if ids is None:
            vocab = self.vocabulary_
            ids = tuple(vocab[k] for k in token_keys(lower, lemma, negated, self.char_range) if k in vocab)
            if len(cache) < 1_000_000:
                cache[key] = ids
        return ids

    @property
    def _forms(self) -> FormTable:
        table = self.__dict__.get("_form_table")
        if table is None:
            table = self.__dict__["_form_table"] = FormTable()
        return table

    def _add_form(self, forms: FormTable, lower: str, lemma: str) -> int:
        """Register a form seen for the first time in ``forms`` and return its number."""
        vocab = self.vocabulary_
        ids = self.token_ids(lower, lemma)
        negated = vocab.get("n:" + lemma, -1) if self.negation else -1
        lemma_ids = self._bigram_table[0] if self.bigrams else {}
        return forms.add(lower, ids, negated, lemma_ids.get(lemma, -1))

    def clause_counts(self, analyses: Sequence[Analysis], sarcastic: Sequence[frozenset[int]] | None = None
                      ) -> tuple[sp.csr_matrix, np.ndarray, list[Sequence[bool]]]:
        """Raw feature counts of every clause of every analysis (in order), the document number
        of each clause, and each analysis's negation flags. Tokens in ``sarcastic`` (per analysis)
        count as ``s:lemma`` only: «ну спасибо» is no thanks.

        Python only turns each token into its form number (one dict look-up, ``FormTable``);
        the forms' feature ids, their negated and bigram ids, and placing them on clauses are
        gathered for the whole batch with numpy: a Python loop over tokens and a dict look-up
        per token pair cost ~30 µs a text. A row's ids are summed by ``sum_duplicates``, which
        sorts them, so their order does not matter."""
        check_is_fitted(self, "vocabulary_")
        forms = self._forms
        if len(forms.index) >= forms.MAX_FORMS:    # a bounded cache: start again between batches
            forms = self.__dict__["_form_table"] = FormTable()
        get_number = forms.index.__getitem__
        numbers: list[int] = []          # every token's form number, batch order
        negated: list[bool] = []         # every token's negation flag, batch order
        flags = []
        marked: list[tuple[int, int]] = []   # (token, feature id or −1) of sarcastic tokens
        for number, a in enumerate(analyses):
            neg = self._flags(a)
            flags.append(neg)
            base = len(numbers)
            try:
                numbers += map(get_number, a.lowers)
            except KeyError:            # a form seen for the first time
                del numbers[base:]
                known = forms.index.get
                numbers += [known(low) if low in forms.index else self._add_form(forms, low, lemma)
                            for low, lemma in zip(a.lowers, a.lemmas)]
            negated += neg
            if sarcastic and sarcastic[number]:
                vocab = self.vocabulary_
                marked += [(base + i, vocab.get("s:" + a.lemmas[i], -1)) for i in sarcastic[number]]
        _, n_clauses, bounds = batch_clauses(analyses)
        n_rows = len(bounds)
        length = bounds[:, 1] - bounds[:, 0]
        clause = np.repeat(np.arange(n_rows), length)            # clause of each (clause, token) entry
        first = np.cumsum(length) - length
        token = np.arange(len(clause)) - np.repeat(first - bounds[:, 0], length)
        form = np.array(numbers, dtype=np.int64)[token]
        # each entry's ids: a ragged gather from the forms' flat id list
        taken = forms.length[form]
        if marked:      # a sarcastic token counts as its s:lemma only
            where, ids = np.array(marked, dtype=np.int64).T
            is_marked = np.zeros(len(numbers), dtype=bool)
            is_marked[where] = True
            taken = np.where(is_marked[token], 0, taken)
        offset = np.cumsum(taken) - taken
        position = np.repeat(forms.start[form] - offset, taken) + np.arange(int(taken.sum()))
        rows, cols = [np.repeat(clause, taken)], [forms.ids[position]]
        neg = np.array(negated, dtype=bool)[token]
        if marked:
            neg &= ~is_marked[token]
            sarcasm = np.flatnonzero(is_marked[token])
            sarcasm_ids = np.full(len(numbers), -1, dtype=np.int64)
            sarcasm_ids[where] = ids
            found = sarcasm_ids[token[sarcasm]]
            rows.append(clause[sarcasm][found >= 0]), cols.append(found[found >= 0])
        if neg.any():
            n_ids = forms.negated[form[neg]]
            rows.append(clause[neg][n_ids >= 0]), cols.append(n_ids[n_ids >= 0])
        if self.bigrams and len(token) > 1:
            lemma_ids, keys, features = self._bigram_table
            # bigram of tokens i, i + 1 counted when both lie in one clause
            lemma = forms.lemma[form]
            left, right = lemma[:-1], lemma[1:]
            pair = (clause[:-1] == clause[1:]) & (left >= 0) & (right >= 0)
            key = left[pair] * max(len(lemma_ids), 1) + right[pair]
            where_key = np.minimum(np.searchsorted(keys, key), len(keys) - 1)
            hit = keys[where_key] == key
            rows.append(clause[:-1][pair][hit])
            cols.append(features[where_key[hit]])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        matrix = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n_rows, self.n_text_features))
        matrix.sum_duplicates()
        owner = np.repeat(np.arange(len(analyses), dtype=np.int64), n_clauses)
        return matrix, owner, flags

    def tfidf(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF × IDF, rows L2-normalised."""
        matrix = counts.tocsr(copy=True)
        matrix.data = l2_rows((1 + np.log(np.maximum(matrix.data, 1))) * self.idf_[matrix.indices], matrix.indptr)
        return matrix

    @property
    def _embedding_matrix(self) -> np.ndarray:
        """navec vectors of the lemma features (zero rows for other features and for lemmas navec
        lacks), dense so that a sparse × dense product does the sums; built once."""
        matrix = self.__dict__.get("_emb")
        if matrix is None:
            navec = load_navec()
            matrix = np.zeros((self.n_text_features, 300), dtype=np.float32)
            for name, j in self.vocabulary_.items():
                if name.startswith("w:") and name[2:] in navec:
                    matrix[j] = navec[name[2:]]
            self.__dict__["_emb"] = matrix
        return matrix

    @property
    def _embedding_rows(self) -> tuple[np.ndarray, np.ndarray]:
        """The non-zero rows of ``_embedding_matrix`` in float64 and, per feature, its row there
        (−1: none). Most non-zeros of a count row are bigrams and negated lemmas, which have no
        vector, and a float32 operand is converted to float64 by every sparse product."""
        rows = self.__dict__.get("_emb_rows")
        if rows is None:
            matrix = self._embedding_matrix
            used = np.flatnonzero(np.any(matrix != 0, axis=1))
            position = np.full(self.n_text_features, -1, dtype=np.int64)
            position[used] = np.arange(len(used))
            rows = self.__dict__["_emb_rows"] = (position, matrix[used].astype(np.float64))
        return rows

    def vector_counts(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """The counts of the features that have a vector, as columns of ``_embedding_rows``."""
        position, vectors = self._embedding_rows
        counts = counts.tocsr()
        row = position[counts.indices]
        kept = row >= 0
        indptr = np.concatenate([[0], np.cumsum(kept)])[counts.indptr]
        return sp.csr_matrix((counts.data[kept], row[kept], indptr), shape=(counts.shape[0], len(vectors)))

    def embed_raw(self, counts: sp.csr_matrix) -> np.ndarray:
        """Sum of the navec vectors of the lemmas (linear in counts: clause sums add up)."""
        # the product over the features that have a vector: the others add exact zeros
        return np.asarray(self.vector_counts(counts) @ self._embedding_rows[1], dtype=np.float64)

    def vector_products(self, weights: np.ndarray) -> np.ndarray:
        """The vectors of ``_embedding_rows`` times ``weights`` (300 × m), for ``embed_dot``."""
        return self._embedding_rows[1] @ weights

    def embed_dot(self, counts: sp.csr_matrix, raw: np.ndarray, products: np.ndarray) -> np.ndarray:
        """``embed(counts, raw) @ weights`` given ``products = vector_products(weights)``: the
        sparse counts times the vectors' products, then the row scale — for the thousands of
        clause rows of a batch a third of the time of scaling the (rows × 300) block and
        multiplying it (the row norms still come from ``raw``)."""
        return (self.vector_counts(counts) @ products) * self._row_scale(raw)[:, None]

    def _row_scale(self, raw: np.ndarray) -> np.ndarray:
        squares = np.einsum("ij,ij->i", raw, raw)
        scale = np.zeros(len(raw))
        np.divide(self.embedding_weight, np.sqrt(squares), out=scale, where=squares != 0)
        return scale

    def embed(self, counts: sp.csr_matrix, raw: np.ndarray | None = None) -> np.ndarray:
        """Mean navec vector of the lemmas, L2-normalised and weighted (``raw``: precomputed sums)."""
        out = self.embed_raw(counts) if raw is None else raw
        # one row scale and one pass over the (rows × 300) block: the clause block of a batch is
        # tens of MB, and norm-then-divide-then-multiply made three passes and two temporaries
        return out * self._row_scale(out)[:, None]

    def blocks(self, counts: sp.csr_matrix, raw: np.ndarray | None = None) -> list:
        """Feature blocks of summed clause counts: TF-IDF (sparse) and the embedding (dense)."""
        if not self.embeddings:
            return [self.tfidf(counts)]
        return [self.tfidf(counts), self.embed(counts, raw)]

    def rows(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Feature rows of summed clause counts (documents or aspect contexts)."""
        return stack(self.blocks(counts))

    def transform(self, analyses: Sequence[Analysis]) -> sp.csr_matrix:
        """Document rows of analyses."""
        counts, owner, _ = self.clause_counts(analyses)
        return self.rows(aggregate(owner, len(analyses)) @ counts)

    def token_scores(self, a: Analysis, flags: Sequence[bool], weights: np.ndarray, key: object,
                     tokens: Sequence[int], sarcastic: frozenset[int] = frozenset()) -> list[float]:
        """The idf-weighted share of a linear score of each of ``tokens``, cached per ``key``
        (the weights' name), form and negation: one look-up per token in the usual case."""
        tables = self.__dict__.setdefault("_score_cache", {}).get(key)
        if tables is None:
            tables = self.__dict__["_score_cache"][key] = ({}, {})   # not negated, negated: form → score
        lowers = a.lowers
        out = [tables[flags[i]].get(lowers[i]) for i in tokens]
        if sarcastic or None in out:
            for j, i in enumerate(tokens):
                if i in sarcastic:
                    s = self.vocabulary_.get("s:" + a.lemmas[i])
                    out[j] = float(weights[s] * self.idf_[s]) if s is not None else 0.0
                elif out[j] is None:
                    ids = list(self.token_ids(lowers[i], a.lemmas[i], flags[i]))
                    out[j] = score = float(np.dot(weights[ids], self.idf_[ids])) if ids else 0.0
                    table = tables[flags[i]]
                    if len(table) < 250_000:
                        table[lowers[i]] = score
        return out


def l2_rows(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """``data`` of a CSR matrix with each row divided by its L2 norm (rows of zeros kept), as
    ``sklearn.preprocessing.normalize`` computes it (sum of squares in order, then divide) without
    its input validation, which costs more than the arithmetic on a batch's rows."""
    n_rows = len(indptr) - 1
    row = np.repeat(np.arange(n_rows), np.diff(indptr))
    norms = np.sqrt(np.bincount(row, weights=data * data, minlength=n_rows))[row]
    return np.divide(data, norms, out=np.array(data, dtype=np.float64), where=norms != 0)


def aggregate(owner: np.ndarray, n_rows: int) -> sp.csr_matrix:
    """0/1 matrix (rows × clauses) that sums the clauses of each row: ``owner[j]`` is clause j's
    row (``owner`` is sorted)."""
    indptr = np.searchsorted(owner, np.arange(n_rows + 1))
    return sp.csr_matrix((np.ones(len(owner)), np.arange(len(owner), dtype=np.int32), indptr),
                         shape=(n_rows, len(owner)))


def stack(blocks: Sequence) -> sp.csr_matrix:
    """Sparse and dense blocks side by side as one CSR matrix (for fitting)."""
    return sp.hstack([b if sp.issparse(b) else sp.csr_matrix(b) for b in blocks], format="csr")


def dot(blocks: Sequence, weights: np.ndarray) -> np.ndarray:
    """``stack(blocks) @ weights`` without stacking: each block times its rows of ``weights``."""
    out, offset = None, 0
    for block in blocks:
        width = block.shape[1]
        part = block @ weights[offset:offset + width]
        out = part if out is None else out + part
        offset += width
    return np.asarray(out)


class FormTable:
    """Every word form met so far (lower case) numbered, with its feature ids as arrays: the ids
    when not negated (a flat list, ``start`` and ``length`` per form), the ``n:lemma`` id added
    when negated and the lemma's bigram number (−1: none). A batch turns its tokens into form
    numbers and gathers their ids with numpy. Arrays grow by doubling: the first pass over new
    text adds forms in every batch.

    Batches may run in several threads (the API): ``add`` holds a lock, and a form enters
    ``index`` only once its row is written, so a reader that finds a number finds its row
    (growing replaces an array by a larger copy, which holds every row written before)."""

    MAX_FORMS = 1_000_000     # the featurizer starts a new table past this (between batches)

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.start = np.zeros(1024, dtype=np.int64)
        self.length = np.zeros(1024, dtype=np.int64)
        self.negated = np.zeros(1024, dtype=np.int64)
        self.lemma = np.zeros(1024, dtype=np.int64)
        self.ids = np.zeros(1024, dtype=np.int64)
        self.n_forms = self.n_ids = 0
        self._lock = threading.Lock()

    def add(self, lower: str, ids: Sequence[int], negated: int, lemma: int) -> int:
        """The number of a form (a new one unless another thread has just added it)."""
        with self._lock:
            number = self.index.get(lower)
            if number is not None:
                return number
            number = self.n_forms
            if number >= len(self.start):
                for name in ("start", "length", "negated", "lemma"):
                    setattr(self, name, np.concatenate([getattr(self, name), np.zeros_like(getattr(self, name))]))
            if self.n_ids + len(ids) > len(self.ids):
                self.ids = np.concatenate([self.ids, np.zeros(max(len(self.ids), len(ids)), dtype=np.int64)])
            self.ids[self.n_ids:self.n_ids + len(ids)] = ids
            self.start[number], self.length[number] = self.n_ids, len(ids)
            self.negated[number], self.lemma[number] = negated, lemma
            self.n_ids += len(ids)
            self.n_forms += 1
            self.index[lower] = number
            return number
