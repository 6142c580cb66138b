"""The demo pipeline on the bundled samples: the front door of the whole product.

Steps run in order, each writing into the work folder; later stages of the product add steps.
"""
from __future__ import annotations

from importlib import resources
from pathlib import Path

from feedback_nlp.index_output import dump_index, format_rating
from feedback_nlp.inputs import load_index_inputs
from scoring.index import compute_index
from scoring.methodology import load_methodology

SAMPLE_PERIOD = "2022Q2"


def sample_path(name: str) -> Path:
    """Path of a bundled sample file."""
    return Path(str(resources.files("feedback_nlp") / "samples" / name))


def run_demo(workdir: Path, quiet: bool = False) -> dict[str, Path]:
    """Run every step; return the files written."""
    say = (lambda *a: None) if quiet else print
    workdir.mkdir(parents=True, exist_ok=True)
    methodology = load_methodology()
    mentions = sample_path("mentions.csv")
    inputs = load_index_inputs(methodology, survey=sample_path("survey.csv"),
                               objective=sample_path("objective.csv"),
                               mentions=mentions if mentions.is_file() else None)
    result = compute_index(inputs, methodology, SAMPLE_PERIOD)
    written = {}
    for fmt in ("json", "csv", "xlsx"):
        path = workdir / f"index-{SAMPLE_PERIOD}.{fmt}"
        dump_index(result, path, fmt)
        written[fmt] = path
    say(f"Индекс клиентоцентричности, период {SAMPLE_PERIOD}, методика {methodology.name} "
        f"v{methodology.version}")
    say(format_rating(result))
    say("")
    for path in written.values():
        say(f"written: {path}")
    return written
