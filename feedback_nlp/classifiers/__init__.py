"""Russian NLP classifiers of client feedback: relevance, indicators, aspect sentiment, evidence.

    >>> from feedback_nlp.classifiers import load_default_model
    >>> model = load_default_model()
    >>> [p.to_dict() for p in model.map(["Консультант вежливая, но очередь два часа"])]

The names below are imported on first use (PEP 562): the classifier pulls in scikit-learn,
SciPy and spaCy (~0.8 s), which commands such as ``feedback-nlp --help`` or ``index`` never need.
"""
from __future__ import annotations

import importlib

_EXPORTS = {
    "PROTOCOL": "artifact", "load_default_model": "artifact", "load_model": "artifact",
    "LabelledItem": "corpus", "is_test": "corpus", "load_corpus": "corpus", "split_items": "corpus",
    "FeedbackClassifier": "model",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
