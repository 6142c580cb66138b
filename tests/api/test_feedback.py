from __future__ import annotations

from feedback_nlp.store import item_id
from tests.api.conftest import REGION, auth, item, problem

ITEMS = [item("1", "В ЦЗН консультант Иванова Мария грубо ответила, звоните +7 903 123-45-67"),
         item("2", "Очередь в центр занятости два часа, никто не помог", source_kind="review", source="2gis"),
         item("3", "Погода хорошая, гуляли в парке", center_id="tver-02"),
         item("4", "Консультант вежливая, всё объяснила, спасибо ЦЗН", created_at="2022-08-01T10:00:00+03:00")]


def post(client, key, items):
    return client.post("/v1/feedback", json={"items": items}, headers=auth(key))


def test_post_feedback_stores_redacted_classifies_and_is_idempotent(client, keys):
    response = post(client, keys["admin"], ITEMS)
    assert response.status_code == 200
    ids = [item_id(i["source"], i["external_id"]) for i in ITEMS]
    assert response.json() == {"read": 4, "stored": 4, "existing": 0, "duplicates": 0, "rejected": 0,
                               "rejects": [], "classified": 4, "ids": ids}
    again = post(client, keys["admin"], ITEMS).json()
    assert (again["stored"], again["existing"], again["classified"]) == (0, 4, 0)
    detail = client.get(f"/v1/feedback/{ids[0]}", headers=auth(keys["analyst"])).json()
    assert "Иванов" not in detail["text"] and "903" not in detail["text"]
    assert detail["prediction"]["aspects"][0]["indicator"] == "D2"
    assert detail["prediction"]["id"] == ids[0]
    assert [p["model_name"] for p in detail["predictions"]] == ["fake"]
    assert detail["corrections"] == []


def test_region_operator_posts_only_its_region(client, keys):
    body = problem(post(client, keys["other_region"], ITEMS[:1]), 403)
    assert body["errors"] == [{"file": None, "line": None, "field": "items.0.region", "value": REGION,
                               "why": "not the region of this key (Республика Татарстан)"}]
    no_region = {k: v for k, v in ITEMS[0].items() if k != "region"}
    assert post(client, keys["other_region"], [no_region]).status_code == 200
    stored = client.get("/v1/feedback?region=Республика Татарстан", headers=auth(keys["analyst"])).json()
    assert [i["external_id"] for i in stored["items"]] == ["1"]


def test_list_filters_and_cursor_pagination(client, keys):
    post(client, keys["admin"], ITEMS)
    key = auth(keys["analyst"])

    def external_ids(query: str) -> list[str]:
        response = client.get(f"/v1/feedback?{query}", headers=key)
        assert response.status_code == 200, response.text
        return [i["external_id"] for i in response.json()["items"]]

    assert external_ids("") == ["1", "2", "3", "4"]
    assert external_ids("source_kind=review") == ["2"]
    assert external_ids("center=tver-02") == ["3"]
    assert external_ids("period=2022Q2") == ["1", "2", "3"]
    assert external_ids("period=2022Q3") == ["4"]
    assert external_ids("q=ОЧЕРЕДЬ") == ["2"]
    assert external_ids("indicator=D2") == ["1", "4"]
    assert external_ids("indicator=D2&polarity=1") == ["4"]
    assert external_ids("polarity=-1") == ["1", "2"]
    assert external_ids("region=Нет такого") == []
    first = client.get("/v1/feedback?limit=3", headers=key).json()
    assert [i["external_id"] for i in first["items"]] == ["1", "2", "3"]
    rest = client.get(f"/v1/feedback?limit=3&cursor={first['next_cursor']}", headers=key).json()
    assert [i["external_id"] for i in rest["items"]] == ["4"] and rest["next_cursor"] is None
    page = client.get("/v1/feedback?indicator=D2&limit=1", headers=key).json()
    assert [i["external_id"] for i in page["items"]] == ["1"]
    page = client.get(f"/v1/feedback?indicator=D2&limit=1&cursor={page['next_cursor']}", headers=key).json()
    assert [i["external_id"] for i in page["items"]] == ["4"]


def test_bad_list_parameters_are_422(client, keys):
    key = auth(keys["analyst"])
    for query in ("period=2022Q5", "cursor=abc", "limit=0", "limit=501", "polarity=2", "indicator=X9",
                  "source_kind=telegraph"):
        problem(client.get(f"/v1/feedback?{query}", headers=key), 422)


def test_correction_is_stored_with_author_and_keeps_the_prediction(client, keys):
    ids = post(client, keys["admin"], ITEMS).json()["ids"]
    body = {"relevant": True, "labels": [{"indicator": "D2", "polarity": -1}, {"indicator": "L5", "polarity": 0}],
            "general": -1, "reason": "консультант и документы"}
    response = client.post(f"/v1/feedback/{ids[0]}/corrections", json=body, headers=auth(keys["methodologist"]))
    assert response.status_code == 201
    saved = response.json()
    assert (saved["item_id"], saved["author"], saved["role"], saved["reason"]) == \
        (ids[0], "methodologist-test", "methodologist", "консультант и документы")
    assert saved["labels"] == {"relevant": True, "general": -1, "labels": body["labels"]}
    detail = client.get(f"/v1/feedback/{ids[0]}", headers=auth(keys["analyst"])).json()
    assert detail["corrections"] == [saved]
    assert [a["indicator"] for a in detail["prediction"]["aspects"]] == ["D2"]  # model output unchanged


def test_bad_corrections_are_422(client, keys):
    ids = post(client, keys["admin"], ITEMS[:1]).json()["ids"]
    key = auth(keys["methodologist"])
    for body in ({"labels": [], "reason": ""}, {"labels": [{"indicator": "Z1", "polarity": 1}], "reason": "x"},
                 {"labels": [{"indicator": "D2", "polarity": 5}], "reason": "x"}, {"labels": []}):
        problem(client.post(f"/v1/feedback/{ids[0]}/corrections", json=body, headers=key), 422)
    problem(client.get("/v1/feedback/not-hex!", headers=auth(keys["analyst"])), 422)
