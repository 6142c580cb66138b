"""``feedback-nlp items``: export stored feedback (JSONL on standard output by default)."""
from __future__ import annotations

import argparse
import logging
import re
import sys
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from feedback_nlp.cli.ingest import default_db
from feedback_nlp.errors import InputError, Problem

MOSCOW = ZoneInfo("Europe/Moscow")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    from feedback_nlp.store.export import FORMATS

    p = subparsers.add_parser("items", help="export stored feedback",
                              description="Export stored feedback items with filters.")
    p.add_argument("--db", default=None, help="store URL (default $FEEDBACK_NLP_DB or "
                   "sqlite:///feedback.db)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="jsonl (default), csv, xlsx, parquet; guessed from --output")
    p.add_argument("--output", type=Path, help="file to write (default standard output)")
    p.add_argument("--region")
    p.add_argument("--center")
    p.add_argument("--source-kind")
    p.add_argument("--since", help="created at or after: YYYY-MM-DD or ISO datetime "
                   "(Moscow time if no offset)")
    p.add_argument("--until", help="created before: YYYY-MM-DD or ISO datetime")
    p.add_argument("--period", help="a quarter YYYYQn (sets --since and --until)")
    p.add_argument("--query", help="case-insensitive text search")
    p.add_argument("--no-duplicates", action="store_true", help="only originals")
    p.add_argument("--unattributed", action="store_true", help="only items without a region")
    p.add_argument("--limit", type=int)
    p.set_defaults(func=run)


def parse_when(value: str, field: str) -> datetime:
    """``YYYY-MM-DD`` (midnight Moscow time) or an ISO datetime (Moscow time if naive)."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(Problem("<command line>", None, field, value,
                                 "expected YYYY-MM-DD or an ISO datetime")) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=MOSCOW)


def parse_period(value: str) -> tuple[datetime, datetime]:
    """``2022Q2`` -> [2022-04-01, 2022-07-01) in Moscow time."""
    m = re.fullmatch(r"(\d{4})Q([1-4])", value)
    if m is None:
        raise InputError(Problem("<command line>", None, "--period", value, "expected YYYYQn"))
    year, quarter = int(m.group(1)), int(m.group(2))
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return (datetime.combine(start, datetime.min.time(), MOSCOW),
            datetime.combine(end, datetime.min.time(), MOSCOW) - timedelta(0))


def run(args: argparse.Namespace) -> int:
    from feedback_nlp.store import ItemFilter, iter_items, open_store
    from feedback_nlp.store.errors import store_errors
    from feedback_nlp.store.export import write_csv, write_jsonl, write_table

    logging.getLogger("alembic").setLevel(logging.WARNING)
    fmt = args.format
    if fmt is None:
        suffix = args.output.suffix.lower().lstrip(".") if args.output else ""
        fmt = suffix if suffix in ("csv", "xlsx", "parquet", "jsonl") else "jsonl"
    if fmt in ("xlsx", "parquet") and args.output is None:
        raise InputError(Problem("<command line>", None, "--output", None,
                                 f"--format {fmt} needs --output FILE"))
    since = parse_when(args.since, "--since") if args.since else None
    until = parse_when(args.until, "--until") if args.until else None
    if args.period:
        since, until = parse_period(args.period)
    filters = ItemFilter(region=args.region, center_id=args.center,
                         source_kind=args.source_kind, since=since, until=until,
                         query=args.query, include_duplicates=not args.no_duplicates,
                         unattributed=True if args.unattributed else None)
    url = args.db or default_db()
    with store_errors(url):
        store = open_store(url)
    try:
        with store_errors(url, "the export is incomplete"):
            items = (item for _, item in iter_items(store, filters, limit=args.limit))
            if fmt in ("xlsx", "parquet"):
                n = write_table(items, args.output, fmt)
            elif args.output is not None:
                with args.output.open("w", encoding="utf-8", newline="") as out:
                    n = (write_csv if fmt == "csv" else write_jsonl)(items, out)
            else:
                n = (write_csv if fmt == "csv" else write_jsonl)(items, sys.stdout)
    finally:
        store.close()
    if args.output is not None:
        print(f"{n} items written to {args.output}", file=sys.stderr)
    return 0
