"""The ``feedback-nlp`` command line: one module per command, registered here.

Exit status: 0 success, 2 bad input (message names file, line, field), 1 anything else.
"""
from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from feedback_nlp.errors import FeedbackNLPError, InputError

# Each module defines ``register(subparsers)``, which adds its parser and sets ``func``
# (a callable taking the parsed args and returning an exit status).
COMMAND_MODULES: tuple[str, ...] = (
    "demo",
    "index",
    "ingest",
    "items",
    "classify",
    "classify_batch",
    "train",
    "evaluate",
    "explain",
    "serve",
    "keys",
    "report",
)

EXIT_OK, EXIT_FAILURE, EXIT_BAD_INPUT = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The top-level parser with every registered command."""
    parser = argparse.ArgumentParser(
        prog="feedback-nlp",
        description="Customer-centricity index of employment centers (ЦЗН) from surveys, "
        "objective data and Russian NLP of client feedback.",
    )
    parser.add_argument("-q", "--quiet", action="store_true", help="only errors")
    parser.add_argument("-v", "--verbose", action="store_true", help="debug logging")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        importlib.import_module(f"feedback_nlp.cli.{name}").register(sub)
    return parser


GLOBAL_FLAGS = ("-q", "--quiet", "-v", "--verbose")


def _global_flags_first(argv: list[str]) -> list[str]:
    """Accept -q/-v after the command too (``feedback-nlp demo -q``), as users type them."""
    end = argv.index("--") if "--" in argv else len(argv)
    flags = [a for a in argv[:end] if a in GLOBAL_FLAGS]
    return flags + [a for i, a in enumerate(argv) if i >= end or a not in GLOBAL_FLAGS]


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script."""
    args = build_parser().parse_args(_global_flags_first(sys.argv[1:] if argv is None else list(argv)))
    # Quiet by default: commands print their own summaries; -v shows the pipeline's log.
    level = logging.ERROR if args.quiet else logging.INFO if args.verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if args.verbose:
        logging.getLogger("feedback_nlp").setLevel(logging.DEBUG)
    try:
        return int(args.func(args) or EXIT_OK)
    except InputError as exc:
        print(f"error: bad input\n{exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except FeedbackNLPError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_FAILURE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
