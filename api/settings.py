"""Settings of the API, read from the environment once (``get_settings``; tests override it)."""
from __future__ import annotations

import os
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field

from feedback_nlp.store.engine import DEFAULT_URL

MiB = 1 << 20


class Settings(BaseModel):
    """Everything the service reads from its environment."""

    model_config = ConfigDict(frozen=True)

    db_url: str = DEFAULT_URL
    cors_origins: tuple[str, ...] = ()
    max_body_bytes: int = Field(default=20 * MiB, gt=0)
    model_path: str | None = None          # None: the default model of the package
    index_cache_size: int = Field(default=64, gt=0)
    upload_dir: str | None = None          # where uploads are spooled (None: system temp)
    ner_redaction: bool = True             # False: pattern and rule redaction only (fast start)
    freeze_gc: bool = True                 # gc.freeze() after start-up (tests that start many apps: False)


def settings_from_env(env: dict[str, str] | None = None) -> Settings:
    """Settings from ``FEEDBACK_NLP_*`` variables (documented in the README)."""
    env = dict(os.environ if env is None else env)
    origins = tuple(o.strip() for o in env.get("FEEDBACK_NLP_CORS_ORIGINS", "").split(",") if o.strip())
    values: dict[str, object] = {"db_url": env.get("FEEDBACK_NLP_DB") or DEFAULT_URL,
                                 "cors_origins": origins,
                                 "model_path": env.get("FEEDBACK_NLP_MODEL") or None}
    if env.get("FEEDBACK_NLP_MAX_BODY_BYTES"):
        values["max_body_bytes"] = int(env["FEEDBACK_NLP_MAX_BODY_BYTES"])
    if env.get("FEEDBACK_NLP_INDEX_CACHE"):
        values["index_cache_size"] = int(env["FEEDBACK_NLP_INDEX_CACHE"])
    return Settings(**values)


@lru_cache
def get_settings() -> Settings:
    """The process's settings (cached; override with ``app.dependency_overrides``)."""
    return settings_from_env()
