"""Gather what a report needs: index inputs from files and/or the store, the index, the text aspects."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from feedback_nlp.errors import InputError, Problem
from feedback_nlp.inputs import load_index_inputs
from feedback_nlp.reports.build import Report, build_report, text_aspects
from feedback_nlp.store import Store
from scoring.index import IndexInputs, compute_index
from scoring.methodology import Methodology, load_methodology


def load_report(period: str, *, store: Store | None = None, methodology: Methodology | None = None,
                survey: str | Path | None = None, objective: str | Path | None = None,
                mentions: str | Path | None = None, region: str | None = None,
                on_step: Callable[[str], None] = lambda step: None) -> Report:
    """The report of ``period``: files where given, else the store's uploads, predictions and corrections."""
    from feedback_nlp.mentions import mentions_from_store
    from feedback_nlp.store.index_data import load_objective, load_survey

    period = period.upper()
    methodology = methodology or load_methodology()
    on_step("данные")
    files = load_index_inputs(methodology, survey=survey, objective=objective, mentions=mentions)
    if store is not None:
        files = IndexInputs.from_frames(
            survey=files.survey if survey is not None else load_survey(store, period),
            objective=files.objective if objective is not None else load_objective(store, period),
            mentions=files.mentions if mentions is not None else mentions_from_store(store, period))
    on_step("индекс")
    result = compute_index(files, methodology, period)
    if not len(result.centers):
        raise InputError(Problem("--period", None, "period", period,
                                 "no survey answers, objective rows or text mentions for this period"))
    if region is not None and region not in set(result.centers["region"]):
        known = ", ".join(sorted(set(result.centers["region"])))
        raise InputError(Problem("--region", None, "region", region, f"no data of this region (known: {known})"))
    on_step("тексты")
    aspects, texts = text_aspects(store, period, region) if store is not None else (None, 0)
    return build_report(result, aspects, region=region, texts=texts)
