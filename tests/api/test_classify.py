from __future__ import annotations

from tests.api.conftest import auth, problem


def test_classify_returns_predictions_in_order_with_the_callers_ids(client, keys):
    texts = [{"id": "x1", "text": "В ЦЗН консультант грубо ответила", "source": "social"},
             {"id": "x2", "text": "Погода сегодня хорошая"}]
    response = client.post("/v1/classify", json={"texts": texts}, headers=auth(keys["analyst"]))
    assert response.status_code == 200
    first, second = response.json()["predictions"]
    assert first == {
        "id": "x1", "relevant": True, "relevance": 0.95, "general": None, "sentiment": -0.8, "polarity": -1,
        "aspects": [{"indicator": "D2", "group": "D", "sentiment": -0.8, "polarity": -1, "confidence": 0.9,
                     "evidence": [{"start": 18, "end": 23, "text": "грубо"}], "source": "fake"}],
        "model": "fake-v0"}
    assert (second["id"], second["relevant"], second["aspects"], second["polarity"]) == ("x2", False, [], 0)


def test_classify_batch_of_100_is_one_model_call(client, keys, fake_model):
    texts = [{"id": str(n), "text": f"ЦЗН {n}: очередь"} for n in range(100)]
    response = client.post("/v1/classify", json={"texts": texts}, headers=auth(keys["admin"]))
    assert response.status_code == 200
    assert [p["id"] for p in response.json()["predictions"]] == [str(n) for n in range(100)]
    assert fake_model.calls == 1


def test_classify_limits(client, keys):
    key = auth(keys["analyst"])
    body = problem(client.post("/v1/classify", json={"texts": []}, headers=key), 422)
    assert body["errors"][0]["field"] == "body.texts"
    body = problem(client.post("/v1/classify", json={"texts": [{"id": "a", "text": "я" * 20_001}]}, headers=key), 422)
    assert body["errors"][0]["field"] == "body.texts.0.text"
    assert body["errors"][0]["why"] == "String should have at most 20000 characters"
    too_many = [{"id": str(n), "text": "a"} for n in range(1001)]
    problem(client.post("/v1/classify", json={"texts": too_many}, headers=key), 422)


def test_empty_text_gives_an_off_topic_prediction(client, keys):
    response = client.post("/v1/classify", json={"texts": [{"id": "e", "text": ""}]}, headers=auth(keys["analyst"]))
    assert response.status_code == 200
    assert response.json()["predictions"][0]["relevant"] is False
