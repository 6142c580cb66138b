"""Glue between the store and the classifier: classify stored feedback in batches."""
from __future__ import annotations

from collections.abc import Callable
from itertools import islice
from typing import Protocol

from feedback_nlp.store import Store, save_predictions, unclassified_items
from feedback_nlp.store.items import ItemFilter, iter_items


class BatchClassifier(Protocol):
    name: str
    version: str

    def map(self, texts, ids=None): ...  # noqa: E704 - the classifier's batch-first API


def classify_store(store: Store, model: BatchClassifier, *, all_items: bool = False, batch_size: int = 512,
                   on_batch: Callable[[int], None] = lambda n: None) -> int:
    """Classify the store's items without a prediction of this model version (or all); count them.

    Each batch of predictions is saved in one transaction, so an interrupted run resumes
    where it stopped. Predictions are added, never overwritten.
    """
    if all_items:
        source = (item for _, item in iter_items(store, ItemFilter(include_duplicates=False)))
    else:
        source = unclassified_items(store, model.name, str(model.version))
    done = 0
    while batch := list(islice(source, batch_size)):
        predictions = model.map([item.text for item in batch], [item.id for item in batch])
        done += save_predictions(store, model.name, str(model.version),
                                 ((p.id, p.to_dict()) for p in predictions))
        on_batch(len(batch))
    return done
