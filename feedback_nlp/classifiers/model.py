"""``FeedbackClassifier``: relevance, indicators with aspect sentiment and evidence, tone.

A scikit-learn estimator on raw texts: ``fit(texts, items)``, ``predict(texts)`` →
``Prediction`` records; batch-first ``map(texts)`` and ``__call__(text)`` like slovnet.
``use_rules`` / ``use_model`` switch the layers, which is how the model card measures each
layer alone and both together.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from feedback_nlp.classifiers import layers
from feedback_nlp.classifiers.calibrated import fit_calibrated
from feedback_nlp.classifiers.corpus import LabelledItem
from feedback_nlp.classifiers.features import TextFeaturizer
from feedback_nlp.classifiers.rules import RuleHit, RuleSet
from feedback_nlp.classifiers.text import Analysis, analyse
from feedback_nlp.codes import INDICATORS
from feedback_nlp.schema import AspectHit, Prediction, Span

GENERAL_CLASSES = ("none", "-1", "0", "1")
MAX_EVIDENCE_TOKENS = 3


class FeedbackClassifier(BaseEstimator):
    """Hybrid rules + calibrated linear models classifier of client feedback."""

    def __init__(self, name: str = "feedback-ru", version: str = "1", use_rules: bool = True,
                 use_model: bool = True, C: float = 8.0, min_df: int = 2, embeddings: bool = True,
                 rule_weight: float = 0.5, folds: int = 3, batch_size: int = 512, random_state: int = 0,
                 rules: RuleSet | None = None):
        self.name = name
        self.version = version
        self.use_rules = use_rules
        self.use_model = use_model
        self.C = C
        self.min_df = min_df
        self.embeddings = embeddings
        self.rule_weight = rule_weight
        self.folds = folds
        self.batch_size = batch_size
        self.random_state = random_state
        self.rules = rules

    @property
    def label(self) -> str:
        """``name-version`` as written into predictions."""
        return f"{self.name}-v{self.version}"

    @cached_property
    def ruleset(self) -> RuleSet:
        return self.rules if self.rules is not None else RuleSet.default()

    def __getstate__(self):
        state = self.__dict__.copy()
        state.pop("ruleset", None)
        return state

    # ---------------------------------------------------------------- fitting
    def fit(self, X: Sequence[str], y: Sequence[LabelledItem]) -> FeedbackClassifier:
        """Fit every statistical model on texts ``X`` labelled by corpus items ``y``."""
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} texts but y has {len(y)} labels")
        if not self.use_rules and not self.use_model:
            raise ValueError("at least one of use_rules, use_model must be true")
        analyses, hits, tones = self._analyse(X)
        self.rule_ids_ = self.ruleset.rule_ids if self.use_rules else []
        if not self.use_model:
            self.fitted_ = True
            return self
        opts = dict(C=self.C, folds=self.folds, seed=self.random_state)
        self.featurizer_ = TextFeaturizer(min_df=self.min_df, embeddings=self.embeddings).fit(analyses)
        docs = self._doc_matrix(analyses, hits, tones)
        relevant = np.array([item.relevant for item in y])
        self.relevance_ = fit_calibrated(docs, relevant.astype(int), **opts)
        self.indicators_, self.thresholds_ = {}, {}
        for code in INDICATORS:
            target = np.array([code in item.indicators for item in y], dtype=int)
            self.indicators_[code] = fit_calibrated(docs, target, **opts)
            self.thresholds_[code] = self.indicators_[code].threshold_
        rel = np.flatnonzero(relevant)
        tone = [layers.sentiment_label(y[i].relevant, y[i].labels, y[i].general) for i in rel]
        self.sentiment_ = fit_calibrated(docs[rel], np.array(tone), **opts)
        general = np.array([GENERAL_CLASSES.index("none" if y[i].general is None else str(y[i].general))
                            for i in rel])
        self.general_ = fit_calibrated(docs[rel], general, **opts)
        pairs = [(i, code, pol) for i, item in enumerate(y) for code, pol in item.labels]
        contexts = self._contexts([(analyses[i], hits[i], tones[i], docs[i], code) for i, code, _ in pairs])
        self.polarity_ = fit_calibrated(self._aspect_matrix(contexts), np.array([p for *_, p in pairs]), **opts)
        self.fitted_ = True
        return self

    def _check_fitted(self) -> None:
        if not getattr(self, "fitted_", False):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit() or load a model")

    # ---------------------------------------------------------------- features
    def _analyse(self, texts: Sequence[str]):
        analyses = [analyse(t) for t in texts]
        if self.use_rules:
            rules = self.ruleset
            return analyses, [rules.match(a) for a in analyses], [rules.token_tones(a) for a in analyses]
        return analyses, [[] for _ in analyses], [[0.0] * len(a) for a in analyses]

    def _doc_matrix(self, analyses, hits, tones) -> sp.csr_matrix:
        blocks = [self.featurizer_.transform(analyses)]
        if self.use_rules:
            blocks.append(layers.rule_block(self.rule_ids_, hits, tones, self.rule_weight))
        return sp.hstack(blocks, format="csr")

    def _contexts(self, requests):
        """For each (analysis, hits, tones, doc row, indicator): the context of the aspect."""
        out = []
        for a, hits, tones, row, code in requests:
            own = [h for h in hits if h.indicator == code]
            if own:
                clauses, contributions = layers.hit_clauses(a, own), None
            elif self.use_model:
                contributions = self._contributions(a, row, code)
                clauses = layers.best_clause(a, contributions)
            else:
                clauses, contributions = [], None
            out.append((a, own, tones, clauses, code, contributions))
        return out

    def _contributions(self, a: Analysis, row, code: str) -> np.ndarray:
        coef = self.indicators_[code].coef_
        if not coef.size:
            return np.zeros(len(a))
        n_text = self.featurizer_.n_text_features
        return self.featurizer_.token_scores(a, coef[0, :n_text], code)

    def _aspect_matrix(self, contexts) -> sp.csr_matrix:
        subs = [layers.sub_analysis(a, clauses) for a, _, _, clauses, _, _ in contexts]
        blocks = [self.featurizer_.transform(subs)]
        extra = np.zeros((len(contexts), len(INDICATORS) + (4 if self.use_rules else 0)))
        for row, (a, own, tones, clauses, code, _) in enumerate(contexts):
            extra[row, layers.INDEX[code]] = 1.0
            if self.use_rules:
                extra[row, -4] = sum(h.polarity > 0 for h in own)
                extra[row, -3] = sum(h.polarity < 0 for h in own)
                span = [i for c in clauses for i in range(*a.clauses[c])] or range(len(a))
                extra[row, -2] = np.tanh(sum(tones[i] for i in span if tones[i] > 0))
                extra[row, -1] = np.tanh(-sum(tones[i] for i in span if tones[i] < 0))
        blocks.append(sp.csr_matrix(extra))
        return sp.hstack(blocks, format="csr")

    # ---------------------------------------------------------------- prediction
    def map(self, texts: Iterable[str], ids: Iterable[str] | None = None) -> Iterator[Prediction]:
        """Predictions for texts, in order, computed in batches of ``batch_size``."""
        self._check_fitted()
        ids_iter = iter(ids) if ids is not None else None
        batch: list[str] = []
        number = 0
        for text in texts:
            batch.append(text)
            if len(batch) >= self.batch_size:
                names = [next(ids_iter) if ids_iter else str(number + i) for i in range(len(batch))]
                yield from self._predict_batch(batch, names)
                number += len(batch)
                batch = []
        if batch:
            names = [next(ids_iter) if ids_iter else str(number + i) for i in range(len(batch))]
            yield from self._predict_batch(batch, names)

    def predict(self, X: Sequence[str]) -> list[Prediction]:
        """Predictions for a list of texts."""
        return list(self.map(X))

    def __call__(self, text: str, id: str = "0") -> Prediction:
        """Prediction for one text."""
        return next(self.map([text], [id]))

    def explain(self, text: str) -> dict:
        """The prediction of ``text`` with clauses, rules, lexicon tone and top features."""
        from feedback_nlp.classifiers.explain import explain

        self._check_fitted()
        return explain(self, text)

    def _predict_batch(self, texts: list[str], ids: list[str]) -> list[Prediction]:
        analyses, hits, tones = self._analyse(texts)
        n = len(texts)
        if self.use_model:
            docs = self._doc_matrix(analyses, hits, tones)
            p_rel = self.relevance_.predict_proba(docs)[:, -1]
            p_ind = np.column_stack([_positive(self.indicators_[c], docs) for c in INDICATORS])
            thresholds = np.array([self.thresholds_[c] for c in INDICATORS])
            sent = self.sentiment_.predict_proba(docs)
            gen = self.general_.predict_proba(docs)
        else:
            docs = [None] * n
            p_rel = np.array([layers.rules_relevant(h) for h in hits])
        requests, found = [], []
        for i in range(n):
            if not analyses[i].lemmas or p_rel[i] < 0.5:
                found.append({})
                continue
            if self.use_model:
                detected = {c: float(p_ind[i, k]) for k, c in enumerate(INDICATORS) if p_ind[i, k] >= thresholds[k]}
            else:
                detected = layers.rules_aspects(analyses[i], hits[i], tones[i])
            found.append(detected)
            requests += [(analyses[i], hits[i], tones[i], docs[i], c) for c in detected]
        contexts = self._contexts(requests)
        if self.use_model and contexts:
            proba = self.polarity_.predict_proba(self._aspect_matrix(contexts))
            scores = [layers.score_from_proba(p, list(self.polarity_.classes_)) for p in proba]
        else:
            scores = [layers.rules_polarity(a, own, tones, clauses) for a, own, tones, clauses, _, _ in contexts]
        out, k = [], 0
        for i in range(n):
            aspects = []
            for code, confidence in found[i].items():
                aspects.append(self._aspect(contexts[k], scores[k], confidence))
                k += 1
            out.append(self._prediction(ids[i], analyses[i], tones[i], p_rel[i], aspects,
                                        sent[i] if self.use_model else None, gen[i] if self.use_model else None))
        return out

    def _aspect(self, context, score: float, confidence: float) -> AspectHit:
        a, own, _, _, code, contributions = context
        if own:
            spans = [_span(a, h.start, h.end) for h in own if h.polarity] or [_span(a, h.start, h.end) for h in own]
            source = "rule:" + own[0].rule if not self.use_model else "rule:" + own[0].rule + "+model:logreg"
        else:
            top = [int(j) for j in np.argsort(-contributions)[:MAX_EVIDENCE_TOKENS] if contributions[j] > 0] \
                if contributions is not None and len(contributions) else []
            spans = [_span(a, j, j + 1) for j in sorted(top)]
            source = "model:logreg"
        return AspectHit(code, float(np.clip(score, -1, 1)), round(float(confidence), 4),
                         tuple(dict.fromkeys(spans)), source)

    def _prediction(self, id_, a, tones, p_rel, aspects, sent, gen) -> Prediction:
        relevant = bool(a.lemmas) and bool(p_rel >= 0.5)
        if not a.lemmas:
            return Prediction(id_, False, 0.0, 0.0, None, (), self.label)
        if sent is not None:
            sentiment = layers.score_from_proba(sent, list(self.sentiment_.classes_))
            best = GENERAL_CLASSES[int(self.general_.classes_[int(np.argmax(gen))])]
            general = None if best == "none" or not relevant else int(best)
        else:
            sentiment = float(np.tanh(sum(tones) / 2))
            general = None
        return Prediction(id_, relevant, float(p_rel), sentiment, general,
                          tuple(aspects) if relevant else (), self.label)


def _positive(model, X) -> np.ndarray:
    proba = model.predict_proba(X)
    if proba.shape[1] == 1:
        return np.full(X.shape[0], float(model.classes_[0] == 1))
    return proba[:, -1]


def _span(a: Analysis, first: int, last: int) -> Span:
    start, end = a.char_span(first, last)
    return Span(start, end, a.text[start:end])


__all__ = ["FeedbackClassifier", "RuleHit"]
