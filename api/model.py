"""The classifier the service uses: loading it once, and describing it (``GET /v1/model``)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from starlette.concurrency import run_in_threadpool

from feedback_nlp.errors import ModelError
from feedback_nlp.schema import Prediction


class Classifier(Protocol):
    """What the API needs of a model: batch-first ``map`` over texts."""

    def map(self, texts: Iterable[str]) -> Iterator[Prediction]: ...


def load_model(path: str | None) -> tuple[Classifier, dict[str, Any]]:
    """The model at ``path`` (or the package's default model) and its ``meta.json``.

    ModelError when there is none.
    """
    try:
        from feedback_nlp.classifiers import artifact
    except ImportError as exc:
        raise ModelError(f"the classifiers cannot be imported: {exc}") from None
    folder = path or str(artifact.models_dir() / artifact.DEFAULT_MODEL)
    model = artifact.load_model(folder)
    return model, artifact.read_meta(folder)


def model_names(model: Any) -> tuple[str, str, str]:
    """(name, version, label) of a model, whatever it calls them."""
    name = str(getattr(model, "name", type(model).__name__))
    version = str(getattr(model, "version", ""))
    label = getattr(model, "label", None) or (f"{name}-v{version}" if version else name)
    return name, version, str(label)


def describe_model(model: Any, meta: dict[str, Any] | None) -> dict[str, Any]:
    """Name, version and the model card's figures (the model's ``meta.json``)."""
    name, version, label = model_names(model)
    return {"name": name, "version": version, "label": label, "card": dict(meta or {})}


async def classify_texts_async(model: Classifier, texts: list[str], ids: list[str]) -> list[dict[str, Any]]:
    """``classify_texts`` for async routes: awaits a batcher, or runs a plain model in a thread."""
    amap = getattr(model, "amap", None)
    if amap is None:
        return await run_in_threadpool(classify_texts, model, texts, ids)
    return _as_dicts(await amap(texts), ids)


def _as_dicts(predictions: Iterable[Prediction], ids: list[str]) -> list[dict[str, Any]]:
    out = []
    for id_, prediction in zip(ids, predictions, strict=True):
        data = prediction.to_dict()
        data["id"] = id_
        out.append(data)
    return out


def classify_texts(model: Classifier, texts: list[str], ids: list[str]) -> list[dict[str, Any]]:
    """Prediction JSON objects of ``texts``, in order, carrying the caller's ids."""
    return _as_dicts(model.map(texts), ids)
