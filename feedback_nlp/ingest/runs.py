"""Ingest from a registered collector, and the demo's "ingest every bundled sample"."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from importlib.resources import files
from pathlib import Path

from feedback_nlp.attribution import Attributor, load_centers
from feedback_nlp.ingest.pipeline import IngestCounts, IngestOptions, Pipeline
from feedback_nlp.privacy import Redactor
from feedback_nlp.sources.base import Reject, get_source, source_names
from feedback_nlp.store import Store


def ingest_paths(store: Store, kind: str, paths: Sequence[Path], *,
                 options: IngestOptions | None = None, redactor: Redactor | None = None,
                 attributor: Attributor | None = None, source_options: dict[str, object] | None = None,
                 on_reject: Callable[[Reject], None] = lambda r: None,
                 on_progress: Callable[[int], None] = lambda n: None) -> IngestCounts:
    """Collect ``paths`` with the collector ``kind`` into ``store``.

    ``redactor`` None with ``options.redact`` loads the NER redactor (about 1 s).
    """
    options = options or IngestOptions()
    options.kind = options.kind or kind
    options.files = options.files or [str(p) for p in paths]
    if options.redact and redactor is None:
        redactor = Redactor.load()
    source = get_source(kind, **(source_options or {}))
    pipeline = Pipeline(store, redactor, attributor or Attributor(), options)
    return pipeline.run(source.iter_items(list(paths)), on_reject, on_progress)


SAMPLES = "samples/sources"


def sample_paths(kind: str) -> list[Path]:
    """Bundled sample files of a collector (``feedback_nlp/samples/sources/<kind>/``)."""
    root = Path(str(files("feedback_nlp"))) / SAMPLES
    for name in (kind, kind.replace("-", "_")):
        folder = root / name
        if folder.is_dir():
            return sorted(p for p in folder.rglob("*")
                          if p.is_file() and not p.name.startswith((".", "README", "_")))
    return []


def ingest_samples(store: Store, centers_csv: Path | None = None, *,
                   redactor: Redactor | None = None, salt: str | None = None,
                   on_reject: Callable[[Reject], None] = lambda r: None
                   ) -> dict[str, IngestCounts]:
    """Ingest the bundled samples of every registered collector; counts per collector."""
    attributor = Attributor(load_centers(centers_csv) if centers_csv else ())
    redactor = redactor or Redactor.load()
    result: dict[str, IngestCounts] = {}
    for kind in source_names():
        paths = sample_paths(kind)
        if not paths:
            continue
        options = IngestOptions(salt=salt, kind=kind)
        result[kind] = ingest_paths(store, kind, paths, options=options, redactor=redactor,
                                    attributor=attributor, on_reject=on_reject)
    return result
