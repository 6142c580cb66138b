"""Load benchmark of the HTTP API on loopback (issue 5's speed targets).

Starts ``feedback-nlp serve`` on a free 127.0.0.1 port with a fresh store holding the sample
survey and objective data, then measures, from a separate client process:

* ``POST /v1/classify`` with one 300-character text, open loop at ``--rps`` (default 100)
  for ``--seconds`` (default 10): p50/p99 latency and errors (target p99 < 50 ms, 0 errors);
* ``POST /v1/classify`` with a batch of 100 texts, one after another (target < 150 ms);
* ``GET /v1/index`` of a cached period (target p99 < 20 ms).

    python benchmarks/bench_api.py [--model DIR] [--rps 100] [--seconds 10] [--json OUT.json]

Bounded: at most ``rps × seconds`` requests (capped at 5000), loopback only.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SAMPLES = ROOT / "feedback_nlp" / "samples"
TARGETS = {"classify_one_p99_ms": 50.0, "classify_batch100_p99_ms": 150.0, "index_cached_p99_ms": 20.0}
MAX_REQUESTS = 5000
ERROR_KINDS: dict[str, int] = {}
PHRASES = ["Консультант в центре занятости ответила вежливо и подробно, ", "но очередь в кабинет была почти два часа, ",
           "стульев в коридоре не хватает, душно, ", "на сайте не получилось записаться на приём заранее, ",
           "документы пришлось приносить дважды, ", "инспектор каждый раз новый и всё объясняет заново, ",
           "вакансий для моей профессии почти нет, ", "а пособие оформили быстро, спасибо. "]


def text_of(n: int, length: int = 300) -> str:
    parts, k = [], n
    while sum(map(len, parts)) < length:
        parts.append(PHRASES[k % len(PHRASES)])
        k = k * 7 + 3
    return "".join(parts)[:length]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(q / 100 * len(ordered))) - 1))]


def summary(latencies: list[float], errors: int) -> dict[str, float]:
    ms = [v * 1000 for v in latencies]
    return {"requests": len(ms) + errors, "errors": errors, "p50_ms": round(statistics.median(ms), 2),
            "p99_ms": round(percentile(ms, 99), 2), "max_ms": round(max(ms), 2)}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def default_model(tmp: Path, given: str | None) -> tuple[Path, str]:
    from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, dump_model, models_dir
    from feedback_nlp.classifiers.model import FeedbackClassifier

    if given:
        return Path(given), "given"
    bundled = models_dir() / DEFAULT_MODEL
    if (bundled / "meta.json").is_file():
        return bundled, "bundled"
    model = FeedbackClassifier(name="rules-bench", version="0", use_model=False).fit([], [])
    return dump_model(model, tmp / "rules-model", {"note": "rules layer only"}), "rules-only (no bundled model yet)"


async def open_loop(client: httpx.AsyncClient, rps: float, seconds: float) -> tuple[list[float], int]:
    """Requests sent on a fixed schedule whatever the server does (latency includes queueing)."""
    total = min(MAX_REQUESTS, int(rps * seconds))
    latencies: list[float] = []
    errors = 0

    async def one(n: int) -> None:
        nonlocal errors
        body = {"texts": [{"id": str(n), "text": text_of(n)}]}
        start = time.perf_counter()
        try:
            response = await client.post("/v1/classify", json=body)
            if response.status_code != 200:
                errors += 1
                ERROR_KINDS[str(response.status_code)] = ERROR_KINDS.get(str(response.status_code), 0) + 1
                return
        except httpx.HTTPError as exc:
            errors += 1
            ERROR_KINDS[type(exc).__name__] = ERROR_KINDS.get(type(exc).__name__, 0) + 1
            return
        latencies.append(time.perf_counter() - start)

    tasks = []
    begin = time.perf_counter()
    for n in range(total):
        delay = begin + n / rps - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(n)))
    await asyncio.gather(*tasks)
    return latencies, errors


def closed_loop(client: httpx.Client, count: int, send) -> tuple[list[float], int]:
    gc.collect()
    gc.freeze()  # the client's own collector pauses must not count as server latency
    latencies, errors = [], 0
    for n in range(count):
        start = time.perf_counter()
        response = send(client, n)
        if response.status_code != 200:
            errors += 1
        else:
            latencies.append(time.perf_counter() - start)
    return latencies, errors


def run(args: argparse.Namespace) -> dict:
    from feedback_nlp.store import create_api_key, open_store

    load_before = list(os.getloadavg())  # other work on the machine shows in the tail latencies
    tmp = Path(tempfile.mkdtemp(prefix="bench-api-"))
    db = f"sqlite:///{tmp / 'bench.db'}"
    store = open_store(db)
    key = create_api_key(store, "admin", name="bench")[0]
    store.close()
    model, model_kind = default_model(tmp, args.model)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp / "server.log").open("w")
    server = subprocess.Popen([sys.executable, "-m", "feedback_nlp", "-q", "serve", "--port", str(port),
                               "--db", db, "--model", str(model)], stdout=log, stderr=subprocess.STDOUT,
                              cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    headers = {"X-API-Key": key}
    try:
        deadline = time.monotonic() + 180
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start; see {tmp / 'server.log'}")
            time.sleep(0.5)
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            for route, name in (("/v1/surveys", "survey.csv"), ("/v1/objective", "objective.csv")):
                client.post(route, files={"file": (name, (SAMPLES / name).read_bytes())}).raise_for_status()
            for n in range(20):  # warm-up of the server and the model
                client.post("/v1/classify", json={"texts": [{"id": "w", "text": text_of(n)}]})
            batch_texts = [{"id": str(i), "text": text_of(i)} for i in range(100)]
            batch = closed_loop(client, args.batches, lambda c, n: c.post("/v1/classify", json={"texts": batch_texts}))
            client.get("/v1/index", params={"period": "2022Q2"}).raise_for_status()  # fills the cache
            index = closed_loop(client, args.index_requests,
                                lambda c, n: c.get("/v1/index", params={"period": "2022Q2"}))

        async def load() -> tuple[list[float], int]:
            limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
            async with httpx.AsyncClient(base_url=base, headers=headers, timeout=30, limits=limits) as client:
                return await open_loop(client, args.rps, args.seconds)

        one = asyncio.run(load())
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    results = {"model": f"{model} ({model_kind})", "cpus": os.cpu_count(), "rps": args.rps, "seconds": args.seconds,
               "load_average_before": load_before, "load_average_after": list(os.getloadavg()),
               "classify_one_errors": ERROR_KINDS,
               "classify_one": summary(*one), "classify_batch100": summary(*batch), "index_cached": summary(*index)}
    results["targets_met"] = {
        "classify_one_p99_ms": results["classify_one"]["p99_ms"] < TARGETS["classify_one_p99_ms"]
        and results["classify_one"]["errors"] == 0,
        "classify_batch100_p99_ms": results["classify_batch100"]["p99_ms"] < TARGETS["classify_batch100_p99_ms"],
        "index_cached_p99_ms": results["index_cached"]["p99_ms"] < TARGETS["index_cached_p99_ms"],
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", help="model directory (default: the bundled model)")
    parser.add_argument("--rps", type=float, default=100.0)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--batches", type=int, default=30, help="batch-of-100 requests")
    parser.add_argument("--index-requests", type=int, default=300)
    parser.add_argument("--json", help="write the results here too")
    args = parser.parse_args()
    results = run(args)
    text = json.dumps(results, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        Path(args.json).write_text(text + "\n", encoding="utf-8")
    sys.exit(0 if all(results["targets_met"].values()) else 1)


if __name__ == "__main__":
    main()
