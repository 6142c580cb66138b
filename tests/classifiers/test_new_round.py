"""benchmarks/eval_new_round.py: a committed model scored on corpus parts it cannot have seen."""
import json
import shutil

import pytest

from benchmarks import eval_new_round
from feedback_nlp.classifiers.artifact import models_dir, read_meta, timed_load
from feedback_nlp.classifiers.card import format_new_rounds
from feedback_nlp.classifiers.corpus import is_test, read_items

PARTS = models_dir() / "corpus" / "parts"


@pytest.fixture
def git_head():
    try:
        return eval_new_round.git("rev-parse", "--short", "HEAD").decode().strip()
    except Exception:   # an exported tree without git history
        pytest.skip("needs the git history of the checkout")


def test_refuses_parts_that_existed_at_the_revision(git_head, capsys):
    with pytest.raises(SystemExit):
        eval_new_round.main(["--rev", git_head, "--files", "s5_*.jsonl", "--no-write"])
    err = capsys.readouterr().err
    assert "may have been trained on s5_calls.jsonl" in err and "s5_vk.jsonl" in err


def test_unknown_glob_is_an_error(git_head, capsys):
    with pytest.raises(SystemExit):
        eval_new_round.main(["--rev", git_head, "--files", "nothing_*.jsonl", "--no-write"])
    assert "no corpus part in" in capsys.readouterr().err


def test_scores_every_item_of_new_parts_and_records_one_row_per_model_and_files(git_head, tmp_path):
    parts, out = tmp_path / "parts", tmp_path / "model"
    parts.mkdir()
    out.mkdir()
    items = read_items(PARTS / "s5_formal.jsonl")[0][:30]
    (parts / "s9_new.jsonl").write_text("".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in items),
                                        encoding="utf-8")
    shutil.copy(models_dir() / "feedback-ru-v1" / "meta.json", out / "meta.json")
    args = ["--rev", git_head, "--files", "s9_*.jsonl", "--parts", str(parts), "--model", str(out)]
    assert eval_new_round.main(args) == 0
    assert eval_new_round.main(args) == 0          # the same model × files again replaces its row
    data = json.loads((out / "new_rounds.json").read_text(encoding="utf-8"))
    assert len(data["rows"]) == 1
    row = data["rows"][0]
    assert row["files"] == ["s9_new.jsonl"] and row["rev"] == git_head
    assert row["all"]["items"] == 30 and row["test_split"]["items"] == sum(is_test(i.id) for i in items)
    restored = eval_new_round.restore_model(git_head, tmp_path / "restored")
    assert row["trained_on_items"] == read_meta(restored)["corpus_items"]
    loaded, _ = timed_load(restored)
    assert row["model"] == loaded.label
    assert row["all"] == eval_new_round.figures(loaded, items)
    card = (out / "MODEL_CARD.md").read_text(encoding="utf-8")
    assert f"| {row['model']} ({git_head}) |" in card and "`s9_new.jsonl` | 30 |" in card
    assert "Not measured yet" in format_new_rounds(None)
