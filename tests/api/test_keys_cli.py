from __future__ import annotations

import pytest

from feedback_nlp.cli import main
from feedback_nlp.store import find_api_key, open_store


def test_keys_create_prints_the_key_once_and_stores_its_hash(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'k.db'}"
    assert main(["keys", "create", "--role", "region_operator", "--region", "Тверская область",
                 "--name", "Тверь", "--db", url]) == 0
    out, err = capsys.readouterr()
    key = out.strip()
    assert key.startswith("fnlp_") and len(out.splitlines()) == 1
    assert key not in err and "role region_operator for Тверская область" in err
    store = open_store(url)
    record = find_api_key(store, key)
    assert (record.role, record.region, record.name) == ("region_operator", "Тверская область", "Тверь")
    assert main(["keys", "revoke", str(record.id), "--db", url]) == 0
    assert find_api_key(store, key) is None
    with store.engine.connect() as conn:
        stored = conn.exec_driver_sql("SELECT key_hash FROM api_keys").scalars().all()
    assert key not in stored
    store.close()


def test_region_operator_needs_a_region(tmp_path, capsys):
    assert main(["keys", "create", "--role", "region_operator", "--db", f"sqlite:///{tmp_path / 'k.db'}"]) == 2
    assert "role region_operator needs --region" in capsys.readouterr().err


def test_unknown_role_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["keys", "create", "--role", "root", "--db", f"sqlite:///{tmp_path / 'k.db'}"])
    assert exc.value.code == 2


def test_db_defaults_to_the_environment(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FEEDBACK_NLP_DB", f"sqlite:///{tmp_path / 'env.db'}")
    assert main(["keys", "create", "--role", "analyst"]) == 0
    assert (tmp_path / "env.db").exists()
