from __future__ import annotations

import pytest

from feedback_nlp.cli import _global_flags_first


@pytest.mark.parametrize("argv, expected", [
    (["demo", "-q"], ["-q", "demo"]),
    (["-v", "demo"], ["-v", "demo"]),
    (["index", "--period", "2022Q2", "--quiet"], ["--quiet", "index", "--period", "2022Q2"]),
    (["explain", "--", "-q"], ["explain", "--", "-q"]),   # after "--" it is text, not a flag
])
def test_cli_global_flags_are_accepted_after_the_command(argv, expected):
    assert _global_flags_first(argv) == expected
