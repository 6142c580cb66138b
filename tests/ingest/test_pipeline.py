import logging

import pytest

from feedback_nlp.attribution import Attributor
from feedback_nlp.ingest import IngestOptions, Pipeline
from feedback_nlp.schema import Feedback
from feedback_nlp.sources.base import Reject
from feedback_nlp.store import ItemFilter, query_items
from feedback_nlp.store.items import get_raw_text

POST = ("Была в ЦЗН в Твери, инспектор Иванова Мария Петровна грубо разговаривала, "
        "звонила на 8 (4822) 55-12-34 много раз, никто не отвечает. Очередь огромная.")


def run(store, records, redactor=None, **options):
    opts = IngestOptions(redact=redactor is not None, salt="test-salt", **options)
    return Pipeline(store, redactor, Attributor(), opts).run(records)


def test_ingest_redacts_attributes_and_hashes_author(store, redactor):
    counts = run(store, [Feedback("social", "vk:-1", "1", POST, metadata={"from_id": 777, "likes": 3})],
                 redactor)
    assert counts.summary() == ("read 1 · stored 1 · duplicate 0 · near-duplicate 0 · rejected 0 · "
                                "unattributed 0 · truncated 0")
    (item,), _ = query_items(store)
    assert item.text == ("Была в ЦЗН в Твери, инспектор [ФИО] грубо разговаривала, звонила на "
                         "[ТЕЛЕФОН] много раз, никто не отвечает. Очередь огромная.")
    assert item.region == "Тверская область"
    assert item.metadata == {"likes": 3}
    assert item.author_hash is not None and "777" not in item.author_hash
    assert get_raw_text(store, item.id) is None


def test_keep_raw_text_stores_the_original(store, redactor):
    run(store, [Feedback("social", "vk:-1", "1", POST)], redactor, keep_raw_text=True)
    (item,), _ = query_items(store)
    assert get_raw_text(store, item.id) == POST


def test_reingest_stores_nothing_new(store):
    records = [Feedback("social", "vk:-1", str(i), f"Отзыв номер {i}") for i in range(5)]
    assert run(store, records, batch_size=2).stored == 5
    again = run(store, records, batch_size=2)
    assert (again.read, again.stored, again.duplicate) == (5, 0, 5)


def test_near_duplicates_across_sources_are_linked_not_counted_twice(store):
    original = Feedback("social", "vk:-1", "p1", POST)
    repost = Feedback("social", "telegram:chat", "m9", "Репост из ВК: " + POST + " #цзн")
    copy = Feedback("media", "rss:news", "a1", POST.upper())
    other = Feedback("review", "reviews:x", "r1", "Совсем другой отзыв про ярмарку вакансий в Казани, всё понравилось")
    run(store, [original])
    counts = run(store, [repost, copy, other])
    assert (counts.stored, counts.near_duplicate) == (3, 2)
    items, _ = query_items(store)
    by_ext = {i.external_id: i for i in items}
    assert by_ext["m9"].duplicate_of == by_ext["p1"].id
    assert by_ext["a1"].duplicate_of == by_ext["p1"].id
    assert by_ext["r1"].duplicate_of is None
    originals, _ = query_items(store, ItemFilter(include_duplicates=False))
    assert [i.external_id for i in originals] == ["p1", "r1"]


def test_short_common_texts_are_not_duplicates(store):
    counts = run(store, [Feedback("sms", "sms:a", "1", "Спасибо большое!"),
                         Feedback("sms", "sms:b", "2", "Спасибо большое!")])
    assert (counts.stored, counts.near_duplicate) == (2, 0)


@pytest.mark.parametrize("record, reason", [
    (Feedback("social", "vk:-1", "1", "   "), "empty text"),
    (Feedback("social", "vk:-1", "1", "\x00\x01\x02PK\x03\x04" * 5), "binary or undecodable content"),
    (Feedback("forum", "vk:-1", "1", "текст"), "unknown source_kind 'forum'"),
    (Reject("calls.csv", 7, "malformed row"), "malformed row"),
])
def test_bad_records_are_rejected_with_a_reason(store, record, reason):
    rejected = []
    opts = IngestOptions(redact=False, salt="s")
    counts = Pipeline(store, None, Attributor(), opts).run(
        [record, Feedback("social", "vk:-1", "ok", "нормальный текст")], rejected.append)
    assert (counts.read, counts.stored, counts.rejected) == (2, 1, 1)
    assert [r.reason for r in rejected] == [reason]


def test_long_text_is_truncated_and_flagged_html_stripped(store):
    counts = run(store, [Feedback("media", "rss:x", "1", "<p>Очень&nbsp;длинно</p>" + "а" * 50)],
                 max_chars=20)
    assert counts.truncated == 1
    (item,), _ = query_items(store)
    assert item.text == "Очень\xa0длинно\nаааааааа"[:20]
    assert item.flags == ("html_stripped", "truncated")


def test_failing_source_leaves_no_half_batch(store):
    def records():
        yield Feedback("social", "vk:-1", "1", "первый")
        yield Feedback("social", "vk:-1", "2", "второй")
        yield Feedback("social", "vk:-1", "3", "третий")
        raise RuntimeError("source broke")

    with pytest.raises(RuntimeError):
        run(store, records(), batch_size=2)
    items, _ = query_items(store)
    assert [i.external_id for i in items] == ["1", "2"]


def test_personal_data_never_reaches_logs(store, redactor, caplog):
    caplog.set_level(logging.DEBUG)
    records = [Feedback("social", "vk:-1", str(i), POST + f" ivanova{i}@mail.ru",
                        metadata={"from_id": "id123456"}) for i in range(3)]
    records.append(Feedback("social", "vk:-1", "x", "\x00\x01 Иванова 89051234567"))
    run(store, records, redactor)
    assert caplog.records  # the pipeline does log
    for secret in ("Иванова", "55-12-34", "@mail.ru", "id123456", "89051234567"):
        assert secret not in caplog.text
