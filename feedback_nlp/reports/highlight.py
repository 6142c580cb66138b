"""Evidence spans in a text: cut it into plain and highlighted segments, render them as HTML."""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Segment:
    """A piece of the text and the indicators whose evidence covers it (empty: plain text)."""

    text: str
    indicators: tuple[str, ...] = ()


def evidence_spans(aspects: Iterable[Mapping[str, Any]]) -> list[tuple[int, int, str]]:
    """``(start, end, indicator)`` of every evidence span of ``aspects``."""
    return [(int(s["start"]), int(s["end"]), str(a["indicator"]))
            for a in aspects for s in a.get("evidence") or ()]


def segment_text(text: str, spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """``text`` cut at every span boundary; spans outside the text or empty are ignored."""
    good = [(s, e, ind) for s, e, ind in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text), *(s for s, _, _ in good), *(e for _, e, _ in good)})
    out = []
    for start, end in zip(cuts, cuts[1:]):
        covering = tuple(dict.fromkeys(ind for s, e, ind in good if s <= start and end <= e))
        out.append(Segment(text[start:end], covering))
    return out


def highlight(text: str, aspects: Iterable[Mapping[str, Any]]) -> Markup:
    """HTML of ``text`` with each evidence span in ``<mark data-indicators="…">`` (text escaped)."""
    parts = []
    for seg in segment_text(text, evidence_spans(aspects)):
        if seg.indicators:
            codes = " ".join(seg.indicators)
            parts.append(Markup('<mark class="ev ev-{}" data-indicators="{}" title="{}">{}</mark>').format(
                seg.indicators[0], codes, codes, seg.text))
        else:
            parts.append(escape(seg.text))
    return Markup("").join(parts)
