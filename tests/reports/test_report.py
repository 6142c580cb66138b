"""The written report: every region, the flags, the charts, the highlighted evidence, the workbook."""
from __future__ import annotations

import base64
import re
from html.parser import HTMLParser

import pytest
from openpyxl import load_workbook

from feedback_nlp.reports import build_report
from feedback_nlp.reports.analytics import FLAG_NAMES
from feedback_nlp.reports.html import render_html
from tests.reports.helpers import PERIOD


class Marks(HTMLParser):
    """Text of every ``<mark>`` with its indicators, and every ``<img src>``."""

    def __init__(self) -> None:
        super().__init__()
        self.marks: list[tuple[str, str]] = []
        self.images: list[str] = []
        self._open: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "mark":
            self._open, self._text = attrs["data-indicators"], ""
        if tag == "img":
            self.images.append(attrs["src"])

    def handle_data(self, data):
        if self._open is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "mark":
            self.marks.append((self._open, self._text))
            self._open = None


@pytest.fixture(scope="module")
def page(written) -> str:
    return written["html"].read_text(encoding="utf-8")


def test_report_lists_every_region_with_its_rank(page, report):
    rows = re.findall(r'<tr data-region="([^"]+)"', page)
    assert rows == list(report.result.regions["region"])
    assert len(rows) == 4
    assert "Свердловская область" in rows[-1]  # insufficient sample: after the ranked ones
    assert re.search(r'<td class="num">—</td><td>Свердловская область</td>', page)


def test_flags_are_shown_plainly(page, report):
    assert report.flag_counts["insufficient_sample"] == 1
    rating = page[page.index('id="rating"'):page.index('id="profiles"')]
    assert rating.count(f'class="flag flag-insufficient_sample"') == 1
    flagged = page[page.index('class="flagged"'):page.index('id="texts"')]
    partial = int(report.result.indicators["partial"].sum())
    assert partial > 0 and flagged.count("flag flag-partial") == partial
    for name in FLAG_NAMES.values():
        assert name in page


def test_every_region_and_center_gets_a_radar(page, report):
    for region in report.result.centers["region"].unique():
        assert f'alt="Профиль региона {region}"' in page
    for center in report.result.centers["center_id"]:
        assert f'alt="Профиль центра {center}"' in page


def test_charts_are_embedded_svg_and_nothing_is_fetched(page):
    parser = Marks()
    parser.feed(page)
    assert len(parser.images) >= 4 + 10 + 1 + 2  # radars of regions and centers, heatmap, two text charts
    for src in parser.images:
        assert src.startswith("data:image/svg+xml;base64,")
        svg = base64.b64decode(src.split(",", 1)[1]).decode("utf-8")
        assert "<svg" in svg and "</svg>" in svg
    assert not re.search(r'(src|href)="(https?:)?//', page)


def test_highlighted_evidence_equals_the_span_text(page, report):
    parser = Marks()
    parser.feed(page)
    expected = [(a["indicator"], s["text"]) for item in report.most_negative + report.most_positive
                for a in item["aspects"] for s in a["evidence"]]
    assert expected and sorted(parser.marks) == sorted(expected)
    assert ("D2", "грубо") in parser.marks


def test_heatmap_covers_every_center_and_indicator(report):
    assert report.matrix.shape == (10, 18)
    assert report.matrix.max().max() <= 1.0 + 1e-9


def test_region_report_keeps_the_rating_but_only_its_centers(report):
    one = build_report(report.result, report.aspects, region="Республика Татарстан")
    assert set(one.result.centers["region"]) == {"Республика Татарстан"}
    assert len(one.rating) == 4
    assert set(one.aspects["region"]) == {"Республика Татарстан"}
    page = render_html(one)
    assert 'class="selected"' in page and "kazan-01" in page and "tver-01" not in page


def test_workbook_has_every_region_flags_and_texts(written, report):
    wb = load_workbook(written["xlsx"])
    assert wb.sheetnames == ["Сводка", "Рейтинг", "Центры", "Показатели", "Отметки", "Упоминания", "Негативные",
                             "Позитивные", "Тексты", "Графики"]
    rating = list(wb["Рейтинг"].iter_rows(min_row=2, values_only=True))
    assert [r[1] for r in rating] == list(report.result.regions["region"])
    assert rating[-1][0] is None and "insufficient_sample" in rating[-1][6]
    flagged = list(wb["Отметки"].iter_rows(min_row=2, values_only=True))
    assert len(flagged) == len(report.flagged)
    texts = list(wb["Тексты"].iter_rows(min_row=2, values_only=True))
    assert len(texts) == len(report.aspects)
    matrix = list(wb["Показатели"].iter_rows(min_row=2, max_row=11, values_only=True))
    assert [r[0] for r in matrix] == list(report.matrix.index)
    assert len(wb["Графики"]._images) == 1 + 4
    assert wb["Сводка"]["B2"].value == PERIOD
