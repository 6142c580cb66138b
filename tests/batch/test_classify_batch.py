"""classify-batch on a real 2-process LocalCluster equals single-process classification row for row."""
from __future__ import annotations

import json

import pandas as pd
import pytest

from feedback_nlp.batch import classify_batch, list_parts, model_loads
from feedback_nlp.batch.run import build_frame
from feedback_nlp.classifiers.artifact import load_default_model
from feedback_nlp.cli import main
from feedback_nlp.errors import InputError

@pytest.fixture(scope="module")
def expected(batch_input) -> dict[str, dict]:
    _, rows = batch_input
    model = load_default_model()
    return {p["id"]: p for p in (x.to_dict() for x in model.map([t for _, t, _ in rows], [i for i, _, _ in rows]))}


def read_output(folder) -> pd.DataFrame:
    return pd.read_parquet(folder).reset_index(drop=True)


def as_prediction(row: dict) -> dict:
    """An output row in the prediction format of ``Prediction.to_dict()``."""
    general = row["general"]
    return {"id": row["id"], "relevant": bool(row["relevant"]), "relevance": row["relevance"],
            "general": None if pd.isna(general) else int(general), "sentiment": row["sentiment"],
            "polarity": int(row["polarity"]), "aspects": json.loads(row["aspects"]), "model": row["model"]}


def test_classify_batch_equals_single_process(client, batch_input, expected, tmp_path):
    folder, rows = batch_input
    result = classify_batch(folder, tmp_path / "out", client=client, blocksize=1500)
    out = read_output(tmp_path / "out")
    assert result.rows == len(rows) and result.errors == 0 and result.workers == 2
    assert result.partitions > 4  # several JSONL byte ranges and Parquet row groups
    assert out["id"].tolist() == [i for i, _, _ in rows]  # input order kept
    for row in out.to_dict("records"):
        assert as_prediction(row) == expected[row["id"]]


def test_classify_batch_keeps_source(client, batch_input, tmp_path):
    folder, rows = batch_input
    classify_batch(folder, tmp_path / "out", client=client)
    out = read_output(tmp_path / "out")
    sources = [None if 30 <= k < 50 else s for k, (_, _, s) in enumerate(rows)]
    assert [None if pd.isna(s) else s for s in out["source"]] == sources


def test_classify_batch_loads_model_once_per_worker(client, batch_input, tmp_path):
    folder, _ = batch_input
    classify_batch(folder, tmp_path / "out", client=client, blocksize=1000)
    loads = client.run(model_loads)
    assert len(loads) == 2
    assert all(list(counts.values()) == [1] for counts in loads.values())


def test_classify_batch_marks_bad_lines(client, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "Грубо ответили"}\n{oops\n[1, 2]\n{"text": "без id"}\n'
                   '{"id": 5, "text": null}\n\n{"id": 6, "text": "Спасибо центру"}\n', encoding="utf-8")
    result = classify_batch(src, tmp_path / "out", client=client)
    out = read_output(tmp_path / "out")
    assert (result.rows, result.errors) == (6, 4)
    errors = [None if pd.isna(e) else e for e in out["error"]]
    assert errors[0] is None and errors[5] is None
    assert "not JSON" in errors[1] and "expected a JSON object" in errors[2]
    assert errors[3:5] == ["no id", "text must be a string"]
    assert out["relevant"].isna().tolist() == [False, True, True, True, True, False]


def test_cli_classify_batch_on_existing_scheduler(client, batch_input, expected, tmp_path, capsys):
    folder, rows = batch_input
    status = main(["classify-batch", "--input", str(folder / "*.jsonl"), "--output", str(tmp_path / "out"),
                   "--scheduler", client.scheduler.address])
    assert status == 0
    assert "classified 50 texts" in capsys.readouterr().err
    out = read_output(tmp_path / "out")
    assert [as_prediction(r) for r in out.to_dict("records")] == [expected[i] for i, _, _ in rows[:50]]


def _garbage(d):
    (d / "x.parquet").write_bytes(b"PAR1 garbage")
    return d / "x.parquet"


def _no_text(d):
    pd.DataFrame({"id": [1]}).to_parquet(d / "y.parquet")
    return d / "y.parquet"


@pytest.mark.parametrize("make, why", [
    (lambda d: d / "missing", "no .parquet or .jsonl files found"),
    (_garbage, "not a Parquet file"),
    (_no_text, "text: — missing column"),
])
def test_list_parts_rejects_bad_input(tmp_path, make, why):
    with pytest.raises(InputError, match=why):
        list_parts(make(tmp_path))


def test_cli_refuses_non_empty_output(batch_input, tmp_path):
    folder, _ = batch_input
    (tmp_path / "old.parquet").write_bytes(b"")
    assert main(["classify-batch", "--input", str(folder), "--output", str(tmp_path)]) == 2


def test_build_frame_uses_map_partitions(batch_input):
    frame, parts = build_frame(batch_input[0], blocksize=1000)
    assert frame.npartitions == parts
    assert "classify_frame" in str(frame.dask.keys())


def test_small_jsonl_is_split_for_every_worker(client, tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("".join(f'{{"id": {i}, "text": "Очередь в ЦЗН {i} {"x" * 300}"}}\n' for i in range(600)),
                   encoding="utf-8")  # ~200 KB: one 8 MiB block, split for 2 workers
    result = classify_batch(src, tmp_path / "out", client=client)
    assert result.partitions >= 2 and result.rows == 600
    assert read_output(tmp_path / "out")["id"].tolist() == [str(i) for i in range(600)]


def test_local_cluster_workers_do_not_profile(client):
    """The clusters classify_batch starts switch off the workers' stack-sampling profiler: it takes
    CPU and the GIL from a task that is pure Python all the time."""
    import dask

    enabled = client.run(lambda: dask.config.get("distributed.worker.profile.enabled"))
    assert len(enabled) == 2 and not any(enabled.values())
    ticks = client.run(lambda: dask.config.get("distributed.admin.tick.interval"))
    assert set(ticks.values()) == {"1s"}   # not the default 20 ms wake-up of the event loop
    trim = client.run(lambda: __import__("os").environ.get("MALLOC_TRIM_THRESHOLD_"))
    assert set(trim.values()) == {None}    # glibc keeps its adaptive mmap threshold


def test_frames_keep_python_strings(batch_input):
    """No conversion of the text columns to pyarrow strings is put into the graph (the classifier
    needs Python strings and the output has its own Arrow schema)."""
    import dask.dataframe as dd

    from feedback_nlp.batch.partitions import empty_input, list_parts, read_part

    frame, _ = build_frame(batch_input[0], blocksize=1000)
    assert not [k for k in frame.dask.keys() if "to_string_dtype" in str(k)]
    plain = dd.from_map(read_part, list_parts(batch_input[0], 1000), meta=empty_input())  # Dask's default converts
    assert [k for k in plain.dask.keys() if "to_string_dtype" in str(k)]
