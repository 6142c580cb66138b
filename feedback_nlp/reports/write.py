"""Write a report: ``report.html`` and ``report.xlsx`` (names carry the period and region)."""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from feedback_nlp.reports.build import Report


def report_stem(report: Report) -> str:
    """``report-2022Q2`` or ``report-2022Q2-<region>`` (characters unsafe in file names replaced)."""
    stem = f"report-{report.period}"
    if report.region:
        stem += "-" + re.sub(r"[^\w.-]+", "_", report.region).strip("_")
    return stem


def write_report(report: Report, output: Path, on_step: Callable[[str], None] = lambda step: None) -> dict[str, Path]:
    """Write the HTML page and the XLSX workbook into ``output``; returns ``{"html": …, "xlsx": …}``."""
    from feedback_nlp.reports.html import render_html
    from feedback_nlp.reports.workbook import write_workbook

    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    stem = report_stem(report)
    html = output / f"{stem}.html"
    on_step("html")
    html.write_text(render_html(report), encoding="utf-8")
    on_step("xlsx")
    xlsx = write_workbook(report, output / f"{stem}.xlsx")
    return {"html": html, "xlsx": xlsx}
