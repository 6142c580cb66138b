"""Regenerate the bundled sample data (deterministic).

* ``samples/survey.csv``, ``samples/objective.csv`` — the pilot quarter 2022Q2 (tests, API examples);
* ``samples/demo/`` — the demo's quarter 2024Q2: survey, objective data and client feedback
  (texts of the project's labelled corpus, test split, assigned to the sample centers and dated
  in the quarter) that the demo ingests, classifies and turns into text mentions.
"""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta
from pathlib import Path

from feedback_nlp.classifiers.corpus import is_test
from feedback_nlp.inputs.synthetic import SyntheticSpec, make_inputs

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "feedback_nlp" / "samples"

# Four regions; Свердловская область interviews too few people and must come out insufficient_sample.
REGIONS = ["Тверская область", "Республика Татарстан", "Новосибирская область", "Свердловская область"]
CENTERS = ["tver-01", "tver-02", "tver-03", "kazan-01", "kazan-02", "kazan-03", "nsk-01", "nsk-02",
           "ekb-01", "ekb-02"]
REGION_OF = dict(zip(CENTERS, [REGIONS[0]] * 3 + [REGIONS[1]] * 3 + [REGIONS[2]] * 2 + [REGIONS[3]] * 2))
FEEDBACK_SOURCES = ("social", "review", "call_center", "complaint_book", "email", "sms", "survey_comment")


def write_index_inputs(folder: Path, period: str, seed: int) -> None:
    spec = SyntheticSpec(regions=REGIONS, centers_per_region=[3, 3, 2, 2],
                         respondents_per_center=[48, 45, 52, 55, 50, 47, 60, 58, 38, 34],
                         employer_share=0.24, answer_share=0.7, mentions=0, period=period,
                         objective_share=0.9, seed=seed)
    frames = make_inputs(spec, center_ids=CENTERS)
    survey = frames["survey"]
    # The small region also has few employers answering.
    ekb = survey["region"] == "Свердловская область"
    survey.loc[ekb & (survey["respondent_id"].str[1:].astype(int) % 5 != 0), "respondent_type"] = "job_seeker"
    folder.mkdir(parents=True, exist_ok=True)
    survey.to_csv(folder / "survey.csv", index=False)
    frames["objective"].to_csv(folder / "objective.csv", index=False)


def write_demo_feedback(path: Path, seed: int = 2024) -> None:
    rng = random.Random(seed)
    start = datetime(2024, 4, 1, 9, 0)
    rows = []
    for part in sorted((ROOT / "models" / "corpus" / "parts").glob("*.jsonl")):
        for line in part.read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            if not is_test(item["id"]) or item["source"] not in FEEDBACK_SOURCES:
                continue
            center = rng.choice(CENTERS)
            when = start + timedelta(minutes=rng.randrange(0, 90 * 24 * 60))
            rows.append({"id": f"demo-{item['id']}", "text": item["text"], "source_kind": item["source"],
                         "created_at": when.strftime("%Y-%m-%dT%H:%M:%S+03:00"),
                         "region": REGION_OF[center], "center_id": center})
    rows.sort(key=lambda r: r["id"])
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def main() -> None:
    write_index_inputs(OUT, "2022Q2", seed=2022)
    write_index_inputs(OUT / "demo", "2024Q2", seed=2024)
    write_demo_feedback(OUT / "demo" / "feedback.jsonl")


if __name__ == "__main__":
    main()
