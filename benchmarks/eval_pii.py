"""Precision and recall of personal-data redaction per type on the authored PII test set.

    python benchmarks/eval_pii.py [--testset tests/data/pii/pii_testset.jsonl] [--no-ner]

A found span is a true positive when it overlaps a gold span of the same type; every gold span
is counted once. Also prints the misses (for development: the test set is authored, not real data).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.privacy import PII_TYPES, Redactor  # noqa: E402

DEFAULT = ROOT / "tests" / "data" / "pii" / "pii_testset.jsonl"
TARGETS = {"PHONE": 0.98, "EMAIL": 0.98, "SNILS": 0.98, "PASSPORT": 0.98, "PER": 0.90}


def evaluate(rows: list[dict], redactor: Redactor) -> tuple[dict[str, dict[str, float]], list[str]]:
    tp_gold: Counter[str] = Counter()
    tp_pred: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    misses: list[str] = []
    found = list(redactor.find([r["text"] for r in rows]))
    for row, spans in zip(rows, found):
        gold = row["spans"]
        text = row["text"]
        for g in gold:
            n_gold[g["type"]] += 1
            if any(p.type == g["type"] and p.start < g["end"] and g["start"] < p.end for p in spans):
                tp_gold[g["type"]] += 1
            else:
                misses.append(f"MISS {g['type']:8} {text[g['start']:g['end']]!r} in {row['id']}: {text}")
        for p in spans:
            n_pred[p.type] += 1
            if any(p.type == g["type"] and p.start < g["end"] and g["start"] < p.end for g in gold):
                tp_pred[p.type] += 1
            else:
                misses.append(f"FP   {p.type:8} {text[p.start:p.end]!r} ({p.recognizer}) in {row['id']}: {text}")
    report = {}
    for t in PII_TYPES:
        report[t] = {
            "gold": n_gold[t], "found": n_pred[t],
            "precision": tp_pred[t] / n_pred[t] if n_pred[t] else 1.0,
            "recall": tp_gold[t] / n_gold[t] if n_gold[t] else 1.0,
        }
    return report, misses


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--testset", type=Path, default=DEFAULT)
    parser.add_argument("--no-ner", action="store_true", help="patterns and rules only")
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args()
    rows = [json.loads(line) for line in args.testset.read_text(encoding="utf-8").splitlines()]
    redactor = Redactor.load(ner=not args.no_ner)
    started = time.perf_counter()
    report, misses = evaluate(rows, redactor)
    elapsed = time.perf_counter() - started
    print(f"PII test set: {len(rows)} texts, {sum(r['gold'] for r in report.values())} spans; "
          f"NER {'off' if args.no_ner else 'on'}; {elapsed:.2f} s")
    print(f"{'type':10}{'gold':>6}{'found':>7}{'precision':>11}{'recall':>8}  target recall")
    ok = True
    for t, r in report.items():
        target = TARGETS.get(t)
        mark = "" if target is None else (f"≥ {target:.2f} " + ("ok" if r["recall"] >= target else "MISSED"))
        ok &= target is None or r["recall"] >= target
        print(f"{t:10}{r['gold']:>6}{r['found']:>7}{r['precision']:>11.3f}{r['recall']:>8.3f}  {mark}")
    if args.show_errors:
        print("\n".join(misses))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
