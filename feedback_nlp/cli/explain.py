"""``feedback-nlp explain "TEXT"``: the prediction with the rules and features that fired."""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.classifiers.artifact import load_default_model


def register(subparsers) -> None:
    p = subparsers.add_parser("explain", help="prediction for one text with the rules/features that fired")
    p.add_argument("text")
    p.add_argument("--model", type=Path, default=None, help="model directory (default: the bundled model)")
    p.set_defaults(func=run)


def run(args) -> int:
    from feedback_nlp.classifiers.explain import format_explanation   # the classifier's libraries: on use

    model = load_default_model(args.model)
    print(format_explanation(model.explain(args.text)))
    return 0
