"""A missing or corrupt model artifact stops ``feedback-nlp serve`` at start-up, naming the path."""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.preflight import check_model
from feedback_nlp.classifiers.artifact import DEFAULT_MODEL, PROTOCOL, models_dir
from feedback_nlp.errors import ModelError

ROOT = Path(__file__).resolve().parents[2]
BUNDLED = models_dir() / DEFAULT_MODEL


def _missing_dir(m: Path) -> None:
    shutil.rmtree(m)


def _no_meta(m: Path) -> None:
    (m / "meta.json").unlink()


def _meta_not_json(m: Path) -> None:
    (m / "meta.json").write_text('{"name": "feedback-ru", "proto', encoding="utf-8")


def _meta_not_utf8(m: Path) -> None:
    (m / "meta.json").write_bytes(b'{"name": "\xff\xfe"}')


def _meta_not_object(m: Path) -> None:
    (m / "meta.json").write_text("[1, 2]", encoding="utf-8")


def _other_protocol(m: Path) -> None:
    meta = json.loads((m / "meta.json").read_text(encoding="utf-8"))
    (m / "meta.json").write_text(json.dumps({**meta, "protocol": 999}), encoding="utf-8")


def _no_weights(m: Path) -> None:
    (m / "model.joblib").unlink()


def _truncated_weights(m: Path) -> None:
    data = (m / "model.joblib").read_bytes()
    (m / "model.joblib").write_bytes(data[: len(data) // 3])


def _garbage_weights(m: Path) -> None:
    (m / "model.joblib").write_bytes(os.urandom(4096))


BREAKS = {"missing directory": (_missing_dir, "does not exist \\(no such directory\\)"),
          "no meta.json": (_no_meta, "no meta.json"),
          "meta.json not JSON": (_meta_not_json, "corrupt meta.json"),
          "meta.json not UTF-8": (_meta_not_utf8, "cannot be loaded"),
          "meta.json not an object": (_meta_not_object, "cannot be loaded"),
          "other protocol": (_other_protocol, f"Expected protocol={PROTOCOL}, got 999"),
          "no model.joblib": (_no_weights, "no model.joblib"),
          "truncated model.joblib": (_truncated_weights, "cannot load model"),
          "random model.joblib": (_garbage_weights, "cannot load model")}


def broken_model(tmp_path: Path, name: str) -> Path:
    model = tmp_path / "model"
    shutil.copytree(BUNDLED, model)
    BREAKS[name][0](model)
    return model


@pytest.mark.parametrize("name", BREAKS)
def test_check_model_names_the_path(tmp_path, name):
    model = broken_model(tmp_path, name)
    with pytest.raises(ModelError, match=BREAKS[name][1]) as info:
        check_model(str(model))
    assert str(model) in str(info.value)


def test_check_model_accepts_the_bundled_model():
    check_model(None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
@pytest.mark.parametrize("name", ["missing directory", "truncated model.joblib"])
def test_serve_exits_at_start_with_a_broken_model(tmp_path, name):
    model, port = broken_model(tmp_path, name), free_port()
    env = {**os.environ, "FEEDBACK_NLP_DB": f"sqlite:///{tmp_path / 'api.db'}", "PYTHONPATH": str(ROOT)}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "feedback_nlp", "serve", "--port", str(port), "--model", str(model)],
                          env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert f"error: cannot start: model {model}" in done.stderr
    assert time.monotonic() - start < 120
    with socket.socket() as s:  # it never listened
        assert s.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("name", ["meta.json not UTF-8", "meta.json not an object"])
def test_load_model_raises_model_error_for_a_bad_meta(tmp_path, name):
    from feedback_nlp.classifiers.artifact import load_model

    with pytest.raises(ModelError):
        load_model(broken_model(tmp_path, name), warm=False)
