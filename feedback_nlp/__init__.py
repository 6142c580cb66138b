"""feedback-nlp: customer-centricity index of employment centers from client feedback."""
from __future__ import annotations

from feedback_nlp.errors import (
    FeedbackNLPError,
    InputError,
    MethodologyError,
    ModelError,
    Problem,
    SourceError,
)
from feedback_nlp.schema import AspectHit, Feedback, Prediction, Span

__version__ = "0.3.0"

__all__ = [
    "AspectHit",
    "Feedback",
    "FeedbackNLPError",
    "InputError",
    "MethodologyError",
    "ModelError",
    "Prediction",
    "Problem",
    "SourceError",
    "Span",
    "__version__",
]
