"""Leave-round-out on the train split: each authoring round is scored by a model that never saw it."""
import json

import pytest

from feedback_nlp.classifiers import tuning
from feedback_nlp.classifiers.artifact import models_dir
from feedback_nlp.classifiers.card import format_leave_round_out
from feedback_nlp.classifiers.corpus import read_items
from feedback_nlp.classifiers.metrics import evaluate_predictions
from feedback_nlp.classifiers.model import FeedbackClassifier
from feedback_nlp.classifiers.rounds import item_rounds, round_files

PARTS = models_dir() / "corpus" / "parts"
RULES_ONLY = {"use_model": False}   # fits instantly; the protocol, not the model, is under test


def _write_parts(tmp_path):
    tmp_path.mkdir(parents=True, exist_ok=True)
    parts = {"review.jsonl": read_items(PARTS / "review.jsonl")[0][:12],
             "s3_short.jsonl": read_items(PARTS / "s3_short.jsonl")[0][:10],
             "s5_vk.jsonl": read_items(PARTS / "s5_vk.jsonl")[0][:8]}
    for name, items in parts.items():
        (tmp_path / name).write_text("".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in items),
                                     encoding="utf-8")
    return parts


def test_each_round_is_scored_by_a_model_fitted_without_it(tmp_path, monkeypatch):
    parts = _write_parts(tmp_path)
    items = [i for v in parts.values() for i in v]
    rounds = item_rounds(tmp_path)
    fitted_on = []
    real_fit = FeedbackClassifier.fit

    def spy(self, X, y):
        fitted_on.append({i.id for i in y})
        return real_fit(self, X, y)

    monkeypatch.setattr(FeedbackClassifier, "fit", spy)
    out = tuning.leave_round_out(items, rounds, RULES_ONLY)

    assert list(out) == ["session 1", "session 2", "session 3", "mean"]
    held = {"session 1": parts["review.jsonl"], "session 2": parts["s3_short.jsonl"], "session 3": parts["s5_vk.jsonl"]}
    for fit_ids, (label, own) in zip(fitted_on, held.items()):
        assert fit_ids == {i.id for i in items} - {i.id for i in own}
        assert out[label]["items"] == len(own) and out[label]["fit_items"] == len(items) - len(own)
        direct = FeedbackClassifier(**RULES_ONLY).fit([], [])
        expected = tuning.summarise(evaluate_predictions(list(direct.map([i.text for i in own], [i.id for i in own])),
                                                         own))
        assert out[label]["group_micro_f1"] == round(expected["group_micro_f1"], 4)
    assert out["mean"]["group_micro_f1"] == pytest.approx(
        sum(out[r]["group_micro_f1"] for r in held) / 3, abs=1e-4)


def test_only_the_named_rounds_are_held_out_and_an_empty_round_is_an_error(tmp_path):
    parts = _write_parts(tmp_path)
    items = [i for v in parts.values() for i in v]
    out = tuning.leave_round_out(items, item_rounds(tmp_path), RULES_ONLY, held_out=["session 3"])
    assert list(out) == ["session 3", "mean"]
    assert out["session 3"]["fit_items"] == len(parts["review.jsonl"]) + len(parts["s3_short.jsonl"])
    with pytest.raises(ValueError, match="round 's9' has no items"):
        tuning.leave_round_out(items, item_rounds(tmp_path), RULES_ONLY, held_out=["s9"])


def test_cli_records_variants_and_the_card_renders_them(tmp_path, capsys):
    _write_parts(tmp_path)
    output = tmp_path / "lro.json"
    args = ["--corpus", str(tmp_path), "--protocol", "rounds", "--output", str(output),
            "--rounds", "session 1,session 3", "--variants", json.dumps({"rules": RULES_ONLY})]
    assert tuning.main(args) == 0
    data = json.loads(output.read_text(encoding="utf-8"))
    assert data["files"] == {"session 1": ["review.jsonl"], "session 3": ["s5_vk.jsonl"]}
    row = data["variants"]["rules"]
    assert row["params"] == RULES_ONLY and set(row["rounds"]) == {"session 1", "session 3", "mean"}
    # session 2 was left out entirely: neither held out nor fitted on
    assert row["rounds"]["session 1"]["fit_items"] == row["rounds"]["session 3"]["items"]
    text = format_leave_round_out(data)
    assert "| variant | params | train items | group micro-F1 on session 1 | group micro-F1 on session 3 |" in text
    assert f"| rules | use_model=False | {row['items']:,} | {row['rounds']['session 1']['group_micro_f1']:.3f} |" in text
    assert "Not measured yet" in format_leave_round_out(None)


def test_cli_rejects_an_unknown_round(tmp_path, capsys):
    _write_parts(tmp_path)
    with pytest.raises(SystemExit):
        tuning.main(["--corpus", str(tmp_path), "--protocol", "rounds", "--rounds", "session 7",
                     "--output", str(tmp_path / "x.json"), "--variants", "{}"])
    assert "no corpus part belongs to session 7" in capsys.readouterr().err
    assert round_files(tmp_path) == {"session 1": ["review.jsonl"], "session 2": ["s3_short.jsonl"],
                                     "session 3": ["s5_vk.jsonl"]}


def test_author_group_is_the_part_prefix_of_an_id():
    from feedback_nlp.classifiers.rounds import author_group

    assert author_group("s5vk-0012") == "s5vk"
    assert author_group("soc-0001") == "soc"
    assert author_group("fb-2024-0001") == "fb-2024"
    assert author_group("feedback-abc") == "feedback-abc"     # no running number: its own group
    assert author_group("x17") == "x17"


def test_kept_models_are_the_ones_that_scored_each_round(tmp_path):
    import joblib

    parts = _write_parts(tmp_path / "parts")
    items = [i for v in parts.values() for i in v]
    out = tuning.leave_round_out(items, item_rounds(tmp_path / "parts"), RULES_ONLY, held_out=["session 2"],
                                 keep=tmp_path / "kept")
    model = joblib.load(tmp_path / "kept" / "session_2.joblib")
    own = parts["s3_short.jsonl"]
    again = tuning.summarise(evaluate_predictions(list(model.map([i.text for i in own], [i.id for i in own])), own))
    assert out["session 2"]["group_micro_f1"] == round(again["group_micro_f1"], 4)
