"""How the rule layer and the statistical layer meet.

* rule features: every rule's hit, per-indicator counts of positive/negative rule hits and the
  lexicon tone become extra columns of the linear models (stacking: the model learns how far
  to trust each rule);
* rules alone: relevance from domain vs hard-negative markers, an indicator when a polar rule
  fires or a topical rule fires in a clause with lexicon tone, polarity from rule and lexicon;
* aspect context: the clauses where the indicator's rules fired, else the clause whose own
  features score highest for the indicator (see ``model.py``).
"""
from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

from feedback_nlp.classifiers.rules import RuleHit
from feedback_nlp.classifiers.text import Analysis
from feedback_nlp.codes import INDICATORS
from feedback_nlp.schema import POLARITY_THRESHOLD

INDEX = {code: i for i, code in enumerate(INDICATORS)}


def rule_counts(rule_ids: list[str], analyses: Sequence[Analysis], hits: Sequence[list[RuleHit]],
                tones: Sequence[list[float]]) -> sp.csr_matrix:
    """Raw rule counts of every clause (clauses of all analyses in order): one column per rule,
    2 per indicator (negative, positive rule hits), 2 for the lexicon tone (positive, negative sums)."""
    column = {r: i for i, r in enumerate(rule_ids)}
    n_rules = len(rule_ids)
    width = n_rules + 2 * len(INDICATORS) + 2
    rows, cols, vals = [], [], []
    base = 0
    for a, doc_hits, doc_tones in zip(analyses, hits, tones):
        ends = a.clause_ends
        last = len(ends) - 1
        for h in doc_hits:
            row = base + min(bisect_right(ends, h.start), last)
            j = column.get(h.rule)
            if j is not None:
                rows.append(row), cols.append(j), vals.append(1.0)
            if h.polarity and h.indicator in INDEX:
                rows.append(row), cols.append(n_rules + 2 * INDEX[h.indicator] + (h.polarity > 0)), vals.append(1.0)
        # lexicon tone sums per clause, visiting only the toned tokens (in text order, as a clause
        # by clause sum would)
        toned = [i for i, t in enumerate(doc_tones) if t]
        if toned:
            sums: dict[int, list[float]] = {}
            for i in toned:
                t = doc_tones[i]
                pos_neg = sums.setdefault(min(bisect_right(ends, i), last), [0.0, 0.0])
                if t > 0:
                    pos_neg[0] += t
                else:
                    pos_neg[1] -= t
            for number, (pos, neg) in sorted(sums.items()):
                if pos:
                    rows.append(base + number), cols.append(width - 2), vals.append(pos)
                if neg:
                    rows.append(base + number), cols.append(width - 1), vals.append(neg)
        base += len(ends)
    return sp.csr_matrix((vals, (rows, cols)), shape=(base, width))


def rule_features(raw: sp.csr_matrix, weight: float) -> np.ndarray:
    """Rule features from summed raw counts: hits capped at 2, lexicon tone squashed by tanh."""
    out = raw.toarray()
    np.minimum(out[:, :-2], 2.0, out=out[:, :-2])
    out[:, -2:] = np.tanh(out[:, -2:] / 2)
    out *= weight
    return out


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


def scores_from_proba(proba: np.ndarray, classes: Sequence[int]) -> np.ndarray:
    """``score_from_proba`` of many rows at once."""
    classes = list(classes)
    pos = proba[:, classes.index(1)] if 1 in classes else np.zeros(len(proba))
    neg = proba[:, classes.index(-1)] if -1 in classes else np.zeros(len(proba))
    score = pos - neg
    best = np.asarray(classes)[np.argmax(proba, axis=1)]
    eps = POLARITY_THRESHOLD + 1e-3
    return np.where(best == 1, np.maximum(score, eps),
                    np.where(best == -1, np.minimum(score, -eps),
                             np.clip(score, -POLARITY_THRESHOLD, POLARITY_THRESHOLD)))


def sentiment_label(relevant: bool, labels: Sequence[tuple[str, int]], general: int | None) -> int | None:
    """Whole-text tone of a labelled item: ``general``, else the sign of its aspect polarities."""
    if not relevant:
        return None
    if general is not None:
        return general
    total = sum(p for _, p in labels)
    return (total > 0) - (total < 0)
