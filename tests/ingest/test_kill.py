"""A SIGKILL in the middle of an ingest leaves only whole batches; a rerun completes it."""
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from feedback_nlp.store import open_store
from feedback_nlp.store.tables import batches, feedback

N, BATCH = 30_000, 3_000


def _committed_batches(path) -> int:
    """Committed batches as another process sees them (read-only; 0 before the tables exist)."""
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.05) as conn:
            return conn.execute("SELECT count(*) FROM batches WHERE status = 'committed'").fetchone()[0]
    except sqlite3.OperationalError:     # no file or table yet, or the writer holds the lock
        return 0


@pytest.mark.slow
@pytest.mark.parametrize("after", [1, 4])
def test_sigkill_mid_ingest_leaves_whole_batches_and_rerun_completes(tmp_path, after):
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
    # killed once `after` of the 10 batches are committed, not after a fixed delay: how long
    # start-up and a batch take depends on the machine (a fixed 3.5 s outlived a whole ingest)
    deadline = time.monotonic() + 120
    while _committed_batches(tmp_path / "f.db") < after and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    if proc.poll() is not None:
        pytest.fail(f"the ingest ended (status {proc.returncode}) before {after} batches were seen committed")
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
