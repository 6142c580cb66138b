import json

import pytest

from feedback_nlp.classifiers.corpus import (
    LabelledItem, apply_corrections, corpus_hash, is_test, load_corpus, read_items,
)
from feedback_nlp.errors import InputError

GOOD = {"id": "a1", "source": "social", "text": "в цзн хамят", "relevant": True,
        "labels": [{"indicator": "D2", "polarity": -1}], "general": None}


def write(tmp_path, rows, name="part.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n",
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("change, field", [
    ({"source": "fax"}, "source"),
    ({"text": ""}, "text"),
    ({"relevant": "yes"}, "relevant"),
    ({"general": 2}, "general"),
    ({"labels": [{"indicator": "Z9", "polarity": 1}]}, "labels.indicator"),
    ({"labels": [{"indicator": "D2", "polarity": 5}]}, "labels.polarity"),
    ({"relevant": False}, "relevant"),          # off-topic with labels
    ({"labels": []}, "labels"),                 # relevant, but neither labels nor general
])
def test_corpus_bad_line_names_file_line_field(tmp_path, change, field):
    path = write(tmp_path, [GOOD, {**GOOD, "id": "a2", **change}])
    items, problems = read_items(path)
    assert [i.id for i in items] == ["a1"]
    assert [(p.line, p.field) for p in problems] == [(2, field)]
    with pytest.raises(InputError, match=rf"part.jsonl:2: {field}:"):
        load_corpus(path)


def test_corpus_invalid_json_and_duplicate_id(tmp_path):
    path = write(tmp_path, [GOOD, "{broken", GOOD])
    _, problems = read_items(path)
    assert [(p.line, p.field) for p in problems] == [(2, None), (3, "id")]


def test_corpus_hash_ignores_order_and_files(tmp_path):
    a, b = {**GOOD}, {**GOOD, "id": "b1"}
    write(tmp_path, [a, b], "one.jsonl")
    first = corpus_hash(load_corpus(tmp_path / "one.jsonl"))
    (tmp_path / "one.jsonl").unlink()
    write(tmp_path, [b], "x.jsonl")
    write(tmp_path, [a], "y.jsonl")
    assert corpus_hash(load_corpus(tmp_path)) == first


def test_corpus_split_is_fixed_and_about_22_percent():
    ids = [f"item-{i}" for i in range(5000)]
    share = sum(map(is_test, ids)) / len(ids)
    assert 0.20 < share < 0.24
    assert is_test("soc-0001") == is_test("soc-0001")


def test_corpus_corrections_override_and_add():
    items = [LabelledItem("a", "t", True, (("D2", -1),)), LabelledItem("b", "u", False)]
    fixes = [LabelledItem("b", "u", True, (("L4", -1),)), LabelledItem("c", "v", False)]
    out = apply_corrections(items, fixes)
    assert [(i.id, i.relevant, i.labels) for i in out] == [
        ("a", True, (("D2", -1),)), ("b", True, (("L4", -1),)), ("c", False, ())]


def test_relevant_item_with_only_general_is_valid_and_a_correction_may_clear_labels(tmp_path):
    path = write(tmp_path, [{**GOOD, "labels": [], "general": -1}])
    assert load_corpus(path)[0].general == -1
    fix = write(tmp_path, [{**GOOD, "labels": []}], name="fix.jsonl")
    items, problems = read_items(fix, correction=True)
    assert problems == [] and items[0].labels == () and items[0].relevant
