"""Index input readers and validators on broken files: a frame or an InputError with a reason."""
from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

from feedback_nlp.codes import INDICATORS
from feedback_nlp.errors import InputError
from feedback_nlp.inputs import read_table, validate_mentions, validate_objective, validate_survey
from tests.fuzz.bounds import bounded
from tests.fuzz.strategies import SAMPLES, broken_file

MENTIONS = "region,center_id,period,indicator,sentiment\nТверская область,tver-01,2022Q2,D2,-0.5\n" \
           "Тверская область,tver-02,2022Q2,E1,0.75\n"
VALIDATORS = {
    "survey": (lambda t: validate_survey(t, INDICATORS), (SAMPLES / "survey.csv").read_bytes()),
    "objective": (lambda t: validate_objective(t, INDICATORS), (SAMPLES / "objective.csv").read_bytes()),
    "mentions": (lambda t: validate_mentions(t, INDICATORS), MENTIONS.encode()),
}
# a failing example with a huge field is reported all the same; only its repr is large
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning")
FUZZ = settings(max_examples=25, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def read_and_validate(name: str, suffix: str, data: bytes) -> None:
    validate, _ = VALIDATORS[name]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"{name}{suffix}"
        path.write_bytes(data)
        with bounded():
            try:
                frame = validate(read_table(path))
            except InputError as exc:
                assert exc.problems and all(p.why.strip() for p in exc.problems)
                assert str(path) in str(exc)  # the message names the file
                return
    assert isinstance(frame, pd.DataFrame)


def as_xlsx(data: bytes) -> bytes:
    """A workbook of the CSV ``data`` (so the damage lands inside cells), or the bytes themselves."""
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False)
        out = io.BytesIO()
        frame.to_excel(out, index=False)
        return out.getvalue()
    except Exception:  # unparseable CSV: the raw bytes make a broken workbook instead
        return data


@pytest.mark.parametrize("name", VALIDATORS)
def test_csv_reader_and_validator_survive_broken_files(name):
    @FUZZ
    @given(data=broken_file(VALIDATORS[name][1]))
    def run(data):
        read_and_validate(name, ".csv", data)

    run()


@pytest.mark.parametrize("name", VALIDATORS)
def test_xlsx_reader_and_validator_survive_broken_files(name):
    @settings(FUZZ, max_examples=10)
    @given(data=broken_file(VALIDATORS[name][1]))
    def run(data):
        read_and_validate(name, ".xlsx", as_xlsx(data))

    run()


HEADER = b"region,center_id,period,indicator,sentiment\n"
EDGE_TABLES = {
    "huge-header-field": b'"' + b"x" * 200_000 + b'",b\n1,2\n',
    "nul-past-sniffed-head": HEADER + b"a,b,2022Q2,D2,0.1\n" * 400 + b"a,\x00b,2022Q2,D2,0.1\n",
    "huge-quoted-cell-bad-row": HEADER + b'a,"' + b"y" * 200_000 + b'",2022Q2\n',
    "utf16": MENTIONS.encode("utf-16"),
    "only-controls": b"\x01\x02\x03\x1b[0m\n",
}


@pytest.mark.parametrize("name", EDGE_TABLES)
def test_csv_reader_edge_files_are_rejected_with_a_reason(name):
    read_and_validate("mentions", ".csv", EDGE_TABLES[name])
