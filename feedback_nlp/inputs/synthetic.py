"""Synthetic index inputs at any scale: the sample data, the benchmark and tests use them.

Each center gets a hidden quality per indicator; answers, objective shares and mention
sentiments scatter around it, so rankings are stable but not trivial.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from feedback_nlp.codes import INDICATORS


@dataclass(frozen=True)
class SyntheticSpec:
    regions: Sequence[str]
    centers_per_region: Sequence[int] | int
    respondents_per_center: Sequence[int] | int
    employer_share: float = 0.25
    answer_share: float = 0.7           # share of indicators each respondent answers
    mentions: int = 0
    period: str = "2022Q2"
    objective_share: float = 1.0        # share of (center, indicator) with an objective row
    seed: int = 0
    indicators: Sequence[str] = INDICATORS


def _per(value: Sequence[int] | int, n: int) -> np.ndarray:
    return np.full(n, value) if isinstance(value, int) else np.asarray(value)


def make_inputs(spec: SyntheticSpec, center_ids: Sequence[str] | None = None) -> dict[str, pd.DataFrame]:
    """Frames ``survey``, ``objective``, ``mentions`` in the INTERFACES.md columns."""
    rng = np.random.default_rng(spec.seed)
    codes = np.array(spec.indicators, dtype=object)
    per_region = _per(spec.centers_per_region, len(spec.regions))
    region_of = np.repeat(np.array(spec.regions, dtype=object), per_region)
    n_centers = len(region_of)
    if center_ids is None:
        center_ids = [f"c{i:05d}" for i in range(n_centers)]
    centers = np.array(center_ids, dtype=object)
    quality = np.clip(rng.normal(0.65, 0.12, (n_centers, 1)) + rng.normal(0, 0.12, (n_centers, len(codes))),
                      0.02, 0.98)

    resp = _per(spec.respondents_per_center, n_centers)
    r_center = np.repeat(np.arange(n_centers), resp)
    r_local = np.concatenate([np.arange(k) for k in resp]) if len(resp) else np.zeros(0, int)
    r_type = np.where(rng.random(len(r_center)) < spec.employer_share, "employer", "job_seeker")
    answered = rng.random((len(r_center), len(codes))) < spec.answer_share
    a_resp, a_ind = np.nonzero(answered)
    a_center = r_center[a_resp]
    latent = quality[a_center, a_ind] * 4 + 1 + rng.normal(0, 0.9, len(a_resp))
    survey = pd.DataFrame({
        "respondent_id": np.char.add("r", r_local[a_resp].astype(str)).astype(object),
        "respondent_type": r_type[a_resp].astype(object),
        "region": region_of[a_center], "center_id": centers[a_center], "period": spec.period,
        "indicator": codes[a_ind], "answer": np.clip(np.rint(latent), 1, 5).astype(np.int64),
    })

    has_obj = rng.random((n_centers, len(codes))) < spec.objective_share
    o_center, o_ind = np.nonzero(has_obj)
    required = rng.integers(1, 11, len(o_center))
    fulfilled = rng.binomial(required, quality[o_center, o_ind])
    objective = pd.DataFrame({
        "region": region_of[o_center], "center_id": centers[o_center], "period": spec.period,
        "indicator": codes[o_ind], "fulfilled": fulfilled.astype(np.int64), "required": required.astype(np.int64),
    })

    m_center = rng.integers(0, max(n_centers, 1), spec.mentions)
    m_ind = rng.integers(0, len(codes), spec.mentions)
    sentiment = np.clip(quality[m_center, m_ind] * 2 - 1 + rng.normal(0, 0.6, spec.mentions), -1, 1) \
        if n_centers else np.zeros(0)
    mentions = pd.DataFrame({
        "region": region_of[m_center] if n_centers else [], "center_id": centers[m_center] if n_centers else [],
        "period": spec.period, "indicator": codes[m_ind], "sentiment": np.round(sentiment, 3),
    })
    return {"survey": survey, "objective": objective, "mentions": mentions}
