from __future__ import annotations

import pytest

from feedback_nlp.reports.highlight import Segment, evidence_spans, highlight, segment_text


@pytest.mark.parametrize("text, spans, expected", [
    # one span in the middle
    ("очередь два часа", [(0, 7, "L4")], [Segment("очередь", ("L4",)), Segment(" два часа")]),
    # two indicators over the same words
    ("грубо и долго", [(0, 5, "D2"), (0, 13, "L4")],
     [Segment("грубо", ("D2", "L4")), Segment(" и долго", ("L4",))]),
    # spans outside the text or empty are ignored
    ("абв", [(1, 9, "D2"), (2, 2, "L4"), (-1, 1, "E1")], [Segment("абв")]),
    # no spans, no text
    ("", [], []),
])
def test_segment_text_cuts_at_every_boundary(text, spans, expected):
    assert segment_text(text, spans) == expected


def test_highlight_marks_evidence_and_escapes_the_rest():
    text = "<b>ЦЗН</b>: консультант грубо ответила"
    start = text.index("грубо")
    aspects = [{"indicator": "D2", "evidence": [{"start": start, "end": start + 5, "text": "грубо"}]}]
    html = str(highlight(text, aspects))
    assert html.startswith("&lt;b&gt;ЦЗН&lt;/b&gt;")
    assert '<mark class="ev ev-D2" data-indicators="D2" title="D2">грубо</mark>' in html
    assert "<b>" not in html


def test_evidence_spans_of_aspects_without_evidence_is_empty():
    assert evidence_spans([{"indicator": "L1", "evidence": []}, {"indicator": "L2"}]) == []
