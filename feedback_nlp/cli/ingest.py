"""``feedback-nlp ingest KIND PATH...``: collect feedback into the store."""
from __future__ import annotations

import argparse
import csv
import json
import logging
import os
import sys
from pathlib import Path
from typing import IO

from feedback_nlp.errors import InputError, Problem

DEFAULT_REJECTS = "rejects.jsonl"


def default_db() -> str:
    """``--db`` default: $FEEDBACK_NLP_DB, else ``sqlite:///feedback.db``."""
    return os.environ.get("FEEDBACK_NLP_DB") or "sqlite:///feedback.db"


def default_workers() -> int:
    """Row-building worker processes by default: one per extra core, at most 2."""
    return max(0, min(2, (os.cpu_count() or 1) - 1))


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = subparsers.add_parser(
        "ingest", help="collect feedback from files into the store",
        description="Collect feedback with the collector KIND (vk, telegram, rss, media-csv, "
        "reviews, call-center, complaint-book, sms, email, generic) from PATHs into the store: "
        "personal data redacted, region/center attributed, duplicates linked.")
    p.add_argument("kind", metavar="KIND")
    p.add_argument("paths", metavar="PATH", nargs="*", type=Path)
    p.add_argument("--db", default=None, help="store URL (default $FEEDBACK_NLP_DB or "
                   "sqlite:///feedback.db)")
    p.add_argument("--region", help="region of items that carry none")
    p.add_argument("--center", help="center id of items that carry none")
    p.add_argument("--centers", type=Path, help="centers.csv: center_id,region,name,address,"
                   "aliases,vk_group_ids,telegram_channels")
    p.add_argument("--batch-size", type=int, default=2000,  # ingest.pipeline.DEFAULT_BATCH_SIZE
                   help="items per transaction (default 2000)")
    p.add_argument("--rejects", type=Path, default=None,
                   help=f"file for rejected records, .jsonl or .csv (default {DEFAULT_REJECTS}, "
                   "written only when something is rejected)")
    p.add_argument("--keep-raw-text", action="store_true",
                   help="also store the unredacted text (only where the law allows)")
    p.add_argument("--no-redact", action="store_true",
                   help="store texts without personal-data redaction (already anonymised input)")
    p.add_argument("--workers", type=int, default=None, metavar="N",
                   help="processes that redact, attribute and fingerprint besides the writer "
                   "(default: one per extra CPU core, at most 2; 0: all in one process)")
    p.add_argument("--option", action="append", default=[], metavar="KEY=VALUE",
                   help="an option of the collector (repeatable)")
    p.set_defaults(func=run)


class RejectsFile:
    """Opens the rejects file on the first reject; JSONL or CSV by suffix."""

    def __init__(self, path: Path):
        self.path = path
        self.count = 0
        self._f: IO[str] | None = None
        self._csv: csv.writer | None = None  # type: ignore[valid-type]

    def write(self, reject: object) -> None:
        from feedback_nlp.privacy import redact_patterns

        if self._f is None:
            self._f = self.path.open("w", encoding="utf-8", newline="")
            if self.path.suffix.lower() == ".csv":
                self._csv = csv.writer(self._f)
                self._csv.writerow(["file", "line", "reason", "excerpt"])
        row = {"file": reject.file, "line": reject.line,  # type: ignore[attr-defined]
               "reason": reject.reason,  # type: ignore[attr-defined]
               "excerpt": redact_patterns(reject.excerpt or "")}  # type: ignore[attr-defined]
        if self._csv is not None:
            self._csv.writerow(row.values())
        else:
            self._f.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.count += 1

    def close(self) -> None:
        if self._f is not None:
            self._f.close()


def _parse_options(pairs: list[str]) -> dict[str, object]:
    options: dict[str, object] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise InputError(Problem("<command line>", None, "--option", pair,
                                     "expected KEY=VALUE"))
        options[key.replace("-", "_")] = value
    return options


def run(args: argparse.Namespace) -> int:
    from feedback_nlp.progress import progress

    from feedback_nlp.attribution import Attributor, load_centers
    from feedback_nlp.ingest import IngestOptions, ingest_paths
    from feedback_nlp.privacy import Redactor
    from feedback_nlp.sources.base import source_names
    from feedback_nlp.store import open_store
    from feedback_nlp.store.errors import store_errors

    logging.getLogger("alembic").setLevel(logging.WARNING)
    known = source_names()
    if args.kind not in known:
        raise InputError(Problem("<command line>", None, "KIND", args.kind,
                                 f"unknown collector; known: {', '.join(known) or 'none'}"))
    missing = [p for p in args.paths if "://" not in str(p) and not p.exists()]
    if missing:
        raise InputError([Problem(str(p), None, None, None, "no such file") for p in missing])
    if args.batch_size < 1:
        raise InputError(Problem("<command line>", None, "--batch-size", args.batch_size,
                                 "must be at least 1"))
    if args.workers is not None and args.workers < 0:
        raise InputError(Problem("<command line>", None, "--workers", args.workers,
                                 "must be 0 or more"))
    attributor = Attributor(load_centers(args.centers) if args.centers else ())
    source_options = _parse_options(args.option)
    if args.kind == "vk" and {"owner_ids", "queries"} & set(source_options) and "token" not in source_options:
        # Live VK mode: the token comes from the environment only, never from the command line.
        source_options["token"] = os.environ.get("FEEDBACK_NLP_VK_TOKEN", "")
    url = args.db or default_db()
    with store_errors(url):
        store = open_store(url)
    options = IngestOptions(
        redact=not args.no_redact, keep_raw_text=args.keep_raw_text, batch_size=args.batch_size,
        salt=os.environ.get("FEEDBACK_NLP_SALT") or None, region=args.region,
        center_id=args.center,
        workers=default_workers() if args.workers is None else args.workers)
    redactor = Redactor.load() if options.redact else None
    rejects = RejectsFile(args.rejects or Path(DEFAULT_REJECTS))
    bar = progress(unit=" items", desc="ingest", quiet=getattr(args, "quiet", False))
    try:
        try:
            with store_errors(url, "batches committed before are kept; rerun the same "
                              "command to complete the ingest"):
                counts = ingest_paths(store, args.kind, args.paths, options=options,
                                      redactor=redactor, attributor=attributor,
                                      source_options=source_options, on_reject=rejects.write,
                                      on_progress=bar.update)
        except TypeError as exc:
            if source_options and "argument" in str(exc):
                raise InputError(Problem("<command line>", None, "--option", None,
                                         f"not accepted by collector {args.kind}: {exc}")) \
                    from None
            raise
    finally:
        bar.close()
        rejects.close()
        store.close()
    print(counts.summary())
    if rejects.count:
        print(f"{rejects.count} rejected records written to {rejects.path}", file=sys.stderr)
    if counts.read and counts.rejected == counts.read:
        print("error: bad input: every record was rejected", file=sys.stderr)
        return 2
    return 0
