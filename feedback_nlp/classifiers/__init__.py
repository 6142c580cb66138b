"""Russian NLP classifiers of client feedback: relevance, indicators, aspect sentiment, evidence.

    >>> from feedback_nlp.classifiers import load_default_model
    >>> model = load_default_model()
    >>> [p.to_dict() for p in model.map(["Консультант вежливая, но очередь два часа"])]
"""
from __future__ import annotations

from feedback_nlp.classifiers.artifact import PROTOCOL, load_default_model, load_model
from feedback_nlp.classifiers.corpus import LabelledItem, is_test, load_corpus, split_items
from feedback_nlp.classifiers.model import FeedbackClassifier

__all__ = ["PROTOCOL", "FeedbackClassifier", "LabelledItem", "is_test", "load_corpus", "load_default_model",
           "load_model", "split_items"]
