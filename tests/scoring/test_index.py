"""Hand-computed cases of METHODOLOGY.md §3–4 (pilot-2022: α = 0.3, m = 5, min_mentions = 5)."""
from __future__ import annotations

import dataclasses

import pytest

from scoring.index import compute_index
from scoring.methodology import load_methodology
from tests.scoring.conftest import PERIOD, make_inputs, survey_rows

R, C = "Тверская область", "tver-01"


def _all_max(region=R, center=C, respondents=100, employer_every=5, pilot=None):
    rows, obj = [], []
    for code in pilot.indicator_codes:
        rows += survey_rows(region, center, code, [5] * respondents, employer_every=employer_every)
        obj.append((region, center, PERIOD, code, 4, 4))
    return rows, obj


def _center(result):
    return result.to_dict()["centers"][0]


def test_index_seed_worked_example_everything_at_maximum_is_10(pilot):
    rows, obj = _all_max(pilot=pilot)
    doc = compute_index(make_inputs(rows, obj), pilot, PERIOD).to_dict()
    center = doc["centers"][0]
    assert center["index"] == pytest.approx(10, abs=1e-12)
    assert center["groups"] == pytest.approx({"E": 6, "D": 12, "P": 6, "K": 8, "L": 18})
    assert doc["regions"] == [{"region": R, "index": pytest.approx(10), "rank": 1, "centers": 1,
                               "respondents": 100, "employers": 20, "flags": []}]
    assert (doc["methodology"], doc["period"], doc["maximum"]) == ("pilot-2022", PERIOD, 10)
    assert doc["methodology_hash"] == pilot.content_hash


def test_index_objective_only_is_partial_and_others_missing(pilot):
    center = _center(compute_index(make_inputs(objective=[(R, C, PERIOD, "E1", 3, 4)]), pilot, PERIOD))
    e1 = center["indicators"]["E1"]
    assert e1 == {"coefficient": pytest.approx(1.5), "objective": 0.75, "survey": None, "text": None,
                  "client": None, "mentions": 0, "flags": ["partial"]}
    assert center["indicators"]["E2"]["flags"] == ["missing"]
    assert center["indicators"]["E2"]["coefficient"] == 0
    assert center["groups"]["E"] == pytest.approx(1.5)
    assert center["index"] == pytest.approx(0.3)


def test_index_survey_only_is_partial_and_likert_maps_to_unit_interval(pilot):
    rows = survey_rows(R, C, "D2", [5, 3, 1, 4])
    center = _center(compute_index(make_inputs(rows), pilot, PERIOD))
    d2 = center["indicators"]["D2"]
    assert d2["survey"] == pytest.approx(0.5625)
    assert d2["client"] == pytest.approx(0.5625)
    assert d2["coefficient"] == pytest.approx(0.5625 * 3)
    assert d2["flags"] == ["partial"]
    assert center["groups"]["D"] == pytest.approx(1.5 * 0.5625 * 3)
    assert center["index"] == pytest.approx(1.5 * 0.5625 * 3 / 5)


def test_index_blends_survey_and_smoothed_text(pilot):
    sentiments = [1, 1, 1, -1, 0, 0.5]
    mentions = [(R, C, PERIOD, "K1", s) for s in sentiments]
    result = compute_index(make_inputs(survey_rows(R, C, "K1", [4, 4]), [(R, C, PERIOD, "K1", 1, 2)], mentions),
                           pilot, PERIOD)
    k1 = _center(result)["indicators"]["K1"]
    text = (4.25 + 5 * 0.5) / (6 + 5)
    client = 0.7 * 0.75 + 0.3 * text
    assert k1["text"] == pytest.approx(text, abs=1e-12)
    assert k1["client"] == pytest.approx(client, abs=1e-12)
    assert k1["coefficient"] == pytest.approx((0.5 + client) / 2 * 3, abs=1e-12)
    assert k1["mentions"] == 6
    assert k1["flags"] == []


def test_index_too_few_mentions_are_reported_not_used(pilot):
    mentions = [(R, C, PERIOD, "L4", -1)] * 4
    l4 = _center(compute_index(make_inputs(mentions=mentions), pilot, PERIOD))["indicators"]["L4"]
    assert l4 == {"coefficient": 0.0, "objective": None, "survey": None, "text": None, "client": None,
                  "mentions": 4, "flags": ["missing"]}


@pytest.mark.parametrize("objective, coefficient, flags", [
    ([(R, C, PERIOD, "L6", 2, 2)], (1 + 0.75) / 2 * 2, ["text_only"]),
    ([], 0.75 * 2, ["partial", "text_only"]),
])
def test_index_text_only_client_assessment(pilot, objective, coefficient, flags):
    mentions = [(R, C, PERIOD, "L6", 1)] * 5
    l6 = _center(compute_index(make_inputs(objective=objective, mentions=mentions), pilot, PERIOD))["indicators"]["L6"]
    assert l6["text"] == pytest.approx(0.75)
    assert l6["coefficient"] == pytest.approx(coefficient)
    assert l6["flags"] == flags


def test_index_objective_with_zero_required_does_not_count(pilot):
    center = _center(compute_index(make_inputs(objective=[(R, C, PERIOD, "E1", 0, 0)]), pilot, PERIOD))
    assert center["indicators"]["E1"]["flags"] == ["missing"]
    assert center["indicators"]["E1"]["objective"] is None


