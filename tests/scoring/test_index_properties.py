"""Properties of the engine on random inputs, against a deliberately naive re-implementation."""
from __future__ import annotations

import math
from collections import defaultdict

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.index import IndexInputs, compute_index
from tests.scoring.conftest import PERIOD

CENTERS = [("A", "a1"), ("A", "a2"), ("B", "b1")]
CODES = ["E1", "D2", "L4", "K3"]

answers = st.lists(st.tuples(st.sampled_from(CENTERS), st.integers(0, 7), st.sampled_from(["job_seeker", "employer"]),
                             st.sampled_from(CODES), st.integers(1, 5)), max_size=40)
objective = st.lists(st.tuples(st.sampled_from(CENTERS), st.sampled_from(CODES), st.integers(0, 6),
                               st.integers(0, 6)), max_size=12)
mentions = st.lists(st.tuples(st.sampled_from(CENTERS), st.sampled_from(CODES),
                              st.floats(-1, 1, allow_nan=False)), max_size=40)


def frames(ans, obj, men):
    seen, survey, types = set(), [], {}
    for (region, center), rid, rtype, code, a in ans:
        key = (region, center, rid, code)
        if key in seen:
            continue
        seen.add(key)
        rtype = types.setdefault((region, center, rid), rtype)
        survey.append({"respondent_id": f"r{rid}", "respondent_type": rtype, "region": region,
                       "center_id": center, "period": PERIOD, "indicator": code, "answer": a})
    objective_rows, seen_obj = [], set()
    for (region, center), code, x, n in obj:
        if (region, center, code) in seen_obj:
            continue
        seen_obj.add((region, center, code))
        objective_rows.append({"region": region, "center_id": center, "period": PERIOD, "indicator": code,
                               "fulfilled": min(x, n), "required": n})
    mention_rows = [{"region": r, "center_id": c, "period": PERIOD, "indicator": code, "sentiment": s}
                    for (r, c), code, s in men]
    return survey, objective_rows, mention_rows


def naive(survey, objective_rows, mention_rows, m):
    """The methodology written out with loops and dicts, independent of the engine."""
    centers = sorted({(r["region"], r["center_id"]) for r in survey + objective_rows + mention_rows})
    answers, obj, texts = defaultdict(list), {}, defaultdict(list)
    for r in survey:
        answers[(r["region"], r["center_id"], r["indicator"])].append((r["answer"] - 1) / 4)
    for r in objective_rows:
        if r["required"] > 0:
            obj[(r["region"], r["center_id"], r["indicator"])] = r["fulfilled"] / r["required"]
    for r in mention_rows:
        texts[(r["region"], r["center_id"], r["indicator"])].append((r["sentiment"] + 1) / 2)
    index = {}
    for region, center in centers:
        total = 0.0
        for g in m.groups:
            group = 0.0
            for ind in g.indicators:
                key = (region, center, ind.code)
                s = sum(answers[key]) / len(answers[key]) if answers[key] else None
                n = len(texts[key])
                t = (sum(texts[key]) + m.prior_strength * m.prior_mean) / (n + m.prior_strength) \
                    if n >= m.min_mentions and n > 0 else None
                if s is not None and t is not None:
                    client = (1 - m.text_weight) * s + m.text_weight * t
                else:
                    client = s if s is not None else t
                o = obj.get(key)
                if o is not None and client is not None:
                    coef = (o + client) / 2 * ind.weight
                elif o is not None or client is not None:
                    coef = (o if o is not None else client) * ind.weight
                else:
                    coef = 0.0
                group += coef
            total += g.multiplier * group
        index[(region, center)] = total / len(m.groups)
    regions = defaultdict(list)
    for (region, _), value in index.items():
        regions[region].append(value)
    return index, {r: sum(v) / len(v) for r, v in regions.items()}


def run(survey, objective_rows, mention_rows, m):
    inputs = IndexInputs.from_frames(pd.DataFrame(survey) if survey else None,
                                     pd.DataFrame(objective_rows) if objective_rows else None,
                                     pd.DataFrame(mention_rows) if mention_rows else None)
    return compute_index(inputs, m, PERIOD).to_dict()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers, objective, mentions)
def test_index_equals_naive_reimplementation_and_stays_in_range(pilot, ans, obj, men):
    survey, objective_rows, mention_rows = frames(ans, obj, men)
    doc = run(survey, objective_rows, mention_rows, pilot)
    centers, regions = naive(survey, objective_rows, mention_rows, pilot)
    assert {(c["region"], c["center_id"]): c["index"] for c in doc["centers"]} == pytest.approx(centers, abs=1e-9)
    assert {r["region"]: r["index"] for r in doc["regions"]} == pytest.approx(regions, abs=1e-9)
    for c in doc["centers"]:
        assert -1e-12 <= c["index"] <= pilot.maximum + 1e-12


def _index_of(doc, center):
    return next(c["index"] for c in doc["centers"] if (c["region"], c["center_id"]) == center)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers, objective, mentions, st.data())
def test_index_never_decreases_when_one_answer_or_fulfilled_count_increases(pilot, ans, obj, men, data):
    survey, objective_rows, mention_rows = frames(ans, obj, men)
    before = run(survey, objective_rows, mention_rows, pilot)
    if survey and data.draw(st.booleans()):
        i = data.draw(st.integers(0, len(survey) - 1))
        row = survey[i]
        if row["answer"] == 5:
            return
        survey = survey[:i] + [{**row, "answer": row["answer"] + 1}] + survey[i + 1:]
    elif objective_rows:
        i = data.draw(st.integers(0, len(objective_rows) - 1))
        row = objective_rows[i]
        if row["fulfilled"] >= row["required"]:
            return
        objective_rows = objective_rows[:i] + [{**row, "fulfilled": row["fulfilled"] + 1}] + objective_rows[i + 1:]
    else:
        return
    center = (row["region"], row["center_id"])
    after = run(survey, objective_rows, mention_rows, pilot)
    assert _index_of(after, center) >= _index_of(before, center) - 1e-12
    assert not math.isnan(_index_of(after, center))
