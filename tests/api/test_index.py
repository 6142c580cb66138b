from __future__ import annotations

import yaml

from feedback_nlp.inputs import load_index_inputs
from scoring.index import compute_index
from scoring.methodology import METHODOLOGY_DIR, load_methodology
from tests.api.conftest import REGION, SAMPLES, auth, item, problem

RUDE = ["В ЦЗН мне грубо ответили", "Инспектор грубо разговаривала со мной", "Грубо и с раздражением",
        "Охранник центра занятости грубо выгнал", "Грубость, а не помощь", "Опять грубо, как всегда"]


def load_samples(client, key):
    for route, name in (("/v1/surveys", "survey.csv"), ("/v1/objective", "objective.csv")):
        response = client.post(route, files={"file": (name, (SAMPLES / name).read_bytes(), "text/csv")},
                               headers=auth(key))
        assert response.status_code == 200, response.text


def get_index(client, key, query="period=2022Q2"):
    response = client.get(f"/v1/index?{query}", headers=auth(key))
    assert response.status_code == 200, response.text
    return response.json()


def test_index_equals_the_cli_on_the_same_files(client, keys):
    load_samples(client, keys["admin"])
    for name in ("pilot-2022", "equal-weights"):
        methodology = load_methodology(name)
        inputs = load_index_inputs(methodology, survey=SAMPLES / "survey.csv", objective=SAMPLES / "objective.csv")
        expected = compute_index(inputs, methodology, "2022Q2").to_dict()
        got = get_index(client, keys["analyst"], f"period=2022Q2&methodology={name}")
        assert got.pop("data_version")
        assert got == expected
    ratings = client.get("/v1/ratings?period=2022Q2", headers=auth(keys["methodologist"])).json()
    assert [(r["region"], r["rank"]) for r in ratings["regions"]] == [
        (REGION, 1), ("Республика Татарстан", 2), ("Новосибирская область", 3), ("Свердловская область", None)]
    assert ratings["methodology"] == "pilot-2022" and ratings["period"] == "2022Q2"


def test_index_filters_by_region_and_center(client, keys):
    load_samples(client, keys["admin"])
    whole = get_index(client, keys["analyst"])
    tver = get_index(client, keys["analyst"], f"period=2022Q2&region={REGION}")
    assert {c["region"] for c in tver["centers"]} == {REGION}
    assert tver["regions"] == [r for r in whole["regions"] if r["region"] == REGION]
    one = get_index(client, keys["analyst"], "period=2022Q2&center=tver-02")
    assert [c["center_id"] for c in one["centers"]] == ["tver-02"]
    assert get_index(client, keys["analyst"], "period=2022Q2&region=Нет")["centers"] == []
    assert get_index(client, keys["analyst"], "period=2021Q1")["regions"] == []


def test_index_is_cached_until_new_data_arrive(client, keys, app):
    load_samples(client, keys["admin"])
    cache = app.state.index_cache
    first = get_index(client, keys["analyst"])
    misses = cache.misses
    assert get_index(client, keys["analyst"]) == first
    assert (cache.misses, cache.hits) == (misses, 1)
    items = [item(str(n), text) for n, text in enumerate(RUDE)]
    assert client.post("/v1/feedback", json={"items": items}, headers=auth(keys["admin"])).status_code == 200
    second = get_index(client, keys["analyst"])
    assert cache.misses == misses + 1
    assert second["data_version"] != first["data_version"]
    d2 = next(c for c in second["centers"] if c["center_id"] == "tver-01")["indicators"]["D2"]
    assert d2["mentions"] == 6
    assert d2["text"] == (6 * 0.1 + 5 * 0.5) / 11  # Bayesian mean of (−0.8 + 1) / 2 toward 0.5, m = 5


def test_correction_replaces_the_prediction_in_the_index(client, keys):
    items = [item(str(n), text) for n, text in enumerate(RUDE[:5])]
    ids = client.post("/v1/feedback", json={"items": items}, headers=auth(keys["admin"])).json()["ids"]
    mentions = get_index(client, keys["analyst"])["centers"][0]["indicators"]["D2"]
    assert (mentions["mentions"], mentions["flags"]) == (5, ["partial", "text_only"])
    correction = {"relevant": False, "labels": [], "reason": "спам"}
    response = client.post(f"/v1/feedback/{ids[0]}/corrections", json=correction, headers=auth(keys["methodologist"]))
    assert response.status_code == 201
    d2 = get_index(client, keys["analyst"])["centers"][0]["indicators"]["D2"]
    assert (d2["mentions"], d2["text"]) == (4, None)  # below min_mentions now


def test_bad_index_queries_are_422(client, keys):
    key = auth(keys["analyst"])
    for query in ("", "period=2022-2", "period=2022Q2&methodology=../../etc/passwd", "period=2022Q2&methodology=nope"):
        problem(client.get(f"/v1/index?{query}", headers=key), 422)
    body = problem(client.get("/v1/ratings?period=2022Q2&methodology=nope", headers=key), 422)
    assert body["detail"] == "unknown methodology 'nope' (bundled: equal-weights, pilot-2022)"


def test_methodologies(client, keys):
    key = auth(keys["methodologist"])
    listed = client.get("/v1/methodologies", headers=key).json()["methodologies"]
    pilot = load_methodology("pilot-2022")
    assert {"name": "pilot-2022", "version": pilot.version, "title": pilot.title, "hash": pilot.content_hash,
            "maximum": 10.0, "default": True} in listed
    assert [m["name"] for m in listed] == ["equal-weights", "pilot-2022"]
    text = (METHODOLOGY_DIR / "pilot-2022.yaml").read_text(encoding="utf-8")
    assert client.get("/v1/methodologies/pilot-2022", headers=key).json() == yaml.safe_load(text)
    as_yaml = client.get("/v1/methodologies/pilot-2022?format=yaml", headers=key)
    assert as_yaml.headers["content-type"].startswith("application/yaml") and as_yaml.text == text
    problem(client.get("/v1/methodologies/nope", headers=key), 404)


def test_model_card(client, keys):
    response = client.get("/v1/model", headers=auth(keys["analyst"]))
    assert response.json() == {"name": "fake", "version": "0", "label": "fake-v0", "card": {}}
