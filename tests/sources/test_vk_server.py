"""VK live mode end to end: a real HTTP server on 127.0.0.1 replays recorded API answers."""
from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import httpx
import pytest

from feedback_nlp.errors import SourceError
from feedback_nlp.sources import get_source

from .conftest import FIXTURES
from .helpers import split, where


class ReplayHandler(BaseHTTPRequestHandler):
    """Answers ``POST /method/<name>`` with the recorded file for that method and page."""

    log: list[tuple[str, dict[str, str]]] = []

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length", 0))
        form = dict(parse_qsl(self.rfile.read(length).decode()))
        method = self.path.rsplit("/", 1)[-1]
        self.log.append((method, form))
        if form.get("access_token") != "good-token":
            name = "error_5.json"
        elif method == "wall.get":
            name = f"wall.get_offset_{form['offset']}.json"
        else:
            name = "newsfeed.search_" + form.get("start_from", "start").replace("/", "_") + ".json"
        body = (FIXTURES / "vk" / name).read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the token-carrying requests out of the test output


@pytest.fixture
def vk_server() -> Iterator[str]:
    ReplayHandler.log = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), ReplayHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/method"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_vk_live_end_to_end_against_local_server(vk_server):
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        source = get_source(
            "vk", token="good-token", owner_ids=[-210000401], queries=["ЦЗН Екатеринбург"],
            client=client, base_url=vk_server, page_size=2, rate=50.0,
        )
        records, rejects = split(source.iter_items([]))
    assert [r.external_id for r in records] == [
        "-210000401_301", "-210000401_300", "745000003_77", "745000004_12", "745000005_5",
    ]
    assert records[2].text == "В ЦЗН Екатеринбурга опять не берут трубку."
    assert records[2].url == "https://vk.com/wall745000003_77"
    assert where(rejects) == [("vk:wall.get?owner_id=-210000401", None, "item 3: empty text")]
    assert [(m, f.get("offset"), f.get("start_from"), f["v"]) for m, f in ReplayHandler.log] == [
        ("wall.get", "0", None, "5.199"),
        ("wall.get", "2", None, "5.199"),
        ("newsfeed.search", None, None, "5.199"),
        ("newsfeed.search", None, "2/5_-210000401_77", "5.199"),
    ]


def test_vk_live_end_to_end_bad_token(vk_server):
    with httpx.Client(trust_env=False, timeout=5.0) as client:
        source = get_source("vk", token="expired", owner_ids=[-210000401], client=client, base_url=vk_server)
        with pytest.raises(SourceError, match=r"^VK token rejected \(error 5\)"):
            list(source.iter_items([]))
