"""Near-duplicates between the fixed train and test splits of the labelled corpus.

    python scripts/corpus_overlap.py [models/corpus/parts]

For every test item: the highest word-3-gram Jaccard similarity with any train item. A test item
that is a near-copy of a train item measures memory rather than generalisation, so the datasheet
reports how many there are. Nothing is changed or removed here.

Exact Jaccard through an inverted index of shingles (only train items sharing a shingle are ever
compared) takes a few seconds on the whole corpus, so no MinHash estimate is needed.
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

from feedback_nlp.classifiers.corpus import LabelledItem, is_test  # noqa: E402
from feedback_nlp.dedup import normalize_text  # noqa: E402
from scripts.corpus_stats import DEFAULT_PARTS, load_parts, table  # noqa: E402

SHINGLE = 3
THRESHOLDS = (0.5, 0.8)
NEAR_COPY = 0.8
WORST = 10


def shingles(text: str, size: int = SHINGLE) -> frozenset[tuple[str, ...]]:
    """Word n-grams of the text normalised as the ingest dedup does (case, ё, punctuation, URLs).

    A text shorter than ``size`` words is one shingle of all its words, so that short answers
    repeated verbatim ("очень довольна") still count as copies; a text without words has none.
    """
    words = normalize_text(text).split()
    if len(words) < size:
        return frozenset([tuple(words)]) if words else frozenset()
    return frozenset(tuple(words[i:i + size]) for i in range(len(words) - size + 1))


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


@dataclass(frozen=True)
class Match:
    """A test item and its most similar train item (``train_id`` None when nothing is shared)."""

    test_id: str
    train_id: str | None
    jaccard: float


def best_matches(train: Sequence[LabelledItem], test: Sequence[LabelledItem]) -> list[Match]:
    """The closest train item of every test item, in the order of ``test``.

    Ties go to the smallest train id, so the output does not depend on file order.
    """
    train_sets = [shingles(item.text) for item in train]
    index: dict[tuple[str, ...], list[int]] = defaultdict(list)
    for row, sh in enumerate(train_sets):
        for s in sh:
            index[s].append(row)
    matches = []
    for item in test:
        mine = shingles(item.text)
        shared: Counter[int] = Counter()
        for s in mine:
            shared.update(index.get(s, ()))
        best: tuple[float, str] | None = None
        for row, inter in shared.items():
            score = inter / (len(mine) + len(train_sets[row]) - inter)
            key = (-score, train[row].id)
            if best is None or key < best:
                best = key
        matches.append(Match(item.id, best[1], -best[0]) if best else Match(item.id, None, 0.0))
    return matches


def overlap(parts: Mapping[str, Sequence[LabelledItem]]) -> dict:
    """Best matches of the test split and their counts per part file."""
    part_of = {item.id: name for name, items in parts.items() for item in items}
    items = [item for name in sorted(parts) for item in parts[name]]
    train = [i for i in items if not is_test(i.id)]
    test = [i for i in items if is_test(i.id)]
    matches = best_matches(train, test)
    per_part: dict[str, Counter] = {name: Counter() for name in sorted(parts)}
    for m in matches:
        counts = per_part[part_of[m.test_id]]
        counts["test"] += 1
        for t in THRESHOLDS:
            counts[t] += m.jaccard >= t
    ranked = sorted(matches, key=lambda m: (-m.jaccard, m.test_id))
    return {"train": len(train), "test": len(test), "matches": matches, "per_part": per_part,
            "worst": ranked[:WORST], "near_copies": [m for m in ranked if m.jaccard >= NEAR_COPY]}


def render(result: dict) -> str:
    heads = [f"Jaccard ≥ {t}" for t in THRESHOLDS]
    rows = [[f"`{name}`", c["test"], *(c[t] for t in THRESHOLDS)] for name, c in result["per_part"].items()]
    totals = [sum(c[t] for c in result["per_part"].values()) for t in THRESHOLDS]
    rows.append([f"**{cell}**" for cell in ("total", result["test"], *totals)])
    pair_head = ["test id", "train id", "Jaccard"]

    def pairs(ms):
        return [[f"`{m.test_id}`", f"`{m.train_id}`", f"{m.jaccard:.3f}"] for m in ms]

    near = result["near_copies"]
    return "\n\n".join([
        f"Train items: {result['train']}; test items: {result['test']}. For each test item, the highest "
        f"word-{SHINGLE}-gram Jaccard similarity with any train item (texts normalised as in "
        "`feedback_nlp.dedup`).",
        "### Test items with a similar train item, by part file of the test item",
        table(["file", "test items", *heads], rows),
        f"### The {WORST} most similar test/train pairs",
        table(pair_head, pairs(result["worst"]), left=2),
        f"### Near-copies (Jaccard ≥ {NEAR_COPY}): {len(near)}",
        table(pair_head, pairs(near), left=2) if near else "None.",
    ]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="near-duplicates between the corpus train and test splits")
    parser.add_argument("parts", nargs="?", default=DEFAULT_PARTS, help="corpus directory or JSONL file")
    args = parser.parse_args(argv)
    sys.stdout.write(render(overlap(load_parts(args.parts))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
