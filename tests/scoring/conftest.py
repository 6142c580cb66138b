from __future__ import annotations

import pandas as pd
import pytest

from scoring.index import IndexInputs
from scoring.methodology import load_methodology

PERIOD = "2022Q2"


@pytest.fixture(scope="session")
def pilot():
    return load_methodology("pilot-2022")


def survey_rows(region, center, indicator, answers, start=0, employer_every=0, period=PERIOD):
    """One answer per respondent r{start+i}; every ``employer_every``-th respondent is an employer."""
    return [
        {"respondent_id": f"r{start + i}",
         "respondent_type": "employer" if employer_every and i % employer_every == 0 else "job_seeker",
         "region": region, "center_id": center, "period": period, "indicator": indicator, "answer": a}
        for i, a in enumerate(answers)
    ]


def make_inputs(survey=(), objective=(), mentions=()):
    return IndexInputs.from_frames(
        pd.DataFrame(list(survey)) if survey else None,
        pd.DataFrame([dict(zip(["region", "center_id", "period", "indicator", "fulfilled", "required"], o))
                      for o in objective]) if objective else None,
        pd.DataFrame([dict(zip(["region", "center_id", "period", "indicator", "sentiment"], m))
                      for m in mentions]) if mentions else None,
    )
