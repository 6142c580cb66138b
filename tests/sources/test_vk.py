"""VK saved API responses: wall.get, wall.getComments, newsfeed.search, board.getComments."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from feedback_nlp.sources import get_source
from feedback_nlp.sources.vk import VKFileSource, parse_vk_response, vk_text

from .conftest import FIXTURES, SAMPLES
from .helpers import split, where


def collect(*paths: Path):
    return split(get_source("vk").iter_items(list(paths)))


def test_vk_wall_get_records():
    records, rejects = collect(SAMPLES / "vk" / "wall_get_tver-01.json")
    assert [(r.external_id, r.source, r.url, r.created_at) for r in records] == [
        ("-210000101_1501", "vk:-210000101", "https://vk.com/wall-210000101_1501",
         datetime(2024, 4, 2, 7, 0, tzinfo=timezone.utc)),
        ("-210000101_1502", "vk:-210000101", "https://vk.com/wall-210000101_1502",
         datetime(2024, 4, 3, 15, 42, tzinfo=timezone.utc)),
        ("-210000101_1503", "vk:-210000101", "https://vk.com/wall-210000101_1503",
         datetime(2024, 4, 5, 6, 15, tzinfo=timezone.utc)),
        ("-210000101_1505", "vk:-210000101", "https://vk.com/wall-210000101_1505",
         datetime(2024, 4, 8, 17, 30, tzinfo=timezone.utc)),
        ("-210000101_1506", "vk:-210000101", "https://vk.com/wall-210000101_1506",
         datetime(2024, 4, 10, 10, 5, tzinfo=timezone.utc)),
    ]
    assert where(rejects) == [("wall_get_tver-01.json", None, "item 4: empty text")]
    second = records[1]
    assert second.text.startswith("Встала на учёт в вашем центре месяц назад. Консультант Ольга Сергеевна очень")
    assert second.source_kind == "social"
    assert second.author_hash is None
    assert second.metadata == {"vk_type": "post", "author_id": "vk512000001", "vk_group_id": "210000101"}


def test_vk_comments_with_threads_and_deleted():
    records, rejects = collect(SAMPLES / "vk" / "wall_getComments_tver-01_1506.json")
    assert [r.external_id for r in records] == [
        "-210000101_1506_c1510", "-210000101_1506_c1512", "-210000101_1506_c1511",
    ]
    reply = records[1]
    assert reply.text == "ЦЗН Твери, написала. Надеюсь, ответите быстрее, чем по телефону."
    assert reply.url == "https://vk.com/wall-210000101_1506?reply=1512"
    assert reply.metadata == {
        "vk_type": "comment", "post_id": "-210000101_1506", "author_id": "vk512000004",
        "vk_group_id": "210000101",
    }
    assert where(rejects) == [("wall_getComments_tver-01_1506.json", None, "item 3: deleted")]


def test_vk_newsfeed_search_repost_keeps_both_texts_and_links_original():
    records, rejects = collect(SAMPLES / "vk" / "newsfeed_search_czn.json")
    assert rejects == []
    repost = next(r for r in records if r.external_id == "603000002_917")
    assert repost.text.startswith("Делюсь:\n\nУважаемые соискатели! С 22 апреля ЦЗН Приволжского района")
    assert repost.metadata["repost_of"] == "-210000202_4410"
    originals = [r for r in records if r.external_id == "-210000202_4410"]
    assert len(originals) == 2   # found by the search and inside the repost: the store keeps one
    assert originals[1].metadata["seen_in_repost"] == "603000002_917"
    assert originals[0].text == originals[1].text
    assert len(records) == 7


def test_vk_board_comments_get_topic_address_from_params():
    records, _ = collect(SAMPLES / "vk" / "board_getComments_nsk-02.json")
    assert [(r.external_id, r.url) for r in records] == [
        ("topic-210000302_3900012_21", "https://vk.com/topic-210000302_3900012?post=21"),
        ("topic-210000302_3900012_22", "https://vk.com/topic-210000302_3900012?post=22"),
        ("topic-210000302_3900012_23", "https://vk.com/topic-210000302_3900012?post=23"),
    ]
    assert records[0].created_at == datetime(2024, 3, 28, 7, 12, tzinfo=timezone.utc)


def test_vk_board_comments_without_params_are_named_by_file():
    payload = {"response": {"count": 1, "items": [{"id": 7, "from_id": 1, "date": 0, "text": "Вопрос"}]}}
    [record] = parse_vk_response(payload, "/x/board-5.json")
    assert (record.source, record.external_id, record.url) == ("vk:board-5", "board-5:7", None)
    assert record.created_at == datetime(1970, 1, 1, tzinfo=timezone.utc)


def test_vk_directory_reads_every_sample():
    records, rejects = collect(SAMPLES / "vk")
    assert (len(records), len(rejects)) == (18, 2)


def test_vk_error_response_is_a_reject():
    records, rejects = collect(FIXTURES / "vk" / "error_15.json")
    assert records == []
    assert where(rejects) == [
        ("error_15.json", None, "VK error 15: Access denied: this wall available only for community members"),
    ]


def test_vk_malformed_json_names_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"response": {"items": [\n  {"id": 1, "owner_id": -1, "text": "a"},\n  {"id": 2,,}\n]}}\n')
    records, rejects = collect(path)
    assert records == []
    assert where(rejects) == [
        ("broken.json", 3, "malformed JSON: Expecting property name enclosed in double quotes (line 3, column 12)"),
    ]


def test_vk_binary_junk_and_wrong_shapes(tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    array = tmp_path / "array.json"
    array.write_text("[1, 2]")
    items = tmp_path / "items.json"
    items.write_text(json.dumps({"response": {"items": ["x", {"id": 3, "owner_id": 5, "text": "  "}]}}))
    _, rejects = collect(junk, array, items)
    assert where(rejects) == [
        ("junk.json", None, "binary file, not text"),
        ("array.json", None, "not a VK API response (expected an object with 'response')"),
        ("items.json", None, "item 1: not a VK post or comment"),
        ("items.json", None, "item 2: empty text"),
    ]


def test_vk_missing_file_is_a_reject(tmp_path):
    _, rejects = collect(tmp_path / "nope.json")
    assert where(rejects) == [("nope.json", None, "cannot read file: No such file or directory")]


def test_vk_text_reduces_mentions_and_spaces():
    assert vk_text("[id1|Иван],  спасибо!\n\n\n[club2|ЦЗН] ") == "Иван, спасибо!\n\nЦЗН"
    assert vk_text(None) == ""


def test_vk_file_source_declares_itself():
    source = get_source("vk")
    assert isinstance(source, VKFileSource)
    assert (source.name, source.version, source.source_kind) == ("vk", "1", "social")
