"""Exceptions of feedback-nlp.

FeedbackNLPError
 ├── InputError          bad user input; carries row-level problems; CLI exit status 2
 ├── MethodologyError    an invalid methodology file (also bad input: exit status 2)
 ├── ModelError          a missing, corrupt or incompatible model artifact
 └── SourceError         a collector could not reach or read its source (token, network)
"""
from __future__ import annotations

from dataclasses import dataclass

MAX_LISTED_PROBLEMS = 50


@dataclass(frozen=True)
class Problem:
    """One bad value: where it is and why it is rejected."""

    file: str
    line: int | None
    field: str | None
    value: object
    why: str

    def __str__(self) -> str:
        place = self.file if self.line is None else f"{self.file}:{self.line}"
        field = f" {self.field}:" if self.field else ""
        value = "" if self.value is None else f" {self.value!r}"
        sep = " —" if field or value else ""
        return f"{place}:{field}{value}{sep} {self.why}"


class FeedbackNLPError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(FeedbackNLPError):
    """Bad input: one or more problems, each naming file, line, field and value."""

    def __init__(self, problems: list[Problem] | Problem | str, total: int | None = None):
        if isinstance(problems, str):
            problems = [Problem("<input>", None, None, None, problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = list(problems)
        # Huge bad files keep only the first problems in memory, but say how many there were.
        self.total: int = max(total or 0, len(self.problems))
        super().__init__(format_problems(self.problems, total=self.total))


class MethodologyError(InputError):
    """The methodology file is invalid."""


class ModelError(FeedbackNLPError):
    """A model artifact is missing, corrupt or of another protocol."""


class SourceError(FeedbackNLPError):
    """A source could not be reached or read (bad token, network, service error)."""


def format_problems(problems: list[Problem], limit: int = MAX_LISTED_PROBLEMS, total: int | None = None) -> str:
    """Render problems one a line, at most ``limit`` of them, then a count of the rest."""
    total = max(total or 0, len(problems))
    lines = [str(p) for p in problems[:limit]]
    if total > len(lines):
        lines.append(f"… and {total - len(lines)} more problems ({total} in all)")
    return "\n".join(lines)
