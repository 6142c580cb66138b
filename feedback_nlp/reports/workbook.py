"""The report as an XLSX workbook (openpyxl): tables to filter, a coloured matrix, charts as pictures."""
from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.drawing.image import Image
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from feedback_nlp.reports import charts
from feedback_nlp.reports.analytics import FLAG_HELP, FLAG_NAMES, SOURCE_NAMES
from feedback_nlp.reports.build import Report
from feedback_nlp.reports.html import TITLE, radar

HEADER = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="EEF3F8")
FLAG_FILL = PatternFill("solid", fgColor="F9D6D5")


def flag_text(flags: Any) -> str:
    """``partial,missing`` → ``частично (partial), нет данных (missing)``."""
    return ", ".join(f"{FLAG_NAMES.get(f, f)} ({f})" for f in str(flags or "").split(",") if f)


def _cell(value: Any) -> Any:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value.item() if hasattr(value, "item") else value


def _table(ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Any]], start_row: int = 1,
           widths: dict[int, float] | None = None) -> None:
    for col, name in enumerate(header, 1):
        cell = ws.cell(start_row, col, name)
        cell.font, cell.fill = HEADER, HEADER_FILL
    for r, row in enumerate(rows, start_row + 1):
        for col, value in enumerate(row, 1):
            ws.cell(r, col, _cell(value))
    ws.freeze_panes = ws.cell(start_row + 1, 1)
    if rows:
        ws.auto_filter.ref = f"A{start_row}:{get_column_letter(len(header))}{start_row + len(rows)}"
    for col, name in enumerate(header, 1):
        ws.column_dimensions[get_column_letter(col)].width = (widths or {}).get(col, max(10, min(40, len(str(name)) + 4)))


def _summary(ws: Worksheet, report: Report) -> None:
    m = report.methodology
    ws.title = "Сводка"
    rows = [(TITLE, ""), ("Период", report.period), ("Регион", report.region or "все регионы"),
            ("Методика", f"{m.name} v{m.version}"), ("Хэш методики", m.content_hash),
            ("Максимум индекса", m.maximum), ("Сформирован (UTC)", report.generated_at.replace(tzinfo=None)),
            ("Текстов за период", report.texts), ("Упоминаний показателей", len(report.aspects)), ("", ""),
            ("Отметка", "Что значит")]
    rows += [(f"{FLAG_NAMES[f]} ({f})", f"{FLAG_HELP[f]} — {report.flag_counts.get(f, 0)}") for f in FLAG_NAMES]
    for r, (key, value) in enumerate(rows, 1):
        ws.cell(r, 1, key).font = HEADER
        ws.cell(r, 2, _cell(value))
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 34
    ws.column_dimensions["B"].width = 100


def _rating(ws: Worksheet, report: Report) -> None:
    rows = [(_cell(r["rank"]), r["region"], round(float(r["index"]), 4), r["centers"], r["respondents"],
             r["employers"], flag_text(r["flags"])) for r in report.rating.to_dict("records")]
    _table(ws, ["Место", "Регион", f"Индекс (из {report.methodology.maximum:g})", "Центров", "Респондентов",
                "Работодателей", "Отметки"], rows, widths={2: 30, 7: 45})
    for r, row in enumerate(rows, 2):
        if row[6]:
            ws.cell(r, 7).fill = FLAG_FILL


def _centers(ws: Worksheet, report: Report) -> None:
    codes = [g.code for g in report.methodology.groups]
    flagged = report.flagged.groupby(["region", "center_id"])["flags"].apply(
        lambda s: ", ".join(f"{n}× {FLAG_NAMES[f]}" for f, n in pd.Series(
            [x for v in s for x in v.split(",") if x]).value_counts().items()))
    rows = []
    for c in report.result.centers.to_dict("records"):
        key = (c["region"], c["center_id"])
        rows.append((c["region"], c["center_id"], round(float(c["index"]), 4),
                     *[round(float(c[g]), 4) for g in codes], c["respondents"], c["employers"],
                     flag_text("insufficient_sample" if c["insufficient_sample"] else ""), flagged.get(key, "")))
    header = ["Регион", "Центр", "Индекс", *[f"{g.code} {g.name} (макс. {g.maximum:g})" for g in report.methodology.groups],
              "Респондентов", "Работодателей", "Отметки центра", "Отметки показателей"]
    _table(ws, header, rows, widths={1: 28, len(header) - 1: 30, len(header): 40})


def _matrix(ws: Worksheet, report: Report) -> None:
    matrix = report.matrix
    rows = [(row, *[round(float(v), 4) if v == v else None for v in values])
            for row, values in zip(matrix.index, matrix.to_numpy())]
    _table(ws, ["Регион / центр (доля максимума)", *matrix.columns], rows, widths={1: 36})
    if rows:
        ref = f"B2:{get_column_letter(len(matrix.columns) + 1)}{len(rows) + 1}"
        ws.conditional_formatting.add(ref, ColorScaleRule(start_type="num", start_value=0, start_color="C0392B",
                                                          mid_type="num", mid_value=0.5, mid_color="F1C40F",
                                                          end_type="num", end_value=1, end_color="27AE60"))
    flags = report.flag_matrix
    for r, row in enumerate(flags.to_numpy(), 2):
        for c, value in enumerate(row, 2):
            if value:
                ws.cell(r, c).number_format = '0.00" *"'
    note = len(rows) + 3
    ws.cell(note, 1, "* у показателя есть отметки, см. лист «Отметки»").font = Font(italic=True)


