"""The straightforward implementations that the fast prediction path replaced, kept as the
reference it must agree with (``test_reference_path.py``): tokens from one match object each,
rule hits from spaCy's ``PhraseMatcher`` on a ``Doc`` per text, token tones and sarcasm text by
text, feature ids from ``b:x y`` strings token by token, navec sums over every feature in
float32, sklearn's ``normalize``, tone sums clause by clause, evidence deduplicated as ``Span``
objects, aspect contexts from each request's hits found text by text, clause scores from the
stacked feature blocks."""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp
from sklearn.preprocessing import normalize

from feedback_nlp.classifiers import layers
from feedback_nlp.classifiers.text import (
    TOKEN_RE,
    Analysis,
    _LEMMAS,
    lemmatize,
    negation_flags,
    segment_clauses,
)
from feedback_nlp.codes import INDICATORS


def analyse(text: str) -> Analysis:
    spans = [m.span() for m in TOKEN_RE.finditer(text)]
    if not spans:
        return Analysis(text, (), (), (), (), ((0, 0),), ())
    starts, ends = zip(*spans)
    low = text.lower()
    if len(low) != len(text):
        lowers = tuple([text[s:e].lower() for s, e in spans])
    else:
        lowers = tuple([low[s:e] for s, e in spans])
    lemmas = tuple([_LEMMAS.get(w) or lemmatize(w) for w in lowers])
    return Analysis(text, starts, ends, lowers, lemmas, segment_clauses(lowers, text, starts),
                    tuple(negation_flags(lowers)))


def match_many(ruleset, analyses: Sequence[Analysis]):
    return [ruleset.match_spacy(a) for a in analyses]


def scan_many(ruleset, analyses: Sequence[Analysis]):
    sarcastic = [ruleset.sarcastic(a) for a in analyses]
    return (match_many(ruleset, analyses), [ruleset.token_tones(a, s) for a, s in zip(analyses, sarcastic)],
            [ruleset.sarcastic_tokens(a, s) for a, s in zip(analyses, sarcastic)])


def clause_counts(featurizer, analyses: Sequence[Analysis], sarcastic: Sequence[frozenset[int]] | None = None):
    vocab = featurizer.vocabulary_
    indptr, indices, owner, flags = [0], [], [], []
    for number, a in enumerate(analyses):
        neg = featurizer._flags(a)
        flags.append(neg)
        lowers, lemmas = a.lowers, a.lemmas
        marked = sarcastic[number] if sarcastic else ()
        for s, e in a.clauses:
            for i in range(s, e):
                if marked and i in marked:
                    j = vocab.get("s:" + lemmas[i])
                    if j is not None:
                        indices.append(j)
                else:
                    indices += featurizer.token_ids(lowers[i], lemmas[i], bool(neg[i]))
            if featurizer.bigrams:
                for i in range(s, e - 1):
                    j = vocab.get(f"b:{lemmas[i]} {lemmas[i + 1]}")
                    if j is not None:
                        indices.append(j)
            indptr.append(len(indices))
            owner.append(number)
    matrix = sp.csr_matrix((np.ones(len(indices)), np.array(indices, dtype=np.int32),
                            np.array(indptr, dtype=np.int64)),
                           shape=(len(indptr) - 1, featurizer.n_text_features))
    matrix.sum_duplicates()
    return matrix, np.array(owner, dtype=np.int64), flags


def tfidf(featurizer, counts: sp.csr_matrix) -> sp.csr_matrix:
    matrix = counts.tocsr(copy=True)
    matrix.data = (1 + np.log(np.maximum(matrix.data, 1))) * featurizer.idf_[matrix.indices]
    return normalize(matrix)


def embed_raw(featurizer, counts: sp.csr_matrix) -> np.ndarray:
    return np.asarray(counts @ featurizer._embedding_matrix, dtype=np.float64)


def rule_counts(rule_ids, analyses, hits, tones, placed=None) -> sp.csr_matrix:
    column = {r: i for i, r in enumerate(rule_ids)}
    n_rules = len(rule_ids)
    width = n_rules + 2 * len(INDICATORS) + 2
    rows, cols, vals = [], [], []
    base = 0
    for a, doc_hits, doc_tones in zip(analyses, hits, tones):
        ends = [e for _, e in a.clauses]
        last = len(ends) - 1
        for h in doc_hits:
            row = base + min(bisect_right(ends, h.start), last)
            j = column.get(h.rule)
            if j is not None:
                rows.append(row), cols.append(j), vals.append(1.0)
            if h.polarity and h.indicator in layers.INDEX:
                rows.append(row), cols.append(n_rules + 2 * layers.INDEX[h.indicator] + (h.polarity > 0))
                vals.append(1.0)
        for number, (s, e) in enumerate(a.clauses):
            pos = neg = 0.0
            for t in doc_tones[s:e]:
                if t > 0:
                    pos += t
                elif t < 0:
                    neg -= t
            if pos:
                rows.append(base + number), cols.append(width - 2), vals.append(pos)
            if neg:
                rows.append(base + number), cols.append(width - 1), vals.append(neg)
        base += len(a.clauses)
    return sp.csr_matrix((vals, (rows, cols)), shape=(base, width))


def contexts(model, enc, doc, k):
    first = enc.first
    own_of: dict = {}
    for d in sorted(set(doc.tolist())):
        for h in enc.hits[d]:
            own_of.setdefault((d, h.indicator), []).append(h)
    out = []
    for d, j in zip(doc.tolist(), k.tolist()):
        code = INDICATORS[j]
        own = own_of.get((d, code), [])
        n_clauses = int(first[d + 1] - first[d])
        if model.context == "doc" or n_clauses <= 1:
            clauses = list(range(n_clauses))
        else:
            scores = enc.clause_scores[first[d]:first[d + 1], j]
            best = int(np.argmax(scores))
            ruled = layers.hit_clauses(enc.analyses[d], own) if own else []
            if ruled and model.context == "best":
                clauses = ruled
            elif not ruled:
                clauses = [best]
            else:
                clauses = sorted(set(ruled) | {best})
        out.append((own, clauses))
    return out


def score_clauses(model, enc):
    enc.clause_scores = np.asarray(sp.hstack([b if sp.issparse(b) else sp.csr_matrix(b)
                                              for b in model._blocks(enc, None)]).tocsr() @ model.W_)
