"""classify_frame in one process: order, bad rows, and a text that makes the classifier raise."""
from __future__ import annotations

import json

import pandas as pd

from feedback_nlp.batch import classify_frame
from feedback_nlp.batch.partitions import empty_input
from feedback_nlp.classifiers.artifact import load_default_model


def frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "text", "source", "error"], dtype="object")


def test_classify_frame_of_no_rows_has_the_output_columns():
    out = classify_frame(empty_input())
    assert len(out) == 0 and "aspects" in out.columns and "error" in out.columns


def test_classify_frame_keeps_bad_rows_in_place():
    out = classify_frame(frame([("a", "Грубо ответили в ЦЗН", "vk", None), (None, None, None, "no id"),
                                ("c", "Спасибо центру занятости", None, None)]))
    assert out["id"].tolist()[::2] == ["a", "c"] and pd.isna(out["id"][1])
    assert out["error"].isna().tolist() == [True, False, True]
    expected = [p.to_dict() for p in load_default_model().map(["Грубо ответили в ЦЗН", "Спасибо центру занятости"],
                                                               ["a", "c"])]
    assert [json.loads(a) for a in out["aspects"][::2]] == [e["aspects"] for e in expected]


class Fragile:
    """A model that fails on any batch holding the word 'boom'."""

    def map(self, texts, ids):
        texts, ids = list(texts), list(ids)
        if any("boom" in t for t in texts):
            raise ValueError("boom in " + texts[0])
        yield from load_default_model().map(texts, ids)


def test_classify_frame_isolates_a_text_that_breaks_the_classifier(monkeypatch):
    monkeypatch.setattr("feedback_nlp.batch.predict.worker_model", lambda path=None: Fragile())
    out = classify_frame(frame([("a", "Грубо ответили", None, None), ("b", "boom секрет", None, None),
                                ("c", "Спасибо", None, None)]))
    assert out["error"].tolist()[1] == "classifier failed: ValueError"  # no text in the reason
    assert out["relevant"].isna().tolist() == [False, True, False]
