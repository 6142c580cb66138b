"""Throughput of ``model.map`` on 300-character texts vs natasha's morphology + NER, same run.

    python benchmarks/bench_classify.py [--model models/feedback-ru-v1] [--texts 20000] [--natasha 300]

Texts are corpus texts cut or joined to 300 characters (with evidence spans, as in production).
Prints texts/s for both, their ratio, model load time, peak memory (ru_maxrss) and the machine
load (``os.getloadavg``) around the run; writes ``speed.json`` into the model directory and
re-renders its model card (so the Speed section survives retraining and is never typed by hand).
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, read_meta, timed_load  # noqa: E402
from feedback_nlp.classifiers.card import record_measurement  # noqa: E402
from feedback_nlp.classifiers.corpus import read_items  # noqa: E402
# imported here, so the load time measured below is the artifact's (unpickling, rules, navec), not
# the import of scikit-learn and SciPy, which a service pays once at start-up (~0.8 s)
import feedback_nlp.classifiers.model  # noqa: E402,F401


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


def bench_model(model, texts: list[str]) -> tuple[float, float, int]:
    """Texts/s by wall clock and by the process's CPU time, and the number of evidence spans."""
    start, cpu = time.perf_counter(), time.process_time()
    spans = sum(len(a.spans) for p in model.map(texts) for a in p.aspects)
    return len(texts) / (time.perf_counter() - start), len(texts) / (time.process_time() - cpu), spans


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
    parser.add_argument("--compare", type=Path, help="another model directory (e.g. a previous release restored "
                        "with `git show`) measured the same way in the same run: wall-clock figures drift "
                        "between days on a shared machine, a same-run comparison does not")
    parser.add_argument("--no-write", action="store_true", help="do not write speed.json / the model card")
    args = parser.parse_args(argv)
    texts = make_texts(args.texts)
    load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    model, load_s = timed_load(args.model)
    bench_model(model, texts[:2000])              # warm the lemma and feature caches like a service
    ours, ours_cpu, spans = bench_model(model, texts)
    gc.freeze()        # what the API does after start-up: long-lived caches leave the collector's sight
    frozen, frozen_cpu, _ = bench_model(model, texts)
    gc.unfreeze()
    compared = None
    if args.compare:
        other, other_load = timed_load(args.compare)
        bench_model(other, texts[:2000])
        first, _, _ = bench_model(other, texts)
        gc.freeze()
        again, _, _ = bench_model(other, texts)
        gc.unfreeze()
        compared = {"model": other.label, "texts_per_s": round(first), "frozen_texts_per_s": round(again),
                    "load_s": round(other_load, 2)}
        del other
    theirs = bench_natasha(texts[: args.natasha])
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    load_after = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"machine: {os.cpu_count()} CPUs, load average (1/5/15 min) {load_before} before, {load_after} after")
    print(f"model {model.label}: load {load_s:.2f} s")
    print(f"feedback-nlp: {ours:,.0f} texts/s on {len(texts)} texts of 300 chars ({spans} evidence spans); "
          f"{ours_cpu:,.0f} texts/s by process CPU time")
    print(f"feedback-nlp after gc.freeze() (as the API runs): {frozen:,.0f} texts/s; {frozen_cpu:,.0f} by CPU time")
    if compared:
        # the lemma cache is per process: the compared model's passes find every word form cached, so
        # compare the gc.freeze() figures (both fully warm), not the first passes
        print(f"{compared['model']} in the same run, same texts: {compared['frozen_texts_per_s']:,} texts/s after "
              f"gc.freeze() (against {frozen:,.0f}); {compared['texts_per_s']:,} on its first pass with the word "
              f"caches already warm; load {compared['load_s']:.2f} s")
    print(f"natasha morph+NER: {theirs:,.0f} texts/s on {args.natasha} texts")
    print(f"ratio: {ours / theirs:.1f}x natasha")
    print(f"peak memory (ru_maxrss): {peak_mb:,.0f} MB")
    print("targets: >= 5,000 texts/s, < 1,500 MB:", "OK" if ours >= 5000 and peak_mb < 1500 else "MISSED")
    if not args.no_write:
        meta = read_meta(args.model)
        record_measurement(Path(args.model), "speed.json", meta,
                           f"python benchmarks/bench_classify.py --texts {args.texts} --natasha {args.natasha}"
                           + (" --compare DIR" if compared else ""),
                           texts=len(texts), texts_per_s=round(ours), cpu_texts_per_s=round(ours_cpu),
                           frozen_texts_per_s=round(frozen), frozen_cpu_texts_per_s=round(frozen_cpu),
                           natasha_texts_per_s=round(theirs, 1), ratio=round(ours / theirs, 1),
                           peak_mb=round(peak_mb), load_s=round(load_s, 2), evidence_spans=spans,
                           cpus=os.cpu_count(), load_before=load_before, load_after=load_after,
                           **({"compared": compared} if compared else {}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
