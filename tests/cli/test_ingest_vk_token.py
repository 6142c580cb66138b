from __future__ import annotations

from feedback_nlp.cli import main


def test_cli_ingest_vk_live_without_token_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("FEEDBACK_NLP_VK_TOKEN", raising=False)
    code = main(["ingest", "vk", "--option", "owner_ids=-1", "--no-redact", "--db", f"sqlite:///{tmp_path}/f.db"])
    assert code == 1
    assert "VK token missing — set FEEDBACK_NLP_VK_TOKEN" in capsys.readouterr().err
