import json

from feedback_nlp.cli import main


def test_cli_classify_skips_bad_lines_keeps_order(tmp_path, capsys):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "x1", "text": "в цзн нахамили", "source": "social"}, ensure_ascii=False),
        "{not json",
        json.dumps({"id": "x2", "text": 5}),
        json.dumps({"id": "x3", "text": "Сдаю квартиру у метро"}, ensure_ascii=False),
        json.dumps({"id": "x4", "text": ""}),
    ]) + "\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["classify", "--input", str(src), "--output", str(out)]) == 0
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in rows] == ["x1", "x3", "x4"]
    assert set(rows[0]) == {"id", "relevant", "relevance", "general", "sentiment", "polarity", "aspects", "model"}
    err = capsys.readouterr().err
    assert f"{src}:2:" in err and f"{src}:3: text: 5" in err


def test_cli_classify_missing_input(tmp_path, capsys):
    assert main(["classify", "--input", str(tmp_path / "nope.jsonl")]) == 2
    assert "nope.jsonl: no such file" in capsys.readouterr().err


def test_cli_explain(capsys):
    assert main(["explain", "Консультант вежливая, но очередь два часа"]) == 0
    out = capsys.readouterr().out
    assert "D2.вежливость" in out and "«вежливая» [12:20]" in out and "clauses:" in out


def test_cli_explain_negation_and_sarcasm(capsys):
    assert main(["explain", "Ну спасибо, в ЦЗН не приняли. Отличный сервис"]) == 0
    out = capsys.readouterr().out
    assert "negated words: приняли" in out and "sarcasm: praise read as negative: спасибо, Отличный" in out


def test_cli_evaluate_with_corrections(tmp_path, capsys):
    data = tmp_path / "lab.jsonl"
    data.write_text(json.dumps({"id": "e1", "source": "review", "text": "в цзн нахамили", "relevant": True,
                                "labels": [{"indicator": "D2", "polarity": -1}], "general": None},
                               ensure_ascii=False) + "\n", encoding="utf-8")
    fixes = tmp_path / "fix.jsonl"
    fixes.write_text(json.dumps({"id": "e1", "text": "в цзн нахамили", "relevant": True,
                                 "labels": [{"indicator": "D2", "polarity": -1}], "general": None,
                                 "author": "methodologist", "reason": "check"}, ensure_ascii=False) + "\n",
                     encoding="utf-8")
    assert main(["evaluate", "--input", str(data), "--report", str(tmp_path / "r"),
                 "--corrections", str(fixes)]) == 0
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "## Agreement with corrections" in report and "1 corrections: relevance 1.000" in report


def test_cli_classify_store_mode_unclassified_then_all(tmp_path, capsys):
    from feedback_nlp.store import list_predictions, open_store

    src = tmp_path / "items.jsonl"
    src.write_text("\n".join(json.dumps({"id": f"s{i}", "text": t}, ensure_ascii=False) for i, t in enumerate([
        "Консультант вежливая, но очередь два часа", "Сдаю квартиру у метро"])) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["ingest", "generic", str(src), "--db", db, "--rejects", str(tmp_path / "rej.jsonl")]) == 0
    capsys.readouterr()
    assert main(["classify", "--db", db]) == 0
    assert "classified 2 stored items" in capsys.readouterr().err
    assert main(["classify", "--db", db]) == 0
    assert "classified 0 stored items" in capsys.readouterr().err
    assert main(["classify", "--db", db, "--all"]) == 0
    assert "classified 2 stored items" in capsys.readouterr().err
    stored = list_predictions(open_store(db))
    assert len(stored) == 4
    first = next(p.prediction for p in stored if p.prediction["relevant"])
    assert sorted(a["indicator"] for a in first["aspects"]) == ["D2", "L4"]


def test_cli_classify_output_needs_input(tmp_path, capsys):
    assert main(["classify", "--db", f"sqlite:///{tmp_path / 's.db'}", "--output", str(tmp_path / "o.jsonl")]) == 2
    assert "--output needs --input" in capsys.readouterr().err
