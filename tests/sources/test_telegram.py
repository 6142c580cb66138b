"""Telegram Desktop exports: channels and chats, entity lists, local dates, service messages."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from feedback_nlp.sources import get_source
from feedback_nlp.sources.telegram import parse_telegram_export, telegram_text

from .conftest import SAMPLES
from .helpers import split, where

MSK = timezone(timedelta(hours=3))


def collect(*paths):
    return split(get_source("telegram").iter_items(list(paths)))


def test_telegram_channel_export():
    records, rejects = collect(SAMPLES / "telegram" / "czn_tver_channel" / "result.json")
    assert [(r.source, r.external_id, r.created_at) for r in records] == [
        ("telegram:1710000101", "1710000101:2", datetime(2024, 4, 2, 7, 5, tzinfo=timezone.utc)),
        ("telegram:1710000101", "1710000101:3", datetime(2024, 4, 9, 9, 0, tzinfo=timezone.utc)),
        ("telegram:1710000101", "1710000101:5", datetime(2024, 4, 12, 15, 30, tzinfo=timezone.utc)),
    ]
    assert records[1].text == "Как подать заявление на пособие через Госуслуги: пошаговая инструкция в нашем канале."
    assert records[0].metadata == {
        "chat_name": "ЦЗН Твери", "chat_type": "public_channel", "author_id": "channel1710000101",
    }
    assert where(rejects) == [("result.json", None, "message 1710000101:4: empty text")]


def test_telegram_chat_export_replies_forwards_and_local_time():
    records, rejects = collect(SAMPLES / "telegram" / "kazan_chat" / "result.json")
    assert rejects == []
    assert [r.external_id for r in records] == [f"1710000202:{i}" for i in range(101, 108)]
    by_id = {r.external_id: r for r in records}
    assert by_id["1710000202:102"].metadata["reply_to_message"] == "1710000202:101"
    assert by_id["1710000202:105"].metadata["forwarded"] is True
    assert "forwarded_from" not in by_id["1710000202:105"].metadata
    # no date_unixtime: the local date is Moscow time
    assert by_id["1710000202:106"].created_at == datetime(2024, 4, 23, 17, 45, 31, tzinfo=MSK)
    assert by_id["1710000202:106"].created_at.utcoffset() == timedelta(hours=3)
    assert by_id["1710000202:104"].text == "Кто знает, где в Казани недорого отремонтировать телефон? @remont_kzn"


def test_telegram_full_account_export_reads_every_chat():
    channel = json.loads((SAMPLES / "telegram" / "czn_tver_channel" / "result.json").read_text("utf-8"))
    data = {"about": "export", "chats": {"about": "", "list": [channel, {"id": 5, "messages": []}]}}
    records, rejects = split(parse_telegram_export(data, "result.json"))
    assert (len(records), len(rejects)) == (3, 1)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("Просто текст ", "Просто текст"),
        (["Жирный ", {"type": "bold", "text": "текст"}, " и ", {"type": "link", "text": "ссылка"}], "Жирный текст и ссылка"),
        ([{"type": "custom_emoji", "text": "👍", "document_id": "x"}], "👍"),
        ([], ""),
        (None, ""),
        (42, ""),
    ],
)
def test_telegram_text_of_entity_lists(value, expected):
    assert telegram_text(value) == expected


def test_telegram_text_entities_used_when_text_missing():
    chat = {"id": 9, "messages": [{"id": 1, "type": "message", "date": "2024-01-01T00:00:00",
                                   "text_entities": [{"type": "plain", "text": "из сущностей"}]}]}
    [record] = parse_telegram_export(chat, "r.json")
    assert record.text == "из сущностей"
    assert record.created_at == datetime(2024, 1, 1, tzinfo=MSK)


def test_telegram_bad_inputs(tmp_path):
    bad_date = tmp_path / "bad_date.json"
    bad_date.write_text(json.dumps({"id": 9, "messages": [{"id": 1, "type": "message", "date": "вчера", "text": "x"}]}))
    not_export = tmp_path / "other.json"
    not_export.write_text('{"response": {"items": []}}')
    truncated = tmp_path / "cut.json"
    truncated.write_text('{"id": 9, "messages": [\n {"id": 1, "text": "обрыв')
    records, rejects = collect(bad_date, not_export, truncated)
    assert records == []
    assert where(rejects) == [
        ("bad_date.json", None, "message 9:1: unrecognised date 'вчера'"),
        ("other.json", None, "not a Telegram export (no messages or chats.list)"),
        ("cut.json", 2, "malformed JSON: Unterminated string starting at (line 2, column 20)"),
    ]
