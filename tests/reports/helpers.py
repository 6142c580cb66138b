"""A small store for report, audit and notebook tests: items of 2022Q2, predictions, one correction."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from feedback_nlp.attribution import Attributor
from feedback_nlp.ingest import IngestOptions, Pipeline
from feedback_nlp.inputs import load_index_inputs
from feedback_nlp.schema import AspectHit, Feedback, Prediction, Span
from feedback_nlp.store import Correction, Store, add_correction, item_id, open_store, save_predictions
from feedback_nlp.store.index_data import save_objective, save_survey
from scoring.methodology import load_methodology

SAMPLES = Path(__file__).resolve().parents[2] / "feedback_nlp" / "samples"
PERIOD = "2022Q2"
RULES = (  # (pattern, indicator, sentiment, rule name)
    (re.compile(r"грубо\w*"), "D2", -0.8, "rule:грубость"),
    (re.compile(r"вежлив\w*"), "D2", 0.7, "rule:вежливость"),
    (re.compile(r"очеред\w*"), "L4", -0.6, "rule:очередь"),
    (re.compile(r"нашл\w* работу"), "E1", 0.9, "model:logreg"),
    (re.compile(r"сайт\w*"), "L2", -0.5, "rule:сайт"),
)
TEXTS = [  # (external id, region, center, source kind, month, text)
    ("t1", "Тверская область", "tver-01", "social", 5, "В ЦЗН консультант грубо ответила и не стала слушать"),
    ("t2", "Тверская область", "tver-01", "review", 5, "Очередь в центре занятости два часа, стульев нет"),
    ("t3", "Тверская область", "tver-02", "review", 4, "Инспектор вежливая, всё объяснила про пособие"),
    ("k1", "Республика Татарстан", "kazan-01", "social", 6, "Спасибо ЦЗН, нашла работу за месяц"),
    ("k2", "Республика Татарстан", "kazan-02", "call_center", 5, "Сайт центра занятости не работает, очередь огромная"),
    ("n1", "Новосибирская область", "nsk-01", "email", 5, "Сотрудник ЦЗН вежливо помог, но очередь большая"),
    ("e1", "Свердловская область", "ekb-01", "complaint_book", 6, "Охранник ЦЗН грубо разговаривает с посетителями"),
    ("x1", "Тверская область", "tver-01", "social", 5, "Погода в Твери отличная, гуляли по набережной"),
    ("old", "Тверская область", "tver-01", "social", 1, "ЦЗН: очередь в январе была огромная"),  # 2022Q1
]
CORRECTED = "t3"  # a methodologist relabels it: L1 positive instead of D2


def classify(text: str, id_: str = "") -> Prediction:
    """The rules above as a classifier (evidence offsets into ``text``)."""
    lower = text.lower()
    aspects = []
    for rx, code, sentiment, rule in RULES:
        m = rx.search(lower)
        if m:
            aspects.append(AspectHit(code, sentiment, 0.9 if rule.startswith("rule") else 0.65,
                                     (Span(m.start(), m.end(), text[m.start():m.end()]),), rule))
    relevant = bool(aspects) or "цзн" in lower
    tone = sum(a.sentiment for a in aspects) / len(aspects) if aspects else 0.0
    return Prediction(id_, relevant, 0.95 if relevant else 0.05, tone, None, tuple(aspects) if relevant else (),
                      "test-rules-v0")


def fill_store(store: Store, *, uploads: bool = True) -> dict[str, str]:
    """Items, predictions, a correction and (optionally) the sample survey and objective uploads."""
    items = [Feedback(source_kind=kind, source=f"test:{kind}", external_id=ext, text=text,
                      created_at=datetime(2022, month, 10, 12, tzinfo=timezone.utc), region=region, center_id=center)
             for ext, region, center, kind, month, text in TEXTS]
    Pipeline(store, None, Attributor(), IngestOptions(redact=False, kind="test")).run(items)
    ids = {ext: item_id(f"test:{kind}", ext) for ext, _, _, kind, _, _ in TEXTS}
    save_predictions(store, "test-rules", "0", [(ids[ext], classify(text, ids[ext]).to_dict())
                                                for ext, _, _, _, _, text in TEXTS])
    add_correction(store, Correction(ids[CORRECTED], "Методист", "methodologist",
                                     {"relevant": True, "general": None, "labels": [{"indicator": "L1", "polarity": 1}]},
                                     "объяснила — это про информацию"))
    if uploads:
        inputs = load_index_inputs(load_methodology(), survey=SAMPLES / "survey.csv",
                                   objective=SAMPLES / "objective.csv")
        save_survey(store, inputs.survey)
        save_objective(store, inputs.objective)
    return ids


def make_store(path: Path, *, uploads: bool = True) -> tuple[str, dict[str, str]]:
    """A filled SQLite store at ``path``; returns its URL and the item ids by external id."""
    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        ids = fill_store(store, uploads=uploads)
    finally:
        store.close()
    return url, ids
