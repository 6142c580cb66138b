"""``feedback-nlp demo``: the main job end to end on the bundled sample data."""
from __future__ import annotations

import argparse
from pathlib import Path

from feedback_nlp.demo import run_demo


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("demo", help="run the whole pipeline on the bundled sample data",
                       description="Ingest every sample source into a fresh SQLite store, classify, compute "
                       "indices with the sample survey and objective data, print the region rating and "
                       "write the reports.")
    p.add_argument("--workdir", default="demo-output", type=Path, help="output folder (default ./demo-output)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    run_demo(args.workdir, quiet=args.quiet)
    return 0
