import json
import shutil

import pytest

from feedback_nlp.classifiers.artifact import PROTOCOL, load_model, models_dir, read_meta
from feedback_nlp.errors import ModelError

BUNDLED = models_dir() / "feedback-ru-v1"


def test_artifact_bundled_meta_and_size():
    meta = read_meta(BUNDLED)
    assert (meta["name"], meta["protocol"]) == ("feedback-ru", PROTOCOL)
    assert meta["corpus_hash"].startswith("sha256:")
    assert (BUNDLED / "model.joblib").stat().st_size < 50 * 2**20
    assert (BUNDLED / "MODEL_CARD.md").exists()


def test_artifact_protocol_mismatch(tmp_path):
    shutil.copytree(BUNDLED, tmp_path / "m")
    meta = json.loads((tmp_path / "m" / "meta.json").read_text())
    meta["protocol"] = 99
    (tmp_path / "m" / "meta.json").write_text(json.dumps(meta))
    with pytest.raises(ModelError, match=f"Expected protocol={PROTOCOL}, got 99"):
        load_model(tmp_path / "m")


def test_artifact_not_a_model_dir(tmp_path):
    with pytest.raises(ModelError, match="not a model directory"):
        load_model(tmp_path)


def test_artifact_corrupt_model(tmp_path):
    shutil.copytree(BUNDLED, tmp_path / "m")
    (tmp_path / "m" / "model.joblib").write_bytes(b"garbage")
    with pytest.raises(ModelError, match="cannot load model"):
        load_model(tmp_path / "m")


@pytest.mark.parametrize("content, message", [
    (b'{"name": "\xff\xfe"}', "not UTF-8"),
    (b"[1, 2]", "expected a JSON object, got list"),
])
def test_artifact_bad_meta(tmp_path, content, message):
    (tmp_path / "meta.json").write_bytes(content)
    with pytest.raises(ModelError, match=message):
        read_meta(tmp_path)


def test_artifact_rules_travel_with_the_model(tmp_path):
    """A trained model predicts with the rule files saved next to its weights, not with whatever
    the package's YAML says today: a pattern removed from the artifact's copy stops firing."""
    model_dir = tmp_path / "m"
    shutil.copytree(models_dir() / "feedback-ru-v1", model_dir)
    text = "Инспектор нахамила мне на приёме"
    before = load_model(model_dir).explain(text)
    assert any(r["rule"].startswith("D2.") for r in before["rules"]), before["rules"]
    rules = model_dir / "rules" / "indicators.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("|нахамить", ""), encoding="utf-8")
    after = load_model(model_dir)
    assert "|нахамить" not in after.ruleset.indicators_yaml
    assert not any(r["rule"].startswith("D2.") for r in after.explain(text)["rules"])


def test_pickled_model_leaves_out_fit_time_parts_and_predicts_the_same(model):
    import pickle

    copy = pickle.loads(pickle.dumps(model))
    # the detectors and NB scales are folded into W_ and not stored; polarity blocks are re-derived
    assert not {"indicators_", "nb_scales_", "ruleset"} & set(vars(pickle.loads(pickle.dumps(copy))))
    assert all((a == b).all() for a, b in zip(copy.polarity_parts_, model.polarity_parts_) if a is not None)
    texts = ["Консультант вежливая, но очередь два часа", "сайт не работает, записаться нельзя",
             "МФЦ выдал справку быстро"]
    assert [p.to_dict() for p in copy.map(texts)] == [p.to_dict() for p in model.map(texts)]
