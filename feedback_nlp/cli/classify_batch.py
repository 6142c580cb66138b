"""``feedback-nlp classify-batch --input DIR_OR_GLOB --output DIR [--scheduler ADDRESS]``: Dask batch."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from feedback_nlp.errors import InputError, Problem

DEFAULT_BLOCKSIZE = 8 << 20  # = batch.partitions.DEFAULT_BLOCKSIZE, without importing pandas to build the parser


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("classify-batch", help="classify partitioned Parquet/JSONL data on Dask",
                       description="Classify Parquet/JSONL partitions (columns id, text, optional source) on a "
                       "Dask cluster and write Parquet predictions to OUTPUT/part-NNNNN.parquet. Without "
                       "--scheduler a LocalCluster of --workers processes is started on this machine.")
    p.add_argument("--input", required=True, help="directory, glob or file of .parquet/.jsonl partitions")
    p.add_argument("--output", required=True, type=Path, help="directory of the Parquet predictions (new or empty)")
    p.add_argument("--scheduler", metavar="ADDRESS", help="existing Dask scheduler, e.g. tcp://10.0.0.5:8786")
    p.add_argument("--workers", type=int, default=2, help="worker processes of the LocalCluster (default 2)")
    p.add_argument("--model", type=Path, default=None, help="model directory (default: the bundled model); "
                   "must exist at the same path on every worker")
    p.add_argument("--blocksize", type=int, default=DEFAULT_BLOCKSIZE, help="bytes of JSONL per partition")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from feedback_nlp.batch.run import classify_batch

    if not getattr(args, "verbose", False):  # the scheduler's and nannies' INFO lines drown the result
        import distributed  # noqa: F401 - its import sets its loggers' levels: override them after

        logging.getLogger("distributed").setLevel(logging.WARNING)
    if args.workers < 1:
        raise InputError(Problem("--workers", None, None, args.workers, "must be at least 1"))
    if args.output.exists() and any(args.output.iterdir()):
        raise InputError(Problem(str(args.output), None, None, None, "output directory is not empty"))
    result = classify_batch(args.input, args.output, scheduler=args.scheduler, workers=args.workers,
                            model_path=args.model, blocksize=args.blocksize)
    rate = result.rows / result.seconds if result.seconds else 0.0
    print(f"classified {result.rows - result.errors} texts in {result.partitions} partitions on "
          f"{result.workers} workers in {result.seconds:.1f} s ({rate:.0f} texts/s); "
          f"{result.errors} rows not classified (see column error); output {result.output}", file=sys.stderr)
    return 0
