from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect

from feedback_nlp.ingest import IngestOptions, Pipeline
from feedback_nlp.attribution import Attributor
from feedback_nlp.schema import Feedback
from feedback_nlp.store import (
    Correction, ItemFilter, add_correction, count_items, create_api_key, find_api_key,
    item_id, list_corrections, list_predictions, open_store, query_items, revoke_api_key,
    save_predictions, store_salt, unclassified_items,
)

T0 = datetime(2022, 5, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(store_url):  # SQLite, and PostgreSQL with FEEDBACK_NLP_TEST_PG_URL (tests/conftest.py)
    s = open_store(store_url)
    yield s
    s.close()


def fill(store, items):
    pipeline = Pipeline(store, None, Attributor(), IngestOptions(redact=False, salt="s"))
    return pipeline.run(items)


ITEMS = [
    Feedback("social", "vk:-1", "1", "В Твери очередь огромная", created_at=T0),
    Feedback("review", "reviews:a", "2", "Казань, всё ОЧЕНЬ хорошо", created_at=T0 + timedelta(days=40)),
    Feedback("social", "vk:-1", "3", "Ничего не понятно", created_at=T0 + timedelta(days=80)),
    Feedback("sms", "sms:f", "4", "Очередь в Ржеве", created_at=None),
]


def test_open_store_creates_tables_and_reopens(tmp_path):
    url = f"sqlite:///{tmp_path / 'sub' / 'x.db'}"
    open_store(url).close()
    store = open_store(url)  # migrations are idempotent
    names = set(inspect(store.engine).get_table_names())
    assert {"feedback", "batches", "predictions", "corrections", "api_keys", "near_keys",
            "settings", "alembic_version"} <= names
    store.close()


@pytest.mark.parametrize("filters, expected", [
    (ItemFilter(), ["1", "2", "3", "4"]),
    (ItemFilter(region="Тверская область"), ["1", "4"]),
    (ItemFilter(source_kind="social"), ["1", "3"]),
    (ItemFilter(since=T0 + timedelta(days=1)), ["2", "3"]),
    (ItemFilter(until=T0 + timedelta(days=41)), ["1", "2"]),
    (ItemFilter(query="очень"), ["2"]),        # Cyrillic, case-insensitive
    (ItemFilter(query="ОЧЕРЕДЬ"), ["1", "4"]),
    (ItemFilter(query="100%"), []),
    (ItemFilter(unattributed=True), ["3"]),
])
def test_query_items_filters(store, filters, expected):
    fill(store, ITEMS)
    items, cursor = query_items(store, filters, limit=10)
    assert [i.external_id for i in items] == expected
    assert cursor is None
    assert count_items(store, filters) == len(expected)


def test_query_items_pages_with_cursor(store):
    fill(store, ITEMS)
    first, cursor = query_items(store, limit=3)
    rest, end = query_items(store, after=cursor, limit=3)
    assert [i.external_id for i in first] == ["1", "2", "3"]
    assert [i.external_id for i in rest] == ["4"] and end is None


def test_created_at_round_trips_as_aware_utc(store):
    fill(store, [Feedback("social", "vk:-1", "1", "текст",
                          created_at=datetime(2022, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=3))))])
    (item,), _ = query_items(store)
    assert item.created_at == datetime(2022, 5, 1, 9, 0, tzinfo=timezone.utc)
    assert item.id == item_id("vk:-1", "1")


def test_predictions_accumulate_and_unclassified_follows_model_version(store):
    fill(store, ITEMS)
    ids = [i.id for i in query_items(store)[0]]
    assert len(list(unclassified_items(store, "rules", "1"))) == 4
    save_predictions(store, "rules", "1", [(ids[0], {"relevant": True}), (ids[1], {"relevant": False})])
    save_predictions(store, "rules", "1", [(ids[0], {"relevant": False})])
    assert [i.id for i in unclassified_items(store, "rules", "1")] == ids[2:]
    assert len(list(unclassified_items(store, "rules", "2"))) == 4
    assert [p.prediction for p in list_predictions(store, ids[0])] == [{"relevant": True},
                                                                       {"relevant": False}]


def test_corrections_never_overwrite_predictions(store):
    fill(store, ITEMS)
    target = query_items(store)[0][0].id
    save_predictions(store, "rules", "1", [(target, {"relevant": True})])
    saved = add_correction(store, Correction(target, "metod1", "methodologist",
                                             {"relevant": True, "labels": [{"indicator": "D2", "polarity": -1}]},
                                             reason="грубость"))
    assert saved.id == 1 and saved.created_at is not None
    assert [c.labels["labels"] for c in list_corrections(store)] == [[{"indicator": "D2", "polarity": -1}]]
    assert [p.prediction for p in list_predictions(store, target)] == [{"relevant": True}]


def test_api_keys_are_stored_hashed(store):
    key, record = create_api_key(store, "region_operator", region="Тверская область", name="tver")
    assert find_api_key(store, key).region == "Тверская область"
    assert find_api_key(store, key + "x") is None
    revoke_api_key(store, record.id)
    assert find_api_key(store, key) is None
    with pytest.raises(ValueError, match="needs a region"):
        create_api_key(store, "region_operator")


def test_store_salt_is_generated_once(store):
    assert store_salt(store) == store_salt(store)
    assert len(store_salt(store)) == 32
