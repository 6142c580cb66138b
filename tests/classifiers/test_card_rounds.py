"""The test split by authoring round: file name → round, per-round figures, the card section."""
import json
import shutil

import pytest

from benchmarks.eval_rounds import evaluate_rounds
from feedback_nlp.classifiers.artifact import models_dir, read_meta
from feedback_nlp.classifiers.card import ROUND_FIGURES, format_rounds, write_card
from feedback_nlp.classifiers.corpus import is_test, load_corpus, read_items
from feedback_nlp.classifiers.metrics import evaluate_predictions
from feedback_nlp.classifiers.rounds import ALL, item_rounds, round_of
from feedback_nlp.classifiers.tuning import summarise

BUNDLED = models_dir() / "feedback-ru-v1"
PARTS = models_dir() / "corpus" / "parts"


def _row(n, value):
    return {"test_items": n, **{f: value for f in ROUND_FIGURES}}


ROUNDS = {"command": "python benchmarks/eval_rounds.py", "measured_at": "t",
          "rounds": {"session 1": _row(1200, 0.9), "session 3": _row(800, 0.75), "all": _row(2000, 0.85)}}


@pytest.mark.parametrize("name", ["call_center.jsonl", "complaint_book.jsonl", "email.jsonl", "extra_d.jsonl",
                                  "extra_e.jsonl", "media.jsonl", "negatives.jsonl", "review.jsonl", "sms.jsonl",
                                  "social.jsonl", "survey_comment.jsonl"])
def test_unprefixed_parts_are_session_1(name):
    assert round_of(name) == "session 1"
    assert round_of(PARTS / name) == "session 1"


def test_prefixed_parts_map_to_their_session_and_unknown_prefixes_to_themselves():
    assert {round_of(n) for n in ("s2_calls.jsonl", "s3_hard.jsonl", "s4_regions.jsonl")} == {"session 2"}
    assert round_of("s5_vk.jsonl") == "session 3"
    assert round_of("s6_x.jsonl") == "session 4"
    assert round_of("s7_x.jsonl") == "session 4"
    assert round_of("s8_x.jsonl") == "s8"
    assert round_of("models/corpus/parts/s9_new_style.jsonl") == "s9"


def test_format_rounds_renders_rows_and_marks_another_model():
    meta = {"trained_at": "now"}
    text = format_rounds(meta, {**ROUNDS, "model_trained_at": "now"})
    assert text.startswith("## Test split by authoring round (`python benchmarks/eval_rounds.py`, t)\n")
    assert "id hash" in text and "measured on an earlier training" not in text
    assert "| round | test items | relevance F1 | group micro-F1 | indicator micro-F1 | indicator macro-F1 | " \
           "aspect polarity macro-F1 |" in text
    assert "| session 1 | 1,200 | 0.900 | 0.900 | 0.900 | 0.900 | 0.900 |" in text
    assert "| session 3 | 800 | 0.750 | 0.750 | 0.750 | 0.750 | 0.750 |" in text
    assert text.rstrip().endswith("| all | 2,000 | 0.850 | 0.850 | 0.850 | 0.850 | 0.850 |")
    stale = format_rounds(meta, {**ROUNDS, "model_trained_at": "earlier"})
    assert "(**measured on an earlier training of this model, earlier; rerun to refresh**)" in stale
    assert format_rounds(meta, None).endswith("Not measured yet (`python benchmarks/eval_rounds.py`).")


def test_card_places_rounds_after_the_quality_section(tmp_path):
    shutil.copy(BUNDLED / "meta.json", tmp_path / "meta.json")
    meta = read_meta(tmp_path)
    card = write_card(tmp_path, meta).read_text(encoding="utf-8")
    assert "## Test split by authoring round\n\nNot measured yet (`python benchmarks/eval_rounds.py`)." in card
    (tmp_path / "rounds.json").write_text(json.dumps({**ROUNDS, "model_trained_at": meta["trained_at"]}))
    card = write_card(tmp_path, meta).read_text(encoding="utf-8")
    headings = ("## Quality on the test split", "## Test split by authoring round", "## Ablation")
    quality, rounds, ablation = (card.index(h) for h in headings)
    assert quality < rounds < ablation
    section = card[rounds:ablation]
    assert "| session 3 | 800 | 0.750 |" in section and "measured on an earlier training" not in section


def _sample(name, test, train):
    """``test`` test-split and ``train`` train-split items of a real corpus part."""
    items = read_items(PARTS / name)[0]
    return [i for i in items if is_test(i.id)][:test] + [i for i in items if not is_test(i.id)][:train]


def test_rounds_evaluation_equals_evaluating_each_round_directly(tmp_path, model):
    parts = {"call_center.jsonl": _sample("call_center.jsonl", 6, 2), "s3_short.jsonl": _sample("s3_short.jsonl", 5, 2),
             "s4_pairs.jsonl": _sample("s4_pairs.jsonl", 3, 1), "s5_vk.jsonl": _sample("s5_vk.jsonl", 6, 2)}
    parts["s8_new.jsonl"] = _sample("s5_formal.jsonl", 4, 2)
    for name, items in parts.items():
        (tmp_path / name).write_text("".join(json.dumps(i.to_dict(), ensure_ascii=False) + "\n" for i in items),
                                     encoding="utf-8")
    expected_items = {"session 1": parts["call_center.jsonl"],
                      "session 2": parts["s3_short.jsonl"] + parts["s4_pairs.jsonl"],
                      "session 3": parts["s5_vk.jsonl"], "s8": parts["s8_new.jsonl"]}
    expected_items = {k: [i for i in v if is_test(i.id)] for k, v in expected_items.items()}
    expected_items[ALL] = [i for v in expected_items.values() for i in v]

    results = evaluate_rounds(model, load_corpus(tmp_path), item_rounds(tmp_path))

    assert list(results) == ["session 1", "session 2", "session 3", "s8", ALL]
    for label, items in expected_items.items():
        direct = summarise(evaluate_predictions(list(model.map([i.text for i in items], [i.id for i in items])), items))
        assert results[label] == {"test_items": len(items), **{f: direct[f] for f in ROUND_FIGURES}}, label
    assert results[ALL]["test_items"] == 24
