"""Reports for analysts: an HTML page with charts and an XLSX workbook of one period.

    >>> from feedback_nlp.reports import build_report, text_aspects, write_report
    >>> aspects, texts = text_aspects(store, "2022Q2")
    >>> write_report(build_report(result, aspects, texts=texts), Path("report"))
"""
from __future__ import annotations

from feedback_nlp.reports.build import Report, build_report, text_aspects
from feedback_nlp.reports.write import write_report

__all__ = ["Report", "build_report", "text_aspects", "write_report"]
