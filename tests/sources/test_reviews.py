"""Review-portal exports: Yandex-Maps-like JSON, 2GIS-like CSV, ratings 1..5."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from feedback_nlp.sources import get_source

from .conftest import SAMPLES
from .helpers import split, where, write

MSK = timezone(timedelta(hours=3))


def test_reviews_json_nested_fields_and_bad_ratings():
    records, rejects = split(get_source("reviews").iter_items([SAMPLES / "reviews" / "yandex_maps_2024-04.json"]))
    assert [(r.external_id, r.rating) for r in records] == [
        ("ym-5001", 5.0), ("ym-5002", 1.0), ("ym-5003", 4.0), ("ym-5004", 2.0), ("ym-5007", 5.0),
    ]
    first = records[0]
    assert (first.source, first.source_kind) == ("reviews:Яндекс Карты", "review")
    assert first.created_at == datetime(2024, 4, 3, 12, 14, 8, 120000, tzinfo=timezone.utc)
    assert first.text == ("Очень вежливые сотрудники, консультант помогла с резюме и подобрала курсы. "
                          "Записалась онлайн, ждать не пришлось.")
    assert first.metadata == {
        "organisation": "ЦЗН города Твери", "address": "Тверь, Советская улица, 7",
        "platform": "Яндекс Карты", "author_id": "Светлана К.",
    }
    assert where(rejects) == [
        ("yandex_maps_2024-04.json", None, "item 5: rating 7 outside 1..5"),
        ("yandex_maps_2024-04.json", None, "item 6: empty text"),
    ]


def test_reviews_csv_with_center_ids():
    records, rejects = split(get_source("reviews").iter_items([SAMPLES / "reviews" / "2gis_export.csv"]))
    assert [(r.external_id, r.rating, r.center_id, r.created_at) for r in records] == [
        ("2g-77120", 3.0, "nsk-01", datetime(2024, 4, 2, 19, 5, tzinfo=MSK)),
        ("2g-77121", 5.0, "nsk-02", datetime(2024, 4, 6, 10, 40, tzinfo=MSK)),
        ("2g-77122", 1.0, "nsk-01", datetime(2024, 4, 9, 14, 22, tzinfo=MSK)),
        ("2g-77124", 5.0, "ekb-01", datetime(2024, 4, 19, 12, 0, tzinfo=MSK)),
        ("2g-77125", 2.0, "ekb-02", datetime(2024, 4, 21, 18, 30, tzinfo=MSK)),
    ]
    assert where(rejects) == [("2gis_export.csv", 5, "rating 'пять' is not a number")]


def test_reviews_rating_edge_values(tmp_path):
    path = write(tmp_path / "r.csv", "rating,text\n1,a\n5,b\n\"4,5\",c\n0,d\n5.5,e\n,f\n")
    records, rejects = split(get_source("reviews").iter_items([path]))
    assert [(r.text, r.rating) for r in records] == [("a", 1.0), ("b", 5.0), ("c", 4.5), ("f", None)]
    assert where(rejects) == [("r.csv", 5, "rating 0 outside 1..5"), ("r.csv", 6, "rating 5.5 outside 1..5")]
