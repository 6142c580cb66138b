"""End to end: ``feedback-nlp serve`` as a subprocess on a loopback port, spoken to over HTTP."""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pytest

from tests.api.conftest import REGION, SAMPLES

pytestmark = pytest.mark.slow
TEXTS = ["В ЦЗН консультант грубо ответила и не стала слушать", "Очередь в центре занятости два часа, стульев нет",
         "Инспектор вежливая, всё объяснила про пособие", "Грубый охранник на входе в центр занятости",
         "Сайт центра занятости не работает третий день", "Спасибо ЦЗН, нашла работу за месяц"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "feedback_nlp", *args], capture_output=True, text=True,
                          timeout=120, check=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def model_dir(tmp: Path) -> Path:
    """The bundled model when it is there, else a rules-only model of the real classifier."""
    from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, dump_model, models_dir
    from feedback_nlp.classifiers.model import FeedbackClassifier

    bundled = models_dir() / DEFAULT_MODEL
    if (bundled / "meta.json").is_file():
        return bundled
    model = FeedbackClassifier(name="rules-e2e", version="0", use_model=False).fit([], [])
    return dump_model(model, tmp / "rules-model", {"note": "rules layer only, for the end-to-end test"})


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("e2e")
    db = f"sqlite:///{tmp / 'e2e.db'}"
    keys = {}
    for role, extra in (("analyst", []), ("methodologist", ["--name", "Методист"]), ("admin", []),
                        ("region_operator", ["--region", REGION])):
        done = cli("keys", "create", "--role", role, "--db", db, *extra)
        assert done.returncode == 0, done.stderr
        keys[role] = done.stdout.strip()
    port = free_port()
    log = (tmp / "server.log").open("w")
    env = {**os.environ, "FEEDBACK_NLP_DB": "sqlite:///must-not-be-used.db"}
    proc = subprocess.Popen([sys.executable, "-m", "feedback_nlp", "serve", "--host", "127.0.0.1", "--port",
                             str(port), "--db", db, "--model", str(model_dir(tmp))],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, (tmp / "server.log").read_text()
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.3)
        yield {"base": base, "keys": keys, "db": db, "tmp": tmp, "log": tmp / "server.log"}
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def http(server: dict, role: str) -> httpx.Client:
    return httpx.Client(base_url=server["base"], headers={"X-API-Key": server["keys"][role]}, timeout=60)


def test_the_whole_day_of_a_region_an_analyst_and_a_methodologist(server):
    tmp = server["tmp"]
    assert httpx.get(f"{server['base']}/readyz").json()["status"] == "ready"
    survey = pd.read_csv(SAMPLES / "survey.csv")
    objective = pd.read_csv(SAMPLES / "objective.csv")
    with http(server, "region_operator") as operator:
        whole = operator.post("/v1/surveys", files={"file": ("survey.csv", (SAMPLES / "survey.csv").read_bytes())})
        assert whole.status_code == 403 and whole.headers["content-type"] == "application/problem+json"
        tver = survey[survey["region"] == REGION].to_csv(index=False, sep=";").encode("cp1251")
        response = operator.post("/v1/surveys", files={"file": ("опрос.csv", tver, "text/csv")})
        assert response.status_code == 200, response.text
        assert response.json()["rows"] == int((survey["region"] == REGION).sum())
        tver = objective[objective["region"] == REGION].to_csv(index=False).encode()
        assert operator.post("/v1/objective", files={"file": ("obj.csv", tver)}).status_code == 200
        items = [{"source_kind": "review", "source": "2gis", "external_id": str(n), "text": text,
                  "created_at": "2022-05-0{}T10:00:00+03:00".format(n + 1), "center_id": "tver-01"}
                 for n, text in enumerate(TEXTS)]
        posted = operator.post("/v1/feedback", json={"items": items}).json()
        assert (posted["stored"], posted["classified"]) == (6, 6)
    with http(server, "admin") as admin:  # the other regions' data come from the federal level
        for route, name in (("/v1/surveys", "survey.csv"), ("/v1/objective", "objective.csv")):
            assert admin.post(route, files={"file": (name, (SAMPLES / name).read_bytes())}).status_code == 200
    with http(server, "analyst") as analyst:
        card = analyst.get("/v1/model").json()
        meta = json.loads((model_dir(tmp) / "meta.json").read_text(encoding="utf-8"))
        assert (card["name"], card["version"], card["card"]) == (meta["name"], meta["version"], meta)
        predictions = analyst.post("/v1/classify", json={"texts": [{"id": "t", "text": TEXTS[0]}]}).json()
        assert predictions["predictions"][0]["relevant"] is True
        index = analyst.get("/v1/index", params={"period": "2022Q2"}).json()
        feedback = analyst.get("/v1/feedback", params={"region": REGION}).json()["items"]
        assert [i["external_id"] for i in feedback] == [str(n) for n in range(6)]
        assert all(i["prediction"]["model"] for i in feedback)
    # the CLI computes the same index from the same store
    done = cli("index", "--survey", str(SAMPLES / "survey.csv"), "--objective", str(SAMPLES / "objective.csv"),
               "--db", server["db"], "--period", "2022Q2", "--output", str(tmp / "cli.json"))
    assert done.returncode == 0, done.stderr
    assert json.loads((tmp / "cli.json").read_text()) == {k: v for k, v in index.items() if k != "data_version"}
    with http(server, "methodologist") as methodologist:
        first = feedback[0]["id"]
        response = methodologist.post(f"/v1/feedback/{first}/corrections",
                                      json={"relevant": True, "labels": [{"indicator": "D2", "polarity": 1}],
                                            "reason": "на самом деле похвала"})
        assert response.status_code == 201 and response.json()["author"] == "Методист"
        detail = methodologist.get(f"/v1/feedback/{first}").json()
        assert detail["corrections"][0]["labels"]["labels"] == [{"indicator": "D2", "polarity": 1}]
        assert detail["predictions"][0]["prediction"] == detail["prediction"]
        after = methodologist.get("/v1/index", params={"period": "2022Q2"}).json()
        assert after["data_version"] != index["data_version"]
    log = server["log"].read_text()
    assert "POST /v1/feedback 200" in log
    assert all(key not in log for key in server["keys"].values())
    assert "грубо" not in log and "q=" not in log


def test_errors_over_http_are_problems(server):
    with httpx.Client(base_url=server["base"], timeout=30) as anonymous:
        response = anonymous.get("/v1/index", params={"period": "2022Q2"})
        assert (response.status_code, response.headers["content-type"]) == (401, "application/problem+json")
    with http(server, "analyst") as analyst:
        assert analyst.post("/v1/surveys", files={"file": ("a.csv", b"x")}).status_code == 403
        assert analyst.post("/v1/classify", content=b"{", headers={"content-type": "application/json"}).status_code == 422
        big = b"x" * (21 * 1024 * 1024)
        response = analyst.post("/v1/classify", content=big, headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert analyst.get("/docs").status_code == 200 and analyst.get("/openapi.json").status_code == 200
