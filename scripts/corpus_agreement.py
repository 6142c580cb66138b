"""Inter-annotator agreement between the corpus labels and the blind second annotation.

    python scripts/corpus_agreement.py [models/corpus/parts] [models/corpus/agreement/second_annotation.jsonl]

The corpus (the authors' own labels) is the reference and the second annotation plays the part of
the prediction, so precision is "how many of the second annotator's labels the authors also gave"
and recall the reverse; F1 and kappa do not depend on that choice.
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Hashable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing the package

from feedback_nlp.classifiers.corpus import POLARITIES, LabelledItem, load_corpus  # noqa: E402
from feedback_nlp.classifiers.metrics import macro_f1, prf, set_scores  # noqa: E402
from feedback_nlp.codes import GROUPS, INDICATOR_GROUPS, INDICATORS  # noqa: E402

DEFAULT_PARTS = ROOT / "models" / "corpus" / "parts"
DEFAULT_SECOND = ROOT / "models" / "corpus" / "agreement" / "second_annotation.jsonl"


def load_second(path: str | Path) -> list[LabelledItem]:
    """The second annotation: corpus records without ``text``/``source`` (it does not copy texts)."""
    items = []
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            obj = json.loads(line)
            labels = tuple(sorted((a["indicator"], a["polarity"]) for a in obj.get("labels", [])))
            bad = [a for a in labels if a[0] not in INDICATORS or a[1] not in POLARITIES]
            if bad or len({c for c, _ in labels}) != len(labels) or not isinstance(obj.get("relevant"), bool) \
                    or obj.get("general") not in (None, *POLARITIES):
                raise ValueError(f"{path}:{number}: not a valid annotation record")
            items.append(LabelledItem(obj["id"], "", obj["relevant"], labels, obj.get("general")))
    return items


def cohen_kappa(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Cohen's kappa of two annotators' categorical decisions on the same items."""
    n = len(first)
    if not n:
        return 0.0
    observed = sum(a == b for a, b in zip(first, second)) / n
    a_counts, b_counts = Counter(first), Counter(second)
    expected = sum(a_counts[c] * b_counts[c] for c in a_counts) / n ** 2
    # both annotators used one and the same category throughout: agreement is total, chance explains it
    return round((observed - expected) / (1 - expected), 4) if expected < 1 else 1.0


def share(hits: int, total: int) -> float:
    return round(hits / total, 4) if total else 0.0


def agreement(reference: Sequence[LabelledItem], second: Sequence[LabelledItem]) -> dict:
    """Agreement figures on the items of ``second`` (matched to ``reference`` by id)."""
    by_id = {item.id: item for item in reference}
    missing = [s.id for s in second if s.id not in by_id]
    pairs = [(by_id[s.id], s) for s in second if s.id in by_id]
    ref, sec = [r for r, _ in pairs], [s for _, s in pairs]

    relevance = prf(sum(r.relevant and s.relevant for r, s in pairs),
                    sum(not r.relevant and s.relevant for r, s in pairs),
                    sum(r.relevant and not s.relevant for r, s in pairs))
    ref_ind, sec_ind = [set(r.indicators) for r in ref], [set(s.indicators) for s in sec]
    per_indicator, indicators = set_scores(ref_ind, sec_ind, INDICATORS)
    _, groups = set_scores([{INDICATOR_GROUPS[c] for c in g} for g in ref_ind],
                           [{INDICATOR_GROUPS[c] for c in g} for g in sec_ind], GROUPS)
    for code, row in per_indicator.items():
        row["second_count"] = sum(code in g for g in sec_ind)

    # polarity only where both saw the aspect: disagreement on whether it is there is counted above
    pol_ref, pol_sec = [], []
    for r, s in pairs:
        theirs = dict(s.labels)
        for code, pol in r.labels:
            if code in theirs:
                pol_ref.append(pol)
                pol_sec.append(theirs[code])
    both_relevant = [(r, s) for r, s in pairs if r.relevant and s.relevant]
    gen_ref, gen_sec = [str(r.general) for r, _ in both_relevant], [str(s.general) for _, s in both_relevant]
    return {
        "items": len(pairs), "missing": missing,
        "relevance": {**relevance, "agreement": share(sum(r.relevant == s.relevant for r, s in pairs), len(pairs)),
                      "kappa": cohen_kappa([r.relevant for r in ref], [s.relevant for s in sec]),
                      "reference_relevant": sum(r.relevant for r in ref),
                      "second_relevant": sum(s.relevant for s in sec)},
        "indicators": {**indicators, "reference_labels": sum(map(len, ref_ind)),
                       "second_labels": sum(map(len, sec_ind))},
        "per_indicator": per_indicator,
        "groups": groups,
        "polarity": {"pairs": len(pol_ref), "macro_f1": macro_f1(pol_ref, pol_sec),
                     "agreement": share(sum(a == b for a, b in zip(pol_ref, pol_sec)), len(pol_ref)),
                     "kappa": cohen_kappa(pol_ref, pol_sec)},
        "general": {"items": len(both_relevant),
                    "agreement": share(sum(a == b for a, b in zip(gen_ref, gen_sec)), len(both_relevant)),
                    "kappa": cohen_kappa(gen_ref, gen_sec),
                    "reference_set": sum(g != "None" for g in gen_ref),
                    "second_set": sum(g != "None" for g in gen_sec)},
        "exact_label_sets": share(sum(r.relevant == s.relevant and r.labels == s.labels for r, s in pairs), len(pairs)),
    }


