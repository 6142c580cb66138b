"""Model artifacts: ``models/<name>/`` with ``model.joblib``, ``meta.json``, the rule files
and the model card; a protocol number guards against loading an incompatible artifact."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

from feedback_nlp.errors import ModelError

if TYPE_CHECKING:   # the classifier's modules load scikit-learn and spaCy: imported when a model is
    from feedback_nlp.classifiers.model import FeedbackClassifier   # loaded or saved, not with the paths
    from feedback_nlp.classifiers.rules import RuleSet

PROTOCOL = 2   # 2: clause-level features, stacked indicator weights, polarity on (indicator, context)
MODEL_FILE = "model.joblib"
META_FILE = "meta.json"
DEFAULT_MODEL = "feedback-ru-v1"


def models_dir() -> Path:
    """The repository's ``models/`` directory (next to the package)."""
    return Path(__file__).resolve().parents[2] / "models"


def dump_model(model: FeedbackClassifier, path: str | Path, meta: dict) -> Path:
    """Write ``model`` with its ``meta.json`` (name, version and protocol added) and rule files."""
    import joblib

    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    joblib.dump(model, path / MODEL_FILE, compress=3)
    rules_dir = path / "rules"
    rules_dir.mkdir(exist_ok=True)
    (rules_dir / "indicators.yaml").write_text(model.ruleset.indicators_yaml, encoding="utf-8")
    (rules_dir / "lexicon.yaml").write_text(model.ruleset.lexicon_yaml, encoding="utf-8")
    full = {"name": model.name, "version": model.version, "protocol": PROTOCOL, **meta}
    (path / META_FILE).write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def read_meta(path: str | Path) -> dict:
    """``meta.json`` of a model directory, protocol-checked."""
    path = Path(path)
    meta_file = path / META_FILE
    if not meta_file.exists():
        raise ModelError(f"{path}: not a model directory (no {META_FILE})")
    try:
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ModelError(f"{meta_file}: corrupt meta.json ({exc.msg})") from exc
    except UnicodeDecodeError as exc:
        raise ModelError(f"{meta_file}: corrupt meta.json (not UTF-8: {exc.reason})") from exc
    if not isinstance(meta, dict):
        raise ModelError(f"{meta_file}: corrupt meta.json (expected a JSON object, got {type(meta).__name__})")
    if meta.get("protocol") != PROTOCOL:
        raise ModelError(f"{meta_file}: Expected protocol={PROTOCOL}, got {meta.get('protocol')}")
    return meta


def load_model(path: str | Path, *, warm: bool = True) -> FeedbackClassifier:
    """Load a model directory; ``warm`` compiles the rules and loads navec now, not on first use."""
    import joblib

    from feedback_nlp.classifiers.features import load_navec
    from feedback_nlp.classifiers.model import FeedbackClassifier

    path = Path(path)
    read_meta(path)
    try:
        model = joblib.load(path / MODEL_FILE)
    except FileNotFoundError as exc:
        raise ModelError(f"{path}: no {MODEL_FILE}") from exc
    except Exception as exc:  # unpickling errors have no common base class
        raise ModelError(f"{path / MODEL_FILE}: cannot load model ({exc})") from exc
    if not isinstance(model, FeedbackClassifier):
        raise ModelError(f"{path / MODEL_FILE}: not a FeedbackClassifier")
    if model.rules is None:
        model.rules = _artifact_rules(path)
    if warm:
        model.ruleset.rule_ids
        if model.use_model and model.embeddings:
            load_navec()
    return model


def _artifact_rules(path: Path) -> RuleSet | None:
    """The rule files saved with the model: its weights were fitted to exactly these rules, so
    editing the package's YAML must not change a trained model's predictions until it is retrained."""
    from feedback_nlp.classifiers.rules import RuleSet

    rules_dir = path / "rules"
    try:
        texts = [(rules_dir / name).read_text(encoding="utf-8") for name in ("indicators.yaml", "lexicon.yaml")]
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{rules_dir}: cannot read the model's rule files ({exc})") from exc
    return RuleSet(*texts)


def load_default_model(path: str | Path | None = None) -> FeedbackClassifier:
    """The bundled model ``models/feedback-ru-v1`` (or the model directory ``path``)."""
    return load_model(path if path is not None else models_dir() / DEFAULT_MODEL)


def timed_load(path: str | Path) -> tuple[FeedbackClassifier, float]:
    """Load a model and return the seconds it took."""
    start = time.perf_counter()
    model = load_model(path)
    return model, time.perf_counter() - start
