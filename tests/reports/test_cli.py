"""``feedback-nlp report`` in-process: files written, bad input answered with exit status 2."""
from __future__ import annotations

import io
import sys

import pytest

from feedback_nlp.cli import main
from feedback_nlp.progress import progress, progress_enabled
from tests.reports.helpers import SAMPLES


def test_report_command_writes_html_and_xlsx(store_url, tmp_path, capsys):
    assert main(["report", "--period", "2022q2", "--db", store_url[0], "--output", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report-2022Q2.html", "report-2022Q2.xlsx"]
    assert f"written: {tmp_path / 'report-2022Q2.html'}" in out


def test_report_command_for_one_region_from_files(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FEEDBACK_NLP_DB", f"sqlite:///{tmp_path / 'absent.db'}")
    code = main(["-q", "report", "--period", "2022Q2", "--region", "Тверская область", "--output", str(tmp_path),
                 "--survey", str(SAMPLES / "survey.csv"), "--objective", str(SAMPLES / "objective.csv")])
    assert code == 0 and capsys.readouterr().out == ""
    page = (tmp_path / "report-2022Q2-Тверская_область.html").read_text(encoding="utf-8")
    assert "tver-03" in page and "kazan-01" not in page
    assert not (tmp_path / "absent.db").exists()


def test_report_command_verbose_logs_its_steps(store_url, tmp_path, caplog):
    import logging

    with caplog.at_level(logging.DEBUG, logger="feedback_nlp.report"):
        assert main(["-v", "report", "--period", "2022Q2", "--db", store_url[0], "--output", str(tmp_path)]) == 0
    steps = [r.getMessage() for r in caplog.records if r.name == "feedback_nlp.report"]
    assert steps == [f"report step: {s}" for s in ("данные", "индекс", "тексты", "html", "xlsx")]


@pytest.mark.parametrize("args, message", [
    (["--period", "2022Q5"], "must be a quarter"),
    (["--period", "2019Q1"], "no survey answers, objective rows or text mentions"),
    (["--period", "2022Q2", "--region", "Марс"], "no data of this region"),
])
def test_report_command_bad_input(store_url, tmp_path, capsys, args, message):
    assert main(["report", "--db", store_url[0], "--output", str(tmp_path), *args]) == 2
    assert message in capsys.readouterr().err


def test_report_command_without_a_store(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FEEDBACK_NLP_DB", f"sqlite:///{tmp_path / 'absent.db'}")
    assert main(["report", "--period", "2022Q2", "--output", str(tmp_path)]) == 2
    assert "no such store" in capsys.readouterr().err


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("stream, quiet, shown", [
    (Tty(), False, True),
    (Tty(), True, False),        # --quiet
    (io.StringIO(), False, False),  # a pipe or a CI log
])
def test_progress_only_on_a_terminal(stream, quiet, shown):
    assert progress_enabled(quiet, stream) is shown
    bar = progress(range(3), total=3, desc="шаги", quiet=quiet, stream=stream)
    assert list(bar) == [0, 1, 2]
    bar.close()
    assert ("шаги" in stream.getvalue()) is shown


def test_progress_defaults_to_stderr(monkeypatch):
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    assert progress_enabled() is False
