"""A SIGKILL in the middle of an ingest leaves only whole batches; a rerun completes it."""
import json
import os
import signal
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from feedback_nlp.store import open_store
from feedback_nlp.store.tables import batches, feedback

N, BATCH = 30_000, 3_000


@pytest.mark.slow
@pytest.mark.parametrize("delay", [2.5, 3.5])
def test_sigkill_mid_ingest_leaves_whole_batches_and_rerun_completes(tmp_path, delay):
    data = tmp_path / "big.jsonl"
    with data.open("w", encoding="utf-8") as f:
        for i in range(N):
            f.write(json.dumps({"id": str(i), "text": f"Отзыв {i}: в ЦЗН Твери очередь, "
                                f"инспектор помогла с резюме номер {i * 7}"},
                               ensure_ascii=False) + "\n")
    url = f"sqlite:///{tmp_path / 'f.db'}"
    argv = [sys.executable, "-m", "feedback_nlp.cli", "ingest", "generic", str(data), "--db", url,
            "--no-redact", "--batch-size", str(BATCH)]
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL

    store = open_store(url)
    with store.engine.connect() as conn:
        stored = conn.execute(select(func.count()).select_from(feedback)).scalar_one()
        committed = conn.execute(select(func.count()).select_from(batches)
                                 .where(batches.c.status == "committed")).scalar_one()
    store.close()
    assert stored % BATCH == 0 and stored == committed * BATCH < N

    rerun = subprocess.run(argv, capture_output=True, text=True, check=True)
    assert rerun.stdout.strip().startswith(
        f"read {N} · stored {N - stored} · duplicate {stored} ·")
    store = open_store(url)
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(feedback)).scalar_one() == N
    store.close()
