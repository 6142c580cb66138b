"""Both notebooks run top to bottom on the sample data (nbclient, a fresh python3 kernel each)."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"
NAMES = ["content_analysis.ipynb", "index_audit.ipynb"]


def stream_text(nb: nbformat.NotebookNode) -> str:
    return "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                   if o.output_type == "stream")


def execute(name: str, cwd: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return nb


@pytest.mark.parametrize("name", NAMES)
def test_notebooks_are_stored_without_outputs(name):
    nb = nbformat.read(NOTEBOOKS / name, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert code and all(c.outputs == [] and c.execution_count is None for c in code)
    assert nb.metadata.kernelspec.name == "python3"


@pytest.mark.slow
def test_content_analysis_runs_on_the_samples(tmp_path, monkeypatch):
    monkeypatch.delenv("FEEDBACK_NLP_DB", raising=False)
    nb = execute("content_analysis.ipynb", tmp_path)
    text = stream_text(nb)
    assert "хранилище: sqlite:///" in text and "отзывов: " in text
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs)      # the charts were drawn
    assert any("<mark" in o.get("data", {}).get("text/html", "") for o in outputs)  # highlighted drill-down


@pytest.mark.slow
def test_index_audit_reproduces_the_engine(tmp_path, monkeypatch):
    for name in ("FEEDBACK_NLP_DB", "FEEDBACK_NLP_PERIOD", "FEEDBACK_NLP_CENTER", "FEEDBACK_NLP_METHODOLOGY",
                 "FEEDBACK_NLP_SURVEY", "FEEDBACK_NLP_OBJECTIVE"):
        monkeypatch.delenv(name, raising=False)
    text = stream_text(execute("index_audit.ipynb", tmp_path))
    assert "совпадает: индекс" in text  # the last cell asserts manual == compute_index


@pytest.mark.slow
def test_index_audit_on_a_store_of_ones_own(tmp_path, monkeypatch):
    """Parameters by environment: another store, period and center (the text part counted)."""
    from tests.reports.helpers import SAMPLES, make_store

    url, _ = make_store(tmp_path / "own.db", uploads=False)
    monkeypatch.setenv("FEEDBACK_NLP_DB", url)
    monkeypatch.setenv("FEEDBACK_NLP_PERIOD", "2022Q2")
    monkeypatch.setenv("FEEDBACK_NLP_CENTER", "tver-01")
    monkeypatch.setenv("FEEDBACK_NLP_SURVEY", str(SAMPLES / "survey.csv"))
    monkeypatch.setenv("FEEDBACK_NLP_OBJECTIVE", str(SAMPLES / "objective.csv"))
    text = stream_text(execute("index_audit.ipynb", tmp_path))
    assert "центр: Тверская область / tver-01" in text and "совпадает: индекс" in text
