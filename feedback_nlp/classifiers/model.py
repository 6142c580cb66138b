"""``FeedbackClassifier``: relevance, indicators with aspect sentiment and evidence, tone.

A scikit-learn estimator on raw texts: ``fit(texts, items)``, ``predict(texts)`` →
``Prediction`` records; batch-first ``map(texts)`` and ``__call__(text)`` like slovnet.
``use_rules`` / ``use_model`` switch the layers, which is how the model card measures each
layer alone and both together.

Every clause of a batch is featurised once (``Encoded``); documents and aspect contexts are sums
of clause rows, and all linear models are applied as batched sparse × dense products.
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from functools import cached_property

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

from feedback_nlp.classifiers import layers
from feedback_nlp.classifiers.calibrated import fit_calibrated
from feedback_nlp.classifiers.corpus import LabelledItem
from feedback_nlp.classifiers.features import TextFeaturizer, aggregate, dot, stack
from feedback_nlp.classifiers.rounds import author_group
from feedback_nlp.classifiers.rules import RuleHit, RuleSet
from feedback_nlp.classifiers.runtime import in_batch_settings
from feedback_nlp.classifiers.text import Analysis, analyse
from feedback_nlp.codes import GROUPS, INDICATOR_GROUPS, INDICATORS
from feedback_nlp.schema import AspectHit, Prediction, Span, make_aspect, make_prediction, make_span

GENERAL_CLASSES = ("none", "-1", "0", "1")
MAX_EVIDENCE_TOKENS = 3
N_CUES = 5   # per-indicator polarity cues crossed with the indicator (see _aspect_blocks)


@dataclass
class Encoded:
    """A batch featurised once: analyses, rule hits, tones and clause-level matrices."""

    analyses: list[Analysis]
    hits: list[list[RuleHit]]
    tones: list[list[float]]
    sarcastic: list[frozenset[int]] | None = None
    flags: list[list[bool]] | None = None
    first: np.ndarray | None = None          # first clause number of each document (+ total at the end)
    counts: sp.csr_matrix | None = None      # clause × text features (raw counts)
    embedded: np.ndarray | None = None       # clause × sums of navec vectors
    negated: np.ndarray | None = None        # clause → number of negated tokens
    rules: sp.csr_matrix | None = None       # clause × raw rule counts
    doc_blocks: list | None = None           # document feature blocks (see TextFeaturizer.blocks)
    clause_scores: np.ndarray | None = None  # clause × indicator decision values
    placed: layers.PlacedHits | None = None  # the rule hits on the batch's clause axis


class FeedbackClassifier(BaseEstimator):
    """Hybrid rules + calibrated linear models classifier of client feedback."""

    def __init__(self, name: str = "feedback-ru", version: str = "6", use_rules: bool = True,
                 use_model: bool = True, C: float = 8.0, min_df: int = 2, embeddings: bool = True,
                 rule_weight: float = 0.5, folds: int = 3, batch_size: int = 2048, random_state: int = 0,
                 rules: RuleSet | None = None, char_range: tuple[int, int] | None = None,
                 negation: bool = True, bigrams: bool = True, class_weight: str | None = None,
                 polarity_C: float = 2.0, polarity_class_weight: str | None = "balanced",
                 doc_weight: float = 2.0, context: str = "union", group_consistency: bool = True,
                 detection_rules: bool = True, average_folds: bool = False, nb_weighting: bool = True,
                 clause_blend: float = 0.25, cv_groups: bool = True):
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
        self.char_range = char_range
        self.negation = negation
        self.bigrams = bigrams
        self.class_weight = class_weight
        self.polarity_C = polarity_C
        self.polarity_class_weight = polarity_class_weight
        self.doc_weight = doc_weight
        self.context = context
        self.group_consistency = group_consistency
        self.detection_rules = detection_rules
        self.average_folds = average_folds
        self.nb_weighting = nb_weighting
        self.clause_blend = clause_blend
        self.cv_groups = cv_groups

    @property
    def label(self) -> str:
        """``name-version`` as written into predictions."""
        return f"{self.name}-v{self.version}"

    @cached_property
    def ruleset(self) -> RuleSet:
        return self.rules if self.rules is not None else RuleSet.default()

    # Not pickled: the rule set (the model directory holds its rule files), the per-indicator
    # detectors and their NB scales — fit-time parts folded into W_, b0_, platt_ and thresholds_
    # by _stack_indicators — and the polarity weight blocks, which _split_polarity derives again
    # on loading. They were two thirds of the artifact.
    _NOT_PICKLED = ("ruleset", "indicators_", "nb_scales_", "polarity_parts_", "_vector_products")

    def __getstate__(self):
        state = self.__dict__.copy()
        for key in self._NOT_PICKLED:
            state.pop(key, None)
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        if "polarity_" in state:
            self._split_polarity()

    # ---------------------------------------------------------------- fitting
    def fit(self, X: Sequence[str], y: Sequence[LabelledItem]) -> FeedbackClassifier:
        """Fit every statistical model on texts ``X`` labelled by corpus items ``y``."""
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} texts but y has {len(y)} labels")
        if not self.use_rules and not self.use_model:
            raise ValueError("at least one of use_rules, use_model must be true")
        if self.context not in ("best", "union", "doc"):
            raise ValueError(f"context must be 'best', 'union' or 'doc', got {self.context!r}")
        self.rule_ids_ = self.ruleset.rule_ids if self.use_rules else []
        if not self.use_model:
            self.fitted_ = True
            return self
        enc = self._analyse(X)
        self.featurizer_ = TextFeaturizer(min_df=self.min_df, char_range=self.char_range, bigrams=self.bigrams,
                                          negation=self.negation, embeddings=self.embeddings
                                          ).fit(enc.analyses, sarcastic=enc.sarcastic)
        self._featurise(enc)
        docs = stack(enc.doc_blocks)
        # cv_groups: out-of-fold scores (calibration, thresholds) from folds that keep each corpus
        # part — one author's texts — whole, so they are scores on unseen authors' writing
        groups = np.array([author_group(item.id) for item in y]) if self.cv_groups else None
        opts = dict(C=self.C, folds=self.folds, seed=self.random_state, average=self.average_folds, groups=groups)
        relevant = np.array([item.relevant for item in y])
        self.relevance_ = fit_calibrated(docs, relevant.astype(int), **opts)
        self.indicators_ = {}
        # detection_rules=False: rule columns are zero for the detectors (rules feed polarity only)
        detect = docs if self.detection_rules or not self.use_rules else stack(
            [*enc.doc_blocks[:-1], np.zeros_like(enc.doc_blocks[-1])])
        self.nb_scales_ = {}
        n_text = self.featurizer_.n_text_features
        for code in INDICATORS:
            target = np.array([code in item.indicators for item in y], dtype=int)
            self.indicators_[code], self.nb_scales_[code] = self._fit_detector(
                detect, target, n_text, class_weight=self.class_weight, **opts)
        self._stack_indicators()
        if self.group_consistency:
            self.groups_ = {}
            for g in GROUPS:
                target = np.array([any(INDICATOR_GROUPS[c] == g for c in item.indicators) for item in y], dtype=int)
                est, scale = self._fit_detector(detect, target, n_text, **opts)
                if scale is not None and est.model_ is not None:
                    est.model_.coef_ = est.model_.coef_ * scale   # predicts on unscaled columns
                self.groups_[g] = est
        rel = np.flatnonzero(relevant)
        tone = [layers.sentiment_label(y[i].relevant, y[i].labels, y[i].general) for i in rel]
        opts["groups"] = None if groups is None else groups[rel]
        self.sentiment_ = fit_calibrated(docs[rel], np.array(tone), **opts)
        general = np.array([GENERAL_CLASSES.index("none" if y[i].general is None else str(y[i].general))
                            for i in rel])
        self.general_ = fit_calibrated(docs[rel], general, **opts)
        self._score_clauses(enc)
        self._fit_polarity(enc, y, docs)
        self.fitted_ = True
        return self

    def _fit_polarity(self, enc: Encoded, y: Sequence[LabelledItem], docs: sp.csr_matrix) -> None:
        """The aspect polarity model on the gold (indicator, context) pairs of the training texts."""
        doc = np.array([i for i, item in enumerate(y) for _ in item.labels], dtype=np.int64)
        k = np.array([layers.INDEX[code] for item in y for code, _ in item.labels], dtype=np.int64)
        contexts = self._contexts(enc, doc, k)
        target = np.array([pol for item in y for _, pol in item.labels])
        self.polarity_ = LogisticRegression(C=self.polarity_C, max_iter=3000,
                                            class_weight=self.polarity_class_weight)
        self.polarity_.fit(self._aspect_matrix(enc, doc, k, contexts, docs), target)
        self._split_polarity()

    def _fit_detector(self, detect: sp.csr_matrix, target: np.ndarray, n_text: int, **opts):
        """A calibrated detector fitted on NB-scaled text columns (``nb_weighting``), and the scale
        (None when unscaled): the caller folds it into the weights used to predict."""
        scale = nb_scale(detect, target, n_text) if self.nb_weighting else None
        return fit_calibrated(detect if scale is None else detect @ sp.diags(scale), target, **opts), scale

    def _stack_indicators(self) -> None:
        """One weight matrix for all indicator models: scoring a batch is one product."""
        n = self._n_doc_features
        W = np.zeros((n, len(INDICATORS)))
        b0, a, b = np.zeros(len(INDICATORS)), np.zeros(len(INDICATORS)), np.zeros(len(INDICATORS))
        for k, code in enumerate(INDICATORS):
            w, b0[k], a[k], b[k] = self.indicators_[code].linear()
            if w.size:
                scale = self.nb_scales_[code]
                # the model was fitted on NB-scaled columns: folding the scale into the weights
                # keeps prediction one product over unscaled features (and evidence per token exact)
                W[:, k] = w if scale is None else w * scale
        self.W_, self.b0_, self.platt_ = W, b0, (a, b)
        self.__dict__.pop("_vector_products", None)     # derived from W_
        self.thresholds_ = {c: self.indicators_[c].threshold_ for c in INDICATORS}

    @property
    def _n_doc_features(self) -> int:
        n_rules = len(self.rule_ids_) + 2 * len(INDICATORS) + 2 if self.use_rules else 0
        return self.featurizer_.n_features + n_rules

    def _check_fitted(self) -> None:
        if not getattr(self, "fitted_", False):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet; call fit() or load a model")

    # ---------------------------------------------------------------- features
    def _analyse(self, texts: Sequence[str]) -> Encoded:
        analyses = [analyse(t) for t in texts]
        if self.use_rules:
            # hits, token tones and sarcastic praise words of the whole batch in one numpy pass
            # (RuleSet.scan_many: the same values as match, token_tones and sarcastic_tokens)
            return Encoded(analyses, *self.ruleset.scan_many(analyses))
        return Encoded(analyses, [[] for _ in analyses], [[0.0] * len(a) for a in analyses])

    def _featurise(self, enc: Encoded) -> None:
        """Clause counts, clause rule counts and document rows of a batch."""
        counts, owner, enc.flags = self.featurizer_.clause_counts(enc.analyses, enc.sarcastic)
        enc.counts = counts
        enc.placed = placed = layers.place_hits(enc.analyses, enc.hits)
        # negated tokens per clause: differences of the running count over the batch's tokens
        negated = np.fromiter(chain.from_iterable(enc.flags), dtype=bool, count=int(placed.token_base[-1]))
        running = np.concatenate([[0], np.cumsum(negated)])
        enc.negated = (running[placed.ends] - running[placed.starts]).astype(np.float64)
        if self.featurizer_.embeddings:
            enc.embedded = self.featurizer_.embed_raw(counts)
        enc.first = placed.clause_base
        if self.use_rules:
            enc.rules = layers.rule_counts(self.rule_ids_, enc.analyses, enc.hits, enc.tones, placed=enc.placed)
        enc.doc_blocks = self._blocks(enc, aggregate(owner, len(enc.analyses)))

    def _blocks(self, enc: Encoded, select: sp.csr_matrix | None) -> list:
        """Feature blocks of sums of clauses (``select`` is rows × clauses; None: the clauses)."""
        counts = enc.counts if select is None else select @ enc.counts
        raw = None
        if enc.embedded is not None:
            raw = enc.embedded if select is None else select @ enc.embedded
        blocks = self.featurizer_.blocks(counts, raw)
        if self.use_rules:
            blocks.append(layers.rule_features(enc.rules if select is None else select @ enc.rules,
                                               self.rule_weight))
        return blocks

    def _score_clauses(self, enc: Encoded) -> None:
        """Decision value of every indicator on every clause alone (to locate aspects): the
        blocks' products with ``W_`` summed in ``dot``'s order, the embedding's through
        ``TextFeaturizer.embed_dot`` (clause rows are the most numerous of a batch)."""
        fz = self.featurizer_
        if enc.embedded is None:
            enc.clause_scores = dot(self._blocks(enc, None), self.W_)
            return
        n, m = fz.n_text_features, fz.n_features
        products = self.__dict__.get("_vector_products")
        if products is None:
            products = self.__dict__["_vector_products"] = fz.vector_products(self.W_[n:m])
        scores = fz.tfidf(enc.counts) @ self.W_[:n] + fz.embed_dot(enc.counts, enc.embedded, products)
        if self.use_rules:
            scores += layers.rule_features(enc.rules, self.rule_weight) @ self.W_[m:]
        enc.clause_scores = np.asarray(scores)

    def _contexts(self, enc: Encoded, doc: np.ndarray, k: np.ndarray) -> list[tuple[list[RuleHit], list[int]]]:
        """For each request — text ``doc[r]``, indicator number ``k[r]`` — its rule hits and the
        clause numbers of its context.

        A request's hits are one slice of the batch's hits sorted by (text, indicator) — a stable
        sort keeps each text's match order — and their clauses come placed (``enc.placed``), so
        Python only slices lists per request."""
        first = enc.first
        n_codes = len(INDICATORS)
        if self.context != "doc" and len(doc):
            # the best clause of every (document, indicator) at once: the first clause reaching the
            # document's maximum score for that indicator
            scores = enc.clause_scores
            starts = first[:-1]
            top = np.maximum.reduceat(scores, starts, axis=0)
            owner = np.repeat(np.arange(len(starts)), np.diff(first))
            numbers = np.arange(len(scores))[:, None]
            cand = np.where(scores >= top[owner], numbers, len(scores))
            best = (np.minimum.reduceat(cand, starts, axis=0) - starts[:, None])[doc, k].tolist()
        placed = enc.placed
        key = np.where(placed.k >= 0, placed.doc * n_codes + placed.k, -1)   # −1: no indicator's hit
        order = np.argsort(key, kind="stable")
        sorted_keys = key[order]
        wanted = doc * n_codes + k
        lo = np.searchsorted(sorted_keys, wanted, side="left").tolist()
        hi = np.searchsorted(sorted_keys, wanted, side="right").tolist()
        flat = placed.flat
        hit_of = order.tolist()
        clause_of = (placed.row - first[placed.doc])[order].tolist()
        n_clauses = np.diff(first)[doc].tolist()
        out = []
        for r in range(len(lo)):
            a, b = lo[r], hi[r]
            own = [flat[i] for i in hit_of[a:b]] if b > a else []
            if self.context == "doc" or n_clauses[r] <= 1:
                clauses = list(range(n_clauses[r]))
            elif not own:
                clauses = [best[r]]
            elif self.context == "best":
                clauses = sorted(set(clause_of[a:b]))
            else:
                clauses = sorted({*clause_of[a:b], best[r]})
            out.append((own, clauses))
        return out

    def _aspect_blocks(self, enc: Encoded, doc: np.ndarray, k: np.ndarray, contexts) -> tuple[list, np.ndarray]:
        """Polarity features of aspects (text ``doc[r]``, indicator number ``k[r]``): context
        blocks, and the indicator one-hot and the indicator crossed with polarity cues of the
        context (the document row comes apart)."""
        n = len(doc)
        size = np.fromiter(map(len, (clauses for _, clauses in contexts)), dtype=np.int64, count=n)
        local = np.fromiter(chain.from_iterable(clauses for _, clauses in contexts), dtype=np.int64,
                            count=int(size.sum()))
        # a CSR selection matrix: row r holds the request's clauses (sorted, distinct) shifted to
        # the batch numbering
        select = sp.csr_matrix((np.ones(len(local)), local + np.repeat(enc.first[doc], size),
                                np.concatenate([[0], np.cumsum(size)])), shape=(n, enc.counts.shape[0]))
        blocks = self._blocks(enc, select)
        cues = np.zeros((n, N_CUES))
        negated = select @ enc.negated
        cues[:, 4] = np.minimum(1.0, negated / 2)
        if self.use_rules:
            raw = (select @ enc.rules).toarray()
            n_rules = len(self.rule_ids_)
            cues[:, 0] = np.minimum(2.0, raw[np.arange(n), n_rules + 2 * k + 1])
            cues[:, 1] = np.minimum(2.0, raw[np.arange(n), n_rules + 2 * k])
            cues[:, 2] = np.tanh(raw[:, -2] / 2)
            cues[:, 3] = np.tanh(raw[:, -1] / 2)
        extra = np.zeros((n, len(INDICATORS) * (1 + N_CUES)))
        extra[np.arange(n), k] = 1.0
        width = len(INDICATORS)
        for j in range(N_CUES):
            extra[np.arange(n), width + k * N_CUES + j] = cues[:, j]
        return blocks, extra

    def _aspect_matrix(self, enc: Encoded, doc: np.ndarray, k: np.ndarray, contexts, docs: sp.csr_matrix
                       ) -> sp.csr_matrix:
        """The polarity features of aspects as one matrix (for fitting)."""
        context, extra = self._aspect_blocks(enc, doc, k, contexts)
        blocks = [*context]
        if self.doc_weight:
            blocks.append(docs[doc] * self.doc_weight)
        return stack([*blocks, extra])

    def _split_polarity(self) -> None:
        """Contiguous weight blocks of the polarity model: context, document, extra columns."""
        coef = self.polarity_.coef_
        n = self._n_doc_features
        n_extra = len(INDICATORS) * (1 + N_CUES)
        self.polarity_parts_ = (np.ascontiguousarray(coef[:, :n].T),
                                np.ascontiguousarray(coef[:, n:2 * n].T) if self.doc_weight else None,
                                np.ascontiguousarray(coef[:, -n_extra:].T))

    def _polarity_proba(self, enc: Encoded, doc: np.ndarray, k: np.ndarray, contexts) -> np.ndarray:
        """Polarity probabilities of aspects from blocks (no stacking at prediction time)."""
        context, extra = self._aspect_blocks(enc, doc, k, contexts)
        w_context, w_doc, w_extra = self.polarity_parts_
        Z = dot(context, w_context) + extra @ w_extra + self.polarity_.intercept_
        if w_doc is not None:
            Z += self.doc_weight * dot(enc.doc_blocks, w_doc)[doc]
        if Z.shape[1] == 1:   # two classes: one decision value for the second
            Z = np.column_stack([np.zeros(len(Z)), Z[:, 0]])
        Z -= Z.max(axis=1, keepdims=True)
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)

    # ---------------------------------------------------------------- prediction
    # A batch has a fixed cost (~2 ms: the products, the group models, the collector turned back
    # on): 2,048 texts a batch classify ~10 % faster than 512 and use ~40 MB more (bench_classify).
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

    def indicator_proba(self, blocks: list) -> np.ndarray:
        """Calibrated probability of every indicator for document blocks (documents × 18)."""
        a, b = self.platt_
        return 1 / (1 + np.exp(-(a * (dot(blocks, self.W_) + self.b0_) + b)))

    def _blended_proba(self, enc: Encoded) -> np.ndarray:
        """Indicator probabilities of featurised documents: the document's own, blended with
        its best single clause (``clause_blend``) — most aspects live in one clause, and a clause
        that alone scores high is evidence the document-level sum dilutes in long texts."""
        p_ind = self.indicator_proba(enc.doc_blocks)
        blend = getattr(self, "clause_blend", 0.0)
        if blend:
            self._score_clauses(enc)
            a, b = self.platt_
            p_clause = 1 / (1 + np.exp(-(a * (enc.clause_scores + self.b0_) + b)))
            p_ind = (1 - blend) * p_ind + blend * np.maximum.reduceat(p_clause, enc.first[:-1], axis=0)
        return p_ind

    def indicator_probabilities(self, texts: Sequence[str]) -> np.ndarray:
        """Calibrated probability of each of the 18 indicators (columns in ``INDICATORS`` order)
        for each text, before thresholds and group consistency (for analysis and ranking)."""
        self._check_fitted()
        if not self.use_model:
            raise ValueError("indicator probabilities need the statistical layer (use_model=True)")
        enc = self._analyse(list(texts))
        self._featurise(enc)
        return self._blended_proba(enc)

    def _consistent(self, docs: list, p_ind: np.ndarray, detected: np.ndarray) -> np.ndarray:
        """Group-level consistency: a group its own model finds but no indicator of it passed its
        threshold gets its most probable indicator when that one reaches half its threshold; an
        indicator whose group model is far below its threshold needs a clear margin to stay."""
        detected = detected.copy()
        thresholds = np.array([self.thresholds_[c] for c in INDICATORS])
        for g in GROUPS:
            est = self.groups_[g]
            p_group = self._proba(est, docs)[:, -1]
            members = np.array([INDICATOR_GROUPS[c] == g for c in INDICATORS])
            cols = np.flatnonzero(members)
            ratio = p_ind[:, cols] / thresholds[cols]
            best = cols[np.argmax(ratio, axis=1)]
            rows = np.arange(len(p_ind))
            add = (p_group >= est.threshold_) & ~detected[:, cols].any(axis=1) & (ratio.max(axis=1) >= 0.5)
            detected[rows[add], best[add]] = True
            weak = p_group < est.threshold_ / 2
            detected[:, cols] &= ~(weak[:, None] & (p_ind[:, cols] < thresholds[cols] + 0.15))
        return detected

    def _proba(self, estimator, blocks: list) -> np.ndarray:
        coef = estimator.coef_
        if not coef.size:
            return estimator.proba_from_decision(np.zeros((blocks[0].shape[0], 1)))
        return estimator.proba_from_decision(dot(blocks, coef.T) + estimator.intercept_)

    @in_batch_settings
    def _predict_batch(self, texts: list[str], ids: list[str]) -> list[Prediction]:
        enc = self._analyse(texts)
        if not self.use_model:
            return self._predict_rules(enc, ids)
        self._featurise(enc)
        docs = enc.doc_blocks
        p_rel = self._proba(self.relevance_, docs)[:, -1]
        p_ind = self._blended_proba(enc)
        thresholds = np.array([self.thresholds_[c] for c in INDICATORS])
        sent = self._proba(self.sentiment_, docs)
        gen = self._proba(self.general_, docs)
        detected = p_ind >= thresholds
        if self.group_consistency:
            detected = self._consistent(docs, p_ind, detected)
        detected &= ((p_rel >= 0.5) & np.array([bool(a.lemmas) for a in enc.analyses]))[:, None]
        rows, cols = np.nonzero(detected)
        scores, contexts = [], []
        if len(rows):
            if enc.clause_scores is None:
                self._score_clauses(enc)
            contexts = self._contexts(enc, rows, cols)
            proba = self._polarity_proba(enc, rows, cols, contexts)
            scores = np.clip(layers.scores_from_proba(proba, self.polarity_.classes_), -1.0, 1.0).tolist()
        aspects: list[list[AspectHit]] = [[] for _ in texts]
        confidences = p_ind[rows, cols].tolist()
        for r, (doc, code) in enumerate(zip(rows.tolist(), map(INDICATORS.__getitem__, cols.tolist()))):
            own, clauses = contexts[r]
            if own:
                spans, source = _rule_evidence(enc.analyses[doc], own), "rule:" + own[0].rule + "+model:logreg"
            else:
                spans, source = self._model_evidence(enc, doc, code, clauses), "model:logreg"
            aspects[doc].append(make_aspect(code, scores[r], round(confidences[r], 4), spans, source))
        sentiment = layers.scores_from_proba(sent, self.sentiment_.classes_).tolist()
        best = self.general_.classes_[np.argmax(gen, axis=1)].tolist()
        general = [None if GENERAL_CLASSES[b] == "none" else int(GENERAL_CLASSES[b]) for b in best]
        p_rel = p_rel.tolist()
        label = self.label
        out = []
        for i, a in enumerate(enc.analyses):
            if not a.lemmas:
                out.append(make_prediction(ids[i], False, 0.0, 0.0, None, (), label))
            else:
                relevant = p_rel[i] >= 0.5
                out.append(make_prediction(ids[i], relevant, p_rel[i], sentiment[i],
                                           general[i] if relevant else None,
                                           tuple(aspects[i]) if relevant else (), label))
        return out

    def _predict_rules(self, enc: Encoded, ids: list[str]) -> list[Prediction]:
        out = []
        for i, (a, hits, tones) in enumerate(zip(enc.analyses, enc.hits, enc.tones)):
            p_rel = layers.rules_relevant(hits)
            aspects = []
            if a.lemmas and p_rel >= 0.5:
                for code, confidence in layers.rules_aspects(a, hits, tones).items():
                    own = [h for h in hits if h.indicator == code]
                    score = layers.rules_polarity(a, own, tones, layers.hit_clauses(a, own))
                    aspects.append(AspectHit(code, float(np.clip(score, -1, 1)), confidence,
                                             _rule_evidence(a, own), "rule:" + own[0].rule))
            out.append(self._prediction(ids[i], a, tones, p_rel, aspects, None, None))
        return out

    def _model_evidence(self, enc: Encoded, doc: int, code: str, clauses: list[int]) -> tuple[Span, ...]:
        """Evidence of an aspect without rule hits: the context's tokens contributing most to the
        indicator's score (at most ``MAX_EVIDENCE_TOKENS``, positive contributions only)."""
        a = enc.analyses[doc]
        tokens = [i for c in clauses for i in range(*a.clauses[c])]
        k = layers.INDEX[code]
        n_text = self.featurizer_.n_text_features
        contributions = self.featurizer_.token_scores(a, enc.flags[doc], self.W_[:n_text, k], k, tokens,
                                                      enc.sarcastic[doc] if enc.sarcastic else frozenset())
        order = sorted(range(len(tokens)), key=contributions.__getitem__, reverse=True)[:MAX_EVIDENCE_TOKENS]
        top = sorted(tokens[j] for j in order if contributions[j] > 0)
        return tuple([_span(a, j, j + 1) for j in top])

    def _prediction(self, id_, a, tones, p_rel, aspects, sent, gen) -> Prediction:
        """A rules-alone prediction (no statistical models)."""
        relevant = bool(a.lemmas) and bool(p_rel >= 0.5)
        if not a.lemmas:
            return Prediction(id_, False, 0.0, 0.0, None, (), self.label)
        return Prediction(id_, relevant, float(p_rel), float(np.tanh(sum(tones) / 2)), None,
                          tuple(aspects) if relevant else (), self.label)


