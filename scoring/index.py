"""The customer-centricity index engine: pure, vectorised, no I/O.

``compute_index(inputs, methodology, period)`` follows METHODOLOGY.md §3–4:

    coefficient_i = (X_i/N_i + S_i) / 2 × weight_i      (one part alone: part × weight, `partial`)
    S_i = (1 − α)·S_survey + α·S_text                   (one source alone: that source)
    group_g = multiplier_g × Σ coefficient_i ;  index = Σ group_g / number of groups
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from feedback_nlp.codes import MENTION_COLUMNS, OBJECTIVE_COLUMNS, SURVEY_COLUMNS
from scoring.methodology import Methodology
from scoring.result import IndexResult

CENTER_KEY = ["region", "center_id"]


@dataclass(frozen=True)
class IndexInputs:
    """Validated input tables (any of them may be empty)."""

    survey: pd.DataFrame
    objective: pd.DataFrame
    mentions: pd.DataFrame

    @classmethod
    def from_frames(cls, survey: pd.DataFrame | None = None, objective: pd.DataFrame | None = None,
                    mentions: pd.DataFrame | None = None) -> IndexInputs:
        """Inputs from frames, an absent frame standing for an empty table."""
        return cls(
            survey=_or_empty(survey, SURVEY_COLUMNS),
            objective=_or_empty(objective, OBJECTIVE_COLUMNS),
            mentions=_or_empty(mentions, MENTION_COLUMNS),
        )


def _or_empty(frame: pd.DataFrame | None, columns: tuple[str, ...]) -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns}) if frame is None else frame


def _in_period(frame: pd.DataFrame, period: str) -> pd.DataFrame:
    return frame[frame["period"] == period]


def compute_index(inputs: IndexInputs, methodology: Methodology, period: str) -> IndexResult:
    """Indices of every center seen in the period, of every region, and the rating."""
    m = methodology
    survey = _in_period(inputs.survey, period)
    objective = _in_period(inputs.objective, period)
    mentions = _in_period(inputs.mentions, period)
    codes = list(m.indicator_codes)

    centers = (
        pd.concat([f[CENTER_KEY] for f in (survey, objective, mentions)], ignore_index=True)
        .astype(str).drop_duplicates().sort_values(CENTER_KEY, kind="stable").reset_index(drop=True)
    )
    grid = pd.DataFrame({
        "region": np.repeat(centers["region"].to_numpy(), len(codes)),
        "center_id": np.repeat(centers["center_id"].to_numpy(), len(codes)),
        "indicator": np.tile(np.array(codes, dtype=object), len(centers)),
    })
    keys = CENTER_KEY + ["indicator"]

    span = m.likert_max - m.likert_min
    scored = survey.assign(_score=(survey["answer"].astype(float) - m.likert_min) / span)
    s = scored.groupby(keys, sort=False)["_score"].agg(survey="mean", answers="size").reset_index()

    obj = objective[objective["required"].astype(float) > 0]
    o = obj.assign(objective=obj["fulfilled"].astype(float) / obj["required"].astype(float))[keys + ["objective"]]

    t = (mentions.assign(_pos=(mentions["sentiment"].astype(float) + 1.0) / 2.0)
         .groupby(keys, sort=False)["_pos"].agg(mentions="size", _sum="sum").reset_index())

    grid = (grid.merge(s, on=keys, how="left").merge(o, on=keys, how="left").merge(t, on=keys, how="left"))
    n = grid["mentions"].fillna(0).astype(np.int64).to_numpy()
    grid["mentions"] = n
    has_s = grid["survey"].notna().to_numpy()
    has_o = grid["objective"].notna().to_numpy()
    has_t = (n > 0) & (n >= m.min_mentions)
    smoothed = (grid["_sum"].fillna(0).to_numpy() + m.prior_strength * m.prior_mean) / (n + m.prior_strength)
    text = np.where(has_t, smoothed, np.nan)
    sv = grid["survey"].to_numpy(dtype=float)
    client = np.where(has_s & has_t, (1 - m.text_weight) * sv + m.text_weight * text,
                      np.where(has_s, sv, np.where(has_t, text, np.nan)))
    has_c = has_s | has_t
    weights = grid["indicator"].map({i.code: i.weight for i in m.indicators}).to_numpy(dtype=float)
    ov = grid["objective"].to_numpy(dtype=float)
    coefficient = np.where(has_o & has_c, (ov + client) / 2 * weights,
                           np.where(has_o, ov * weights, np.where(has_c, client * weights, 0.0)))
    grid["text"] = text
    grid["client"] = client
    grid["coefficient"] = coefficient
    grid["weight"] = weights
    grid["group"] = grid["indicator"].map({i.code: i.group for i in m.indicators})
    grid["partial"] = has_o ^ has_c
    grid["missing"] = ~(has_o | has_c)
    grid["text_only"] = has_t & ~has_s
    grid = grid.drop(columns=["_sum"])

    multipliers = pd.Series({g.code: g.multiplier for g in m.groups})
    group_codes = [g.code for g in m.groups]
    groups = (grid.groupby(CENTER_KEY + ["group"], sort=False)["coefficient"].sum()
              .unstack("group").reindex(columns=group_codes).fillna(0.0))
    groups = groups * multipliers[group_codes]
    center_table = groups.reset_index()
    center_table["index"] = groups.sum(axis=1).to_numpy() / len(group_codes)

    respondents = _respondent_counts(survey, CENTER_KEY)
    center_table = center_table.merge(respondents, on=CENTER_KEY, how="left")
    center_table[["respondents", "employers"]] = center_table[["respondents", "employers"]].fillna(0).astype(np.int64)
    center_table["insufficient_sample"] = (
        _insufficient(center_table, m) if m.sample_unit == "center" else False
    )
    center_table = center_table.sort_values(CENTER_KEY, kind="stable").reset_index(drop=True)

    regions = _regions(center_table, survey, m)
    return IndexResult(methodology=m, period=period, centers=center_table, indicators=grid, regions=regions)


def _respondent_counts(survey: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    # A respondent is identified within its center: ids need not be unique across centers.
    people = survey[["region", "center_id", "respondent_id", "respondent_type"]].drop_duplicates(
        ["region", "center_id", "respondent_id"])
    people = people.assign(_employer=people["respondent_type"] == "employer")
    counts = people.groupby(by, sort=False).agg(respondents=("respondent_id", "size"),
                                                employers=("_employer", "sum")).reset_index()
    counts["employers"] = counts["employers"].astype(np.int64)
    return counts


def _insufficient(table: pd.DataFrame, m: Methodology) -> pd.Series:
    return (table["respondents"] < m.min_respondents) | (table["employers"] < m.min_employers)


def _regions(centers: pd.DataFrame, survey: pd.DataFrame, m: Methodology) -> pd.DataFrame:
    """Region index (mean of its centers, or weighted by respondents), flags and rank."""
    if m.sample_unit == "center":
        # Only centers with a valid sample enter the region's index, unless none has one.
        usable = centers.groupby("region")["insufficient_sample"].transform(lambda s: ~s | s.all())
        basis = centers[usable]
    else:
        basis = centers
    if m.region_aggregation == "respondents":
        w = basis["respondents"].astype(float)
        total = w.groupby(basis["region"]).transform("sum")
        # A region without any respondent falls back to equal weights.
        w = np.where(total > 0, w, 1.0)
        value = (pd.Series(w * basis["index"].to_numpy(), index=basis.index).groupby(basis["region"]).sum()
                 / pd.Series(w, index=basis.index).groupby(basis["region"]).sum())
    else:
        value = basis.groupby("region")["index"].mean()
    table = centers.groupby("region").agg(centers=("center_id", "size"), respondents=("respondents", "sum"),
                                          employers=("employers", "sum"))
    table["index"] = value
    table = table.reset_index()
    if m.sample_unit == "center":
        table["insufficient_sample"] = table["region"].map(
            centers.groupby("region")["insufficient_sample"].all()).astype(bool)
    else:
        table["insufficient_sample"] = _insufficient(table, m)
    ranked = table[~table["insufficient_sample"]].sort_values(["index", "region"], ascending=[False, True])
    rest = table[table["insufficient_sample"]].sort_values(["index", "region"], ascending=[False, True])
    ranked = ranked.assign(rank=ranked["index"].rank(method="min", ascending=False).astype("Int64"))
    rest = rest.assign(rank=pd.array([pd.NA] * len(rest), dtype="Int64"))
    return pd.concat([ranked, rest], ignore_index=True)[
        ["region", "index", "rank", "centers", "respondents", "employers", "insufficient_sample"]]
