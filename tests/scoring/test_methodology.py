from __future__ import annotations

import copy

import pytest
import yaml

from feedback_nlp.errors import MethodologyError
from scoring.methodology import METHODOLOGY_DIR, available_methodologies, load_methodology, parse_methodology


def test_methodology_pilot_has_the_seed_structure(pilot):
    assert [g.code for g in pilot.groups] == ["E", "D", "P", "K", "L"]
    assert len(pilot.indicators) == 18
    assert {g.code: g.maximum for g in pilot.groups} == {"E": 6, "D": 12, "P": 6, "K": 8, "L": 18}
    assert pilot.maximum == 10
    assert (pilot.text_weight, pilot.min_mentions, pilot.prior_strength) == (0.3, 5, 5)
    assert (pilot.min_respondents, pilot.min_employers) == (100, 20)


def test_methodology_bundled_names_and_equal_weights_maximum():
    assert {"pilot-2022", "equal-weights"} <= set(available_methodologies())
    eq = load_methodology("equal-weights")
    assert all(g.multiplier == 1 for g in eq.groups)
    assert eq.maximum == pytest.approx((6 + 8 + 6 + 8 + 12) / 5)


def test_methodology_loads_by_path_and_hash_follows_content(tmp_path):
    text = (METHODOLOGY_DIR / "pilot-2022.yaml").read_text(encoding="utf-8")
    a = tmp_path / "a.yaml"
    a.write_text(text, encoding="utf-8")
    b = tmp_path / "b.yaml"
    b.write_text(text.replace("text_weight: 0.3", "text_weight: 0.4"), encoding="utf-8")
    ma, mb = load_methodology(a), load_methodology(b)
    assert ma.content_hash == load_methodology("pilot-2022").content_hash
    assert ma.content_hash != mb.content_hash
    assert mb.text_weight == 0.4


def _pilot_doc():
    return yaml.safe_load((METHODOLOGY_DIR / "pilot-2022.yaml").read_text(encoding="utf-8"))


def _set(doc, path, value):
    target = doc
    for key in path[:-1]:
        target = target[key]
    if value is KeyError:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize("path, value, field, why", [
    (("groups", 0, "indicators", 0, "weight"), -2, "groups[0].indicators[0].weight", r"must be in \(0"),
    (("groups", 0, "indicators", 0, "weight"), "two", "groups[0].indicators[0].weight", "must be a number"),
    (("groups", 1, "indicators", 0, "code"), "E1", "groups[1].indicators[0].code", "more than one place"),
    (("groups", 1, "code"), "E", "groups[1].code", "group code is used twice"),
    (("groups", 1, "multiplier"), 0, "groups[1].multiplier", r"must be in \(0"),
    (("groups", 2, "indicators"), [], "groups[2].indicators", "non-empty list"),
    (("client_assessment", "text_weight"), 1.5, "client_assessment.text_weight", r"must be in \[0, 1\]"),
    (("client_assessment", "min_mentions"), KeyError, "client_assessment.min_mentions", "required key is missing"),
    (("client_assessment", "min_mentions"), 2.5, "client_assessment.min_mentions", "whole number"),
    (("survey", "sample_unit"), "city", "survey.sample_unit", "must be one of region, center"),
    (("survey", "likert_max"), 1, "survey.likert_max", "greater than survey.likert_min"),
    (("aggregation", "region"), "median", "aggregation.region", "must be one of mean, respondents"),
    (("name",), KeyError, "name", "required text is missing"),
])
def test_methodology_validation_names_the_bad_value(path, value, field, why):
    doc = _set(copy.deepcopy(_pilot_doc()), path, value)
    with pytest.raises(MethodologyError, match=why) as info:
        parse_methodology(doc, source="m.yaml")
    assert any(p.field == field for p in info.value.problems), [str(p) for p in info.value.problems]
    assert str(info.value).startswith("m.yaml:")


def test_methodology_unknown_name_lists_bundled():
    with pytest.raises(MethodologyError, match="bundled: .*pilot-2022"):
        load_methodology("no-such-methodology")


def test_methodology_invalid_yaml(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("groups: [unclosed", encoding="utf-8")
    with pytest.raises(MethodologyError, match="not valid YAML"):
        load_methodology(bad)
