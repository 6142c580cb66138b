"""The shipped model on the fixed test split, broken down by the corpus authoring round.

    python benchmarks/eval_rounds.py [--model models/feedback-ru-v1] [--parts models/corpus/parts] [--no-write]

The round of an item is the round of the corpus part (file) it comes from
(``feedback_nlp.classifiers.rounds``). The test split is the id-hash split of ``is_test``, and the
figures are those of ``feedback-nlp evaluate --test-split`` (``evaluate_predictions`` +
``tuning.summarise``) on each round's test items and on all of them. Prints the table, writes
``rounds.json`` into the model directory and re-renders its model card (the rounds section).
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, read_meta, timed_load  # noqa: E402
from feedback_nlp.classifiers.card import ROUND_FIGURES, format_rounds_table, record_measurement  # noqa: E402
from feedback_nlp.classifiers.corpus import LabelledItem, is_test, load_corpus  # noqa: E402
from feedback_nlp.classifiers.metrics import evaluate_predictions  # noqa: E402
from feedback_nlp.classifiers.rounds import ALL, item_rounds, round_files, round_key  # noqa: E402
from feedback_nlp.classifiers.tuning import summarise  # noqa: E402


def evaluate_rounds(model, items: Sequence[LabelledItem], rounds: dict[str, str]) -> dict[str, dict]:
    """Headline figures of ``model`` on the test items of each round and of all rounds (``all``):
    ``{round: {"test_items": n, "relevance_f1": …, …}}``, rounds in ``round_key`` order."""
    test = [i for i in items if is_test(i.id)]
    predictions = list(model.map([i.text for i in test], [i.id for i in test]))
    groups: dict[str, list[LabelledItem]] = {}
    for item in test:
        groups.setdefault(rounds[item.id], []).append(item)
    groups[ALL] = test
    out = {}
    for label in sorted(groups, key=round_key):
        figures = summarise(evaluate_predictions(predictions, groups[label]))
        out[label] = {"test_items": len(groups[label]), **{k: figures[k] for k in ROUND_FIGURES}}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / DEFAULT_MODEL)
    parser.add_argument("--parts", type=Path, default=ROOT / "models" / "corpus" / "parts")
    parser.add_argument("--no-write", action="store_true", help="do not write rounds.json / the model card")
    args = parser.parse_args(argv)
    model, load_s = timed_load(args.model)
    items = load_corpus(args.parts)
    rounds = item_rounds(args.parts)
    results = evaluate_rounds(model, items, rounds)
    files = round_files(args.parts)
    print(f"model {model.label} (load {load_s:.2f} s); corpus {args.parts}: {len(items)} items, "
          f"{results[ALL]['test_items']} in the test split")
    for label in results:
        if label != ALL:
            print(f"{label}: {', '.join(files[label])}")
    print(format_rounds_table(results))
    if not args.no_write:
        meta = read_meta(args.model)
        command = "python benchmarks/eval_rounds.py"
        if args.parts.resolve() != (ROOT / "models" / "corpus" / "parts").resolve():
            command += f" --parts {args.parts}"
        record_measurement(Path(args.model), "rounds.json", meta, command, corpus_items=len(items), files=files,
                           rounds=results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
