from pathlib import Path

import pytest

from feedback_nlp.attribution import Attributor, Center, load_centers, region_names
from feedback_nlp.errors import InputError

DATA = Path(__file__).parents[1] / "data" / "attribution"


@pytest.fixture(scope="module")
def attributor():
    return Attributor(load_centers(DATA / "centers.csv"))


@pytest.mark.parametrize("text, region, center", [
    # inflected cities and region names
    ("Была в центре занятости в Твери", "Тверская область", None),
    ("Тверской обл. центр занятости не отвечает", "Тверская область", None),
    ("в тверском центре занятости очередь", "Тверская область", None),
    ("В Нижнем Новгороде помогли", "Нижегородская область", None),
    ("Живу во Владимире", "Владимирская область", None),
    # short forms and abbreviations
    ("В Татарстане всё хорошо", "Республика Татарстан", None),
    ("РТ, служба занятости", "Республика Татарстан", None),
    ("В Подмосковье ужас", "Московская область", None),
    ("СПб, нет парковки", "Санкт-Петербург", None),
    ("В Питере отвечают через месяц", "Санкт-Петербург", None),
    ("Сургут, ХМАО", "Ханты-Мансийский автономный округ — Югра", None),
    # centers' aliases give the center too
    ("Ржевский ЦЗН — одни отписки", "Тверская область", "tver-02"),
    ("В ЦЗН Вахитовского района хамят", "Республика Татарстан", "kazan-01"),
    # names and ordinary words are not places
    ("Владимир Петрович помог с резюме", None, None),
    ("орёл в небе", None, None),
    ("Московский район: новый офис", None, None),
    ("Инспектор грубит", None, None),
])
def test_attribute_text(attributor, text, region, center):
    got = attributor.attribute_text(text)
    assert (got.region, got.center_id) == (region, center)


@pytest.mark.parametrize("metadata, source, expected", [
    ({"owner_id": -210000101}, "", ("Тверская область", "tver-01", "channel")),
    ({}, "vk:-210000102", ("Тверская область", "tver-02", "channel")),
    ({"channel": "@CZN_Vakhitov"}, "", ("Республика Татарстан", "kazan-01", "channel")),
    ({"organisation": "ЦЗН Ржева", "address": "г. Ржев"}, "", ("Тверская область", "tver-02", "metadata")),
    ({}, "", (None, None, None)),
])
def test_attribute_from_metadata(attributor, metadata, source, expected):
    got = attributor.attribute("Очередь большая", metadata, source)
    assert (got.region, got.center_id, got.method) == expected


def test_given_center_fills_region(attributor):
    got = attributor.attribute("текст про Казань", {}, "", None, "tver-01")
    assert (got.region, got.center_id, got.method) == ("Тверская область", "tver-01", "given")


def test_user_spelling_of_region_wins():
    a = Attributor([Center("t1", "Тверская обл.", "ЦЗН Твери")])
    assert a.attribute_text("Была в Торжке").region == "Тверская обл."


def test_gazetteer_has_all_89_subjects():
    names = region_names()
    assert len(names) == len(set(names)) == 89


def test_load_centers_reports_bad_rows(tmp_path):
    path = tmp_path / "centers.csv"
    path.write_text("center_id,region,name\nc1,Тверская область,ЦЗН\nc1,,ЦЗН 2\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"centers.csv:3: region: '' — empty"):
        load_centers(path)
    with pytest.raises(InputError, match="duplicate id"):
        load_centers(path)


def test_attribution_testset_accuracy(attributor):
    from benchmarks.eval_attribution import evaluate, load_testset

    rows = load_testset(DATA / "attribution_testset.tsv")
    assert len(rows) >= 100
    report, _ = evaluate(rows, attributor)
    assert report["region_accuracy"] >= 0.95
