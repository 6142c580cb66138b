"""E-mail: .eml and mbox, RFC 2047 headers, koi8-r/cp1251 bodies, HTML, quoted replies."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from feedback_nlp.sources import get_source
from feedback_nlp.sources.mail import parse_message, strip_quoted

from .conftest import SAMPLES
from .helpers import split, where

MAIL = SAMPLES / "email"


def collect(*paths):
    return split(get_source("email").iter_items(list(paths)))


def test_email_koi8r_plain_with_encoded_headers_and_signature():
    [record], rejects = collect(MAIL / "zhaloba_tver_koi8r.eml")
    assert rejects == []
    assert record.text == (
        "Здравствуйте!\n\nПишу по поводу работы ЦЗН города Твери. 12 апреля я пришла на приём к 10:00 по записи,\n"
        "но приняли меня только в 11:40. Инспектор сказала, что запись \"ничего не гарантирует\".\n"
        "Прошу разобраться. Мой телефон для связи: +7 (915) 000-22-33."
    )
    assert record.metadata == {"subject": "Жалоба на ожидание приёма", "author_id": "m.petrova@example.ru"}
    assert (record.source, record.external_id, record.source_kind) == (
        "email:zhaloba_tver_koi8r.eml", "20240415091245.1@mail.example.ru", "email",
    )
    assert record.created_at == datetime(2024, 4, 15, 6, 12, 45, tzinfo=timezone.utc)


def test_email_cp1251_html_only_body_is_stripped():
    [record], _ = collect(MAIL / "blagodarnost_kazan_cp1251.eml")
    assert record.text == (
        "Добрый день!\n\nХочу поблагодарить сотрудников ЦЗН Приволжского района за помощь в переобучении. "
        "Курсы по 1С прошли отлично, уже работаю.\n\nС уважением,\nРустам"
    )
    assert record.metadata["subject"] == "Благодарность"


def test_email_reply_prefers_plain_part_and_drops_the_quote():
    [record], _ = collect(MAIL / "reply_nsk_utf8.eml")
    assert record.text == ("Спасибо за ответ, но документы я уже приносил дважды. Почему нельзя было сразу сказать,\n"
                           "что нужна справка с последнего места работы?")
    assert record.metadata == {"subject": "Re: Ваше обращение №4512", "author_id": "andrey.v@example.net"}
    assert record.created_at.utcoffset() == timedelta(hours=7)


def test_email_mbox_messages_with_lines():
    records, rejects = collect(MAIL / "inbox_ekb_2024-04.mbox")
    assert [r.external_id for r in records] == ["mbox-1@example.org", "mbox-3@example.org"]
    assert records[0].text == ("Дозвониться на горячую линию ЦЗН Екатеринбурга невозможно, занято по 40 минут.\n"
                               "From the website I learned nothing either.\n"
                               "Добавьте, пожалуйста, онлайн-чат.")
    assert where(rejects) == [("inbox_ekb_2024-04.mbox", 20, "empty text")]


def test_email_directory():
    records, rejects = collect(MAIL)
    assert (len(records), len(rejects)) == (5, 1)


def test_email_bad_inputs(tmp_path):
    junk = tmp_path / "junk.eml"
    junk.write_bytes(b"\x00\x01\x02\x03binary")
    headless = tmp_path / "headless.eml"
    headless.write_bytes("просто текст без заголовков\n".encode())
    odd = tmp_path / "odd.eml"
    odd.write_bytes(b"From: a@b.test\nDate: not a date\nContent-Type: text/plain; charset=x-unknown\n\n"
                    + "Текст в неизвестной кодировке".encode("cp1251"))
    records, rejects = collect(junk, headless, odd)
    assert where(rejects) == [
        ("junk.eml", None, "binary file, not an e-mail message"),
        ("headless.eml", None, "not an e-mail message (no headers)"),
    ]
    assert [(r.text, r.created_at, r.external_id) for r in records] == [("Текст в неизвестной кодировке", None, "odd.eml")]


def test_email_without_zone_is_moscow_time():
    record = parse_message("From: a@b.test\nDate: Mon, 15 Apr 2024 09:00:00 -0000\n\nТекст\n".encode(), "x.eml")
    assert record.created_at == datetime(2024, 4, 15, 9, 0, tzinfo=timezone(timedelta(hours=3)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Новое\n> старое\n>> совсем старое\nещё новое", "Новое\nещё новое"),
        ("Ответ\n\n-----Original Message-----\nFrom: x\nстарое", "Ответ"),
        ("Ответ\n-------- Пересылаемое сообщение --------\nстарое", "Ответ"),
        ("Ответ\n\nПн, 15 апр. 2024 г. в 10:00, ЦЗН <info@czn.test> пишет:\n> старое", "Ответ"),
        ("Answer\nOn Mon, Apr 15, 2024 at 10:00 AM Someone <a@b.test> wrote:\n> old", "Answer"),
        ("Ответ\nОт: ЦЗН Твери <info@czn.test>\nОтправлено: 15 апреля", "Ответ"),
        ("Текст\n-- \nПодпись с телефоном", "Текст"),
        ("Текст, в котором от: ничего не режется", "Текст, в котором от: ничего не режется"),
    ],
)
def test_strip_quoted(text, expected):
    assert strip_quoted(text) == expected
