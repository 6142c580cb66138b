"""The index result and its JSON / table forms (INTERFACES.md "Index result")."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from scoring.methodology import Methodology

INDICATOR_FLAG_COLUMNS = ("partial", "missing", "text_only")


def _num(value: Any) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return None if math.isnan(value) else value


@dataclass(frozen=True)
class IndexResult:
    """Centers (one row each), indicators (center × indicator), regions (rated)."""

    methodology: Methodology
    period: str
    centers: pd.DataFrame
    indicators: pd.DataFrame
    regions: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """The JSON document of INTERFACES.md, extended with methodology version and hash."""
        m = self.methodology
        group_codes = [g.code for g in m.groups]
        ind = self.indicators
        flag_arrays = {f: ind[f].to_numpy() for f in INDICATOR_FLAG_COLUMNS}
        records = ind[["indicator", "coefficient", "objective", "survey", "text", "client", "mentions"]].to_numpy()
        per_center: list[dict[str, Any]] = []
        current: dict[str, Any] = {}
        width = len(m.indicator_codes)
        for row_no, (code, coef, obj, sv, txt, cl, n) in enumerate(records):
            if row_no % width == 0:
                current = {}
                per_center.append(current)
            current[code] = {
                "coefficient": float(coef), "objective": _num(obj), "survey": _num(sv), "text": _num(txt),
                "client": _num(cl), "mentions": int(n),
                "flags": [f for f in INDICATOR_FLAG_COLUMNS if flag_arrays[f][row_no]],
            }
        # indicators and centers are both ordered by (region, center_id); check instead of trusting it
        keys_ind = ind[["region", "center_id"]].iloc[::width].to_numpy().tolist() if width else []
        keys_cen = self.centers[["region", "center_id"]].to_numpy().tolist()
        if keys_ind != keys_cen:
            lookup = {tuple(k): d for k, d in zip(keys_ind, per_center)}
            per_center = [lookup[tuple(k)] for k in keys_cen]
        centers = []
        for row, indicators in zip(self.centers.to_dict("records"), per_center):
            centers.append({
                "region": row["region"], "center_id": row["center_id"], "index": float(row["index"]),
                "groups": {g: float(row[g]) for g in group_codes},
                "indicators": indicators,
                "respondents": int(row["respondents"]), "employers": int(row["employers"]),
                "flags": ["insufficient_sample"] if row["insufficient_sample"] else [],
            })
        regions = [{
            "region": r["region"], "index": float(r["index"]),
            "rank": None if r["rank"] is pd.NA or r["rank"] is None else int(r["rank"]),
            "centers": int(r["centers"]), "respondents": int(r["respondents"]), "employers": int(r["employers"]),
            "flags": ["insufficient_sample"] if r["insufficient_sample"] else [],
        } for r in self.regions.to_dict("records")]
        return {
            "methodology": m.name, "methodology_version": m.version, "methodology_hash": m.content_hash,
            "period": self.period, "maximum": m.maximum, "centers": centers, "regions": regions,
        }

    def center_table(self) -> pd.DataFrame:
        """One row per center: groups, index, counts, flags and every indicator's coefficient."""
        wide = self.indicators.pivot_table(index=["region", "center_id"], columns="indicator",
                                           values="coefficient", sort=False)
        wide = wide.reindex(columns=list(self.methodology.indicator_codes)).reset_index()
        table = self.centers.merge(wide, on=["region", "center_id"], how="left")
        table["flags"] = table.pop("insufficient_sample").map({True: "insufficient_sample", False: ""})
        return table

    def region_table(self) -> pd.DataFrame:
        """The rating: one row per region, ranked ones first."""
        table = self.regions.copy()
        table["flags"] = table.pop("insufficient_sample").map({True: "insufficient_sample", False: ""})
        return table

    def indicator_table(self) -> pd.DataFrame:
        """One row per center and indicator with every part of the coefficient and its flags."""
        table = self.indicators.copy()
        flags = table[list(INDICATOR_FLAG_COLUMNS)]
        table["flags"] = flags.apply(lambda r: ",".join(f for f in INDICATOR_FLAG_COLUMNS if r[f]), axis=1) \
            if len(table) else pd.Series(dtype=str)
        return table.drop(columns=list(INDICATOR_FLAG_COLUMNS))
