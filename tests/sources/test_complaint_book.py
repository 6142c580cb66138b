"""Complaint books: plain-text transcriptions by blocks, and CSV registers."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from feedback_nlp.sources import get_source
from feedback_nlp.sources.complaint_book import parse_book_text

from .conftest import SAMPLES
from .helpers import split, where, write

MSK = timezone(timedelta(hours=3))


def test_complaint_book_text_blocks_with_headers():
    path = SAMPLES / "complaint-book" / "kazan-02_kniga_2024.txt"
    records, rejects = split(get_source("complaint-book").iter_items([path]))
    assert [(r.external_id, r.created_at, r.metadata) for r in records] == [
        ("kazan-02_kniga_2024.txt:№1", datetime(2024, 4, 2, tzinfo=MSK), {"entry_number": "1"}),
        ("kazan-02_kniga_2024.txt:№2", datetime(2024, 4, 5, tzinfo=MSK), {"entry_number": "2"}),
        ("kazan-02_kniga_2024.txt:№3", None, {"entry_number": "3"}),
        ("kazan-02_kniga_2024.txt:10", datetime(2024, 4, 15, tzinfo=MSK), {}),
        ("kazan-02_kniga_2024.txt:18", None, {}),
    ]
    assert records[3].text == "Записалась через портал «Работа России», приняли точно по времени. Спасибо!"
    assert {(r.source, r.source_kind) for r in records} == {("complaint-book:kazan-02_kniga_2024.txt", "complaint_book")}
    assert where(rejects) == [
        ("kazan-02_kniga_2024.txt", 13, "empty text"),
        ("kazan-02_kniga_2024.txt", 15, "date: unrecognised date '31.04.2024'"),
    ]


def test_complaint_book_header_forms():
    text = "Запись № 7, 01.04.2024 10:30\nпервая\n\n\n  \n01.04.24:\nвторая\nстрока\n\nЗапись 9.\nтретья\n"
    records = list(parse_book_text(text, "/x/b.txt"))
    assert [(r.external_id, r.created_at, r.text) for r in records] == [
        ("b.txt:№7", datetime(2024, 4, 1, 10, 30, tzinfo=MSK), "первая"),
        ("b.txt:6", datetime(2024, 4, 1, tzinfo=MSK), "вторая\nстрока"),
        ("b.txt:№9", None, "третья"),
    ]


def test_complaint_book_csv_register():
    path = SAMPLES / "complaint-book" / "registry_tver_ekb.csv"
    records, rejects = split(get_source("complaint-book").iter_items([path]))
    assert [(r.external_id, r.center_id, r.region, r.metadata) for r in records] == [
        ("registry_tver_ekb.csv:№12", "tver-01", "Тверская область",
         {"entry_type": "жалоба", "author_id": "Кузнецов Игорь Олегович"}),
        ("registry_tver_ekb.csv:№13", "tver-02", "Тверская область",
         {"entry_type": "предложение", "author_id": "Белова Н. А."}),
        ("registry_tver_ekb.csv:№14", "ekb-01", "Свердловская область",
         {"entry_type": "благодарность", "author_id": "Рахимов Т."}),
        ("registry_tver_ekb.csv:№17", None, "Свердловская область",
         {"center": "ЦЗН Нижнего Тагила", "entry_type": "жалоба", "author_id": "Мельникова Ольга"}),
    ]
    assert where(rejects) == [
        ("registry_tver_ekb.csv", 5, "empty text"),
        ("registry_tver_ekb.csv", 6, "expected 7 fields, got 8"),
    ]


def test_complaint_book_cp1251_text_and_binary(tmp_path):
    text = write(tmp_path / "old.txt", "12.03.2024\nХолодно в зале ожидания.\n", "cp1251")
    junk = tmp_path / "scan.txt"
    junk.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF")
    records, rejects = split(get_source("complaint-book").iter_items([text, junk]))
    assert [(r.text, r.created_at) for r in records] == [("Холодно в зале ожидания.", datetime(2024, 3, 12, tzinfo=MSK))]
    assert where(rejects) == [("scan.txt", None, "binary file, not text")]
