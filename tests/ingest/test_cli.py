import csv
import json

import pandas as pd
import pytest

from feedback_nlp.cli import main
from feedback_nlp.errors import SourceError
from feedback_nlp.sources.base import _REGISTRY


class BrokenSource:
    name = "test-broken"
    version = "1"
    source_kind = "social"

    def iter_items(self, paths):
        raise SourceError("VK API: token is missing; set VK_TOKEN")
        yield  # pragma: no cover


@pytest.fixture
def broken_source(monkeypatch):
    # registered only for the test, so the registry other tests see holds the real collectors
    monkeypatch.setitem(_REGISTRY, "test-broken", BrokenSource)


LINES = [
    {"id": "1", "text": "Инспектор Иванова Мария Петровна в ЦЗН Твери нагрубила, мой тел. 89051234567",
     "created_at": "2022-05-01T10:00:00+03:00", "author_id": "u1"},
    {"id": "2", "text": "Спасибо центру занятости Казани за помощь", "created_at": "2022-05-02"},
    {"id": "3", "text": ""},
    {"id": "4", "text": "Просто текст без места", "created_at": "2022-08-01"},
]


@pytest.fixture
def jsonl(tmp_path):
    path = tmp_path / "feedback.jsonl"
    path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in LINES) + "\n{bad json\n",
                    encoding="utf-8")
    return path


def test_ingest_then_items_end_to_end(tmp_path, jsonl, capsys, monkeypatch):
    db = f"sqlite:///{tmp_path / 'f.db'}"
    rejects = tmp_path / "rejects.csv"
    assert main(["ingest", "generic", str(jsonl), "--db", db, "--rejects", str(rejects)]) == 0
    out = capsys.readouterr()
    assert out.out.strip() == ("read 5 · stored 3 · duplicate 0 · near-duplicate 0 · rejected 2 · "
                               "unattributed 1 · truncated 0")
    assert "2 rejected records written to" in out.err
    with rejects.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["reason"] for r in rows][0] == "empty text" and len(rows) == 2

    # rerun: nothing new
    assert main(["ingest", "generic", str(jsonl), "--db", db, "--rejects", str(rejects)]) == 0
    assert capsys.readouterr().out.startswith("read 5 · stored 0 · duplicate 3")

    monkeypatch.setenv("FEEDBACK_NLP_DB", db)
    assert main(["items"]) == 0
    items = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [i["external_id"] for i in items] == ["1", "2", "4"]
    assert items[0]["text"] == "Инспектор [ФИО] в ЦЗН Твери нагрубила, мой тел. [ТЕЛЕФОН]"
    assert items[0]["region"] == "Тверская область"
    assert items[0]["created_at"] == "2022-05-01T07:00:00+00:00"
    assert {"id", "source_kind", "source", "external_id", "created_at", "text", "region",
            "center_id", "duplicate_of"} <= set(items[0])

    assert main(["items", "--region", "Республика Татарстан", "--format", "csv"]) == 0
    assert [r["external_id"] for r in csv.DictReader(capsys.readouterr().out.splitlines())] == ["2"]
    assert main(["items", "--period", "2022Q2", "--query", "СПАСИБО"]) == 0
    assert [json.loads(x)["external_id"] for x in capsys.readouterr().out.splitlines()] == ["2"]
    for fmt in ("xlsx", "parquet"):
        target = tmp_path / f"out.{fmt}"
        assert main(["items", "--output", str(target)]) == 0
        frame = pd.read_excel(target) if fmt == "xlsx" else pd.read_parquet(target)
        assert list(frame["external_id"].astype(str)) == ["1", "2", "4"]


@pytest.mark.parametrize("argv, message", [
    (["ingest", "nosuch", "x.jsonl"], "unknown collector"),
    (["ingest", "generic", "missing.jsonl"], "missing.jsonl: no such file"),
    (["items", "--format", "xlsx"], "needs --output"),
    (["items", "--since", "вчера"], "--since: 'вчера' — expected YYYY-MM-DD"),
])
def test_bad_input_exits_2(tmp_path, capsys, argv, message):
    assert main([*argv, "--db", f"sqlite:///{tmp_path / 'f.db'}"]) == 2
    assert message in capsys.readouterr().err


def test_source_error_is_a_clear_message_exit_1(tmp_path, capsys, broken_source):
    assert main(["ingest", "test-broken", "--db", f"sqlite:///{tmp_path / 'f.db'}",
                 "--no-redact"]) == 1
    err = capsys.readouterr().err
    assert err.strip() == "error: VK API: token is missing; set VK_TOKEN"


def test_cli_batch_size_default_is_the_pipelines():
    from feedback_nlp.cli import build_parser
    from feedback_nlp.ingest.pipeline import DEFAULT_BATCH_SIZE

    args = build_parser().parse_args(["ingest", "generic", "x.jsonl"])
    assert args.batch_size == DEFAULT_BATCH_SIZE
