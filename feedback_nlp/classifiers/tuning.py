"""How variants of the model are compared without ever looking at the test split: k-fold
cross-validation on the train split (the ablation of the model card), and leave-round-out on the
train split — fit on the train items of all authoring rounds but one, score on that round's train
items — which measures what k-fold cannot: how the model does on text by authors it never saw."""
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
from feedback_nlp.classifiers.metrics import FIGURES, summarise
from feedback_nlp.classifiers.model import FeedbackClassifier
from feedback_nlp.classifiers.training import evaluate_model


def cross_validate(items: Sequence[LabelledItem], params: dict, folds: int = 3, seed: int = 0) -> dict[str, float]:
    """Mean headline figures of ``FeedbackClassifier(**params)`` over ``folds`` folds of ``items``
    (pass the train split only)."""
    scores = []
    items = list(items)
    for train, test in KFold(folds, shuffle=True, random_state=seed).split(items):
        fit_items = [items[i] for i in train]
        eval_items = [items[i] for i in test]
        model = FeedbackClassifier(**params).fit([i.text for i in fit_items], fit_items)
        scores.append(summarise(evaluate_model(model, eval_items)))
    return {k: round(float(np.mean([s[k] for s in scores])), 4) for k in FIGURES}


def leave_round_out(items: Sequence[LabelledItem], rounds: dict[str, str], params: dict,
                    held_out: Sequence[str] | None = None, keep: Path | None = None) -> dict[str, dict[str, float]]:
    """Headline figures of ``FeedbackClassifier(**params)`` on each round of ``held_out`` (default:
    every round of ``items``) when fitted on the items of the other rounds, and their unweighted
    mean (``mean``). ``rounds`` maps item id → round (``rounds.item_rounds``); pass the train split
    only. Items of rounds outside ``held_out`` are always in the fit. ``keep``: a directory to save
    each held-out round's fitted model in (``<round>.joblib``), to study its errors afterwards."""
    from feedback_nlp.classifiers.rounds import round_key

    items = list(items)
    held_out = list(held_out) if held_out is not None else sorted({rounds[i.id] for i in items}, key=round_key)
    out: dict[str, dict[str, float]] = {}
    for label in held_out:
        fit_items = [i for i in items if rounds[i.id] != label]
        eval_items = [i for i in items if rounds[i.id] == label]
        if not eval_items:
            raise ValueError(f"round {label!r} has no items to hold out")
        model = FeedbackClassifier(**params).fit([i.text for i in fit_items], fit_items)
        if keep is not None:
            import joblib

            Path(keep).mkdir(parents=True, exist_ok=True)
            joblib.dump(model, Path(keep) / f"{label.replace(' ', '_')}.joblib")
        out[label] = {"items": len(eval_items), "fit_items": len(fit_items),
                      **{k: round(v, 4) for k, v in summarise(evaluate_model(model, eval_items)).items()}}
    out["mean"] = {k: round(float(np.mean([out[r][k] for r in held_out])), 4) for k in FIGURES}
    return out


def record(path: Path, name: str, row: dict, *, items: Sequence[LabelledItem], **header) -> dict:
    """Add one variant's ``row`` (params, figures, seconds) to a JSON file of variants
    (``ablation.json``, ``leave_round_out.json``; created when absent) and stamp the file with
    ``header`` and the corpus it was measured on."""
    from feedback_nlp.classifiers.card import read_json
    from feedback_nlp.classifiers.corpus import corpus_hash

    data = read_json(path) or {"variants": {}}
    # The corpus grows while variants are compared: each row keeps the corpus it was measured on.
    data.update(items=len(items), corpus_hash=corpus_hash(items),
                measured_at=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), **header)
    data["variants"][name] = {**row, "items": len(items), "corpus_hash": data["corpus_hash"]}
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return data


def main(argv=None) -> int:
    """``python -m feedback_nlp.classifiers.tuning --variants '{"name": {params}}' [--protocol rounds]``"""
    from feedback_nlp.classifiers.rounds import item_rounds, round_files

    parser = argparse.ArgumentParser(description="ablation on the corpus train split: k-fold or leave-round-out")
    parser.add_argument("--corpus", type=Path, default=models_dir() / "corpus" / "parts")
    parser.add_argument("--variants", required=True, help='JSON: {"name": {FeedbackClassifier params}}')
    parser.add_argument("--protocol", choices=("folds", "rounds"), default="folds",
                        help="k-fold cross-validation (ablation.json) or leave-round-out (leave_round_out.json)")
    parser.add_argument("--folds", type=int, default=3)
    parser.add_argument("--rounds", help="comma-separated authoring rounds to use (default: all); "
                                         "with --protocol rounds each of them is held out in turn")
    parser.add_argument("--keep-models", type=Path, help="with --protocol rounds: save each held-out round's "
                                                         "model under DIR/<variant>/<round>.joblib")
    parser.add_argument("--output", type=Path, help="JSON file to add the variants to "
                                                    "(default: the shipped model's ablation.json / leave_round_out.json)")
    args = parser.parse_args(argv)
    train, _ = split_items(load_corpus(args.corpus, strict=False))
    rounds = item_rounds(args.corpus)
    files = round_files(args.corpus)
    if args.rounds:
        wanted = [r.strip() for r in args.rounds.split(",") if r.strip()]
        unknown = sorted(set(wanted) - set(files))
        if unknown:
            parser.error(f"--rounds: no corpus part belongs to {', '.join(unknown)} (rounds: {', '.join(files)})")
        train = [i for i in train if rounds[i.id] in wanted]
        files = {r: files[r] for r in wanted}
    output = args.output or models_dir() / DEFAULT_MODEL / (
        "leave_round_out.json" if args.protocol == "rounds" else "ablation.json")
    for name, params in json.loads(args.variants).items():
        if args.protocol == "rounds":
            start = time.perf_counter()
            keep = args.keep_models / name.replace(" ", "_").replace("/", "_") if args.keep_models else None
            scores = leave_round_out(train, rounds, params, held_out=list(files), keep=keep)
            record(output, name, {"params": params, "rounds": scores, "seconds": round(time.perf_counter() - start)},
                   items=train, files=files)
            print(name, json.dumps(scores["mean"]), flush=True)
            continue
        start = time.perf_counter()
        scores = cross_validate(train, params, folds=args.folds)
        record(output, name, {"params": params, "scores": scores, "seconds": round(time.perf_counter() - start)},
               items=train, folds=args.folds)
        print(name, json.dumps(scores), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
