"""``feedback-nlp train [--corpus PATH] [--output models/NAME] [--corrections F]``."""
from __future__ import annotations

import json
from pathlib import Path

from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, models_dir


def register(subparsers) -> None:
    p = subparsers.add_parser("train", help="train the classifiers and write a model with its card")
    p.add_argument("--corpus", type=Path, default=models_dir() / "corpus" / "parts",
                   help="labelled JSONL file or directory (default: models/corpus/parts)")
    p.add_argument("--output", type=Path, default=models_dir() / DEFAULT_MODEL, help="model directory")
    p.add_argument("--corrections", type=Path, default=None, help="corrections JSONL overriding items by id")
    p.add_argument("--name", default="feedback-ru")
    p.add_argument("--version", dest="model_version", default="6")
    p.add_argument("--skip-bad", action="store_true", help="skip bad corpus lines instead of failing")
    p.add_argument("--no-layers", action="store_true", help="skip the rules-alone / statistical-alone comparison")
    p.set_defaults(func=run)


def run(args) -> int:
    from feedback_nlp.classifiers.training import train_model

    meta = train_model(args.corpus, args.output, corrections=args.corrections, name=args.name,
                       version=args.model_version, compare_layers=not args.no_layers, strict=not args.skip_bad)
    print(f"wrote {args.output} ({meta['train_items']} train / {meta['test_items']} test items)")
    print(json.dumps(meta["metrics"], ensure_ascii=False, indent=2))
    return 0
