"""Pure tables of a report: group profiles, the indicator matrix, flags and text analytics."""
from __future__ import annotations

from typing import Any

import pandas as pd

from feedback_nlp.codes import SOURCE_KINDS
from scoring.result import INDICATOR_FLAG_COLUMNS, IndexResult

SOURCE_NAMES = {"social": "соцсети", "review": "отзывы", "media": "СМИ", "call_center": "колл-центр",
                "complaint_book": "книга жалоб", "sms": "SMS", "email": "e-mail", "survey_comment": "опрос"}
FLAG_NAMES = {
    "insufficient_sample": "мало опрошенных",
    "partial": "частично",
    "missing": "нет данных",
    "text_only": "только тексты",
}
FLAG_HELP = {
    "insufficient_sample": "меньше 100 респондентов или меньше 20 работодателей: индекс посчитан, "
                           "но регион не участвует в рейтинге",
    "partial": "есть только одна часть показателя (объективная или клиентская), коэффициент по ней одной",
    "missing": "нет ни объективных данных, ни оценки клиентов: показатель считается равным 0",
    "text_only": "оценка клиентов только по упоминаниям в текстах, без опроса",
}


def group_maxima(result: IndexResult) -> dict[str, float]:
    """Largest value of every group (multiplier × its weights)."""
    return {g.code: g.maximum for g in result.methodology.groups}


def center_groups(result: IndexResult) -> pd.DataFrame:
    """Group values of every center (region, center_id, one column per group, index)."""
    codes = [g.code for g in result.methodology.groups]
    return result.centers[["region", "center_id", *codes, "index"]].copy()


def region_groups(result: IndexResult) -> pd.DataFrame:
    """Group values of every region: the mean over its centers."""
    codes = [g.code for g in result.methodology.groups]
    return result.centers.groupby("region", sort=True)[codes].mean().reset_index()


def indicator_matrix(result: IndexResult) -> pd.DataFrame:
    """Centers × indicators: the coefficient as a share of its weight (0…1), rows ``region / center``."""
    ind = result.indicators
    share = ind.assign(share=ind["coefficient"] / ind["weight"], row=ind["region"] + " / " + ind["center_id"])
    matrix = share.pivot_table(index="row", columns="indicator", values="share", sort=False)
    return matrix.reindex(columns=list(result.methodology.indicator_codes))


def indicator_flag_matrix(result: IndexResult) -> pd.DataFrame:
    """Centers × indicators: the indicator's flags joined by commas ('' when none)."""
    ind = result.indicators
    flags = ind[list(INDICATOR_FLAG_COLUMNS)].apply(
        lambda r: ",".join(f for f in INDICATOR_FLAG_COLUMNS if r[f]), axis=1) if len(ind) else pd.Series(dtype=str)
    table = ind.assign(flags=flags, row=ind["region"] + " / " + ind["center_id"])
    matrix = table.pivot(index="row", columns="indicator", values="flags")
    order = list(dict.fromkeys(table["row"]))
    return matrix.reindex(index=order, columns=list(result.methodology.indicator_codes)).fillna("")


def flagged_indicators(result: IndexResult) -> pd.DataFrame:
    """Rows (region, center_id, indicator, flags) of every indicator with at least one flag."""
    ind = result.indicator_table()
    return ind.loc[ind["flags"] != "", ["region", "center_id", "indicator", "mentions", "flags"]].reset_index(drop=True)


def flag_counts(result: IndexResult) -> dict[str, int]:
    """How many indicators (or regions, for ``insufficient_sample``) carry each flag."""
    counts = {f: int(result.indicators[f].sum()) for f in INDICATOR_FLAG_COLUMNS}
    counts["insufficient_sample"] = int(result.regions["insufficient_sample"].sum())
    return counts


def mentions_by_source(aspects: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Indicators × source kinds: number of mentions (every indicator and seen source kind)."""
    kinds = [k for k in SOURCE_KINDS if k in set(aspects["source_kind"])] if len(aspects) else []
    kinds += sorted(set(aspects["source_kind"]) - set(kinds)) if len(aspects) else []
    table = pd.crosstab(aspects["indicator"], aspects["source_kind"]) if len(aspects) else pd.DataFrame()
    return table.reindex(index=indicators, columns=kinds).fillna(0).astype(int)


def negative_share(aspects: pd.DataFrame, indicators: list[str]) -> pd.DataFrame:
    """Per indicator: mentions, negative, positive and the share of negative ones (None without mentions)."""
    rows = []
    for code in indicators:
        part = aspects[aspects["indicator"] == code] if len(aspects) else aspects
        n = int(len(part))
        neg = int((part["polarity"] < 0).sum()) if n else 0
        pos = int((part["polarity"] > 0).sum()) if n else 0
        rows.append({"indicator": code, "mentions": n, "negative": neg, "positive": pos,
                     "negative_share": neg / n if n else None})
    return pd.DataFrame(rows, columns=["indicator", "mentions", "negative", "positive", "negative_share"])


def _known(value: Any) -> Any:
    """None for pandas' missing values (NaN, NaT, NA), else the value."""
    return None if value is None or bool(pd.isna(value)) else value


def top_mentions(aspects: pd.DataFrame, polarity: int, n: int = 5) -> list[dict[str, Any]]:
    """The ``n`` most negative (polarity −1) or positive (+1) items with their aspects of that sign.

    Items rank by their strongest aspect of the sign; each keeps every aspect of that sign, so the
    page can highlight all their evidence.
    """
    if not len(aspects):
        return []
    signed = aspects[aspects["polarity"] == polarity]
    if not len(signed):
        return []
    strength = signed.groupby("item_id", sort=False)["sentiment"].agg("min" if polarity < 0 else "max")
    order = strength.sort_values(ascending=polarity < 0, kind="stable").index[:n]
    out = []
    for item_id in order:
        rows = signed[signed["item_id"] == item_id]
        first = rows.iloc[0]
        out.append({"item_id": item_id, "text": first["text"], "region": _known(first["region"]),
                    "center_id": _known(first["center_id"]), "source_kind": first["source_kind"],
                    "created_at": _known(first["created_at"]), "sentiment": float(strength[item_id]),
                    "aspects": rows[["indicator", "sentiment", "confidence", "evidence", "rule"]].to_dict("records")})
    return out
