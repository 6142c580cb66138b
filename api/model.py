"""The classifier the service uses: loading it once, and describing it (``GET /v1/model``)."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

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


def classify_texts(model: Classifier, texts: list[str], ids: list[str]) -> list[dict[str, Any]]:
    """Prediction JSON objects of ``texts``, in order, carrying the caller's ids."""
    out = []
    for id_, prediction in zip(ids, model.map(texts), strict=True):
        data = prediction.to_dict()
        data["id"] = id_
        out.append(data)
    return out
