"""RSS 2.0 and Atom feeds from files and URLs."""
from __future__ import annotations

from datetime import datetime, timezone

import httpx

from feedback_nlp.sources import get_source
from feedback_nlp.sources.rss import parse_feed

from .conftest import SAMPLES
from .helpers import split, where

FEED = (SAMPLES / "rss" / "tverskie_vesti.xml").read_bytes()


def test_rss_file_entries():
    records, rejects = split(get_source("rss").iter_items([SAMPLES / "rss" / "tverskie_vesti.xml"]))
    assert rejects == []
    assert [(r.external_id, r.url, r.created_at) for r in records] == [
        ("tv-2024-0412-01", "https://tver-vesti.example.ru/news/2024/04/12/yarmarka",
         datetime(2024, 4, 12, 14, 20, tzinfo=timezone.utc)),
        ("tv-2024-0415-02", "https://tver-vesti.example.ru/news/2024/04/15/rzhev-ocheredi",
         datetime(2024, 4, 15, 6, 5, tzinfo=timezone.utc)),
        ("tv-2024-0419-03", "https://tver-vesti.example.ru/news/2024/04/19/pogoda",
         datetime(2024, 4, 19, 5, 0, tzinfo=timezone.utc)),
        ("tv-2024-0422-04", "https://tver-vesti.example.ru/news/2024/04/22/vv-ofis",
         datetime(2024, 4, 22, 9, 30, tzinfo=timezone.utc)),
    ]
    assert {(r.source, r.source_kind) for r in records} == {("rss:Тверские вести", "media")}
    # content:encoded wins over the short description; HTML lists become lines
    assert records[1].text == (
        "Жители Ржева жалуются на очереди в центре занятости\n\n"
        "В редакцию обратились жители Ржева: в ЦЗН на ул. Ленина приём ведёт один специалист, "
        "очередь занимают с 7 утра.\n\n"
        "Электронной записи нет;\nтелефон 8 (48232) 0-00-00 не отвечает.\n\n"
        "В областном комитете по делам молодёжи и занятости пообещали разобраться."
    )
    assert records[3].text == (
        "В Вышнем Волочке центр занятости открыл новый офис\n\nНовый офис ЦЗН Вышневолоцкого округа "
        "расположен на первом этаже, есть пандус и парковка. Посетители отмечают, что стало удобнее."
    )
    assert records[0].metadata == {"outlet": "Тверские вести", "title": "В Твери прошла весенняя ярмарка вакансий"}


def test_atom_entries_and_empty_entry():
    records, rejects = split(get_source("rss").iter_items([SAMPLES / "rss" / "kazan_segodnya.atom"]))
    assert [(r.external_id, r.created_at) for r in records] == [
        ("urn:kazan-today:2024-04-22-zapis", datetime(2024, 4, 22, 6, 0, tzinfo=timezone.utc)),
        ("urn:kazan-today:2024-04-24-chelny", datetime(2024, 4, 24, 11, 0, tzinfo=timezone.utc)),
    ]
    assert records[0].text.endswith("Первые посетители довольны: «приняли точно в срок».")
    assert where(rejects) == [("kazan_segodnya.atom", None, "entry 3: empty text")]


def test_rss_entry_without_guid_date_or_summary():
    feed = b"""<rss version="2.0"><channel><title>T</title>
    <item><title>Only a title</title><description>Only a title</description></item></channel></rss>"""
    [record] = parse_feed(feed, "/x/t.xml")
    assert (record.external_id, record.text, record.created_at, record.url) == ("t.xml#1", "Only a title", None, None)


def test_rss_malformed_and_junk_files(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<rss><channel><title>x</title>\n<item><title>a</ti")
    junk = tmp_path / "junk.rss"
    junk.write_bytes(b"\x00\x01\x02 not a feed")
    page = tmp_path / "page.xml"
    page.write_text("<html><body>Страница</body></html>")
    records, rejects = split(get_source("rss").iter_items([broken, junk, page]))
    assert records == []
    assert where(rejects) == [
        ("broken.xml", 3, "malformed feed: unclosed token"),
        ("broken.xml", None, "entry 1: empty text"),
        ("junk.rss", None, "binary file, not text"),
        ("page.xml", None, "not an RSS or Atom feed"),
    ]


def test_rss_cp1251_feed_is_decoded():
    feed = ('<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>Ржевская правда</title>'
            "<item><title>Очередь в ЦЗН</title><guid>r1</guid></item></channel></rss>").encode("cp1251")
    [record] = parse_feed(feed, "r.xml")
    assert (record.source, record.text) == ("rss:Ржевская правда", "Очередь в ЦЗН")


def test_rss_urls_through_injected_client():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/feed.xml":
            return httpx.Response(200, content=FEED, headers={"Content-Type": "application/rss+xml"})
        return httpx.Response(404)

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        source = get_source("rss", urls=["https://news.test/feed.xml"], client=client)
        records, rejects = split(source.iter_items(["https://news.test/missing.xml"]))
    assert len(records) == 4
    assert where(rejects) == [("missing.xml", None, "cannot fetch feed: HTTP 404")]


def test_rss_unreachable_url_is_a_reject():
    def handler(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    with httpx.Client(transport=httpx.MockTransport(handler)) as client:
        records, rejects = split(get_source("rss", client=client).iter_items(["https://down.test/rss"]))
    assert records == []
    assert [(r.file, r.reason) for r in rejects] == [("https://down.test/rss", "cannot fetch feed (ConnectError)")]
