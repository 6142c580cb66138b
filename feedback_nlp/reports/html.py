"""The report as one self-contained Russian HTML page (charts embedded as SVG data URIs)."""
from __future__ import annotations

from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape

import feedback_nlp
from feedback_nlp.reports import charts
from feedback_nlp.reports.analytics import FLAG_HELP, FLAG_NAMES, SOURCE_NAMES
from feedback_nlp.reports.build import Report
from feedback_nlp.reports.highlight import highlight

TITLE = "Индекс клиентоцентричности центров занятости"


def _environment() -> Environment:
    return Environment(loader=PackageLoader("feedback_nlp.reports", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def _svg(fig: Any) -> str:
    return charts.data_uri(charts.figure_data(fig, "svg"), "svg")


def _flags(value: Any) -> list[str]:
    return [f for f in str(value or "").split(",") if f]


def _none(value: Any) -> Any:
    return None if value is None or value is pd.NA or (isinstance(value, float) and value != value) else value


def radar(report: Report, values: dict[str, float], title: str) -> Any:
    """The radar figure of one region or center."""
    return charts.radar_chart(values, report.maxima, report.group_names, title)


def context(report: Report) -> dict[str, Any]:
    """Everything the template shows, charts drawn."""
    m = report.methodology
    codes = [g.code for g in m.groups]
    flags_by_center = report.flagged.assign(flag_list=report.flagged["flags"].map(_flags))
    regions = []
    for region_row in report.region_groups.to_dict("records"):
        name = region_row["region"]
        centers = []
        for c in report.result.centers[report.result.centers["region"] == name].to_dict("records"):
            mine = flags_by_center[(flags_by_center["region"] == name) & (flags_by_center["center_id"] == c["center_id"])]
            counts: dict[str, int] = {}
            for flag_list in mine["flag_list"]:
                for f in flag_list:
                    counts[f] = counts.get(f, 0) + 1
            centers.append({"center_id": c["center_id"], "index": float(c["index"]),
                            "groups": {g: float(c[g]) for g in codes}, "respondents": int(c["respondents"]),
                            "employers": int(c["employers"]),
                            "flags": ["insufficient_sample"] if c["insufficient_sample"] else [],
                            "indicator_flags": counts,
                            "radar": _svg(radar(report, {g: float(c[g]) for g in codes}, str(c["center_id"])))})
        regions.append({"region": name, "centers": centers,
                        "radar": _svg(radar(report, {g: float(region_row[g]) for g in codes}, name))})
    by_source = report.by_source
    mentions_total = int(len(report.aspects))
    tops = []
    for kind, heading, items in (("neg", "Самые негативные упоминания", report.most_negative),
                                 ("pos", "Самые позитивные упоминания", report.most_positive)):
        tops.append((kind, heading, [{**it, "created_at": _none(it["created_at"]),
                                      "html": highlight(str(it["text"]), it["aspects"])} for it in items]))
    return {
        "title": TITLE, "report": report, "maximum": f"{m.maximum:g}", "version": feedback_nlp.__version__,
        "flag_names": FLAG_NAMES, "flag_help": FLAG_HELP, "source_names": SOURCE_NAMES,
        "indicator_names": report.indicator_names, "groups": list(m.groups),
        "rating": [{"region": r["region"], "index": float(r["index"]), "rank": _none(r["rank"]),
                    "centers": int(r["centers"]), "respondents": int(r["respondents"]),
                    "employers": int(r["employers"]), "flags": _flags(r["flags"])}
                   for r in report.rating.to_dict("records")],
        "regions": regions,
        "heatmap": _svg(charts.heatmap_chart(report.matrix, report.flag_matrix)) if len(report.matrix) else None,
        "flagged": [{**f, "flags": _flags(f["flags"])} for f in report.flagged.to_dict("records")],
        "mentions_total": mentions_total,
        "by_source_chart": _svg(charts.stacked_bars(by_source, SOURCE_NAMES,
                                                    "Упоминания показателей по источникам")) if mentions_total else None,
        "by_source_columns": list(by_source.columns),
        "by_source_rows": [{"indicator": code, "counts": [int(v) for v in row], "total": int(sum(row))}
                           for code, row in zip(by_source.index, by_source.to_numpy())],
        "negative_chart": _svg(charts.share_bars(list(report.negative["indicator"]),
                                                 [_none(s) for s in report.negative["negative_share"]],
                                                 list(report.negative["mentions"]),
                                                 "Доля негативных упоминаний")) if mentions_total else None,
        "negative": [{**r, "negative_share": _none(r["negative_share"])} for r in report.negative.to_dict("records")],
        "tops": tops,
    }


def render_html(report: Report) -> str:
    """The report page as a string."""
    return _environment().get_template("report.html.j2").render(**context(report))
