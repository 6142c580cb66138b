"""How the rule layer and the statistical layer meet.

* rule features: every rule's hit, per-indicator counts of positive/negative rule hits and the
  lexicon tone become extra columns of the linear models (stacking: the model learns how far
  to trust each rule);
* rules alone: relevance from domain vs hard-negative markers, an indicator when a polar rule
  fires or a topical rule fires in a clause with lexicon tone, polarity from rule and lexicon;
* aspect context: the clauses where the indicator's rules fired, else the clause holding the
  tokens that carry most of the model's score, else the whole text.
"""
from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from feedback_nlp.classifiers.rules import RuleHit
from feedback_nlp.classifiers.text import Analysis
from feedback_nlp.codes import INDICATORS
from feedback_nlp.schema import POLARITY_THRESHOLD

INDEX = {code: i for i, code in enumerate(INDICATORS)}


def rule_block(rule_ids: list[str], hits: Sequence[list[RuleHit]], tones: Sequence[list[float]],
               weight: float) -> sp.csr_matrix:
    """Rule features of documents: one column per rule, 2 per indicator, 2 for lexicon tone."""
    column = {r: i for i, r in enumerate(rule_ids)}
    n_rules = len(rule_ids)
    out = np.zeros((len(hits), n_rules + 2 * len(INDICATORS) + 2), dtype=np.float64)
    for row, (doc_hits, doc_tones) in enumerate(zip(hits, tones)):
        for h in doc_hits:
            out[row, column[h.rule]] = 1.0
            if h.polarity and h.indicator in INDEX:
                out[row, n_rules + 2 * INDEX[h.indicator] + (h.polarity > 0)] += 1.0
        pos = sum(t for t in doc_tones if t > 0)
        neg = -sum(t for t in doc_tones if t < 0)
        out[row, -2:] = math.tanh(pos / 2), math.tanh(neg / 2)
    np.minimum(out, 2.0, out=out)
    return sp.csr_matrix(out * weight)


def rules_relevant(hits: list[RuleHit]) -> float:
    """Relevance by rules alone: domain markers outnumber hard-negative markers."""
    domain = sum(h.indicator == "relevance.domain" for h in hits)
    negative = sum(h.indicator == "relevance.hard_negative" for h in hits)
    if domain == 0:
        return 0.1
    return 0.9 if domain >= negative else 0.3


def rules_aspects(a: Analysis, hits: list[RuleHit], tones: list[float]) -> dict[str, float]:
    """Indicators detected by rules alone with a confidence."""
    found: dict[str, float] = {}
    for h in hits:
        if h.indicator not in INDEX:
            continue
        if h.polarity:
            found[h.indicator] = 0.9
        else:
            start, end = a.clauses[a.clause_of(h.start)]
            if any(tones[start:end]):
                found.setdefault(h.indicator, 0.6)
    return found


def rules_polarity(a: Analysis, hits: list[RuleHit], tones: list[float], clauses: list[int]) -> float:
    """Aspect sentiment by rules alone: polar rule hits, else lexicon tone of the context."""
    polar = sum(h.polarity for h in hits)
    if polar:
        return math.tanh(polar)
    tone = sum(sum(tones[a.clauses[c][0]:a.clauses[c][1]]) for c in clauses)
    return math.tanh(tone / 2)


def hit_clauses(a: Analysis, hits: list[RuleHit]) -> list[int]:
    """Clause numbers holding the given hits, in text order."""
    return sorted({a.clause_of(h.start) for h in hits})


def best_clause(a: Analysis, contributions: np.ndarray) -> list[int]:
    """The clause whose tokens carry the largest positive share of a model's score."""
    if not len(contributions):
        return []
    scores = [contributions[s:e].clip(min=0).sum() for s, e in a.clauses]
    return [int(np.argmax(scores))]


def sub_analysis(a: Analysis, clauses: list[int]) -> Analysis:
    """The tokens of some clauses as an Analysis of their own (same text and offsets)."""
    if not clauses:
        return a
    keep = [i for c in clauses for i in range(*a.clauses[c])]
    pick = lambda seq: tuple(seq[i] for i in keep)  # noqa: E731
    return Analysis(a.text, pick(a.starts), pick(a.ends), pick(a.lowers), pick(a.lemmas), ((0, len(keep)),))


def score_from_proba(proba: np.ndarray, classes: Sequence[int]) -> float:
    """Sentiment in [−1, 1] as P(+) − P(−), kept on the side of the most probable class so
    that ``polarity_of(sentiment)`` equals the predicted class."""
    p = dict(zip(classes, proba))
    score = float(p.get(1, 0.0) - p.get(-1, 0.0))
    best = classes[int(np.argmax(proba))]
    eps = POLARITY_THRESHOLD + 1e-3
    if best == 1:
        return max(score, eps)
    if best == -1:
        return min(score, -eps)
    return float(np.clip(score, -POLARITY_THRESHOLD, POLARITY_THRESHOLD))


def sentiment_label(relevant: bool, labels: Sequence[tuple[str, int]], general: int | None) -> int | None:
    """Whole-text tone of a labelled item: ``general``, else the sign of its aspect polarities."""
    if not relevant:
        return None
    if general is not None:
        return general
    total = sum(p for _, p in labels)
    return (total > 0) - (total < 0)
