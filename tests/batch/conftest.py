"""A real LocalCluster of 2 worker processes, once per module, and a small mixed input."""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("distributed")

CORPUS = Path(__file__).resolve().parents[2] / "models" / "corpus" / "parts"
# Hard inputs next to corpus texts: empty, whitespace, emoji, Latin, RTL, long.
EXTRA = ["", "   ", "😡😡😡", "ok", "שלום עולם", "Очередь " * 300, "ЦЗН\u0000 грубо\tответили"]


def corpus_texts(n: int) -> list[tuple[str, str, str]]:
    """``(id, text, source)`` of the first ``n`` corpus texts taken across sources."""
    rows = []
    for path in sorted(CORPUS.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines()[:8]:
            obj = json.loads(line)
            rows.append((obj["id"], obj["text"], obj["source"]))
    rows += [(f"extra-{i}", text, "test") for i, text in enumerate(EXTRA)]
    return rows[:n]


@pytest.fixture(scope="module")
def client():
    from feedback_nlp.batch.run import dask_client

    with dask_client(None, workers=2, memory_limit=None) as c:
        yield c


@pytest.fixture(scope="module")
def batch_input(tmp_path_factory) -> tuple[Path, list[tuple[str, str, str]]]:
    """A directory with two JSONL files and a Parquet file of 3 row groups."""
    rows = corpus_texts(90)
    folder = tmp_path_factory.mktemp("batch-in")
    with open(folder / "a.jsonl", "w", encoding="utf-8") as f:
        for ident, text, source in rows[:30]:
            f.write(json.dumps({"id": ident, "text": text, "source": source}, ensure_ascii=False) + "\n")
    with open(folder / "b.jsonl", "w", encoding="utf-8") as f:  # no source column
        for ident, text, _ in rows[30:50]:
            f.write(json.dumps({"id": ident, "text": text}, ensure_ascii=False) + "\n")
    frame = pd.DataFrame(rows[50:], columns=["id", "text", "source"])
    frame.to_parquet(folder / "c.parquet", row_group_size=15)
    return folder, rows
