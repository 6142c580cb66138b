"""Records that cross module boundaries: feedback items and predictions.

Raw payloads of a source never travel past its ``adapt_*``; everything after a collector
speaks ``Feedback``, everything after a classifier speaks ``Prediction``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from feedback_nlp.codes import INDICATOR_GROUPS


@dataclass(frozen=True)
class Feedback:
    """One piece of client feedback, as collected (text redacted before storage)."""

    source_kind: str                 # one of codes.SOURCE_KINDS
    source: str                      # collector name and origin, e.g. "vk:-12345" or a file name
    external_id: str                 # id within the source (post id, call id, line number …)
    text: str
    created_at: datetime | None = None   # timezone-aware
    url: str | None = None
    author_hash: str | None = None   # salted hash, never the raw author id
    rating: float | None = None      # review rating 1..5 where the source has one
    region: str | None = None
    center_id: str | None = None
    language: str = "ru"
    metadata: dict[str, Any] = field(default_factory=dict)
    id: str | None = None            # stable id given by the store
    batch_id: str | None = None
    duplicate_of: str | None = None
    flags: tuple[str, ...] = ()      # e.g. "truncated"


@dataclass(frozen=True)
class Span:
    """Character span ``text[start:end]`` that supports a label."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class AspectHit:
    """One (indicator, sentiment) judgement about a text, with its evidence."""

    indicator: str
    sentiment: float                 # in [-1, 1]
    confidence: float                # in [0, 1]
    spans: tuple[Span, ...] = ()
    source: str = ""                 # name of the rule or model that fired

    @property
    def group(self) -> str:
        return INDICATOR_GROUPS[self.indicator]

    @property
    def polarity(self) -> int:
        return polarity_of(self.sentiment)


@dataclass(frozen=True)
class Prediction:
    """What the classifier says about one text (INTERFACES.md prediction format)."""

    id: str
    relevant: bool
    relevance: float
    sentiment: float
    general: int | None = None
    aspects: tuple[AspectHit, ...] = ()
    model: str = ""

    @property
    def polarity(self) -> int:
        return polarity_of(self.sentiment)

    def to_dict(self) -> dict[str, Any]:
        """The prediction as the JSON object of INTERFACES.md."""
        return {
            "id": self.id,
            "relevant": self.relevant,
            "relevance": round(self.relevance, 4),
            "general": self.general,
            "sentiment": round(self.sentiment, 4),
            "polarity": self.polarity,
            "aspects": [
                {
                    "indicator": a.indicator,
                    "group": a.group,
                    "sentiment": round(a.sentiment, 4),
                    "polarity": a.polarity,
                    "confidence": round(a.confidence, 4),
                    "evidence": [{"start": s.start, "end": s.end, "text": s.text} for s in a.spans],
                    "source": a.source,
                }
                for a in self.aspects
            ],
            "model": self.model,
        }


POLARITY_THRESHOLD = 0.15  # |sentiment| below this is neutral


def polarity_of(sentiment: float) -> int:
    """Sign class of a sentiment score: −1, 0 or +1."""
    if sentiment > POLARITY_THRESHOLD:
        return 1
    if sentiment < -POLARITY_THRESHOLD:
        return -1
    return 0


def _fast_constructor(cls, names: tuple[str, ...]):
    """A positional constructor of the frozen dataclass ``cls`` that fills the instance's
    ``__dict__`` in one update: the generated ``__init__`` goes through ``object.__setattr__``
    once per field, which made building the records of a prediction batch (a ``Prediction``,
    ~2.5 ``AspectHit`` and ~4 ``Span`` a text) ~3 % of the classifier's time. Instances are
    the same in every respect (fields, equality, hash, pickling, ``to_dict``)."""
    new = object.__new__
    source = (f"def build({', '.join(names)}):\n"
              f"    obj = new(cls)\n"
              f"    obj.__dict__.update({', '.join(f'{n}={n}' for n in names)})\n"
              f"    return obj\n")
    scope = {"new": new, "cls": cls}
    exec(source, scope)   # keyword arguments spelled out: no zip or dict built per call
    build = scope["build"]
    build.__doc__ = f"``{cls.__name__}({', '.join(names)})`` for hot paths (all fields positional, no defaults)."
    return build


make_span = _fast_constructor(Span, ("start", "end", "text"))
make_aspect = _fast_constructor(AspectHit, ("indicator", "sentiment", "confidence", "spans", "source"))
make_prediction = _fast_constructor(Prediction, ("id", "relevant", "relevance", "sentiment", "general",
                                                 "aspects", "model"))
