"""HTML stripping, whitespace cleaning and safe excerpts shared by the collectors."""
from __future__ import annotations

import pytest

from feedback_nlp.sources.text import clean_text, safe_excerpt, strip_html


@pytest.mark.parametrize(
    "html, expected",
    [
        ("<p>Первый абзац.</p><p>Второй <b>абзац</b>.</p>", "Первый абзац.\n\nВторой абзац."),
        ("<ul><li>очередь;</li><li>запись</li></ul>", "очередь;\nзапись"),
        ("строка<br>ещё строка<br/>", "строка\nещё строка"),
        ("&laquo;ЦЗН&raquo; &amp; «Работа России»&nbsp;— да", "«ЦЗН» & «Работа России» — да"),
        ("<script>var x = 1;</script><style>p{}</style>Текст", "Текст"),
        ("Без разметки:  a < b и b > c", "Без разметки: a < b и b > c"),
        ("", ""),
    ],
)
def test_strip_html(html, expected):
    assert strip_html(html) == expected


def test_clean_text_keeps_one_blank_line_between_paragraphs():
    assert clean_text("  a \t b \r\n\r\n\r\n\n c\u00a0d  ") == "a b\n\nc d"


def test_safe_excerpt_masks_digits_and_emails():
    assert safe_excerpt("Звоните 8-915-000-11-22 или ivan@example.ru") == "Звоните #-###-###-##-## или [EMAIL]"
    assert safe_excerpt("а" * 50) == "а" * 39 + "…"
