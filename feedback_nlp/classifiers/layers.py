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
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, repeat

import numpy as np
import scipy.sparse as sp

from feedback_nlp.classifiers.rules import RuleHit
from feedback_nlp.classifiers.text import Analysis, batch_clauses
from feedback_nlp.codes import INDICATORS
from feedback_nlp.schema import POLARITY_THRESHOLD

INDEX = {code: i for i, code in enumerate(INDICATORS)}


@dataclass(frozen=True)
class PlacedHits:
    """The rule hits of a batch placed on its clause axis, once: the rule counts and the aspect
    contexts both need each hit's clause (a per-hit bisect in Python cost ~15 µs a text)."""

    flat: list[RuleHit]        # every hit, texts in order, each text's hits in match order
    fields: tuple              # the hits' fields as columns: rule ids, indicators, starts, …
    doc: np.ndarray            # text of each hit
    row: np.ndarray            # clause of each hit, batch numbering
    k: np.ndarray              # indicator index of each hit (−1: a relevance marker)
    token_base: np.ndarray     # first token of each text on the batch's token axis (+ total)
    clause_base: np.ndarray    # first clause of each text (+ total)
    starts: np.ndarray         # start of each clause on the batch's token axis
    ends: np.ndarray           # end of each clause on the batch's token axis

    def clause_rows(self, doc: np.ndarray, token: np.ndarray) -> np.ndarray:
        """Clause (batch numbering) of token ``token`` of text ``doc``: the first clause whose
        end lies past it, the text's last clause past its end (as ``Analysis.clause_of``)."""
        return np.minimum(np.searchsorted(self.ends, self.token_base[doc] + token, side="right"),
                          self.clause_base[doc + 1] - 1)


def place_hits(analyses: Sequence[Analysis], hits: Sequence[list[RuleHit]]) -> PlacedHits:
    """Every hit's text, clause and indicator index as arrays (see ``PlacedHits``)."""
    n_tokens, n_clauses, bounds = batch_clauses(analyses)
    token_base = np.concatenate([[0], np.cumsum(n_tokens)])
    clause_base = np.concatenate([[0], np.cumsum(n_clauses)])
    starts, ends = bounds[:, 0], bounds[:, 1]
    flat = list(chain.from_iterable(hits))
    doc = np.repeat(np.arange(len(hits)), np.fromiter(map(len, hits), dtype=np.int64, count=len(hits)))
    none = np.zeros(0, dtype=np.int64)
    placed = PlacedHits(flat, (), doc, none, none, token_base, clause_base, starts, ends)
    if not flat:
        return placed
    fields = tuple(zip(*flat))
    k = np.fromiter(map(INDEX.get, fields[1], repeat(-1)), dtype=np.int64, count=len(flat))
    row = placed.clause_rows(doc, np.array(fields[2], dtype=np.int64))
    return PlacedHits(flat, fields, doc, row, k, token_base, clause_base, starts, ends)


def rule_counts(rule_ids: list[str], analyses: Sequence[Analysis], hits: Sequence[list[RuleHit]],
                tones: Sequence[list[float]], placed: PlacedHits | None = None) -> sp.csr_matrix:
    """Raw rule counts of every clause (clauses of all analyses in order): one column per rule,
    2 per indicator (negative, positive rule hits), 2 for the lexicon tone (positive, negative sums).

    Computed for the whole batch with numpy on the hits placed by ``place_hits`` (``placed``:
    already placed). Tone sums are accumulated in text order by ``bincount``, as a clause by
    clause sum would."""
    if placed is None:
        placed = place_hits(analyses, hits)
    column = _columns(tuple(rule_ids))
    n_rules = len(rule_ids)
    width = n_rules + 2 * len(INDICATORS) + 2
    n = len(placed.ends)
    if not n:
        return sp.csr_matrix((0, width))
    rows, cols, vals = [], [], []
    if placed.flat:
        row, k = placed.row, placed.k
        j = np.fromiter(map(column.get, placed.fields[0], repeat(-1)), dtype=np.int64, count=len(placed.flat))
        ruled = j >= 0
        rows.append(row[ruled]), cols.append(j[ruled]), vals.append(np.ones(int(ruled.sum())))
        polarity = np.array(placed.fields[4], dtype=np.int64)
        polar = (polarity != 0) & (k >= 0)
        rows.append(row[polar]), cols.append(n_rules + 2 * k[polar] + (polarity[polar] > 0))
        vals.append(np.ones(int(polar.sum())))
    token_base = placed.token_base
    total = int(token_base[-1])
    tone = np.fromiter(chain.from_iterable(tones), dtype=np.float64, count=total)
    toned = np.flatnonzero(tone)
    if len(toned):
        doc = np.searchsorted(token_base, toned, side="right") - 1
        row = placed.clause_rows(doc, toned - token_base[doc])
        t = tone[toned]
        positive = np.bincount(row, weights=np.where(t > 0, t, 0.0), minlength=n)
        negative = np.bincount(row, weights=np.where(t < 0, -t, 0.0), minlength=n)
        for sums, col in ((positive, width - 2), (negative, width - 1)):
            nz = np.flatnonzero(sums)
            rows.append(nz), cols.append(np.full(len(nz), col))
            vals.append(sums[nz])
    data = np.concatenate(vals) if vals else np.zeros(0)
    rows = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    cols = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    return sp.csr_matrix((data, (rows, cols)), shape=(n, width))


@lru_cache(maxsize=8)
def _columns(rule_ids: tuple[str, ...]) -> dict[str, int]:
    return {r: i for i, r in enumerate(rule_ids)}


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
