"""Index documents from the store's data, cached per (period, methodology, data version)."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

from api.cache import IndexCache
from feedback_nlp.mentions import mentions_from_store
from feedback_nlp.store import Store
from feedback_nlp.store.index_data import data_version, load_objective, load_survey
from scoring.index import IndexInputs, compute_index
from scoring.methodology import DEFAULT_METHODOLOGY, METHODOLOGY_DIR, Methodology, available_methodologies, \
    load_methodology


@lru_cache(maxsize=32)
def bundled_methodology(name: str) -> Methodology:
    """A bundled methodology by name (never a path: clients may not read the server's files)."""
    return load_methodology(name)


def methodology_names() -> list[str]:
    return available_methodologies()


def methodology_text(name: str) -> str:
    return (METHODOLOGY_DIR / f"{name}.yaml").read_text(encoding="utf-8-sig")


def describe_methodologies() -> list[dict[str, Any]]:
    out = []
    for name in methodology_names():
        m = bundled_methodology(name)
        out.append({"name": m.name, "version": m.version, "title": m.title, "hash": m.content_hash,
                    "maximum": m.maximum, "default": name == DEFAULT_METHODOLOGY})
    return out


def compute_document(store: Store, methodology: Methodology, period: str, version: str) -> dict[str, Any]:
    inputs = IndexInputs.from_frames(survey=load_survey(store, period),
                                     objective=load_objective(store, period),
                                     mentions=mentions_from_store(store, period))
    document = compute_index(inputs, methodology, period).to_dict()
    document["data_version"] = version
    return document


def index_document(store: Store, cache: IndexCache, methodology_name: str, period: str) -> dict[str, Any]:
    """The whole index of ``period`` (cached until the data change)."""
    methodology = bundled_methodology(methodology_name)
    version = data_version(store)
    key = (period, methodology.name, methodology.content_hash, version)
    return cache.get_or_compute(key, lambda: compute_document(store, methodology, period, version))


def filter_document(document: dict[str, Any], region: str | None, center: str | None) -> dict[str, Any]:
    """Only the centers (and regions) asked for; the ranks stay those of the whole rating."""
    if region is None and center is None:
        return document
    centers = [c for c in document["centers"]
               if (region is None or c["region"] == region) and (center is None or c["center_id"] == center)]
    keep = {c["region"] for c in centers}
    regions = [r for r in document["regions"] if r["region"] in keep and (region is None or r["region"] == region)]
    return {**document, "centers": centers, "regions": regions}


def rating_document(document: dict[str, Any]) -> dict[str, Any]:
    return {"methodology": document["methodology"], "methodology_version": document["methodology_version"],
            "period": document["period"], "data_version": document["data_version"],
            "regions": document["regions"]}
