"""Stored survey/objective rows, the data version, and text mentions from the store."""
from __future__ import annotations

from datetime import datetime, timezone

import pandas as pd
import pytest

from feedback_nlp.errors import InputError
from feedback_nlp.mentions import mentions_from_store, quarter_bounds
from feedback_nlp.schema import Feedback
from feedback_nlp.store import Correction, add_correction, item_id, open_store, save_predictions
from feedback_nlp.store.index_data import (
    data_version, load_objective, load_survey, save_objective, save_survey,
)
from feedback_nlp.store.items import insert_items


@pytest.fixture
def store(tmp_path):
    s = open_store(f"sqlite:///{tmp_path / 'store.db'}")
    yield s
    s.close()


SURVEY = pd.DataFrame({"respondent_id": ["r1", "r1", "r2"], "respondent_type": ["job_seeker", "job_seeker", "employer"],
                       "region": ["R", "R", "R"], "center_id": ["c1", "c1", "c1"],
                       "period": ["2022Q2", "2022Q2", "2022Q3"], "indicator": ["E1", "D2", "E1"],
                       "answer": [4, 5, 2]})
OBJECTIVE = pd.DataFrame({"region": ["R"], "center_id": ["c1"], "period": ["2022Q2"], "indicator": ["E1"],
                          "fulfilled": [3], "required": [4]})


def test_survey_and_objective_round_trip_and_upsert(store):
    assert save_survey(store, SURVEY, "op") == 3
    assert save_objective(store, OBJECTIVE, "op") == 1
    pd.testing.assert_frame_equal(load_survey(store), SURVEY.astype({"answer": "int64"}).astype(
        {c: object for c in SURVEY.columns if c != "answer"}))
    assert load_survey(store, "2022Q3")["respondent_id"].tolist() == ["r2"]
    changed = SURVEY.iloc[[0]].assign(answer=1)
    save_survey(store, changed)
    assert sorted(load_survey(store, "2022Q2")["answer"].tolist()) == [1, 5]  # replaced, not added
    assert load_objective(store)[["fulfilled", "required"]].values.tolist() == [[3, 4]]
    assert load_objective(store).dtypes["fulfilled"] == "int64"


def test_empty_store_loads_empty_frames_with_the_columns(store):
    assert list(load_survey(store).columns) == list(SURVEY.columns)
    assert load_objective(store, "2022Q2").empty


def feedback_row(n: int, created: datetime | None, region="R", center="c1", duplicate_of=None) -> dict:
    return {"id": item_id("s", str(n)), "source_kind": "social", "source": "s", "external_id": str(n),
            "text": f"текст {n}", "text_hash": f"h{n}", "created_at": created, "region": region,
            "center_id": center, "language": "ru", "metadata": {}, "flags": [], "pii": {},
            "duplicate_of": duplicate_of, "ingested_at": datetime.now(timezone.utc)}


def prediction(relevant: bool, *aspects: tuple[str, float]) -> dict:
    return {"relevant": relevant, "aspects": [{"indicator": i, "sentiment": s} for i, s in aspects]}


def test_mentions_take_the_latest_prediction_of_attributed_originals_in_the_quarter(store):
    may, july = datetime(2022, 5, 1, tzinfo=timezone.utc), datetime(2022, 7, 1, tzinfo=timezone.utc)
    rows = [feedback_row(1, may), feedback_row(2, may), feedback_row(3, july), feedback_row(4, may, region=None),
            feedback_row(5, may, duplicate_of=item_id("s", "1")), feedback_row(6, may), feedback_row(7, None)]
    with store.engine.begin() as conn:
        insert_items(conn, rows, [])
    ids = [r["id"] for r in rows]
    save_predictions(store, "m", "1", [(i, prediction(True, ("D2", -0.5))) for i in ids])
    save_predictions(store, "m", "2", [(ids[0], prediction(True, ("D2", 0.5), ("L4", -1.0))),
                                       (ids[1], prediction(False))])
    frame = mentions_from_store(store, "2022q2")
    assert frame.values.tolist() == [["R", "c1", "2022Q2", "D2", 0.5], ["R", "c1", "2022Q2", "L4", -1.0],
                                     ["R", "c1", "2022Q2", "D2", -0.5]]
    add_correction(store, Correction(ids[5], "meth", "methodologist",
                                     {"relevant": True, "labels": [{"indicator": "K1", "polarity": 1}]}, "x"))
    assert mentions_from_store(store, "2022Q2").values.tolist()[-1] == ["R", "c1", "2022Q2", "K1", 1.0]
    assert mentions_from_store(store, "2022Q3")["indicator"].tolist() == ["D2"]
    assert mentions_from_store(store, "2021Q1").empty


def test_mentions_open_a_url_too(tmp_path):
    url = f"sqlite:///{tmp_path / 'u.db'}"
    assert list(mentions_from_store(url, "2022Q2").columns) == ["region", "center_id", "period", "indicator",
                                                                "sentiment"]


def test_data_version_changes_with_every_kind_of_data(store):
    versions = [data_version(store)]
    save_survey(store, SURVEY)
    versions.append(data_version(store))
    with store.engine.begin() as conn:
        insert_items(conn, [feedback_row(1, None)], [])
    versions.append(data_version(store))
    save_predictions(store, "m", "1", [(item_id("s", "1"), prediction(False))])
    versions.append(data_version(store))
    add_correction(store, Correction(item_id("s", "1"), "a", "admin", {"relevant": False, "labels": []}))
    versions.append(data_version(store))
    assert versions == ["0-0-0-0", "1-0-0-0", "1-1-0-0", "1-1-1-0", "1-1-1-1"]


@pytest.mark.parametrize("period,bounds", [
    ("2022Q1", (datetime(2022, 1, 1), datetime(2022, 4, 1))),
    ("2022Q4", (datetime(2022, 10, 1), datetime(2023, 1, 1))),
])
def test_quarter_bounds(period, bounds):
    assert quarter_bounds(period) == tuple(b.replace(tzinfo=timezone.utc) for b in bounds)


@pytest.mark.parametrize("period", ["2022", "2022Q5", "0000Q1", "9999Q4", "abcdQ1", "2022-Q1"])
def test_bad_quarters(period):
    with pytest.raises(InputError, match="must be a quarter YYYYQn"):
        quarter_bounds(period)
