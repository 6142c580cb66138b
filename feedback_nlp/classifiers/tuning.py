"""Cross-validation on the train split: how variants of the model are compared (the ablation of
the model card) without ever looking at the test split."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.model_selection import KFold

from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, models_dir
from feedback_nlp.classifiers.corpus import LabelledItem, load_corpus, split_items
from feedback_nlp.classifiers.metrics import evaluate_predictions
from feedback_nlp.classifiers.model import FeedbackClassifier

FIGURES = ("relevance_f1", "group_micro_f1", "indicator_micro_f1", "indicator_macro_f1",
           "aspect_polarity_macro_f1", "sentiment_macro_f1")


def summarise(m: dict) -> dict[str, float]:
    """The headline figures of an evaluation."""
    return {"relevance_f1": m["relevance"]["f1"], "group_micro_f1": m["groups"]["micro_f1"],
            "indicator_micro_f1": m["indicators"]["micro_f1"], "indicator_macro_f1": m["indicators"]["macro_f1"],
            "aspect_polarity_macro_f1": m["aspect_polarity_macro_f1"], "sentiment_macro_f1": m["sentiment_macro_f1"]}


def cross_validate(items: Sequence[LabelledItem], params: dict, folds: int = 3, seed: int = 0) -> dict[str, float]:
    """Mean headline figures of ``FeedbackClassifier(**params)`` over ``folds`` folds of ``items``
    (pass the train split only)."""
    scores = []
    items = list(items)
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(items):
        fit_items = [items[i] for i in train]
        eval_items = [items[i] for i in test]
        model = FeedbackClassifier(**params).fit([i.text for i in fit_items], fit_items)
        predictions = list(model.map([i.text for i in eval_items], [i.id for i in eval_items]))
        scores.append(summarise(evaluate_predictions(predictions, eval_items)))
    return {k: round(float(np.mean([s[k] for s in scores])), 4) for k in FIGURES}


def record(path: Path, name: str, params: dict, scores: dict, seconds: float, *, items: Sequence[LabelledItem],
           folds: int) -> dict:
    """Add one variant's cross-validated figures to ``ablation.json`` (created when absent)."""
    from feedback_nlp.classifiers.card import read_json
    from feedback_nlp.classifiers.corpus import corpus_hash

    data = read_json(path) or {"variants": {}}
    # The corpus grows while variants are compared: each row keeps the corpus it was measured on.
    data.update(folds=folds, items=len(items), corpus_hash=corpus_hash(items),
                measured_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
    data["variants"][name] = {"params": params, "scores": scores, "seconds": round(seconds),
                              "items": len(items), "corpus_hash": data["corpus_hash"]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data


def main(argv=None) -> int:
    """``python -m feedback_nlp.classifiers.tuning --variants '{"name": {params}}' [--output ablation.json]``"""
    parser = argparse.ArgumentParser(description="cross-validated ablation on the corpus train split")
    parser.add_argument("--corpus", type=Path, default=models_dir() / "corpus" / "parts")
    parser.add_argument("--variants", required=True, help='JSON: {"name": {FeedbackClassifier params}}')
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--output", type=Path, default=models_dir() / DEFAULT_MODEL / "ablation.json")
    args = parser.parse_args(argv)
    train, _ = split_items(load_corpus(args.corpus, strict=False))
    for name, params in json.loads(args.variants).items():
        start = time.perf_counter()
        scores = cross_validate(train, params, folds=args.folds)
        record(args.output, name, params, scores, time.perf_counter() - start, items=train, folds=args.folds)
        print(name, json.dumps(scores), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
