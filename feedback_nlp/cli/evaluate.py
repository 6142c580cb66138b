"""``feedback-nlp evaluate --input LABELLED.jsonl [--report DIR] [--corrections F]``."""
from __future__ import annotations

import json
from pathlib import Path

from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.classifiers.corpus import load_corpus, load_corrections
from feedback_nlp.classifiers.report import format_report


def register(subparsers) -> None:
    p = subparsers.add_parser("evaluate", help="quality report of the current model on labelled data")
    p.add_argument("--input", type=Path, required=True, help="labelled JSONL file or directory")
    p.add_argument("--report", type=Path, default=None, help="directory for report.md and metrics.json")
    p.add_argument("--model", type=Path, default=None, help="model directory (default: the bundled model)")
    p.add_argument("--corrections", type=Path, default=None, help="also report agreement with these corrections")
    p.add_argument("--test-split", action="store_true", help="score only the items of the fixed test split")
    p.set_defaults(func=run)


def run(args) -> int:
    from feedback_nlp.classifiers.corpus import is_test
    from feedback_nlp.classifiers.metrics import agreement, evaluate_predictions   # SciPy: on use

    model = load_default_model(args.model)
    items = load_corpus(args.input)
    if args.test_split:
        items = [i for i in items if is_test(i.id)]
    predictions = list(model.map([i.text for i in items], [i.id for i in items]))
    metrics = evaluate_predictions(predictions, items)
    if args.corrections:
        fixes = load_corrections(args.corrections)
        metrics["corrections"] = agreement(list(model.map([c.text for c in fixes], [c.id for c in fixes])), fixes)
    report = format_report(metrics, f"Evaluation of {model.label} on {args.input}")
    if args.report:
        args.report.mkdir(parents=True, exist_ok=True)
        (args.report / "report.md").write_text(report, encoding="utf-8")
        (args.report / "metrics.json").write_text(json.dumps(metrics, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"wrote {args.report / 'report.md'}")
    print(report)
    return 0
