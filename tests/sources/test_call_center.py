"""Call-center logs: cp1251 ';' CSV and XLSX, client turns of transcripts, operator notes."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feedback_nlp.sources import get_source
from feedback_nlp.sources.call_center import client_turns

from .conftest import SAMPLES
from .helpers import split, where, write

MSK = timezone(timedelta(hours=3))


def test_call_center_cp1251_transcripts_keep_only_client_turns():
    path = SAMPLES / "call-center" / "hotline_2024-04_cp1251.csv"
    records, rejects = split(get_source("call-center").iter_items([path]))
    assert [(r.external_id, r.center_id, r.created_at) for r in records] == [
        ("CC-24-0001", "nsk-01", datetime(2024, 4, 1, 9, 12, tzinfo=MSK)),
        ("CC-24-0002", "nsk-02", datetime(2024, 4, 1, 11, 47, tzinfo=MSK)),
        ("CC-24-0003", "ekb-01", datetime(2024, 4, 2, 10, 5, tzinfo=MSK)),
        ("CC-24-0005", "ekb-02", datetime(2024, 4, 3, 12, 15, tzinfo=MSK)),
        ("CC-24-0006", "nsk-01", datetime(2024, 4, 3, 14, 0, tzinfo=MSK)),
    ]
    assert records[0].text == (
        "Здравствуйте. Я уже три недели жду пособие, в ЦЗН Новосибирска говорят ждать.\n"
        "000-000-000 00. Почему так долго? Это уже второй месяц так."
    )
    assert records[1].text == ("Хочу записаться к консультанту в Бердске, на сайте нет свободного времени.\n"
                               "Спасибо, очень выручили!")
    assert records[3].text == "инспектор Смирнова на приёме в Нижнем Тагиле накричала на меня и не приняла документы."
    assert records[0].metadata == {"topic": "Пособие", "text_from": "transcript", "author_id": "79130000011"}
    assert records[1].metadata["author_id"] == "79130000022"
    assert "author_id" not in records[4].metadata
    assert {r.source for r in records} == {"call-center:hotline_2024-04_cp1251.csv"}
    assert where(rejects) == [("hotline_2024-04_cp1251.csv", 11, "no client turns in transcript")]


def test_call_center_xlsx_operator_notes():
    path = SAMPLES / "call-center" / "tver_hotline_2024-04.xlsx"
    records, rejects = split(get_source("call-center").iter_items([path]))
    assert [(r.external_id, r.center_id, r.region, r.metadata.get("center")) for r in records] == [
        ("T-1021", "tver-01", "Тверская область", None),
        ("T-1022", None, "Тверская область", "ЦЗН Ржева"),
        ("T-1023", "tver-03", "Тверская область", None),
    ]
    assert records[0].text == "Гражданин жалуется, что пособие за март не пришло, в ЦЗН Твери не отвечают на звонки."
    assert records[0].metadata == {"topic": "Пособие", "text_from": "notes"}
    assert where(rejects) == [
        ("tver_hotline_2024-04.xlsx", 5, "empty text"),
        ("tver_hotline_2024-04.xlsx", 6, "date: unrecognised date 'вчера'"),
    ]


@pytest.mark.parametrize(
    "transcript, expected",
    [
        ("Оператор: Здравствуйте.\nКлиент: Жалоба на очередь.", "Жалоба на очередь."),
        ("Оператор: Слушаю. Абонент: Раз. Оператор: Да. Абонент: Два.", "Раз.\nДва."),
        ("ЗАЯВИТЕЛЬ: громко\nоператор: тихо", "громко"),
        ("Специалист: вопрос? Гражданка: ответ", "ответ"),
        ("Клиент:\nОператор: пусто у клиента", ""),
        ("Просто заметка без реплик", None),
        ("Клиентский сервис: не метка", None),
    ],
)
def test_client_turns(transcript, expected):
    assert client_turns(transcript) == expected


def test_call_center_column_mapping_and_missing_text_columns(tmp_path):
    good = write(tmp_path / "calls.csv", "Звонок;Диалог с гражданином\n1;Оператор: Да. Клиент: Нет.\n")
    bad = write(tmp_path / "bad.csv", "id;Дата\n1;01.04.2024\n")
    source = get_source("call-center", columns={"call_id": "Звонок", "transcript": "Диалог с гражданином"})
    records, rejects = split(source.iter_items([good, bad]))
    assert [(r.external_id, r.text) for r in records] == [("1", "Нет.")]
    assert [(name, line, reason.split(" (")[0]) for name, line, reason in where(rejects)] == [
        ("bad.csv", 1, "no transcript or notes column"),
    ]
