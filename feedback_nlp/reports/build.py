"""A report of one period (and optionally one region): every table it shows, computed once.

    >>> report = build_report(result, aspects=text_aspects(store, "2022Q2"))
    >>> write_report(report, Path("report"))          # report.html and report.xlsx
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from typing import Any

import pandas as pd

from feedback_nlp.reports import analytics as a
from feedback_nlp.reports.texts import ASPECT_COLUMNS, aspect_rows, load_items
from feedback_nlp.store import Store
from scoring.methodology import Methodology
from scoring.result import IndexResult

TOP_N = 5


@dataclass(frozen=True)
class Report:
    """Tables of a report; charts are drawn from them when it is written."""

    period: str
    methodology: Methodology
    region: str | None
    generated_at: datetime
    result: IndexResult                 # restricted to the region's centers (the rating keeps all regions)
    rating: pd.DataFrame
    center_groups: pd.DataFrame
    region_groups: pd.DataFrame
    matrix: pd.DataFrame
    flag_matrix: pd.DataFrame
    flagged: pd.DataFrame
    flag_counts: dict[str, int]
    aspects: pd.DataFrame
    by_source: pd.DataFrame
    negative: pd.DataFrame
    most_negative: list[dict[str, Any]] = field(default_factory=list)
    most_positive: list[dict[str, Any]] = field(default_factory=list)
    texts: int = 0                      # items of the period (relevant or not)

    @property
    def maxima(self) -> dict[str, float]:
        return {g.code: g.maximum for g in self.methodology.groups}

    @property
    def group_names(self) -> dict[str, str]:
        return {g.code: g.name for g in self.methodology.groups}

    @property
    def indicator_names(self) -> dict[str, str]:
        return {i.code: i.name for i in self.methodology.indicators}


def text_aspects(store: Store | str, period: str, region: str | None = None) -> tuple[pd.DataFrame, int]:
    """Counted aspects of the period's items in the store (or store URL), and the number of items read."""
    from feedback_nlp.store import open_store

    opened = open_store(store) if isinstance(store, str) else store
    try:
        items = load_items(opened, period, region)
    finally:
        if isinstance(store, str):
            opened.close()
    return aspect_rows(items), len(items)


def restrict(result: IndexResult, region: str) -> IndexResult:
    """The result with only ``region``'s centers and indicators (regions, i.e. the rating, kept)."""
    centers = result.centers[result.centers["region"] == region].reset_index(drop=True)
    indicators = result.indicators[result.indicators["region"] == region].reset_index(drop=True)
    return replace(result, centers=centers, indicators=indicators)


def build_report(result: IndexResult, aspects: pd.DataFrame | None = None, *, region: str | None = None,
                 texts: int | None = None, top: int = TOP_N) -> Report:
    """Every table of the report of ``result`` (and of the text ``aspects``, see ``text_aspects``)."""
    aspects = pd.DataFrame(columns=ASPECT_COLUMNS) if aspects is None else aspects
    if region is not None:
        result = restrict(result, region)
        if len(aspects):
            aspects = aspects[aspects["region"] == region].reset_index(drop=True)
    codes = list(result.methodology.indicator_codes)
    region_groups = a.region_groups(result)
    return Report(
        period=result.period, methodology=result.methodology, region=region,
        generated_at=datetime.now(timezone.utc), result=result, rating=result.region_table(),
        center_groups=a.center_groups(result), region_groups=region_groups,
        matrix=a.indicator_matrix(result), flag_matrix=a.indicator_flag_matrix(result),
        flagged=a.flagged_indicators(result), flag_counts=a.flag_counts(result), aspects=aspects,
        by_source=a.mentions_by_source(aspects, codes), negative=a.negative_share(aspects, codes),
        most_negative=a.top_mentions(aspects, -1, top), most_positive=a.top_mentions(aspects, 1, top),
        texts=int(texts if texts is not None else aspects["item_id"].nunique() if len(aspects) else 0),
    )
