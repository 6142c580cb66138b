"""The session-2 steps of the classifier, each measured on a hold-out inside the train split.

    python benchmarks/eval_steps.py [--variants NAME ...]

Data: the train split of the 11 corpus parts that existed before session 2 (4,229 items, 3,299 in
train), permuted with seed 0; the first 800 are scored, the other 2,499 train each variant. The
test split is never read. The session-1 rules come from git (commit ``SESSION1``), so this runs in a
git checkout. Prints one JSON line of headline figures per variant (the model card's table).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.classifiers.corpus import load_corpus, split_items  # noqa: E402
from feedback_nlp.classifiers.model import FeedbackClassifier  # noqa: E402
from feedback_nlp.classifiers.rounds import SESSION_1  # noqa: E402
from feedback_nlp.classifiers.rules import RuleSet  # noqa: E402
from feedback_nlp.classifiers.training import evaluate_model  # noqa: E402
from feedback_nlp.classifiers.tuning import summarise  # noqa: E402

SESSION1 = "64a9ab8"
PARTS = tuple(sorted(SESSION_1))     # the 11 corpus parts of session 1, in file-name order
HELD_OUT = 800


def session1_rules() -> RuleSet:
    def show(name: str) -> str:
        return subprocess.run(["git", "show", f"{SESSION1}:feedback_nlp/classifiers/patterns/{name}"], cwd=ROOT,
                              check=True, capture_output=True, text=True).stdout
    return RuleSet(show("indicators.yaml"), show("lexicon.yaml"))


def variants() -> dict[str, dict]:
    return {
        "session-1 model (old rules, no NB, no clause blend)": dict(rules=session1_rules(), nb_weighting=False,
                                                                     clause_blend=0.0),
        "+ richer rules": dict(nb_weighting=False, clause_blend=0.0),
        "+ NB scaling": dict(clause_blend=0.0),
        "+ clause blend 0.25 (shipped defaults)": dict(),
        "clause blend 0.4": dict(clause_blend=0.4),
        "C=16": dict(C=16.0),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="*", help="names of the variants to run (default: all)")
    args = parser.parse_args(argv)
    items = [i for part in PARTS for i in load_corpus(ROOT / "models" / "corpus" / "parts" / f"{part}.jsonl",
                                                       strict=False)]
    train, _ = split_items(items)
    order = np.random.RandomState(0).permutation(len(train))
    held = [train[i] for i in order[:HELD_OUT]]
    fit = [train[i] for i in order[HELD_OUT:]]
    for name, params in variants().items():
        if args.variants and name not in args.variants:
            continue
        start = time.perf_counter()
        model = FeedbackClassifier(**params).fit([i.text for i in fit], fit)
        scores = summarise(evaluate_model(model, held))
        print(json.dumps({"variant": name, "train": len(fit), "scored": len(held), **scores,
                          "seconds": round(time.perf_counter() - start)}, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