@pytest.mark.parametrize("respondents, employer_every, flagged", [
    (100, 5, False),   # 100 respondents, 20 employers: the minimum exactly
    (99, 5, True),     # one respondent short
    (100, 6, True),    # 17 employers
])
def test_index_survey_minimum_sample(pilot, respondents, employer_every, flagged):
    rows = survey_rows(R, C, "E1", [4] * respondents, employer_every=employer_every)
    region = compute_index(make_inputs(rows), pilot, PERIOD).to_dict()["regions"][0]
    assert region["flags"] == (["insufficient_sample"] if flagged else [])
    assert region["rank"] == (None if flagged else 1)


def test_index_respondents_counted_once_across_indicators_and_per_center(pilot):
    rows = (survey_rows(R, "a", "E1", [5] * 60, employer_every=3) + survey_rows(R, "a", "E2", [5] * 60, employer_every=3)
            + survey_rows(R, "b", "E1", [5] * 40, employer_every=4))
    region = compute_index(make_inputs(rows), pilot, PERIOD).to_dict()["regions"][0]
    # respondent ids r0.. repeat in centers a and b: they are different people
    assert (region["respondents"], region["employers"]) == (100, 20 + 10)


def test_index_region_is_mean_of_centers_and_rating_puts_insufficient_last(pilot):
    def region_rows(region, answer, n, start):
        rows = []
        for center in ("x", "y"):
            rows += survey_rows(region, f"{region}-{center}", "E1", [answer] * n, start=start, employer_every=2)
        return rows

    rows = region_rows("A", 3, 50, 0) + region_rows("B", 4, 50, 0) + region_rows("C", 5, 10, 0)
    rows += survey_rows("A", "A-z", "E1", [5] * 10, employer_every=2)
    doc = compute_index(make_inputs(rows), pilot, PERIOD).to_dict()
    by_region = {r["region"]: r for r in doc["regions"]}
    assert [r["region"] for r in doc["regions"]] == ["B", "A", "C"]
    assert [r["rank"] for r in doc["regions"]] == [1, 2, None]
    a_centers = [c["index"] for c in doc["centers"] if c["region"] == "A"]
    assert by_region["A"]["index"] == pytest.approx(sum(a_centers) / 3)
    assert by_region["A"]["centers"] == 3
    assert by_region["C"]["flags"] == ["insufficient_sample"]


def test_index_equal_rank_for_equal_index(pilot):
    rows = survey_rows("A", "a1", "E1", [4] * 100, employer_every=2) + survey_rows("B", "b1", "E1", [4] * 100,
                                                                                   employer_every=2)
    assert [r["rank"] for r in compute_index(make_inputs(rows), pilot, PERIOD).to_dict()["regions"]] == [1, 1]


def test_index_ignores_rows_of_other_periods(pilot):
    rows = survey_rows(R, C, "E1", [1] * 3) + survey_rows(R, C, "E1", [5] * 3, start=10, period="2022Q3")
    doc = compute_index(make_inputs(rows, [(R, "other", "2022Q3", "E1", 1, 1)]), pilot, PERIOD).to_dict()
    assert [c["center_id"] for c in doc["centers"]] == [C]
    assert doc["centers"][0]["indicators"]["E1"]["survey"] == 0


def test_index_equal_weights_removes_the_pilot_multipliers(pilot):
    rows = survey_rows(R, C, "D1", [4, 5]) + survey_rows(R, C, "L1", [2, 3]) + survey_rows(R, C, "E1", [3])
    obj = [(R, C, PERIOD, "K1", 1, 3)]
    inputs = make_inputs(rows, obj)
    a = _center(compute_index(inputs, pilot, PERIOD))
    b = _center(compute_index(inputs, load_methodology("equal-weights"), PERIOD))
    assert b["groups"]["D"] == pytest.approx(a["groups"]["D"] / 1.5)
    assert b["groups"]["L"] == pytest.approx(a["groups"]["L"] / 1.5)
    for g in "EPK":
        assert b["groups"][g] == pytest.approx(a["groups"][g])
    assert b["index"] < a["index"]


def test_index_weighted_by_respondents_and_center_sample_unit(pilot):
    rows = survey_rows(R, "a", "E1", [5] * 30, employer_every=2) + survey_rows(R, "b", "E1", [1] * 10,
                                                                               employer_every=2)
    weighted = dataclasses.replace(pilot, region_aggregation="respondents", min_respondents=20, min_employers=5,
                                   sample_unit="center")
    doc = compute_index(make_inputs(rows), weighted, PERIOD).to_dict()
    a, b = doc["centers"]
    assert a["flags"] == [] and b["flags"] == ["insufficient_sample"]
    # only the center with a valid sample enters its region
    assert doc["regions"][0]["index"] == pytest.approx(a["index"])
    both_ok = dataclasses.replace(weighted, min_respondents=1, min_employers=1)
    doc = compute_index(make_inputs(rows), both_ok, PERIOD).to_dict()
    a, b = doc["centers"]
    assert doc["regions"][0]["index"] == pytest.approx((30 * a["index"] + 10 * b["index"]) / 40)
