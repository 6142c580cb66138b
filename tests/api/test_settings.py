from __future__ import annotations

import pytest
from pydantic import ValidationError

from api.settings import Settings, get_settings, settings_from_env


def test_defaults():
    assert settings_from_env({}) == Settings()
    assert Settings().db_url == "sqlite:///feedback.db" and Settings().cors_origins == ()


def test_from_environment():
    settings = settings_from_env({"FEEDBACK_NLP_DB": "sqlite:///x.db", "FEEDBACK_NLP_MODEL": "models/m",
                                  "FEEDBACK_NLP_CORS_ORIGINS": "https://a.example, https://b.example,",
                                  "FEEDBACK_NLP_MAX_BODY_BYTES": "1000", "FEEDBACK_NLP_INDEX_CACHE": "3"})
    assert settings == Settings(db_url="sqlite:///x.db", model_path="models/m", max_body_bytes=1000,
                                cors_origins=("https://a.example", "https://b.example"), index_cache_size=3)


def test_bad_values_are_refused():
    with pytest.raises(ValidationError):
        settings_from_env({"FEEDBACK_NLP_MAX_BODY_BYTES": "0"})


def test_get_settings_is_cached(monkeypatch):
    get_settings.cache_clear()
    monkeypatch.setenv("FEEDBACK_NLP_DB", "sqlite:///first.db")
    assert get_settings().db_url == "sqlite:///first.db"
    monkeypatch.setenv("FEEDBACK_NLP_DB", "sqlite:///second.db")
    assert get_settings() is get_settings() and get_settings().db_url == "sqlite:///first.db"
    get_settings.cache_clear()
