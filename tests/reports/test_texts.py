from __future__ import annotations

import pandas as pd

from feedback_nlp.mentions import mentions_from_store
from feedback_nlp.reports import analytics
from feedback_nlp.reports.texts import aspect_rows, load_items
from tests.reports.helpers import CORRECTED, PERIOD, TEXTS


def test_load_items_keeps_the_quarter_only(store, store_url):
    items = load_items(store, PERIOD)
    ids = store_url[1]
    assert set(items["id"]) == {ids[t[0]] for t in TEXTS if t[0] != "old"}
    assert len(load_items(store, PERIOD, "Республика Татарстан")) == 2


def test_a_correction_replaces_the_models_aspects(store, store_url):
    aspects = aspect_rows(load_items(store, PERIOD))
    corrected = aspects[aspects["item_id"] == store_url[1][CORRECTED]]
    assert corrected[["indicator", "polarity", "origin"]].values.tolist() == [["L1", 1, "correction"]]
    assert corrected["evidence"].tolist() == [[]]
    off_topic = aspects[aspects["item_id"] == store_url[1]["x1"]]
    assert off_topic.empty


def test_aspects_count_as_the_index_mentions(store):
    aspects = aspect_rows(load_items(store, PERIOD))
    mine = aspects.groupby(["region", "center_id", "indicator"]).size().sort_index()
    index = mentions_from_store(store, PERIOD).groupby(["region", "center_id", "indicator"]).size().sort_index()
    pd.testing.assert_series_equal(mine, index, check_names=False)


def test_negative_share_and_sources(store):
    aspects = aspect_rows(load_items(store, PERIOD))
    negative = analytics.negative_share(aspects, ["L4", "D2", "K1"]).set_index("indicator")
    assert negative.loc["L4", ["mentions", "negative", "positive"]].tolist() == [3, 3, 0]
    assert negative.loc["D2", ["mentions", "negative", "positive"]].tolist() == [3, 2, 1]
    assert negative.loc["D2", "negative_share"] == 2 / 3
    assert pd.isna(negative.loc["K1", "negative_share"]) and negative.loc["K1", "mentions"] == 0
    by_source = analytics.mentions_by_source(aspects, ["L4", "D2"])
    assert by_source.loc["L4"].to_dict() == {"social": 0, "review": 1, "call_center": 1, "email": 1,
                                             "complaint_book": 0}


def test_top_mentions_rank_by_the_strongest_aspect(store, store_url):
    aspects = aspect_rows(load_items(store, PERIOD))
    ids = store_url[1]
    worst = analytics.top_mentions(aspects, -1, n=2)
    assert [w["item_id"] for w in worst] == [ids["t1"], ids["e1"]]
    best = analytics.top_mentions(aspects, 1, n=10)
    # a corrected label has its polarity as sentiment, so it outranks the model's 0.9
    assert [(b["item_id"], b["sentiment"]) for b in best[:2]] == [(ids[CORRECTED], 1.0), (ids["k1"], 0.9)]
    assert all(a["sentiment"] > 0 for b in best for a in b["aspects"])
    assert analytics.top_mentions(aspects.iloc[0:0], -1) == []


def test_top_mentions_of_an_unattributed_item_have_no_region():
    aspects = pd.DataFrame([{"item_id": "a", "region": None, "center_id": None, "source_kind": "sms",
                             "created_at": None, "text": "грубо", "indicator": "D2", "group": "D", "sentiment": -0.9,
                             "polarity": -1, "confidence": 0.9, "evidence": [], "rule": "r", "origin": "model"},
                            {"item_id": "b", "region": "Тверская область", "center_id": "tver-01", "source_kind": "sms",
                             "created_at": None, "text": "грубо", "indicator": "D2", "group": "D", "sentiment": -0.5,
                             "polarity": -1, "confidence": 0.9, "evidence": [], "rule": "r", "origin": "model"}])
    worst = analytics.top_mentions(aspects, -1)
    assert [(w["region"], w["center_id"], w["created_at"]) for w in worst] == [
        (None, None, None), ("Тверская область", "tver-01", None)]


def test_text_aspects_from_a_store_url(store_url):
    from feedback_nlp.reports import text_aspects

    aspects, texts = text_aspects(store_url[0], PERIOD, "Тверская область")
    assert texts == 4 and set(aspects["center_id"]) == {"tver-01", "tver-02"}
