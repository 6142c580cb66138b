"""``feedback-nlp classify --input IN.jsonl --output OUT.jsonl``: predictions in input order;
``feedback-nlp classify [--db URL] [--all]``: the store's unclassified (or all) items."""
from __future__ import annotations

import json
import os
import sys
from itertools import islice
from pathlib import Path

from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.classifiers.corpus import iter_jsonl
from feedback_nlp.errors import InputError, Problem
from feedback_nlp.progress import progress


def register(subparsers) -> None:
    p = subparsers.add_parser("classify", help="classify texts of a JSONL file (or the store)")
    p.add_argument("--input", type=Path, help="JSONL, one {id, text, source?} a line")
    p.add_argument("--output", type=Path, help="JSONL of predictions (default: standard output)")
    p.add_argument("--model", type=Path, default=None, help="model directory (default: the bundled model)")
    p.add_argument("--db", default=None, help="store mode: store URL (default $FEEDBACK_NLP_DB, else "
                   "sqlite:///feedback.db); used when --input is not given")
    p.add_argument("--all", action="store_true", help="store mode: reclassify every item")
    p.set_defaults(func=run)


def read_texts(path: Path) -> tuple[list[tuple[int, str, str]], list[Problem]]:
    """``[(line, id, text)]`` of good lines and the problems of bad ones."""
    if not path.exists():
        raise InputError(Problem(str(path), None, None, None, "no such file"))
    rows, problems = [], []
    for number, obj, problem in iter_jsonl(path):
        if problem:
            problems.append(problem)
        elif not isinstance(obj, dict):
            problems.append(Problem(str(path), number, None, None, "expected a JSON object"))
        elif not isinstance(obj.get("text"), str):
            problems.append(Problem(str(path), number, "text", obj.get("text"), "must be a string"))
        else:
            item_id = obj.get("id")
            rows.append((number, str(item_id) if item_id is not None else str(number), obj["text"]))
    return rows, problems


def run_store(args) -> int:
    """Store mode: predictions of the current model for unclassified (or all) items, added per batch."""
    from feedback_nlp.pipeline import classify_store
    from feedback_nlp.store import DEFAULT_URL, open_store

    if args.output is not None:
        raise InputError("classify: --output needs --input (store mode saves predictions into the store)")
    from feedback_nlp.classifiers.runtime import freeze_long_lived

    model = load_default_model(args.model)
    freeze_long_lived()
    store = open_store(args.db or os.environ.get("FEEDBACK_NLP_DB") or DEFAULT_URL)
    done = classify_store(store, model, all_items=args.all, batch_size=model.batch_size)
    print(f"classified {done} stored items with {model.label}", file=sys.stderr)
    return 0


def run(args) -> int:
    if args.input is None:
        return run_store(args)
    if args.all or args.db:
        raise InputError("classify: --db/--all are store mode; do not combine them with --input")
    rows, problems = read_texts(args.input)
    for problem in problems:
        print(f"skipped {problem}", file=sys.stderr)
    from feedback_nlp.classifiers.runtime import batch_settings, freeze_long_lived

    model = load_default_model(args.model)
    freeze_long_lived()
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    predictions = model.map([t for _, _, t in rows], [i for _, i, _ in rows])
    try:
        with progress(total=len(rows), desc="classify", unit=" texts", quiet=getattr(args, "quiet", False)) as bar:
            while chunk := list(islice(predictions, model.batch_size)):
                with batch_settings():   # a batch's JSON lines without collections (runtime.py)
                    lines = [json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in chunk]
                out.writelines(lines)
                bar.update(len(chunk))
    finally:
        if args.output:
            out.close()
    print(f"classified {len(rows)} texts, skipped {len(problems)} bad lines", file=sys.stderr)
    return 0
