"""``train``: corpus (+ corrections) → fixed split → fitted model, layer comparison, artifact."""
from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from pathlib import Path

from feedback_nlp.classifiers.artifact import dump_model, read_meta
from feedback_nlp.classifiers.card import write_card
from feedback_nlp.classifiers.corpus import (
    LabelledItem, apply_corrections, corpus_hash, load_corpus, load_corrections, split_items,
)
from feedback_nlp.classifiers.metrics import evaluate_predictions, summarise
from feedback_nlp.classifiers.model import FeedbackClassifier
from feedback_nlp.classifiers.report import format_report

log = logging.getLogger(__name__)

LAYERS = {"rules alone": dict(use_model=False), "statistical alone": dict(use_rules=False),
          "combined (shipped)": {}}


def evaluate_model(model: FeedbackClassifier, items: Sequence[LabelledItem]) -> dict:
    """Evaluation figures of ``model`` on labelled items."""
    predictions = list(model.map([i.text for i in items], [i.id for i in items]))
    return evaluate_predictions(predictions, items)


def train_model(corpus: str | Path, output: str | Path, *, corrections: str | Path | None = None,
                name: str = "feedback-ru", version: str = "6", compare_layers: bool = True,
                strict: bool = True) -> dict:
    """Train on the train split, evaluate on the fixed test split, write ``output``; return meta."""
    items = load_corpus(corpus, strict=strict)
    n_corrections = 0
    if corrections:
        fixes = load_corrections(corrections)
        n_corrections = len(fixes)
        items = apply_corrections(items, fixes)
    train, test = split_items(items)
    log.info("corpus: %d items, train %d, test %d", len(items), len(train), len(test))
    results, timings = {}, {}
    variants = LAYERS if compare_layers else {"combined (shipped)": {}}
    model = None
    for label, params in variants.items():
        start = time.perf_counter()
        candidate = FeedbackClassifier(name=name, version=version, **params).fit([i.text for i in train], train)
        timings[label] = round(time.perf_counter() - start, 1)
        results[label] = evaluate_model(candidate, test)
        log.info("%s: fitted in %.1fs", label, timings[label])
        model = candidate
    metrics = results["combined (shipped)"]
    meta = {
        "corpus_hash": corpus_hash(items), "corpus_items": len(items), "train_items": len(train),
        "test_items": len(test), "corrections": n_corrections,
        "split": "test = sha256(id) in the lowest 22 % (feedback_nlp.classifiers.corpus.is_test)",
        "trained_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "params": {k: v for k, v in model.get_params().items() if k != "rules"},
        "metrics": _summary(metrics),
        "layers": {label: _summary(m) for label, m in results.items()},
        "fit_seconds": timings,
    }
    path = dump_model(model, output, meta)
    (path / "EVALUATION.md").write_text(format_report(metrics, f"Evaluation of {model.label} on the test split"),
                                        encoding="utf-8")
    meta = read_meta(path)
    write_card(path, meta, results)
    return meta


def _summary(m: dict) -> dict:
    return {**summarise(m), "ece_relevance": m["ece_relevance"], "ece_aspects": m["ece_aspects"],
            "evidence_valid": f"{m['evidence_valid']}/{m['evidence_spans']}"}
