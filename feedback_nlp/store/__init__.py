"""The feedback store: SQLAlchemy 2 Core over SQLite (default, WAL) or PostgreSQL, alembic-migrated."""
from __future__ import annotations

from feedback_nlp.store.engine import DEFAULT_URL, Store, open_store
from feedback_nlp.store.items import ItemFilter, count_items, item_id, iter_items, query_items
from feedback_nlp.store.keys import create_api_key, find_api_key, revoke_api_key, store_salt
from feedback_nlp.store.labels import (
    Correction, StoredPrediction, add_correction, list_corrections, list_predictions,
    save_predictions, unclassified_items,
)

__all__ = [
    "DEFAULT_URL", "Correction", "ItemFilter", "Store", "StoredPrediction", "add_correction",
    "count_items", "create_api_key", "find_api_key", "item_id", "iter_items", "list_corrections",
    "list_predictions", "open_store", "query_items", "revoke_api_key", "save_predictions",
    "store_salt", "unclassified_items",
]
