"""Write an index result as JSON, CSV or XLSX, and render the rating as a text table."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

import pandas as pd

from scoring.result import IndexResult

FORMATS = ("json", "csv", "xlsx")


def dump_index(result: IndexResult, output: str | Path | None, fmt: str = "json") -> None:
    """Write the result to a file (or JSON/CSV to standard output when ``output`` is None)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "xlsx":
        if output is None:
            raise ValueError("--format xlsx needs --output FILE")
        _write_xlsx(result, Path(output))
        return
    if output is None:
        _write_text(result, fmt, sys.stdout)
        return
    Path(output).parent.mkdir(parents=True, exist_ok=True)
    with open(output, "w", encoding="utf-8", newline="") as fh:
        _write_text(result, fmt, fh)


def _write_text(result: IndexResult, fmt: str, fh: TextIO) -> None:
    if fmt == "json":
        json.dump(result.to_dict(), fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    else:
        flat_table(result).to_csv(fh, index=False)


def flat_table(result: IndexResult) -> pd.DataFrame:
    """Regions then centers in one table, a ``level`` column telling them apart (the CSV form)."""
    regions = result.region_table().assign(level="region", center_id="")
    centers = result.center_table().assign(level="center")
    columns = ["level", "region", "center_id", "index", "rank", *[g.code for g in result.methodology.groups],
               "respondents", "employers", "centers", "flags", *result.methodology.indicator_codes]
    table = pd.concat([regions, centers], ignore_index=True)
    table.insert(0, "period", result.period)
    table.insert(0, "methodology", result.methodology.name)
    return table.reindex(columns=["methodology", "period", *columns])


def _write_xlsx(result: IndexResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    m = result.methodology
    about = pd.DataFrame({
        "key": ["methodology", "version", "hash", "period", "maximum"],
        "value": [m.name, m.version, m.content_hash, result.period, m.maximum],
    })
    with pd.ExcelWriter(path, engine="openpyxl") as xl:
        result.region_table().to_excel(xl, sheet_name="rating", index=False)
        result.center_table().to_excel(xl, sheet_name="centers", index=False)
        result.indicator_table().to_excel(xl, sheet_name="indicators", index=False)
        about.to_excel(xl, sheet_name="methodology", index=False)


def format_rating(result: IndexResult) -> str:
    """The region rating as an aligned text table, for a terminal."""
    maximum = result.methodology.maximum
    rows = [("#", "Регион", "Индекс", "Центров", "Респондентов", "Работодателей", "Отметки")]
    for r in result.regions.to_dict("records"):
        rank = "—" if r["rank"] is pd.NA or r["rank"] is None else str(int(r["rank"]))
        rows.append((rank, str(r["region"]), f"{r['index']:.2f} / {maximum:g}", str(r["centers"]),
                     str(r["respondents"]), str(r["employers"]),
                     "мало опрошенных (insufficient_sample)" if r["insufficient_sample"] else ""))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)
