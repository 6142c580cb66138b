"""Throughput of ``model.map`` on 300-character texts vs natasha's morphology + NER, same run.

    python benchmarks/bench_classify.py [--model models/feedback-ru-v1] [--texts 20000] [--natasha 300]

Texts are corpus texts cut or joined to 300 characters (with evidence spans, as in production).
Prints texts/s for both, their ratio, model load time and peak memory (ru_maxrss).
"""
from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, timed_load  # noqa: E402
from feedback_nlp.classifiers.corpus import read_items  # noqa: E402


def make_texts(n: int, length: int = 300, seed: int = 0) -> list[str]:
    """``n`` texts of ``length`` characters built from corpus texts."""
    items, _ = read_items(ROOT / "models" / "corpus" / "parts")
    pool = [i.text for i in items]
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        text = ""
        while len(text) < length:
            text += rng.choice(pool) + " "
        out.append(text[:length])
    return out


def bench_model(model, texts: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    spans = sum(len(a.spans) for p in model.map(texts) for a in p.aspects)
    return len(texts) / (time.perf_counter() - start), spans


def bench_natasha(texts: list[str]) -> float:
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    emb = NewsEmbedding()
    segmenter, morph, ner = Segmenter(), NewsMorphTagger(emb), NewsNERTagger(emb)
    MorphVocab()
    start = time.perf_counter()
    for text in texts:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.tag_ner(ner)
    return len(texts) / (time.perf_counter() - start)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=ROOT / "models" / DEFAULT_MODEL)
    parser.add_argument("--texts", type=int, default=20_000)
    parser.add_argument("--natasha", type=int, default=500, help="texts for the natasha pipeline")
    args = parser.parse_args(argv)
    texts = make_texts(args.texts)
    model, load_s = timed_load(args.model)
    bench_model(model, texts[:2000])              # warm the lemma and feature caches like a service
    ours, spans = bench_model(model, texts)
    theirs = bench_natasha(texts[: args.natasha])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"model {model.label}: load {load_s:.2f} s")
    print(f"feedback-nlp: {ours:,.0f} texts/s on {len(texts)} texts of 300 chars ({spans} evidence spans)")
    print(f"natasha morph+NER: {theirs:,.0f} texts/s on {args.natasha} texts")
    print(f"ratio: {ours / theirs:.1f}x natasha")
    print(f"peak memory (ru_maxrss): {peak_mb:,.0f} MB")
    print("targets: >= 5,000 texts/s, < 1,500 MB:", "OK" if ours >= 5000 and peak_mb < 1500 else "MISSED")
    return 0


if __name__ == "__main__":
    sys.exit(main())
