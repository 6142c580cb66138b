from __future__ import annotations

import io

import pandas as pd
import pytest

from feedback_nlp.errors import InputError
from feedback_nlp.inputs import load_index_inputs
from scoring.methodology import load_methodology
from tests.api.conftest import REGION, SAMPLES, auth, problem

BAD_SURVEY = ("respondent_id,respondent_type,region,center_id,period,indicator,answer\n"
              f"r1,job_seeker,{REGION},tver-01,2022Q2,E1,7\n"
              f"r2,безработный,{REGION},tver-01,2022Q5,X1,3\n")


def upload(client, key, route, name, content, media="text/csv"):
    return client.post(route, files={"file": (name, content, media)}, headers=auth(key))


def test_admin_uploads_the_sample_files(client, keys):
    response = upload(client, keys["admin"], "/v1/surveys", "survey.csv", (SAMPLES / "survey.csv").read_bytes())
    assert response.status_code == 200
    body = response.json()
    assert (body["rows"], body["file"], body["periods"]) == (6135, "survey.csv", ["2022Q2"])
    assert body["regions"] == ["Новосибирская область", "Республика Татарстан", "Свердловская область", REGION]
    response = upload(client, keys["admin"], "/v1/objective", "obj.csv", (SAMPLES / "objective.csv").read_bytes())
    assert response.status_code == 200 and response.json()["rows"] == 167


def test_upload_errors_are_the_clis(client, keys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD_SURVEY, encoding="utf-8")
    with pytest.raises(InputError) as cli:
        load_index_inputs(load_methodology(), survey=path)
    expected = [{"file": "bad.csv", "line": p.line, "field": p.field, "value": p.value, "why": p.why}
                for p in cli.value.problems]
    body = problem(upload(client, keys["region_operator"], "/v1/surveys", "bad.csv", BAD_SURVEY.encode()), 422)
    assert body["errors"] == expected
    assert [(e["line"], e["field"]) for e in body["errors"]] == \
        [(2, "answer"), (3, "indicator"), (3, "period"), (3, "respondent_type")]
    assert body["detail"] == "bad.csv: 4 problem(s); nothing was stored"


@pytest.mark.parametrize("content,why", [
    (b"", "empty file, expected a header row"),
    (b"region,center_id\n", "required column is missing (found: region, center_id)"),
    (b"\x00\x01binary", "binary file, expected CSV text or XLSX"),
])
def test_unreadable_uploads_are_422(client, keys, content, why):
    body = problem(upload(client, keys["admin"], "/v1/objective", "x.csv", content), 422)
    assert body["errors"][0]["why"] == why
    assert body["errors"][0]["file"] == "x.csv"


def test_region_operator_cannot_upload_other_regions(client, keys):
    body = problem(upload(client, keys["region_operator"], "/v1/objective", "objective.csv",
                          (SAMPLES / "objective.csv").read_bytes()), 403)
    assert body["detail"].startswith(f"this key may upload only rows of {REGION}; 114 row(s) are of "
                                     "Новосибирская область, Республика Татарстан, Свердловская область")
    first = body["errors"][0]
    frame = pd.read_csv(SAMPLES / "objective.csv")
    line = int(frame.index[frame["region"] != REGION][0]) + 2
    assert first == {"file": "objective.csv", "line": line, "field": "region", "value": frame["region"][line - 2],
                     "why": f"not the region of this key ({REGION})"}
    index = client.get("/v1/index?period=2022Q2", headers=auth(keys["analyst"])).json()
    assert index["centers"] == []  # nothing was stored


def test_region_operator_uploads_its_region_as_xlsx(client, keys):
    frame = pd.read_csv(SAMPLES / "objective.csv")
    buffer = io.BytesIO()
    frame[frame["region"] == REGION].to_excel(buffer, index=False)
    media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = upload(client, keys["region_operator"], "/v1/objective", "tver.xlsx", buffer.getvalue(), media)
    assert response.status_code == 200, response.text
    assert response.json()["rows"] == 53 and response.json()["regions"] == [REGION]


def test_reupload_replaces_rows(client, keys):
    head = "region,center_id,period,indicator,fulfilled,required\n"
    upload(client, keys["admin"], "/v1/objective", "a.csv", f"{head}{REGION},tver-01,2022Q2,E1,1,4\n".encode())
    upload(client, keys["admin"], "/v1/objective", "a.csv", f"{head}{REGION},tver-01,2022Q2,E1,3,4\n".encode())
    index = client.get("/v1/index?period=2022Q2", headers=auth(keys["analyst"])).json()
    assert index["centers"][0]["indicators"]["E1"]["objective"] == 0.75


def test_upload_without_file_is_422(client, keys):
    body = problem(client.post("/v1/surveys", headers=auth(keys["admin"])), 422)
    assert body["errors"][0]["field"] == "body.file"
