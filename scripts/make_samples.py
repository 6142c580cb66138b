"""Regenerate the bundled sample survey, objective data and mentions (deterministic)."""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.inputs.synthetic import SyntheticSpec, make_inputs

OUT = Path(__file__).resolve().parent.parent / "feedback_nlp" / "samples"

# Four regions; Свердловская область interviews too few people and must come out insufficient_sample.
REGIONS = ["Тверская область", "Республика Татарстан", "Новосибирская область", "Свердловская область"]
CENTERS = ["tver-01", "tver-02", "tver-03", "kazan-01", "kazan-02", "kazan-03", "nsk-01", "nsk-02",
           "ekb-01", "ekb-02"]


def main() -> None:
    spec = SyntheticSpec(regions=REGIONS, centers_per_region=[3, 3, 2, 2],
                         respondents_per_center=[48, 45, 52, 55, 50, 47, 60, 58, 38, 34],
                         employer_share=0.24, answer_share=0.7, mentions=0, period="2022Q2",
                         objective_share=0.9, seed=2022)
    frames = make_inputs(spec, center_ids=CENTERS)
    # The small region also has few employers answering.
    survey = frames["survey"]
    ekb = survey["region"] == "Свердловская область"
    survey.loc[ekb & (survey["respondent_id"].str[1:].astype(int) % 5 != 0), "respondent_type"] = "job_seeker"
    survey.to_csv(OUT / "survey.csv", index=False)
    frames["objective"].to_csv(OUT / "objective.csv", index=False)


if __name__ == "__main__":
    main()
