from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from feedback_nlp.cli import main
from feedback_nlp.demo import sample_path

SURVEY, OBJECTIVE = sample_path("survey.csv"), sample_path("objective.csv")


def index_args(*extra):
    return ["index", "--survey", str(SURVEY), "--objective", str(OBJECTIVE), "--period", "2022Q2", *extra]


def test_cli_index_json_to_stdout(capsys):
    assert main(index_args()) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["methodology"] == "pilot-2022" and doc["period"] == "2022Q2"
    assert len(doc["centers"]) == 10
    assert [r["rank"] for r in doc["regions"]] == [1, 2, 3, None]
    assert doc["regions"][-1]["region"] == "Свердловская область"
    assert doc["regions"][-1]["flags"] == ["insufficient_sample"]


def test_cli_index_csv_and_xlsx_agree_with_json(tmp_path, capsys):
    assert main(index_args("--output", str(tmp_path / "i.json"))) == 0
    assert main(index_args("--output", str(tmp_path / "i.csv"))) == 0
    assert main(index_args("--output", str(tmp_path / "i.xlsx"))) == 0
    doc = json.loads((tmp_path / "i.json").read_text(encoding="utf-8"))
    flat = pd.read_csv(tmp_path / "i.csv")
    centers = flat[flat["level"] == "center"].set_index("center_id")
    for c in doc["centers"]:
        assert centers.loc[c["center_id"], "index"] == pytest.approx(c["index"], abs=1e-9)
        assert centers.loc[c["center_id"], "E1"] == pytest.approx(c["indicators"]["E1"]["coefficient"], abs=1e-9)
    rating = pd.read_excel(tmp_path / "i.xlsx", sheet_name="rating")
    assert rating["region"].tolist() == [r["region"] for r in doc["regions"]]
    with pd.ExcelFile(tmp_path / "i.xlsx") as book:
        assert set(book.sheet_names) == {"rating", "centers", "indicators", "methodology"}


def test_cli_index_equal_weights_methodology(capsys):
    assert main(index_args("--methodology", "equal-weights")) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["methodology"] == "equal-weights" and doc["maximum"] == pytest.approx(8)


def test_cli_index_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    bad = tmp_path / "survey.csv"
    bad.write_text(SURVEY.read_text(encoding="utf-8") + "r9,job_seeker,A,a,2022Q2,E1,8\n", encoding="utf-8")
    out = tmp_path / "out.json"
    assert main(["index", "--survey", str(bad), "--objective", str(OBJECTIVE), "--period", "2022Q2",
                 "--output", str(out)]) == 2
    err = capsys.readouterr().err
    lines = len(SURVEY.read_text(encoding="utf-8").splitlines()) + 1
    assert f"{bad}:{lines}: answer: '8' — must be in 1..5" in err
    assert not out.exists()


@pytest.mark.parametrize("extra, message", [
    (("--period", "2022-2"), "must be a quarter"),
    (("--methodology", "nope"), "no such methodology"),
])
def test_cli_index_bad_arguments_exit_2(capsys, extra, message):
    args = index_args()
    args[args.index("--period"):args.index("--period") + 2] = []
    assert main(args + (list(extra) if extra[0] != "--methodology" else ["--period", "2022Q2", *extra])) == 2
    assert message in capsys.readouterr().err


def test_cli_console_script_runs_demo(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "feedback_nlp.cli", "demo", "--workdir", str(tmp_path)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "Тверская область" in proc.stdout
    doc = json.loads((tmp_path / "index-2024Q2.json").read_text(encoding="utf-8"))
    assert len(doc["regions"]) == 4
    # the classified sample feedback reached the index as text mentions
    assert sum(i["mentions"] for c in doc["centers"] for i in c["indicators"].values()) > 300
    assert any("text_only" in i["flags"] or i["text"] is not None
               for c in doc["centers"] for i in c["indicators"].values())
