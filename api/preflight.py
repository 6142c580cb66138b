"""Checks ``feedback-nlp serve`` makes before it listens: a broken model is an error at start-up.

The application's lifespan keeps serving without a model that fails (``/readyz`` answers 503),
which suits embedding and tests; an operator who starts the server wants to hear at once.
"""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.errors import ModelError


def model_folder(path: str | None) -> Path:
    """The model directory the server will load: ``path`` or the package's default model."""
    from feedback_nlp.classifiers import artifact

    return Path(path) if path else artifact.models_dir() / artifact.DEFAULT_MODEL


def check_model(path: str | None) -> None:
    """Load the model once; raise ``ModelError`` naming its directory if it is missing or corrupt."""
    folder = model_folder(path)
    if not folder.is_dir():
        raise ModelError(f"cannot start: model {folder} does not exist (no such directory)")
    try:
        from feedback_nlp.classifiers import artifact

        artifact.load_model(folder, warm=False)
    except ModelError as exc:
        raise ModelError(f"cannot start: model {folder} cannot be loaded: {exc}") from None
    except Exception as exc:  # noqa: BLE001 - e.g. a meta.json that is not UTF-8 or not an object
        raise ModelError(f"cannot start: model {folder} cannot be loaded: {type(exc).__name__}: {exc}") from None
