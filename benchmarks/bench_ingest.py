"""Ingest speed (with and without NER redaction) and streaming memory on synthetic 300-char posts.

    python benchmarks/bench_ingest.py                    # speed + a 200 MB streaming run
    python benchmarks/bench_ingest.py --stream-mb 1024   # the full 1 GB streaming run

Speeds are measured in process with 0 and with the CLI's default number of row-building worker
processes (``--workers``); "items per CPU-second" counts the CPU time of every process, so it
shows the cost per item even when other jobs share the machine.

Posts are random sentences of ЦЗН feedback (~300 characters); a third name a person, a tenth
carry a phone number — so NER runs on the texts where a name may be and is skipped elsewhere.
The store is a fresh SQLite file; timings include redaction, attribution, de-duplication and
the database writes. Streaming memory is the peak RSS of a separate ``feedback-nlp ingest
generic`` process on a generated JSONL file.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from feedback_nlp.attribution import Attributor  # noqa: E402
from feedback_nlp.cli.ingest import default_workers  # noqa: E402
from feedback_nlp.ingest import IngestOptions, Pipeline  # noqa: E402
from feedback_nlp.ingest.pipeline import DEFAULT_BATCH_SIZE  # noqa: E402
from feedback_nlp.privacy import Redactor  # noqa: E402
from feedback_nlp.schema import Feedback  # noqa: E402
from feedback_nlp.store import open_store  # noqa: E402

SENTENCES = [
    "Сегодня была в центре занятости, очередь почти два часа", "стульев в коридоре нет",
    "консультант всё подробно объяснила и записала на курсы", "пособие опять задерживают",
    "сайт не работает третий день", "дозвониться невозможно, никто не берёт трубку",
    "спасибо за помощь с резюме", "вакансии только курьеры и охранники",
    "предложили переобучение на оператора ЭВМ", "документы потеряли второй раз",
    "отправляют из кабинета в кабинет", "записаться через Госуслуги не получилось",
    "на ярмарке вакансий было много работодателей", "в зале душно и тесно",
    "инспектор была вежливой и внимательной", "ответа на письмо нет уже месяц",
    "парковки рядом нет, автобус ходит редко", "каждый раз новый специалист",
]
CITIES = ["в Твери", "в Казани", "в Ржеве", "в Новосибирске", "в Подмосковье", "", "", ""]
NAMES = ["инспектор Иванова Мария Петровна", "специалист Петров А.В.", "Ольга Николаевна"]


def make_post(rnd: random.Random, i: int) -> str:
    parts: list[str] = []
    while sum(len(p) + 2 for p in parts) < 280:
        parts.append(rnd.choice(SENTENCES) + f" {rnd.randint(1, 99999)}")
    text = f"{rnd.choice(CITIES)} " + ". ".join(parts)
    if i % 3 == 0:
        text = rnd.choice(NAMES) + ": " + text
    if i % 10 == 0:
        text += f". Тел. 8 (4822) {rnd.randint(10, 99)}-{rnd.randint(10, 99)}-{rnd.randint(10, 99)}"
    return text.strip()[:300]


def posts(n: int, seed: int = 1) -> Iterator[Feedback]:
    rnd = random.Random(seed)
    for i in range(n):
        yield Feedback("social", "vk:-1", str(i), make_post(rnd, i))


def speed(n: int, redact: bool, workers: int, batch_size: int, tmp: Path) -> tuple[float, float]:
    """(items/s wall clock, items per CPU second of all processes) of one in-process run."""
    store = open_store(f"sqlite:///{tmp / f'speed-{redact}-{workers}.db'}")
    redactor = Redactor.load() if redact else None
    pipeline = Pipeline(store, redactor, Attributor(),
                        IngestOptions(redact=redact, salt="b", workers=workers,
                                      batch_size=batch_size))
    records = list(posts(n))  # generated before the clock starts
    cpu0 = _cpu()
    started = time.perf_counter()
    counts = pipeline.run(records)
    elapsed = time.perf_counter() - started
    cpu = _cpu() - cpu0
    store.close()
    assert counts.stored + counts.duplicate == n, counts
    return n / elapsed, n / cpu


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the row workers)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _tree_pss(proc: psutil.Process) -> int:
    """Proportional set size of a process and its children: shared pages counted once."""
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_full_info().pss
        except psutil.Error:
            pass
    return total


def streaming(mb: int, tmp: Path) -> tuple[int, int, float, float, float]:
    """Items, bytes, seconds, peak RSS of the largest process, peak PSS of all its processes."""
    data = tmp / "big.jsonl"
    rnd = random.Random(7)
    n = 0
    with data.open("w", encoding="utf-8") as f:
        while f.tell() < mb * 1024 * 1024:
            f.write(json.dumps({"id": str(n), "text": make_post(rnd, n)}, ensure_ascii=False) + "\n")
            n += 1
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "feedback_nlp.cli", "-q", "ingest", "generic",
                             str(data), "--db", f"sqlite:///{tmp / 'stream.db'}", "--no-redact"],
                            stdout=subprocess.DEVNULL)
    watched = psutil.Process(proc.pid)
    tree_peak = 0
    while proc.poll() is None:
        tree_peak = max(tree_peak, _tree_pss(watched))
        time.sleep(0.5)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"streaming ingest failed with status {proc.returncode}")
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return n, data.stat().st_size, elapsed, peak_mb, tree_peak / 2**20


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=50_000, help="posts for the speed without NER")
    parser.add_argument("--ner-items", type=int, default=5_000, help="posts for the speed with NER")
    parser.add_argument("--workers", type=int, default=default_workers(),
                        help="row-building worker processes (default: the CLI's default)")
    parser.add_argument("--batch-size", type=int, default=DEFAULT_BATCH_SIZE,
                        help="items per transaction (default: the CLI's default)")
    parser.add_argument("--stream-mb", type=int, default=200, help="size of the streaming input")
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} "
          "(figures drop when other work shares the cores)")
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        for redact, n, target in ((False, args.items, "10,000"), (True, args.ner_items, "1,000")):
            what = "with NER redaction" if redact else "without redaction"
            for workers in sorted({0, args.workers}) if n else ():
                wall, per_cpu = speed(n, redact, workers, args.batch_size, tmp)
                print(f"ingest {what}, {workers} worker process(es): {wall:,.0f} items/s "
                      f"({n:,} posts of ≤300 chars, batches of {args.batch_size:,}; "
                      f"{per_cpu:,.0f} items per CPU-second)  "
                      f"target ≥ {target}")
        if args.stream_mb:
            n, size, elapsed, peak, tree = streaming(args.stream_mb, tmp)
            print(f"streaming: {size / 2**20:,.0f} MB JSONL, {n:,} items via `ingest generic "
                  f"--no-redact` in {elapsed:,.0f} s ({n / elapsed:,.0f} items/s end to end), "
                  f"peak RSS {peak:,.0f} MB (largest process), peak PSS {tree:,.0f} MB (all "
                  f"processes, shared pages once)  "
                  f"target < 500 MB for 1 GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
