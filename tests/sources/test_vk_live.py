"""VK live mode against httpx.MockTransport: paging, rate limit, retries, token errors."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from urllib.parse import parse_qsl

import httpx
import pytest

from feedback_nlp.errors import SourceError
from feedback_nlp.sources import get_source
from feedback_nlp.sources.vk_live import TOKEN_REJECTED, VKLiveSource

from .conftest import FIXTURES
from .helpers import split, where

BASE = "https://api.test/method"


def recorded(name: str) -> dict:
    return json.loads((FIXTURES / "vk" / name).read_text(encoding="utf-8"))


def replay(params: dict[str, str]) -> dict:
    """The recorded answer for a request, chosen by method and page."""
    method = params["_method"]
    if method == "wall.get":
        return recorded(f"wall.get_offset_{params['offset']}.json")
    page = params.get("start_from", "start").replace("/", "_")
    return recorded(f"newsfeed.search_{page}.json")


class Recorder:
    """A MockTransport handler that logs the form of each request and answers from a script."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.requests: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        params = dict(parse_qsl(request.content.decode()))
        params["_method"] = request.url.path.rsplit("/", 1)[-1]
        self.requests.append(params)
        answer = self.answers.pop(0) if self.answers else replay(params)
        if isinstance(answer, int):
            return httpx.Response(answer, text="Bad Gateway")
        if isinstance(answer, Exception):
            raise answer
        return httpx.Response(200, json=answer)


def live(handler, clock, **options) -> VKLiveSource:
    client = httpx.Client(transport=httpx.MockTransport(handler))
    options.setdefault("owner_ids", [-210000401])
    return VKLiveSource("secret-token", client=client, base_url=BASE, page_size=2,
                        clock=clock, sleep=clock.sleep, **options)


def test_vk_live_wall_get_pages_by_offset_at_three_requests_a_second(clock):
    handler = Recorder()
    records, rejects = split(live(handler, clock).iter_items())
    assert [r.external_id for r in records] == ["-210000401_301", "-210000401_300"]
    assert records[0].created_at == datetime(2024, 4, 4, 8, 0, tzinfo=timezone.utc)
    assert where(rejects) == [("vk:wall.get?owner_id=-210000401", None, "item 3: empty text")]
    assert handler.requests == [
        {"owner_id": "-210000401", "count": "2", "offset": "0", "access_token": "secret-token",
         "v": "5.199", "_method": "wall.get"},
        {"owner_id": "-210000401", "count": "2", "offset": "2", "access_token": "secret-token",
         "v": "5.199", "_method": "wall.get"},
    ]
    assert clock.sleeps == [0.333333]


def test_vk_live_newsfeed_search_pages_by_next_from(clock):
    handler = Recorder()
    source = live(handler, clock, owner_ids=[], queries=["ЦЗН Екатеринбург"])
    records, rejects = split(source.iter_items())
    assert rejects == []
    assert [(r.source, r.external_id) for r in records] == [
        ("vk:745000003", "745000003_77"), ("vk:745000004", "745000004_12"), ("vk:745000005", "745000005_5"),
    ]
    assert [(r.get("q"), r.get("start_from"), r["count"]) for r in handler.requests] == [
        ("ЦЗН Екатеринбург", None, "2"), ("ЦЗН Екатеринбург", "2/5_-210000401_77", "2"),
    ]


def test_vk_live_max_items_stops_paging(clock):
    handler = Recorder()
    records, _ = split(live(handler, clock, max_items=1).iter_items())
    assert [r.external_id for r in records] == ["-210000401_301"]
    assert len(handler.requests) == 1


def test_vk_live_retries_error_6_and_5xx_with_exponential_backoff(clock):
    handler = Recorder(recorded("error_6.json"), 502, recorded("error_6.json"))
    records, _ = split(live(handler, clock).iter_items())
    assert len(records) == 2
    assert [r["offset"] for r in handler.requests] == ["0", "0", "0", "0", "2"]
    # backoff 1, 2, 4 s between attempts; then the rate limit before the next page
    assert clock.sleeps == [1.0, 2.0, 4.0, 0.333333]


def test_vk_live_gives_up_after_bounded_attempts(clock):
    handler = Recorder(503, 503, 503)
    with pytest.raises(SourceError, match=r"^VK API answered HTTP 503 — gave up on wall.get after 3 attempts$"):
        list(live(handler, clock, max_attempts=3).iter_items())
    assert clock.sleeps == [1.0, 2.0]


def test_vk_live_unreachable_service_is_a_clear_error(clock):
    handler = Recorder(*[httpx.ConnectError("refused")] * 2)
    with pytest.raises(SourceError, match=r"^VK API unreachable at https://api.test/method \(ConnectError\) — gave up"):
        list(live(handler, clock, max_attempts=2).iter_items())


def test_vk_live_bad_token_is_a_clear_error_without_retry(clock):
    handler = Recorder(recorded("error_5.json"))
    with pytest.raises(SourceError) as error:
        list(live(handler, clock).iter_items())
    assert str(error.value) == TOKEN_REJECTED == "VK token rejected (error 5) — set FEEDBACK_NLP_VK_TOKEN"
    assert len(handler.requests) == 1
    assert "secret-token" not in str(error.value)


@pytest.mark.parametrize("token", [None, ""])
def test_vk_live_missing_token_is_a_clear_error(token):
    with pytest.raises(SourceError, match=r"^VK token missing — set FEEDBACK_NLP_VK_TOKEN$"):
        get_source("vk", token=token, owner_ids=[1])


def test_vk_live_needs_something_to_collect():
    with pytest.raises(SourceError, match="needs owner_ids"):
        VKLiveSource("t")


def test_vk_live_closed_wall_is_a_reject_and_the_next_wall_is_collected(clock):
    handler = Recorder(recorded("error_15.json"))
    records, rejects = split(live(handler, clock, owner_ids=[-1, -210000401]).iter_items())
    assert where(rejects)[0] == (
        "vk:wall.get?owner_id=-1", None,
        "VK error 15: Access denied: this wall available only for community members",
    )
    assert len(records) == 2


def test_vk_live_http_4xx_is_a_source_error(clock):
    handler = Recorder(404)
    with pytest.raises(SourceError, match=r"^VK API answered HTTP 404 to wall.get$"):
        list(live(handler, clock).iter_items())


def test_vk_live_token_goes_in_the_body_not_the_url(clock):
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=recorded("wall.get_offset_2.json"))

    list(live(handler, clock).iter_items())
    assert set(seen) == {"https://api.test/method/wall.get"}


def test_vk_live_options_as_command_line_strings(clock):
    handler = Recorder()
    client = httpx.Client(transport=httpx.MockTransport(handler))
    source = get_source("vk", token="t", owner_ids="-210000401", queries="", client=client, base_url=BASE,
                        page_size="2", max_items="1", clock=clock, sleep=clock.sleep)
    assert (source.owner_ids, source.queries, source.page_size, source.max_items) == (("-210000401",), (), 2, 1)
    records, _ = split(source.iter_items())
    assert [r.external_id for r in records] == ["-210000401_301"]