def nb_scale(X: sp.csr_matrix, target: np.ndarray, n_text: int, alpha: float = 1.0) -> np.ndarray:
    """Naive-Bayes log-count ratios of the text columns (Wang & Manning 2012, "NBSVM"): each
    lemma or bigram column is scaled by how much more often it occurs in positive than in
    negative documents, so the regularised logistic regression starts from the NB evidence.
    Dense columns (navec, rules) keep scale 1. Measured in the model card's ablation."""
    B = (X[:, :n_text] != 0).astype(np.float64)
    pos = np.asarray(B[target == 1].sum(axis=0)).ravel() + alpha
    neg = np.asarray(B[target == 0].sum(axis=0)).ravel() + alpha
    scale = np.ones(X.shape[1])
    scale[:n_text] = np.log((pos / pos.sum()) / (neg / neg.sum()))
    return scale


def _rule_evidence(a: Analysis, own: list[RuleHit]) -> tuple[Span, ...]:
    """The phrases of an aspect's polar rule hits (else of all its hits), one span per distinct
    token range (deduplicated before Span objects are built)."""
    ranges = [(h.start, h.end) for h in own if h.polarity] or [(h.start, h.end) for h in own]
    return tuple([_span(a, first, last) for first, last in dict.fromkeys(ranges)])


def _span(a: Analysis, first: int, last: int) -> Span:
    start, end = a.starts[first], a.ends[last - 1]
    return make_span(start, end, a.text[start:end])


__all__ = ["FeedbackClassifier", "RuleHit"]
