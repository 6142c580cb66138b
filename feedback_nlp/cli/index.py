"""``feedback-nlp index``: center and region indices and the rating of regions."""
from __future__ import annotations

import argparse

from feedback_nlp.errors import InputError, Problem
from feedback_nlp.index_output import FORMATS, dump_index
from feedback_nlp.inputs import load_index_inputs
from feedback_nlp.inputs.validation import is_period
from scoring.index import compute_index
from scoring.methodology import DEFAULT_METHODOLOGY, load_methodology


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("index", help="compute center and region indices and the region rating",
                       description="Compute the customer-centricity index of every center and region for a "
                       "period from survey answers, objective data and text mentions.")
    p.add_argument("--objective", required=True, metavar="OBJ.csv", help="objective 'X of N' data (CSV/XLSX)")
    p.add_argument("--survey", required=True, metavar="SURVEY.csv", help="survey answers (CSV/XLSX)")
    src = p.add_mutually_exclusive_group()
    src.add_argument("--mentions", metavar="MENTIONS.csv", help="text mentions already aggregated (CSV/XLSX)")
    src.add_argument("--db", metavar="URL", help="take text mentions from the feedback store's predictions")
    p.add_argument("--period", required=True, metavar="P", help="quarter, e.g. 2022Q2")
    p.add_argument("--methodology", default=DEFAULT_METHODOLOGY, metavar="NAME_OR_PATH",
                   help=f"bundled methodology name or a YAML file (default {DEFAULT_METHODOLOGY})")
    p.add_argument("--output", metavar="FILE", help="write here (default: standard output)")
    p.add_argument("--format", choices=FORMATS, default=None, help="json (default), csv or xlsx; "
                   "guessed from the --output suffix when not given")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    period = args.period.upper()
    if not is_period(period):
        raise InputError(Problem("--period", None, "period", args.period, "must be a quarter YYYYQn, e.g. 2022Q2"))
    fmt = args.format or _format_from_suffix(args.output)
    methodology = load_methodology(args.methodology)
    inputs = load_index_inputs(methodology, survey=args.survey, objective=args.objective, mentions=args.mentions)
    if args.db:
        from feedback_nlp.mentions import mentions_from_store

        inputs = type(inputs)(survey=inputs.survey, objective=inputs.objective,
                              mentions=mentions_from_store(args.db, period))
    result = compute_index(inputs, methodology, period)
    dump_index(result, args.output, fmt)
    return 0


def _format_from_suffix(output: str | None) -> str:
    if output:
        suffix = output.rsplit(".", 1)[-1].lower()
        if suffix in FORMATS:
            return suffix
    return "json"
