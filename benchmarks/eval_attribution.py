"""Accuracy of region/center attribution from text on the authored attribution test set.

    python benchmarks/eval_attribution.py [--testset tests/data/attribution/attribution_testset.tsv]
                                          [--centers tests/data/attribution/centers.csv]

Region accuracy counts an empty expected region as correct only when nothing is attributed.
"""
from __future__ import annotations

import argparse
import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.attribution import Attributor, load_centers  # noqa: E402

DATA = ROOT / "tests" / "data" / "attribution"


def load_testset(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def evaluate(rows: list[dict[str, str]], attributor: Attributor) -> tuple[dict[str, float], list[str]]:
    region_ok = center_ok = attributed = attributed_ok = with_region = 0
    errors: list[str] = []
    for row in rows:
        got = attributor.attribute_text(row["text"])
        want_region = row["region"] or None
        want_center = row["center_id"] or None
        if got.region == want_region:
            region_ok += 1
        else:
            errors.append(f"region {got.region!r} != {want_region!r}: {row['text']}")
        if got.center_id == want_center:
            center_ok += 1
        else:
            errors.append(f"center {got.center_id!r} != {want_center!r}: {row['text']}")
        with_region += want_region is not None
        if got.region is not None:
            attributed += 1
            attributed_ok += got.region == want_region
    n = len(rows)
    return {
        "texts": n,
        "region_accuracy": region_ok / n,
        "center_accuracy": center_ok / n,
        "precision_of_attributed": attributed_ok / attributed if attributed else 1.0,
        "coverage": attributed_ok / with_region if with_region else 1.0,
    }, errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--testset", type=Path, default=DATA / "attribution_testset.tsv")
    parser.add_argument("--centers", type=Path, default=DATA / "centers.csv")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    attributor = Attributor(load_centers(args.centers))
    report, errors = evaluate(load_testset(args.testset), attributor)
    print(f"attribution test set: {report['texts']} texts")
    for key in ("region_accuracy", "center_accuracy", "precision_of_attributed", "coverage"):
        print(f"{key:26}{report[key]:.3f}")
    if args.show_errors:
        print("\n".join(errors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
