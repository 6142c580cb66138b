"""The demo pipeline on the bundled samples: the front door of the whole product.

ingest every sample source → classify → text mentions → index with survey and objective data
→ rating on screen and files (index JSON/CSV/XLSX) in the work folder.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from feedback_nlp.index_output import dump_index, format_rating
from feedback_nlp.inputs import load_index_inputs
from scoring.index import IndexInputs, compute_index
from scoring.methodology import load_methodology

DEMO_PERIOD = "2024Q2"


def sample_path(name: str) -> Path:
    """Path of a bundled sample file."""
    return Path(str(resources.files("feedback_nlp") / "samples" / name))


class _Steps:
    """Prints one line per step with its duration."""

    def __init__(self, say: Callable[[str], None]):
        self.say = say

    def run(self, title: str, step: Callable[[], object]) -> object:
        start = time.perf_counter()
        value = step()
        self.say(f"[{time.perf_counter() - start:5.1f} s] {title}")
        return value


def _write_report(result, db: Path, workdir: Path) -> dict[str, Path]:
    from feedback_nlp.reports import build_report, text_aspects, write_report

    aspects, texts = text_aspects(f"sqlite:///{db}", result.period)
    return write_report(build_report(result, aspects, texts=texts), workdir / "report")


def run_demo(workdir: Path, quiet: bool = False) -> dict[str, Path]:
    """Run every step into ``workdir`` (its store is made anew); return the files written."""
    from feedback_nlp.classifiers import load_default_model
    from feedback_nlp.ingest import ingest_paths, ingest_samples
    from feedback_nlp.mentions import mentions_from_store
    from feedback_nlp.pipeline import classify_store
    from feedback_nlp.store import open_store

    say: Callable[[str], None] = (lambda *_: None) if quiet else print
    steps = _Steps(say)
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "feedback.db"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    store = open_store(f"sqlite:///{db}")
    try:
        counts = steps.run("ingest: every sample source", lambda: ingest_samples(
            store, centers_csv=sample_path("centers.csv")))
        counts["client feedback"] = steps.run("ingest: client feedback of the quarter", lambda: ingest_paths(
            store, "generic", [sample_path("demo/feedback.jsonl")]))
        for kind, c in counts.items():
            say(f"    {kind:<16} {c.summary()}")
        model = steps.run("load the classifier", load_default_model)
        classified = steps.run("classify stored feedback", lambda: classify_store(store, model))
        say(f"    {classified} items classified by {model.name} v{model.version}")
        mentions = steps.run("text mentions of the quarter", lambda: mentions_from_store(store, DEMO_PERIOD))
        say(f"    {len(mentions)} mentions in {mentions.groupby(['region', 'center_id']).ngroups} centers")
    finally:
        store.close()

    methodology = load_methodology()
    inputs = load_index_inputs(methodology, survey=sample_path("demo/survey.csv"),
                               objective=sample_path("demo/objective.csv"))
    inputs = IndexInputs(survey=inputs.survey, objective=inputs.objective, mentions=mentions)
    result = steps.run("index of every center and region", lambda: compute_index(inputs, methodology, DEMO_PERIOD))
    written = {"store": db}
    for fmt in ("json", "csv", "xlsx"):
        path = workdir / f"index-{DEMO_PERIOD}.{fmt}"
        dump_index(result, path, fmt)
        written[f"index_{fmt}"] = path
    report = steps.run("report with charts (HTML, XLSX)", lambda: _write_report(result, db, workdir))
    written["report_html"], written["report_xlsx"] = report["html"], report["xlsx"]
    say("")
    say(f"Индекс клиентоцентричности, период {DEMO_PERIOD}, методика {methodology.name} v{methodology.version}")
    say(format_rating(result))
    say("")
    for path in written.values():
        say(f"written: {path}")
    return written
