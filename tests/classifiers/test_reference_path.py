"""The fast prediction path gives the predictions of the straightforward one (``reference.py``):
same relevance, aspects, evidence and sources, scores equal to 1e-9, whatever model is shipped."""
from __future__ import annotations

import contextlib
import math
import random
from pathlib import Path

from feedback_nlp.classifiers import layers, runtime
from feedback_nlp.classifiers import model as model_module
from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.classifiers.corpus import read_items
from feedback_nlp.classifiers.features import TextFeaturizer
from feedback_nlp.classifiers.rules import RuleSet
from tests.classifiers import reference


def _texts() -> list[str]:
    items, _ = read_items(Path(__file__).resolve().parents[2] / "models" / "corpus" / "parts")
    pool = [item.text for item in items]
    rng = random.Random(0)
    joined = []   # the benchmark's register: corpus texts joined and cut at 300 characters
    for _ in range(1500):
        text = ""
        while len(text) < 300:
            text += rng.choice(pool) + " "
        joined.append(text[:300])
    return pool + joined + ["", "!!!", "İstanbul: ЦЗН не вежливо", "ну спасибо, браво\nждать три месяц"]


def _same(p, q) -> bool:
    close = lambda x, y: math.isclose(x, y, rel_tol=0, abs_tol=1e-9)  # noqa: E731
    if (p.id, p.relevant, p.general, p.model, len(p.aspects)) != (q.id, q.relevant, q.general, q.model, len(q.aspects)):
        return False
    if not (close(p.relevance, q.relevance) and close(p.sentiment, q.sentiment)):
        return False
    return all(a.indicator == b.indicator and close(a.sentiment, b.sentiment) and close(a.confidence, b.confidence)
               and a.spans == b.spans and a.source == b.source for a, b in zip(p.aspects, q.aspects))


def test_fast_path_predicts_as_the_reference_path(model, monkeypatch):
    texts = _texts()
    fast = model.predict(texts)
    slow_model = load_default_model()     # its own caches, filled by the reference code only
    monkeypatch.setattr(model_module, "analyse", reference.analyse)
    monkeypatch.setattr(RuleSet, "match_many", reference.match_many)
    monkeypatch.setattr(RuleSet, "scan_many", reference.scan_many)
    monkeypatch.setattr(TextFeaturizer, "clause_counts", reference.clause_counts)
    monkeypatch.setattr(TextFeaturizer, "tfidf", reference.tfidf)
    monkeypatch.setattr(TextFeaturizer, "embed_raw", reference.embed_raw)
    monkeypatch.setattr(layers, "rule_counts", reference.rule_counts)
    monkeypatch.setattr(model_module.FeedbackClassifier, "_contexts", reference.contexts)
    monkeypatch.setattr(model_module.FeedbackClassifier, "_score_clauses", reference.score_clauses)
    monkeypatch.setattr(runtime, "batch_settings", contextlib.nullcontext)
    slow = slow_model.predict(texts)
    differing = [(t, p, q) for t, p, q in zip(texts, fast, slow, strict=True) if not _same(p, q)]
    assert not differing, differing[:2]
    assert sum(len(p.aspects) for p in fast) > len(texts)
