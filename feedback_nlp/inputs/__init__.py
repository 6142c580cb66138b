"""Readers and validators of the index inputs: survey, objective data, text mentions."""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.errors import InputError
from feedback_nlp.inputs.tables import RawTable, read_table
from feedback_nlp.inputs.validation import validate_mentions, validate_objective, validate_survey

__all__ = ["RawTable", "load_index_inputs", "read_table", "validate_mentions", "validate_objective",
           "validate_survey"]


def load_index_inputs(methodology, survey: str | Path | None = None, objective: str | Path | None = None,
                      mentions: str | Path | None = None):
    """Read and validate every given file; problems of all files are raised together."""
    from scoring.index import IndexInputs

    codes = methodology.indicator_codes
    likert = (methodology.likert_min, methodology.likert_max)
    readers = {
        "survey": (survey, lambda t: validate_survey(t, codes, likert)),
        "objective": (objective, lambda t: validate_objective(t, codes)),
        "mentions": (mentions, lambda t: validate_mentions(t, codes)),
    }
    frames, problems, total = {}, [], 0
    for name, (path, validate) in readers.items():
        if path is None:
            continue
        try:
            frames[name] = validate(read_table(path))
        except InputError as exc:
            problems.extend(exc.problems)
            total += exc.total
    if problems:
        raise InputError(problems, total=total)
    return IndexInputs.from_frames(**frames)
