"""Media-monitoring exports (CSV/XLSX) with Russian headers and configurable columns."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feedback_nlp.sources import get_source

from .conftest import SAMPLES
from .helpers import split, where, write

MSK = timezone(timedelta(hours=3))


def test_media_csv_sample_records_and_rejects():
    records, rejects = split(get_source("media-csv").iter_items([SAMPLES / "media-csv" / "monitoring_2024q2.csv"]))
    assert [(r.source, r.external_id, r.created_at, r.region) for r in records] == [
        ("media-csv:Тверские вести", "https://tver-vesti.example.ru/news/2024/04/12/yarmarka",
         datetime(2024, 4, 12, 17, 20, tzinfo=MSK), "Тверская область"),
        ("media-csv:Вечерняя Казань", "https://evening-kazan.example.ru/2024/04/16/czn",
         datetime(2024, 4, 16, 10, 0, tzinfo=MSK), "Республика Татарстан"),
        ("media-csv:Новосибирские новости", "https://nsk-news.example.ru/society/2024-04-18-posobie",
         datetime(2024, 4, 18, tzinfo=MSK), "Новосибирская область"),
        ("media-csv:Уральский рабочий", "https://ural-worker.example.ru/2024/04/19/czn-remont",
         datetime(2024, 4, 19, 9, 30, tzinfo=MSK), "Свердловская область"),
        ("media-csv:Тагил сегодня", "https://tagil-today.example.ru/roads-2024",
         datetime(2024, 4, 20, 12, 0, tzinfo=MSK), "Свердловская область"),
        ("media-csv:Бердские ведомости", "https://berdsk-ved.example.ru/2024/04/22/czn-lift",
         datetime(2024, 4, 22, 8, 45, tzinfo=MSK), "Новосибирская область"),
    ]
    assert records[0].text == (
        "В Твери прошла весенняя ярмарка вакансий\n\nБолее 300 жителей Твери посетили ярмарку вакансий в "
        "центре занятости на ул. Советской.\n\n«Пришла за вакансией бухгалтера, получила три приглашения», "
        "— рассказала посетительница Елена Михайловна Соколова."
    )
    assert records[0].url == records[0].external_id
    assert records[0].metadata == {"outlet": "Тверские вести", "title": "В Твери прошла весенняя ярмарка вакансий"}
    assert where(rejects) == [
        ("monitoring_2024q2.csv", 8, "empty text"),
        ("monitoring_2024q2.csv", 9, "date: unrecognised date '31.04.2024 11:00'"),
    ]


def test_media_xlsx_sample_with_other_headers():
    records, rejects = split(get_source("media-csv").iter_items([SAMPLES / "media-csv" / "monitoring_may.xlsx"]))
    assert rejects == []
    assert [(r.metadata["outlet"], r.created_at) for r in records] == [
        ("Новости Татарстана", datetime(2024, 5, 6, 11, 0, tzinfo=MSK)),
        ("Тверь онлайн", datetime(2024, 5, 7, 14, 30, tzinfo=MSK)),
        ("E1.ru-подобный портал", datetime(2024, 5, 8, 9, 0, tzinfo=MSK)),
    ]
    assert records[1].text.startswith("Ржевский ЦЗН ввёл запись по телефону\n\nПосле публикаций")


def test_media_csv_column_mapping_option(tmp_path):
    path = write(tmp_path / "export.csv", "Когда,Издание,Материал,Адрес\n01.04.2024,Газета,Текст статьи,https://x.test/1\n")
    source = get_source("media-csv", columns={"date": "Когда", "outlet": "Издание", "text": "Материал", "url": "Адрес"})
    [record] = source.iter_items([path])
    assert (record.source, record.text, record.url, record.external_id) == (
        "media-csv:Газета", "Текст статьи", "https://x.test/1", "https://x.test/1",
    )


def test_media_csv_title_only_and_no_url(tmp_path):
    path = write(tmp_path / "t.csv", "Заголовок;Дата\nЦЗН Твери переехал;01.04.2024\n")
    [record] = get_source("media-csv").iter_items([path])
    assert (record.text, record.external_id, record.source) == ("ЦЗН Твери переехал", "t.csv:2", "media-csv:t.csv")


def test_media_csv_unknown_column_option_is_an_error():
    with pytest.raises(ValueError, match="unknown field"):
        get_source("media-csv", columns={"body": "Текст"})
