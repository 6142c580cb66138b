"""Every route × every role: 401 without or with a wrong key, 403 for a wrong role, else served."""
from __future__ import annotations

import pytest

from tests.api.conftest import REGION, auth, item, problem

ROLES = ("analyst", "region_operator", "methodologist", "admin")
READERS = {"analyst", "methodologist", "admin"}
MISSING = "0" * 32
SURVEY = ("respondent_id,respondent_type,region,center_id,period,indicator,answer\n"
          f"r1,job_seeker,{REGION},tver-01,2022Q2,E1,4\n").encode()
OBJECTIVE = f"region,center_id,period,indicator,fulfilled,required\n{REGION},tver-01,2022Q2,E1,3,4\n".encode()

# (method, path, request arguments, roles allowed, status of the allowed request)
ROUTES = [
    ("POST", "/v1/classify", {"json": {"texts": [{"id": "a", "text": "В ЦЗН ответили грубо"}]}}, READERS, 200),
    ("POST", "/v1/feedback", {"json": {"items": [item("1", "ЦЗН: очередь два часа")]}},
     {"region_operator", "admin"}, 200),
    ("GET", "/v1/feedback", {}, READERS, 200),
    ("GET", f"/v1/feedback/{MISSING}", {}, READERS, 404),
    ("POST", f"/v1/feedback/{MISSING}/corrections", {"json": {"labels": [], "reason": "не о ЦЗН"}},
     {"methodologist", "admin"}, 404),
    ("POST", "/v1/surveys", {"files": {"file": ("survey.csv", SURVEY, "text/csv")}},
     {"region_operator", "admin"}, 200),
    ("POST", "/v1/objective", {"files": {"file": ("objective.csv", OBJECTIVE, "text/csv")}},
     {"region_operator", "admin"}, 200),
    ("GET", "/v1/index?period=2022Q2", {}, READERS, 200),
    ("GET", "/v1/ratings?period=2022Q2", {}, READERS, 200),
    ("GET", "/v1/methodologies", {}, READERS, 200),
    ("GET", "/v1/methodologies/pilot-2022", {}, READERS, 200),
    ("GET", "/v1/model", {}, READERS, 200),
]
IDS = [f"{m} {p.split('?')[0]}" for m, p, *_ in ROUTES]


@pytest.mark.parametrize("method,path,kwargs,allowed,status", ROUTES, ids=IDS)
def test_route_without_key_is_401(client, method, path, kwargs, allowed, status):
    body = problem(client.request(method, path, **kwargs), 401)
    assert body["detail"] == "an API key is required in the X-API-Key header"


@pytest.mark.parametrize("method,path,kwargs,allowed,status", ROUTES, ids=IDS)
def test_route_with_unknown_key_is_401(client, keys, method, path, kwargs, allowed, status):
    body = problem(client.request(method, path, headers=auth("fnlp_not-a-key"), **kwargs), 401)
    assert body["detail"] == "the API key is unknown or revoked"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,path,kwargs,allowed,status", ROUTES, ids=IDS)
def test_route_by_role(client, keys, role, method, path, kwargs, allowed, status):
    response = client.request(method, path, headers=auth(keys[role]), **kwargs)
    if role in allowed:
        assert response.status_code == status, response.text
    else:
        body = problem(response, 403)
        assert body["detail"].startswith(f"role {role} may not do this (allowed: admin")


def test_revoked_key_is_401(client, keys, settings):
    from feedback_nlp.store import find_api_key, open_store, revoke_api_key

    store = open_store(settings.db_url)
    revoke_api_key(store, find_api_key(store, keys["analyst"]).id)
    store.close()
    problem(client.get("/v1/model", headers=auth(keys["analyst"])), 401)


def test_no_key_needed_for_health_and_docs(client):
    for path in ("/healthz", "/readyz", "/openapi.json", "/docs"):
        assert client.get(path).status_code == 200, path


def test_key_cache_keeps_a_lookup_for_its_time_only(settings, keys):
    from api.deps import KeyCache
    from feedback_nlp.store import open_store, revoke_api_key

    store = open_store(settings.db_url)
    try:
        cached, fresh = KeyCache(seconds=3600), KeyCache(seconds=0)
        record = cached.find(store, keys["analyst"])
        assert record.role == "analyst" and fresh.find(store, keys["analyst"]) == record
        revoke_api_key(store, record.id)
        assert cached.find(store, keys["analyst"]) == record  # within its time
        assert fresh.find(store, keys["analyst"]) is None
        assert cached.find(store, "fnlp_unknown") is None
    finally:
        store.close()
