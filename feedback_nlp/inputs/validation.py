"""Row-level validation of the index inputs (INTERFACES.md): pure functions on text tables.

Each check is vectorised over the whole column; a problem names file, line, field and value.
Nothing is returned from a table with any problem: the caller gets every problem at once.
"""
from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from feedback_nlp.codes import MENTION_COLUMNS, OBJECTIVE_COLUMNS, RESPONDENT_TYPES, SURVEY_COLUMNS
from feedback_nlp.errors import InputError, Problem
from feedback_nlp.inputs.tables import RawTable

PERIOD_RE = r"^\d{4}Q[1-4]$"
MAX_PROBLEMS_PER_CHECK = 200

SURVEY_FIELDS, OBJECTIVE_FIELDS, MENTION_FIELDS = SURVEY_COLUMNS, OBJECTIVE_COLUMNS, MENTION_COLUMNS

# Russian spellings users type for respondent types.
RESPONDENT_ALIASES = {"соискатель": "job_seeker", "работодатель": "employer", "jobseeker": "job_seeker",
                      "job seeker": "job_seeker"}
# Group letters typed in Cyrillic (Э1, Д2 …) or look-alike Cyrillic letters.
_CYRILLIC_CODES = str.maketrans({"Э": "E", "Е": "E", "Д": "D", "П": "P", "К": "K", "Л": "L",
                                 "э": "E", "е": "E", "д": "D", "п": "P", "к": "K", "л": "L"})


class _Collector:
    """Gathers problems of one table, keeping the first ones of each check and a total count."""

    def __init__(self, table: RawTable):
        self.table = table
        self.problems: list[Problem] = []
        self.total = 0

    def flag(self, mask: np.ndarray, field: str, values: pd.Series, why: str) -> None:
        count = int(mask.sum())
        if not count:
            return
        self.total += count
        for pos in np.flatnonzero(mask)[:MAX_PROBLEMS_PER_CHECK]:
            self.problems.append(Problem(self.table.path, int(self.table.lines[pos]), field,
                                         values.iat[pos], why))

    def raise_if_any(self) -> None:
        if self.problems:
            self.problems.sort(key=lambda p: (p.line or 0, p.field or ""))
            raise InputError(self.problems, total=self.total)


def _require_columns(table: RawTable, fields: Iterable[str]) -> None:
    missing = [f for f in fields if f not in table.frame.columns]
    if missing:
        found = ", ".join(map(str, table.frame.columns)) or "none"
        raise InputError([Problem(table.path, 1, f, None, f"required column is missing (found: {found})")
                          for f in missing])


def _text(c: _Collector, frame: pd.DataFrame, field: str) -> pd.Series:
    col = frame[field]
    c.flag((col == "").to_numpy(), field, col, "required value is empty")
    return col


def _period(c: _Collector, frame: pd.DataFrame) -> pd.Series:
    col = frame["period"].str.upper()
    c.flag(~col.str.match(PERIOD_RE).to_numpy(dtype=bool), "period", frame["period"],
           "must be a quarter YYYYQn, e.g. 2022Q2")
    return col


def _indicator(c: _Collector, frame: pd.DataFrame, codes: Iterable[str]) -> pd.Series:
    codes = tuple(codes)
    col = frame["indicator"].str.translate(_CYRILLIC_CODES).str.upper()
    c.flag(~col.isin(codes).to_numpy(), "indicator", frame["indicator"],
           f"unknown indicator code (expected one of {', '.join(codes)})")
    return col


def _number(c: _Collector, frame: pd.DataFrame, field: str, *, integer: bool, lo: float | None,
            hi: float | None, decimal_comma: bool = False) -> pd.Series:
    raw = frame[field]
    text = raw.str.replace(",", ".", regex=False) if decimal_comma else raw
    values = pd.to_numeric(text, errors="coerce").astype(float)
    bad = values.isna().to_numpy() | ~np.isfinite(values.to_numpy())
    kind = "a whole number" if integer else "a number"
    c.flag(bad, field, raw, f"must be {kind}")
    ok = ~bad
    v = values.to_numpy()
    if integer:
        frac = ok & (np.floor(np.where(ok, v, 0)) != np.where(ok, v, 0))
        c.flag(frac, field, raw, "must be a whole number")
        ok &= ~frac
    if lo is not None:
        c.flag(ok & (v < lo), field, raw, f"must be ≥ {lo:g}" if hi is None else f"must be in {lo:g}..{hi:g}")
        ok &= ~(v < lo)
    if hi is not None:
        c.flag(ok & (v > hi), field, raw, f"must be in {lo:g}..{hi:g}" if lo is not None else f"must be ≤ {hi:g}")
    return values


