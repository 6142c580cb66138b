"""``feedback-nlp report --period P [--region R] [--output DIR]``: HTML and XLSX report with charts."""
from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

from feedback_nlp.errors import InputError, Problem
from feedback_nlp.inputs.validation import is_period
from scoring.methodology import DEFAULT_METHODOLOGY

STEPS = ("данные", "индекс", "тексты", "html", "xlsx")
log = logging.getLogger("feedback_nlp.report")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("report", help="HTML + XLSX report with charts for a period",
                       description="Write a self-contained HTML report and an XLSX workbook: the region "
                       "rating, group profiles (radar charts), the indicator heatmap, text analytics and the "
                       "data-quality flags. Survey and objective data come from the given files, else from "
                       "the store's uploads; text analytics from the store's predictions and corrections.")
    p.add_argument("--period", required=True, metavar="P", help="quarter, e.g. 2022Q2")
    p.add_argument("--region", metavar="R", help="only this region's centers and texts (the rating keeps all)")
    p.add_argument("--output", default="report", type=Path, metavar="DIR", help="output folder (default ./report)")
    p.add_argument("--db", metavar="URL", help="feedback store (default $FEEDBACK_NLP_DB or sqlite:///feedback.db)")
    p.add_argument("--survey", metavar="SURVEY.csv", help="survey answers (CSV/XLSX) instead of the stored ones")
    p.add_argument("--objective", metavar="OBJ.csv", help="objective data (CSV/XLSX) instead of the stored ones")
    p.add_argument("--mentions", metavar="MENTIONS.csv", help="aggregated text mentions instead of the store's")
    p.add_argument("--methodology", default=DEFAULT_METHODOLOGY, metavar="NAME_OR_PATH",
                   help=f"bundled methodology name or a YAML file (default {DEFAULT_METHODOLOGY})")
    p.set_defaults(func=run)


def _store_url(args: argparse.Namespace) -> str | None:
    """The store to read; None when none was asked for and the default SQLite file does not exist."""
    if args.db:
        return args.db
    url = os.environ.get("FEEDBACK_NLP_DB") or "sqlite:///feedback.db"
    if url.startswith("sqlite:///") and not Path(url[len("sqlite:///"):]).exists():
        if args.survey or args.objective or args.mentions:
            return None
        raise InputError(Problem("--db", None, "db", url, "no such store; pass --db URL or the --survey and "
                                 "--objective files"))
    return url


def run(args: argparse.Namespace) -> int:
    from feedback_nlp.progress import progress
    from feedback_nlp.reports import write_report
    from feedback_nlp.reports.load import load_report
    from feedback_nlp.store import open_store
    from scoring.methodology import load_methodology

    period = args.period.upper()
    if not is_period(period):
        raise InputError(Problem("--period", None, "period", args.period, "must be a quarter YYYYQn, e.g. 2022Q2"))
    for noisy in ("alembic", "matplotlib", "PIL"):  # --verbose is about our steps, not font look-ups
        logging.getLogger(noisy).setLevel(logging.WARNING)
    methodology = load_methodology(args.methodology)
    url = _store_url(args)
    store = open_store(url) if url else None
    bar = progress(total=len(STEPS), desc="отчёт", unit=" шаг", quiet=args.quiet)

    def step(name: str) -> None:
        log.debug("report step: %s", name)
        bar.set_postfix_str(name, refresh=False)
        bar.update(0 if name == STEPS[0] else 1)

    try:
        report = load_report(period, store=store, methodology=methodology, survey=args.survey,
                             objective=args.objective, mentions=args.mentions, region=args.region, on_step=step)
        written = write_report(report, args.output, on_step=step)
        bar.update(1)
    finally:
        bar.close()
        if store is not None:
            store.close()
    if not args.quiet:
        for path in written.values():
            print(f"written: {path}")
    return 0
