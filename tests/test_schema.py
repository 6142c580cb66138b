"""The prediction record's JSON form (INTERFACES.md) and its hand-written evidence objects."""
from dataclasses import asdict, fields

from feedback_nlp.schema import AspectHit, Prediction, Span, make_aspect, make_prediction, make_span


def _prediction() -> Prediction:
    spans = (make_span(0, 7, "вежливо"), make_span(12, 17, "долго"))
    aspects = (make_aspect("D2", 0.81234, 0.9, spans[:1], "rule:d2"), make_aspect("L4", -0.5, 0.7, spans[1:], "model:logreg"))
    return make_prediction("t1", True, 0.987654, 0.123456, None, aspects, "feedback-ru-v3")


def test_evidence_objects_hold_every_span_field():
    # the evidence dicts are written out by hand for speed: a field added to Span must appear too
    out = _prediction().to_dict()
    assert [e for a in out["aspects"] for e in a["evidence"]] == [
        asdict(s) for a in _prediction().aspects for s in a.spans]
    assert {f.name for f in fields(Span)} == set(out["aspects"][0]["evidence"][0])


def test_to_dict_rounds_and_derives_group_and_polarity():
    out = _prediction().to_dict()
    assert out["relevance"] == 0.9877 and out["sentiment"] == 0.1235 and out["polarity"] == 0
    first, second = out["aspects"]
    assert (first["group"], first["polarity"], first["sentiment"]) == ("D", 1, 0.8123)
    assert (second["group"], second["polarity"]) == ("L", -1)


def test_fast_constructors_equal_dataclass_constructors():
    span = Span(1, 2, "x")
    assert make_span(1, 2, "x") == span
    assert make_aspect("K1", 0.2, 0.5, (span,), "s") == AspectHit("K1", 0.2, 0.5, (span,), "s")
    assert make_prediction("i", False, 0.1, 0.0, None, (), "m") == Prediction("i", False, 0.1, 0.0, None, (), "m")
