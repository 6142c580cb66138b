import json
import shutil

from feedback_nlp.classifiers.artifact import models_dir, read_meta
from feedback_nlp.classifiers.card import write_card

BUNDLED = models_dir() / "feedback-ru-v1"


def test_card_renders_measured_sections_from_json(tmp_path):
    shutil.copy(BUNDLED / "meta.json", tmp_path / "meta.json")
    meta = read_meta(tmp_path)
    speed = {"command": "python benchmarks/bench_classify.py", "measured_at": "t", "model_trained_at": meta["trained_at"],
             "texts": 100, "texts_per_s": 6000, "cpu_texts_per_s": 7000, "frozen_texts_per_s": 6500,
             "frozen_cpu_texts_per_s": 7500, "natasha_texts_per_s": 50.0, "ratio": 120.0, "peak_mb": 700,
             "load_s": 1.5, "cpus": 2, "load_before": "1.0 / 1.0 / 1.0", "load_after": "1.0 / 1.0 / 1.0"}
    (tmp_path / "speed.json").write_text(json.dumps(speed))
    (tmp_path / "external.json").write_text(json.dumps({
        "command": "python benchmarks/eval_external.py", "measured_at": "t", "model_trained_at": "earlier",
        "rows": [{"name": "rusentiment", "n": 10, "ours": 0.5, "baseline": 0.4}]}))
    card = write_card(tmp_path, meta).read_text(encoding="utf-8")
    assert "6,000 texts/s" in card and "ratio 120×" in card and "Target ≥ 5,000 texts/s and < 1,500 MB: met" in card
    assert "| rusentiment | 10 | 0.500 | 0.400 |" in card
    assert "measured on an earlier training of this model, earlier" in card
    assert "## Ablation" in card
    assert "In the same run" not in card
    speed["compared"] = {"model": "feedback-ru-v4", "texts_per_s": 5100, "frozen_texts_per_s": 6100, "load_s": 0.4}
    (tmp_path / "speed.json").write_text(json.dumps(speed))
    card = write_card(tmp_path, meta).read_text(encoding="utf-8")
    assert ("In the same run, on the same texts, feedback-ru-v4 did 6,100 texts/s after `gc.freeze()` "
            "(this model: 6,500). Target") in card


def test_card_without_measurements_says_so(tmp_path):
    shutil.copy(BUNDLED / "meta.json", tmp_path / "meta.json")
    card = write_card(tmp_path, read_meta(tmp_path)).read_text(encoding="utf-8")
    assert "Not measured yet (`python benchmarks/bench_classify.py`)" in card


def test_record_measurement_writes_json_for_this_model_and_renders_it(tmp_path):
    from feedback_nlp.classifiers.card import record_measurement

    shutil.copy(BUNDLED / "meta.json", tmp_path / "meta.json")
    meta = read_meta(tmp_path)
    card = record_measurement(tmp_path, "external.json", meta, "python benchmarks/eval_external.py --n 5",
                              rows=[{"name": "rusentiment", "n": 5, "ours": 0.25, "baseline": 0.5}])
    data = json.loads((tmp_path / "external.json").read_text(encoding="utf-8"))
    assert data["command"] == "python benchmarks/eval_external.py --n 5"
    assert data["model_trained_at"] == meta["trained_at"] and data["measured_at"].endswith("+00:00")
    text = card.read_text(encoding="utf-8")
    assert "| rusentiment | 5 | 0.250 | 0.500 |" in text
    assert "earlier training" not in text.split("## External data")[1].split("##")[0]
