import json
from pathlib import Path

import pytest

from feedback_nlp.privacy import Redactor, hash_author, redact_patterns

TESTSET = Path(__file__).parents[1] / "data" / "pii" / "pii_testset.jsonl"


@pytest.mark.parametrize("text, expected", [
    # names of staff and clients go, role words stay
    ("Инспектор Иванова Мария Петровна грубо ответила.", "Инспектор [ФИО] грубо ответила."),
    ("Спасибо Ольге Николаевне за помощь!", "Спасибо [ФИО] за помощь!"),
    ("Специалист Петрова И.И. всё объяснила.", "Специалист [ФИО] всё объяснила."),
    ("Обращалась к С. В. Морозову, тел. 8 (4822) 55-12-34",
     "Обращалась к [ФИО], тел. [ТЕЛЕФОН]"),
    ("Директор Сидоров обещал разобраться, пишите anna@yandex.ru",
     "Директор [ФИО] обещал разобраться, пишите [EMAIL]"),
    ("СНИЛС 112-233-445 95, паспорт 45 09 123456, ИНН 500100732259, карта 4276 3800 1234 5675",
     "СНИЛС [СНИЛС], паспорт [ПАСПОРТ], ИНН [ИНН], карта [КАРТА]"),
    # public entities stay
    ("ЦЗН Центрального района Твери и «Работа России» не отвечают.",
     "ЦЗН Центрального района Твери и «Работа России» не отвечают."),
    ("Инспектор грубит, директор не принимает.", "Инспектор грубит, директор не принимает."),
    ("", ""),
])
def test_redactor_replaces_with_typed_placeholders(redactor, text, expected):
    assert redactor(text).text == expected


def test_redactor_map_keeps_order_and_counts(redactor):
    out = list(redactor.map(["Звоните 89051234567", "Всё хорошо", "Инспектор Волкова, 55-12-34"]))
    assert [r.text for r in out] == ["Звоните [ТЕЛЕФОН]", "Всё хорошо", "Инспектор [ФИО], [ТЕЛЕФОН]"]
    assert [r.counts for r in out] == [{"PHONE": 1}, {}, {"PER": 1, "PHONE": 1}]


def test_redact_patterns_without_ner():
    assert redact_patterns("Петров А.В., +7 912 345-67-89") == "[ФИО], [ТЕЛЕФОН]"


def test_hash_author_is_salted_and_stable():
    assert hash_author("id42", "salt") == hash_author("id42", "salt")
    assert hash_author("id42", "salt") != hash_author("id42", "pepper")
    assert len(hash_author("id42", "salt")) == 32 and "id42" not in hash_author("id42", "salt")


def test_pii_testset_meets_recall_targets(redactor):
    from benchmarks.eval_pii import TARGETS, evaluate

    rows = [json.loads(line) for line in TESTSET.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 200
    report, _ = evaluate(rows, redactor)
    for kind, target in TARGETS.items():
        assert report[kind]["recall"] >= target, kind
        assert report[kind]["precision"] >= 0.9, kind
