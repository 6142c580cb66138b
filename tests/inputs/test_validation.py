"""Every validation error of the index inputs names file, line, field and value."""
from __future__ import annotations

import pandas as pd
import pytest

from feedback_nlp.errors import InputError
from feedback_nlp.inputs import load_index_inputs, read_table, validate_objective, validate_survey
from scoring.methodology import load_methodology

PILOT = load_methodology("pilot-2022")
CODES = PILOT.indicator_codes
SURVEY_HEADER = "respondent_id,respondent_type,region,center_id,period,indicator,answer\n"
OBJ_HEADER = "region,center_id,period,indicator,fulfilled,required\n"
GOOD = "r1,job_seeker,Тверская область,tver-01,2022Q2,E1,4\n"


def write(tmp_path, text, name="in.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("row, field, value, why", [
    ("r2,job_seeker,Тверская область,tver-01,2022Q2,Z9,4", "indicator", "Z9", "unknown indicator code"),
    ("r2,job_seeker,Тверская область,tver-01,2022Q2,E1,6", "answer", "6", "must be in 1..5"),
    ("r2,job_seeker,Тверская область,tver-01,2022Q2,E1,0", "answer", "0", "must be in 1..5"),
    ("r2,job_seeker,Тверская область,tver-01,2022Q2,E1,3.5", "answer", "3.5", "whole number"),
    ("r2,job_seeker,Тверская область,tver-01,2022Q2,E1,хорошо", "answer", "хорошо", "whole number"),
    ("r2,student,Тверская область,tver-01,2022Q2,E1,4", "respondent_type", "student", "must be one of"),
    ("r2,job_seeker,Тверская область,tver-01,2022-Q2,E1,4", "period", "2022-Q2", "quarter YYYYQn"),
    ("r2,job_seeker,Тверская область,tver-01,2022Q5,E1,4", "period", "2022Q5", "quarter YYYYQn"),
    ("r2,job_seeker,,tver-01,2022Q2,E1,4", "region", "", "required value is empty"),
    ("r1,job_seeker,Тверская область,tver-01,2022Q2,E1,5", "respondent_id", "r1", "answered this indicator twice"),
    ("r1,employer,Тверская область,tver-01,2022Q2,E2,5", "respondent_type", "employer", "another respondent_type"),
])
def test_validation_survey_rejects_bad_rows(tmp_path, row, field, value, why):
    path = write(tmp_path, SURVEY_HEADER + GOOD + row + "\n")
    with pytest.raises(InputError, match=why) as info:
        validate_survey(read_table(path), CODES)
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.field, problem.value) == (str(path), 3, field, value)
    assert str(problem).startswith(f"{path}:3: {field}: ")


def test_validation_duplicate_names_the_first_line(tmp_path):
    path = write(tmp_path, SURVEY_HEADER + GOOD + GOOD)
    with pytest.raises(InputError, match=r"twice \(first at line 2\)"):
        validate_survey(read_table(path), CODES)


@pytest.mark.parametrize("row, field, why", [
    ("Тверская область,tver-01,2022Q2,E1,5,4", "fulfilled", "greater than required"),
    ("Тверская область,tver-01,2022Q2,E1,-1,4", "fulfilled", "must be ≥ 0"),
    ("Тверская область,tver-01,2022Q2,E1,1,-4", "required", "must be ≥ 0"),
    ("Тверская область,tver-01,2022Q2,E1,1.5,4", "fulfilled", "whole number"),
    ("Тверская область,tver-01,2022Q2,E1,1,", "required", "must be a whole number"),
    ("Тверская область,tver-01,2022Q2,E1,1,2", "indicator", "second row for the same center"),
])
def test_validation_objective_rejects_bad_rows(tmp_path, row, field, why):
    path = write(tmp_path, OBJ_HEADER + "Тверская область,tver-01,2022Q2,E1,1,2\n" + row + "\n")
    with pytest.raises(InputError, match=why) as info:
        validate_objective(read_table(path), CODES)
    assert [(p.line, p.field) for p in info.value.problems] == [(3, field)]