def _flagged(ws: Worksheet, report: Report) -> None:
    rows = [(f["region"], f["center_id"], f["indicator"], report.indicator_names.get(f["indicator"], ""),
             f["mentions"], flag_text(f["flags"])) for f in report.flagged.to_dict("records")]
    _table(ws, ["Регион", "Центр", "Показатель", "Название", "Упоминаний", "Отметки"], rows,
           widths={1: 28, 4: 50, 6: 45})


def _mentions(ws: Worksheet, report: Report) -> None:
    table = report.by_source
    neg = report.negative.set_index("indicator")
    rows = [(code, report.indicator_names.get(code, ""), *[int(v) for v in values], int(sum(values)),
             int(neg.at[code, "negative"]), int(neg.at[code, "positive"]),
             None if pd.isna(neg.at[code, "negative_share"]) else round(float(neg.at[code, "negative_share"]), 4))
            for code, values in zip(table.index, table.to_numpy())]
    header = ["Показатель", "Название", *[SOURCE_NAMES.get(k, k) for k in table.columns], "Всего", "Негативных",
              "Позитивных", "Доля негативных"]
    _table(ws, header, rows, widths={2: 50})
    for r in range(2, len(rows) + 2):
        ws.cell(r, len(header)).number_format = "0%"


def _evidence(aspects: list[dict[str, Any]]) -> str:
    return "; ".join(f"{a['indicator']}: " + ", ".join(f"«{s['text']}»" for s in a["evidence"] or ())
                     for a in aspects)


def _top(ws: Worksheet, items: list[dict[str, Any]]) -> None:
    rows = [(it["region"], it["center_id"], SOURCE_NAMES.get(it["source_kind"], it["source_kind"]),
             _cell(it["created_at"]), round(it["sentiment"], 4), ", ".join(a["indicator"] for a in it["aspects"]),
             _evidence(it["aspects"]), it["text"]) for it in items]
    _table(ws, ["Регион", "Центр", "Источник", "Дата", "Тональность", "Показатели", "Выделенные слова", "Текст"],
           rows, widths={1: 26, 7: 50, 8: 100})
    for r in range(2, len(rows) + 2):
        ws.cell(r, 8).alignment = Alignment(wrap_text=True, vertical="top")


def _texts(ws: Worksheet, report: Report) -> None:
    rows = [(a["item_id"], a["region"], a["center_id"], SOURCE_NAMES.get(a["source_kind"], a["source_kind"]),
             _cell(a["created_at"]), a["indicator"], round(float(a["sentiment"]), 4), int(a["polarity"]),
             round(float(a["confidence"]), 4), ", ".join(f"«{s['text']}»" for s in a["evidence"] or ()), a["rule"],
             a["text"]) for a in report.aspects.to_dict("records")]
    _table(ws, ["id", "Регион", "Центр", "Источник", "Дата", "Показатель", "Тональность", "Полярность",
                "Уверенность", "Выделенные слова", "Правило / модель", "Текст"], rows,
           widths={1: 34, 2: 26, 10: 40, 11: 24, 12: 100})


def _png(fig: Any) -> Image:
    return Image(io.BytesIO(charts.figure_data(fig, "png")))


def _charts(ws: Worksheet, report: Report) -> None:
    codes = [g.code for g in report.methodology.groups]
    row = 1
    if len(report.matrix):
        ws.add_image(_png(charts.heatmap_chart(report.matrix, report.flag_matrix)), f"A{row}")
        row += 4 + int(0.36 * len(report.matrix) * 110 / 20) + 8
    for n, r in enumerate(report.region_groups.to_dict("records")):
        anchor = f"{('A', 'J')[n % 2]}{row}"
        ws.add_image(_png(radar(report, {g: float(r[g]) for g in codes}, r["region"])), anchor)
        if n % 2:
            row += 22
    ws.column_dimensions["A"].width = 12


def write_workbook(report: Report, path: Path) -> Path:
    """Write the workbook; returns its path."""
    wb = Workbook()
    _summary(wb.active, report)
    for title, fill in (("Рейтинг", _rating), ("Центры", _centers), ("Показатели", _matrix), ("Отметки", _flagged),
                        ("Упоминания", _mentions)):
        fill(wb.create_sheet(title), report)
    _top(wb.create_sheet("Негативные"), report.most_negative)
    _top(wb.create_sheet("Позитивные"), report.most_positive)
    _texts(wb.create_sheet("Тексты"), report)
    _charts(wb.create_sheet("Графики"), report)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