def render(result: dict) -> str:
    rel, ind, grp, pol, gen = (result[k] for k in ("relevance", "indicators", "groups", "polarity", "general"))
    lines = [
        f"Items compared: {result['items']}"
        + (f" ({len(result['missing'])} ids of the second annotation are not in the corpus: "
           f"{', '.join(result['missing'][:10])})" if result["missing"] else "") + ".",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| relevance precision / recall / F1 | {rel['precision']:.3f} / {rel['recall']:.3f} / {rel['f1']:.3f} |",
        f"| relevance raw agreement | {rel['agreement']:.3f} |",
        f"| relevance Cohen's κ | {rel['kappa']:.3f} |",
        f"| relevant: corpus / second | {rel['reference_relevant']} / {rel['second_relevant']} |",
        f"| indicator micro-F1 (P / R) | {ind['micro_f1']:.3f} "
        f"({ind['micro_precision']:.3f} / {ind['micro_recall']:.3f}) |",
        f"| indicator macro-F1 | {ind['macro_f1']:.3f} |",
        f"| indicator labels: corpus / second | {ind['reference_labels']} / {ind['second_labels']} |",
        f"| group micro-F1 | {grp['micro_f1']:.3f} |",
        f"| polarity macro-F1 (indicators both labelled, n = {pol['pairs']}) | {pol['macro_f1']:.3f} |",
        f"| polarity raw agreement | {pol['agreement']:.3f} |",
        f"| polarity Cohen's κ | {pol['kappa']:.3f} |",
        f"| `general` raw agreement (items both call relevant, n = {gen['items']}) | {gen['agreement']:.3f} |",
        f"| `general` Cohen's κ (null counted as a value) | {gen['kappa']:.3f} |",
        f"| `general` set: corpus / second | {gen['reference_set']} / {gen['second_set']} |",
        f"| identical relevance and label set | {result['exact_label_sets']:.3f} |",
        "",
        "| indicator | corpus | second | P | R | F1 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for code, row in result["per_indicator"].items():
        lines.append(f"| {code} | {row['support']} | {row['second_count']} | {row['precision']:.3f} | "
                     f"{row['recall']:.3f} | {row['f1']:.3f} |")
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="agreement of the corpus labels with the blind second annotation")
    parser.add_argument("parts", nargs="?", default=DEFAULT_PARTS, help="corpus directory or JSONL file")
    parser.add_argument("second", nargs="?", default=DEFAULT_SECOND, help="second annotation JSONL")
    args = parser.parse_args(argv)
    sys.stdout.write(render(agreement(load_corpus(args.parts), load_second(args.second))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
