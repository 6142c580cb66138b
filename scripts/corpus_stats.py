"""Print the Markdown tables of models/corpus/DATASHEET.md from the current corpus parts.

    python scripts/corpus_stats.py [models/corpus/parts]

The datasheet is a snapshot; rerun this and paste the output over its tables whenever parts grow.
"""
from __future__ import annotations

import argparse
import statistics
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

from feedback_nlp.classifiers.corpus import (  # noqa: E402
    POLARITIES, LabelledItem, corpus_files, load_corpus, split_items,
)
from feedback_nlp.codes import INDICATORS, SOURCE_KINDS  # noqa: E402

DEFAULT_PARTS = ROOT / "models" / "corpus" / "parts"


def load_parts(path: str | Path) -> dict[str, list[LabelledItem]]:
    """Items of every part file, keyed by file name; ids must be unique across parts."""
    parts = {file.name: load_corpus(file) for file in corpus_files(path)}
    # load_corpus checks ids within one file only; the split is keyed by id, so a repeat across
    # files would put the same text on both sides or count it twice
    repeated = [i for i, n in Counter(item.id for items in parts.values() for item in items).items() if n > 1]
    if repeated:
        raise ValueError(f"ids repeated across part files: {', '.join(sorted(repeated)[:10])}")
    return parts


def table(header: Sequence[str], rows: Sequence[Sequence[object]], left: int = 1) -> str:
    """A Markdown table; the first ``left`` columns are text, the rest right-aligned numbers."""
    lines = ["| " + " | ".join(header) + " |",
             "|" + "|".join("---" if n < left else "---:" for n in range(len(header))) + "|"]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def bold(row: Sequence[object]) -> list[str]:
    return [f"**{cell}**" for cell in row]


def percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def is_multi_aspect(item: LabelledItem) -> bool:
    return item.relevant and len(item.labels) >= 2


def has_mixed_polarity(item: LabelledItem) -> bool:
    return item.relevant and len({p for _, p in item.labels}) >= 2


def relevance_counts(items: Sequence[LabelledItem]) -> tuple[int, int, int]:
    relevant = sum(item.relevant for item in items)
    return len(items), relevant, len(items) - relevant


def part_rows(parts: Mapping[str, Sequence[LabelledItem]]) -> list[list[object]]:
    """``[file, items, relevant, not relevant, multi-aspect share of relevant]`` per part plus a total.

    The share is taken over relevant items because negatives can never carry labels.
    """
    rows: list[list[object]] = []
    every: list[LabelledItem] = []
    for name in sorted(parts):
        items = parts[name]
        every.extend(items)
        n, rel, off = relevance_counts(items)
        rows.append([f"`{name}`", n, rel, off, percent(sum(map(is_multi_aspect, items)), rel)])
    n, rel, off = relevance_counts(every)
    rows.append(bold(["total", n, rel, off, percent(sum(map(is_multi_aspect, every)), rel)]))
    return rows


def source_rows(items: Sequence[LabelledItem]) -> list[list[object]]:
    """``[source, items, relevant, not relevant]`` in the methodology's order of source kinds."""
    rows: list[list[object]] = []
    for source in SOURCE_KINDS:
        n, rel, off = relevance_counts([i for i in items if i.source == source])
        rows.append([f"`{source}`", n, rel, off])
    rows.append(bold(["total", *relevance_counts(items)]))
    return rows


def label_rows(items: Sequence[LabelledItem]) -> list[list[object]]:
    """``[indicator, −1, 0, +1, total]`` aspect-label counts plus an all-indicators row."""
    counts = Counter(label for item in items for label in item.labels)
    rows: list[list[object]] = []
    for code in INDICATORS:
        cells = [counts[(code, p)] for p in POLARITIES]
        rows.append([code, *cells, sum(cells)])
    totals = [sum(counts[(c, p)] for c in INDICATORS) for p in POLARITIES]
    rows.append(bold(["all", *totals, sum(totals)]))
    return rows


def split_rows(items: Sequence[LabelledItem]) -> list[list[object]]:
    """``[split, items, relevant, not relevant, aspect labels]`` for the fixed id-hash split."""
    train, test = split_items(items)
    rows: list[list[object]] = []
    for name, part in (("train", train), ("test", test)):
        rows.append([name, *relevance_counts(part), sum(len(i.labels) for i in part)])
    rows.append(bold(["total", *relevance_counts(items), sum(len(i.labels) for i in items)]))
    return rows


def summary_lines(items: Sequence[LabelledItem]) -> list[str]:
    """Label density, multi-aspect and mixed-polarity shares, ``general`` and text lengths."""
    relevant = [i for i in items if i.relevant]
    per_item = Counter(min(len(i.labels), 4) for i in relevant)
    multi = sum(map(is_multi_aspect, relevant))
    mixed = sum(map(has_mixed_polarity, relevant))
    general = Counter(i.general for i in relevant)
    general_values = (("+1", 1), ("0", 0), ("−1", -1), ("null", None))
    lengths = [len(i.text) for i in items] or [0]
    return [
        "Labels per relevant item: " + ", ".join(
            f"{k if k < 4 else '4+'} → {per_item[k]}" for k in range(5)) + ".",
        f"Multi-aspect relevant items (≥ 2 labels): {multi} ({percent(multi, len(relevant))} of relevant); "
        f"with mixed polarity: {mixed} ({percent(mixed, len(relevant))}).",
        "`general` (relevant items): " + ", ".join(
            f"{label} → {general[value]}" for label, value in general_values) + ".",
        f"Text length in characters: median {statistics.median(lengths):g}, min {min(lengths)}, max {max(lengths)}.",
    ]


def render(parts: Mapping[str, Sequence[LabelledItem]]) -> str:
    items = [item for name in sorted(parts) for item in parts[name]]
    return "\n\n".join([
        "### By part file",
        table(["file", "items", "relevant", "not relevant", "multi-aspect (of relevant)"], part_rows(parts)),
        "### By source kind (all files)",
        table(["source", "items", "relevant", "not relevant"], source_rows(items)),
        "### Aspect labels by indicator and polarity (relevant items)",
        table(["indicator", "−1", "0", "+1", "total"], label_rows(items)),
        "\n".join("* " + line for line in summary_lines(items)),
        "### Train / test split (fixed by id hash, `feedback_nlp.classifiers.corpus.is_test`)",
        table(["split", "items", "relevant", "not relevant", "aspect labels"], split_rows(items)),
    ]) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Markdown tables of the labelled corpus for its datasheet")
    parser.add_argument("parts", nargs="?", default=DEFAULT_PARTS, help="corpus directory or JSONL file")
    args = parser.parse_args(argv)
    sys.stdout.write(render(load_parts(args.parts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