def _duplicates(c: _Collector, frame: pd.DataFrame, keys: list[str], field: str, why: str) -> None:
    dup = frame.duplicated(keys, keep="first").to_numpy()
    if not dup.any():
        return
    first_line = pd.Series(c.table.lines, index=frame.index).groupby([frame[k] for k in keys]).transform("first")
    c.total += int(dup.sum())
    for pos in np.flatnonzero(dup)[:MAX_PROBLEMS_PER_CHECK]:
        c.problems.append(Problem(c.table.path, int(c.table.lines[pos]), field, frame[field].iat[pos],
                                  f"{why} (first at line {int(first_line.iat[pos])})"))


def _mixed_types(c: _Collector, out: pd.DataFrame, raw: pd.Series) -> None:
    person = ["region", "center_id", "respondent_id"]
    combos = out[person + ["respondent_type"]].drop_duplicates()
    if not combos.duplicated(person).any():
        return
    first = out.drop_duplicates(person)[person + ["respondent_type"]].rename(columns={"respondent_type": "_first"})
    merged = out[person + ["respondent_type"]].merge(first, on=person, how="left")
    c.flag((merged["respondent_type"] != merged["_first"]).to_numpy(), "respondent_type", raw,
           "the same respondent has another respondent_type on an earlier line")


def validate_survey(table: RawTable, codes: Iterable[str], likert: tuple[int, int] = (1, 5)) -> pd.DataFrame:
    """Typed survey answers, or InputError listing every bad row."""
    _require_columns(table, SURVEY_FIELDS)
    f, c = table.frame, _Collector(table)
    out = pd.DataFrame({k: _text(c, f, k) for k in ("respondent_id", "region", "center_id")})
    rtype = f["respondent_type"].str.lower().replace(RESPONDENT_ALIASES)
    c.flag(~rtype.isin(RESPONDENT_TYPES).to_numpy(), "respondent_type", f["respondent_type"],
           f"must be one of {', '.join(RESPONDENT_TYPES)}")
    out["respondent_type"] = rtype
    out["period"] = _period(c, f)
    out["indicator"] = _indicator(c, f, codes)
    out["answer"] = _number(c, f, "answer", integer=True, lo=likert[0], hi=likert[1])
    c.raise_if_any()
    _duplicates(c, out, ["region", "center_id", "period", "respondent_id", "indicator"], "respondent_id",
                "the same respondent answered this indicator twice")
    _mixed_types(c, out, f["respondent_type"])
    c.raise_if_any()
    out["answer"] = out["answer"].astype(np.int64)
    return out[list(SURVEY_FIELDS)]


def validate_objective(table: RawTable, codes: Iterable[str]) -> pd.DataFrame:
    """Typed objective rows ``X of N``, or InputError listing every bad row."""
    _require_columns(table, OBJECTIVE_FIELDS)
    f, c = table.frame, _Collector(table)
    out = pd.DataFrame({k: _text(c, f, k) for k in ("region", "center_id")})
    out["period"] = _period(c, f)
    out["indicator"] = _indicator(c, f, codes)
    out["fulfilled"] = _number(c, f, "fulfilled", integer=True, lo=0, hi=None)
    out["required"] = _number(c, f, "required", integer=True, lo=0, hi=None)
    # Only compare counts that are valid on their own, so one bad value gives one problem.
    over = ((out["fulfilled"] > out["required"]) & (out["required"] >= 0)).to_numpy()
    c.flag(over, "fulfilled", f["fulfilled"], "fulfilled is greater than required")
    c.raise_if_any()
    _duplicates(c, out, ["region", "center_id", "period", "indicator"], "indicator",
                "a second row for the same center, period and indicator")
    c.raise_if_any()
    out[["fulfilled", "required"]] = out[["fulfilled", "required"]].astype(np.int64)
    return out[list(OBJECTIVE_FIELDS)]


def validate_mentions(table: RawTable, codes: Iterable[str]) -> pd.DataFrame:
    """Typed text mentions with sentiment in [−1, 1], or InputError listing every bad row."""
    _require_columns(table, MENTION_FIELDS)
    f, c = table.frame, _Collector(table)
    out = pd.DataFrame({k: _text(c, f, k) for k in ("region", "center_id")})
    out["period"] = _period(c, f)
    out["indicator"] = _indicator(c, f, codes)
    out["sentiment"] = _number(c, f, "sentiment", integer=False, lo=-1, hi=1,
                               decimal_comma=table.delimiter != ",")
    c.raise_if_any()
    return out[list(MENTION_FIELDS)]


def is_period(value: str) -> bool:
    """Whether a string is a quarter ``YYYYQn``."""
    return re.match(PERIOD_RE, value) is not None
