"""The audit routes without a browser: pages, static files, the JSON helpers and their roles."""
from __future__ import annotations

import re

import pytest

from feedback_nlp.reports.agreement import agreement


def auth(key: str) -> dict[str, str]:
    return {"X-API-Key": key}


@pytest.mark.parametrize("path, page", [("/audit", "list"), ("/audit/", "list"), ("/audit/agreement", "agreement")])
def test_pages_are_served_without_a_key_and_hold_no_data(client, path, page):
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert f'data-page="{page}"' in response.text and 'lang="ru"' in response.text
    assert "Тверская область" not in response.text  # data come from the API, with the key
    assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_item_page_and_its_id(client, audit_env):
    item = audit_env["ids"]["t1"]
    response = client.get(f"/audit/items/{item}")
    assert response.status_code == 200 and f'data-item="{item}"' in response.text
    assert client.get("/audit/items/not-hex").status_code == 422


def test_nothing_is_fetched_from_elsewhere(client):
    for path in ("/audit", "/audit/agreement", "/audit/static/audit.js", "/audit/static/audit.css"):
        text = client.get(path).text
        assert not re.search(r"https?://", text), path
    page = client.get("/audit").text
    assert re.findall(r'(?:src|href)="([^"]+)"', page) == ["data:,", "/audit/static/audit.css", "/audit", "/audit",
                                                          "/audit/agreement", "/audit/static/audit.js"]


@pytest.mark.parametrize("name, status", [("audit.js", 200), ("audit.css", 200), ("missing.js", 404),
                                          ("router.py", 404), ("..%2Frouter.py", 404)])
def test_static_files_are_only_ours(client, name, status):
    assert client.get(f"/audit/static/{name}").status_code == status


def test_whoami_names_the_role(client, audit_env):
    me = client.get("/audit/api/whoami", headers=auth(audit_env["keys"]["methodologist"])).json()
    assert me == {"role": "methodologist", "name": "methodologist-тест", "region": None}
    assert client.get("/audit/api/whoami").status_code == 401
    assert client.get("/audit/api/whoami", headers=auth("fnlp_wrong")).status_code == 401


@pytest.mark.parametrize("role, status", [("analyst", 200), ("methodologist", 200), ("admin", 200),
                                          ("region_operator", 403)])
def test_facets_and_agreement_need_a_reader(client, audit_env, role, status):
    for path in ("/audit/api/facets", "/audit/api/agreement"):
        assert client.get(path, headers=auth(audit_env["keys"][role])).status_code == status


def test_facets_list_regions_centers_and_sources(client, audit_env):
    facets = client.get("/audit/api/facets", headers=auth(audit_env["keys"]["analyst"])).json()
    assert facets["regions"] == ["Новосибирская область", "Республика Татарстан", "Свердловская область",
                                 "Тверская область"]
    assert {"region": "Тверская область", "center_id": "tver-02"} in facets["centers"]
    assert facets["source_kinds"] == ["call_center", "complaint_book", "email", "review", "social"]
    tver = client.get("/audit/api/facets", params={"region": "Тверская область"},
                      headers=auth(audit_env["keys"]["analyst"])).json()
    assert [c["center_id"] for c in tver["centers"]] == ["tver-01", "tver-02"]


def test_agreement_of_the_stored_correction(client, audit_env):
    doc = client.get("/audit/api/agreement", headers=auth(audit_env["keys"]["analyst"])).json()
    rows = {r["indicator"]: r for r in doc["indicators"]}
    # the fixture's correction turned the model's D2 +1 into L1 +1
    assert doc["items"] == 1 and doc["exact_agreement"] == 0.0 and doc["relevance_agreement"] == 1.0
    assert (rows["D2"]["model"], rows["D2"]["corrected"], rows["D2"]["precision"]) == (1, 0, 0.0)
    assert (rows["L1"]["model"], rows["L1"]["corrected"], rows["L1"]["recall"]) == (0, 1, 0.0)
    assert rows["E1"]["presence_agreement"] == 1.0 and rows["E1"]["f1"] is None


def prediction(*aspects: tuple[str, int], relevant: bool = True) -> dict:
    return {"relevant": relevant, "aspects": [{"indicator": i, "polarity": p} for i, p in aspects]}


def correction(*labels: tuple[str, int], relevant: bool = True) -> dict:
    return {"relevant": relevant, "labels": [{"indicator": i, "polarity": p} for i, p in labels]}


def test_agreement_counts_per_indicator():
    pairs = [
        (prediction(("D2", -1), ("L4", -1)), correction(("D2", -1), ("L4", 1))),  # both found, one sign differs
        (prediction(("D2", 1)), correction(("D2", 1))),                            # exact
        (prediction(("L2", -1)), correction(relevant=False)),                      # off-topic after all
        (None, correction(("E1", 1))),                                             # never classified
    ]
    doc = agreement(pairs, ["D2", "L4", "L2", "E1"])
    rows = {r["indicator"]: r for r in doc["indicators"]}
    assert doc["items"] == 4 and doc["exact_agreement"] == 0.25 and doc["relevance_agreement"] == 0.5
    assert rows["D2"] | {} == {"indicator": "D2", "model": 2, "corrected": 2, "both": 2, "same_polarity": 2,
                               "precision": 1.0, "recall": 1.0, "f1": 1.0, "polarity_agreement": 1.0,
                               "presence_agreement": 1.0}
    assert rows["L4"]["polarity_agreement"] == 0.0 and rows["L4"]["f1"] == 1.0
    assert rows["L2"]["precision"] == 0.0 and rows["L2"]["recall"] is None and rows["L2"]["presence_agreement"] == 0.75
    assert rows["E1"]["recall"] == 0.0 and rows["E1"]["precision"] is None
    assert agreement([])["items"] == 0