def test_validation_missing_columns_are_listed(tmp_path):
    path = write(tmp_path, "region,center_id,period\nA,a,2022Q2\n")
    with pytest.raises(InputError) as info:
        validate_objective(read_table(path), CODES)
    assert [p.field for p in info.value.problems] == ["indicator", "fulfilled", "required"]
    assert all(p.line == 1 and "required column is missing" in p.why for p in info.value.problems)


def test_validation_russian_excel_csv_cp1251_semicolon_and_aliases(tmp_path):
    text = ("respondent_id;respondent_type;region;center_id;period;indicator;answer\r\n"
            "1;Соискатель;Тверская область;tver-01;2022q2;Э1;5\r\n"
            "2;работодатель;Тверская область;tver-01;2022Q2;Д2;4\r\n")
    frame = validate_survey(read_table(write(tmp_path, text, encoding="cp1251")), CODES)
    assert frame.to_dict("list") == {
        "respondent_id": ["1", "2"], "respondent_type": ["job_seeker", "employer"],
        "region": ["Тверская область"] * 2, "center_id": ["tver-01"] * 2, "period": ["2022Q2"] * 2,
        "indicator": ["E1", "D2"], "answer": [5, 4]}


def test_validation_utf8_bom_and_blank_lines_keep_line_numbers(tmp_path):
    path = write(tmp_path, "\ufeff" + SURVEY_HEADER + GOOD + "\n" + "r3,job_seeker,A,a,2022Q2,E1,9\n")
    with pytest.raises(InputError) as info:
        validate_survey(read_table(path), CODES)
    assert [(p.line, p.field) for p in info.value.problems] == [(4, "answer")]


def test_validation_mentions_decimal_comma_with_semicolons(tmp_path):
    path = write(tmp_path, "region;center_id;period;indicator;sentiment\nA;a;2022Q2;L4;-0,5\nA;a;2022Q2;L4;1,5\n")
    with pytest.raises(InputError, match="must be in -1..1") as info:
        load_index_inputs(PILOT, mentions=path)
    assert [(p.line, p.value) for p in info.value.problems] == [(3, "1,5")]


def test_validation_xlsx(tmp_path):
    path = tmp_path / "obj.xlsx"
    pd.DataFrame({"region": ["A", "A"], "center_id": ["a", "a"], "period": ["2022Q2", "2022Q2"],
                  "indicator": ["E1", "E2"], "fulfilled": [3, 7], "required": [4, 5]}).to_excel(path, index=False)
    with pytest.raises(InputError, match="greater than required") as info:
        validate_objective(read_table(path), CODES)
    assert [(p.line, p.field) for p in info.value.problems] == [(3, "fulfilled")]


def test_validation_wrong_field_count_names_the_line(tmp_path):
    path = write(tmp_path, OBJ_HEADER + "A,a,2022Q2,E1,1,2\nA,a,2022Q2,E2,1\n")
    with pytest.raises(InputError, match="5 fields, the header has 6") as info:
        read_table(path)
    assert info.value.problems[0].line == 3


@pytest.mark.parametrize("content, why", [
    (b"", "empty file"),
    (b"\x00\x01\x02binary", "binary file"),
])
def test_validation_unreadable_files(tmp_path, content, why):
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=why):
        read_table(path)


def test_validation_many_problems_are_counted_after_fifty(tmp_path):
    rows = "".join(f"r{i},job_seeker,A,a,2022Q2,E1,7\n" for i in range(120))
    with pytest.raises(InputError) as info:
        validate_survey(read_table(write(tmp_path, SURVEY_HEADER + rows)), CODES)
    message = str(info.value)
    assert message.count("\n") == 50
    assert message.endswith("… and 70 more problems (120 in all)")


def test_validation_problems_of_all_files_are_reported_together(tmp_path):
    survey = write(tmp_path, SURVEY_HEADER + "r1,job_seeker,A,a,2022Q2,E1,9\n", "s.csv")
    obj = write(tmp_path, OBJ_HEADER + "A,a,2022Q2,X1,1,2\n", "o.csv")
    with pytest.raises(InputError) as info:
        load_index_inputs(PILOT, survey=survey, objective=obj)
    assert [(p.file, p.field) for p in info.value.problems] == [(str(survey), "answer"), (str(obj), "indicator")]
