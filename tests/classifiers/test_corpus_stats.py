"""The corpus datasheet scripts: statistics tables, inter-annotator agreement, train/test overlap."""
import json

import pytest

from feedback_nlp.classifiers.corpus import LabelledItem, is_test
from scripts.corpus_agreement import agreement, cohen_kappa, load_second
from scripts.corpus_agreement import render as render_agreement
from scripts.corpus_overlap import Match, best_matches, jaccard, overlap, shingles
from scripts.corpus_overlap import render as render_overlap
from scripts.corpus_stats import (
    label_rows, load_parts, part_rows, render, source_rows, split_rows, summary_lines,
)


def split_ids(prefix: str, test: bool, n: int) -> list[str]:
    """Ids that fall on the wanted side of the fixed split (the split is a hash, not a choice)."""
    return [i for i in (f"{prefix}-{k}" for k in range(1000)) if is_test(i) == test][:n]


TRAIN = split_ids("train", False, 3)
TEST = split_ids("test", True, 3)


# --- corpus_stats ------------------------------------------------------------------------

def stats_parts():
    return {
        "a.jsonl": [
            LabelledItem(TRAIN[0], "abc", True, (("D2", -1), ("L4", 1)), None, "social"),
            LabelledItem(TRAIN[1], "hello", True, (("E1", 1),), 1, "review"),
            LabelledItem(TEST[0], "x", False, (), None, "social"),
        ],
        "b.jsonl": [LabelledItem(TEST[1], "1234567", True, (), -1, "sms")],
    }


def test_stats_part_rows_count_relevance_and_multi_aspect_share_of_relevant():
    assert part_rows(stats_parts()) == [
        ["`a.jsonl`", 3, 2, 1, "50.0%"],
        ["`b.jsonl`", 1, 1, 0, "0.0%"],
        ["**total**", "**4**", "**3**", "**1**", "**33.3%**"],
    ]


def test_stats_source_rows_follow_the_methodology_order_and_keep_empty_kinds():
    items = [i for part in stats_parts().values() for i in part]
    assert source_rows(items) == [
        ["`social`", 2, 1, 1], ["`review`", 1, 1, 0], ["`media`", 0, 0, 0], ["`call_center`", 0, 0, 0],
        ["`complaint_book`", 0, 0, 0], ["`sms`", 1, 1, 0], ["`email`", 0, 0, 0], ["`survey_comment`", 0, 0, 0],
        ["**total**", "**4**", "**3**", "**1**"],
    ]


def test_stats_label_rows_count_indicator_by_polarity():
    rows = {row[0]: row[1:] for row in label_rows([i for part in stats_parts().values() for i in part])}
    assert len(rows) == 19
    assert rows["D2"] == [1, 0, 0, 1] and rows["L4"] == [0, 0, 1, 1] and rows["E1"] == [0, 0, 1, 1]
    assert rows["K4"] == [0, 0, 0, 0]
    assert rows["**all**"] == ["**1**", "**0**", "**2**", "**3**"]


def test_stats_split_rows_use_the_fixed_id_hash_split():
    items = [i for part in stats_parts().values() for i in part]
    assert split_rows(items) == [
        ["train", 2, 2, 0, 3],
        ["test", 2, 1, 1, 0],
        ["**total**", "**4**", "**3**", "**1**", "**3**"],
    ]


def test_stats_summary_lines():
    items = [i for part in stats_parts().values() for i in part]
    assert summary_lines(items) == [
        "Labels per relevant item: 0 → 1, 1 → 1, 2 → 1, 3 → 0, 4+ → 0.",
        "Multi-aspect relevant items (≥ 2 labels): 1 (33.3% of relevant); with mixed polarity: 1 (33.3%).",
        "`general` (relevant items): +1 → 1, 0 → 0, −1 → 1, null → 1.",
        "Text length in characters: median 4, min 1, max 7.",
    ]


def test_stats_render_is_markdown_with_every_section():
    text = render(stats_parts())
    assert "| file | items | relevant | not relevant | multi-aspect (of relevant) |\n|---|---:|---:|---:|---:|" in text
    assert "| `b.jsonl` | 1 | 1 | 0 | 0.0% |" in text
    assert "| train | 2 | 2 | 0 | 3 |" in text
    assert text.count("### ") == 4


def write_part(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")


def test_stats_load_parts_keys_by_file_and_rejects_ids_repeated_across_files(tmp_path):
    row = {"id": "a1", "source": "sms", "text": "долго", "relevant": True,
           "labels": [{"indicator": "L4", "polarity": -1}], "general": None}
    write_part(tmp_path / "one.jsonl", [row])
    write_part(tmp_path / "two.jsonl", [{**row, "id": "b1"}])
    parts = load_parts(tmp_path)
    assert {name: [i.id for i in items] for name, items in parts.items()} == {"one.jsonl": ["a1"], "two.jsonl": ["b1"]}
    write_part(tmp_path / "three.jsonl", [row])
    with pytest.raises(ValueError, match="a1"):
        load_parts(tmp_path)


# --- corpus_agreement --------------------------------------------------------------------

def test_cohen_kappa_known_values():
    assert cohen_kappa([1, 1, 0, 0], [1, 0, 0, 0]) == 0.5
    assert cohen_kappa([1, 0, 1, 0], [1, 0, 1, 0]) == 1.0
    assert cohen_kappa(["a", "a"], ["a", "a"]) == 1.0   # one category only: no chance term to remove
    assert cohen_kappa([], []) == 0.0


def agreement_inputs():
    reference = [
        LabelledItem("a", "t", True, (("D2", -1), ("L4", -1))),
        LabelledItem("b", "t", True, (("E1", 1),), 1),
        LabelledItem("c", "t", False),
        LabelledItem("d", "t", True, (("K1", 1),)),
        LabelledItem("e", "t", True, (("L6", 0),)),
    ]
    second = [
        LabelledItem("a", "", True, (("D2", -1), ("L4", 1))),   # polarity of L4 differs
        LabelledItem("b", "", True, (("E2", 1),), 1),          # other indicator, same general
        LabelledItem("c", "", True, (("L2", 0),)),             # relevant for the second only
        LabelledItem("d", "", False),                          # relevant for the corpus only
        LabelledItem("e", "", True, (("L6", 0),)),             # identical
        LabelledItem("z", "", False),                          # not in the corpus
    ]
    return reference, second


def test_agreement_figures_on_a_small_sample():
    result = agreement(*agreement_inputs())
    assert result["items"] == 5 and result["missing"] == ["z"]
    rel = result["relevance"]
    assert (rel["precision"], rel["recall"], rel["f1"]) == (0.75, 0.75, 0.75)
    assert rel["agreement"] == 0.6 and rel["kappa"] == -0.25
    assert (rel["reference_relevant"], rel["second_relevant"]) == (4, 4)
    ind = result["indicators"]
    assert (ind["micro_precision"], ind["micro_recall"], ind["micro_f1"], ind["macro_f1"]) == (0.6, 0.6, 0.6, 0.6)
    assert (ind["reference_labels"], ind["second_labels"]) == (5, 5)
    assert result["groups"]["micro_f1"] == 0.8
    assert result["per_indicator"]["D2"]["f1"] == 1.0 and result["per_indicator"]["E1"]["f1"] == 0.0
    assert result["per_indicator"]["E2"]["support"] == 0 and result["per_indicator"]["E2"]["second_count"] == 1
    pol = result["polarity"]
    assert pol["pairs"] == 3 and pol["agreement"] == 0.6667 and pol["kappa"] == 0.5
    assert pol["macro_f1"] == pytest.approx(0.8333, abs=1e-3)
    gen = result["general"]
    assert (gen["items"], gen["agreement"], gen["kappa"]) == (3, 1.0, 1.0)
    assert (gen["reference_set"], gen["second_set"]) == (1, 1)
    assert result["exact_label_sets"] == 0.2


def test_agreement_render_and_second_annotation_reader(tmp_path):
    path = tmp_path / "second.jsonl"
    write_part(path, [{"id": "a", "relevant": True, "labels": [{"indicator": "L4", "polarity": 1},
                                                               {"indicator": "D2", "polarity": -1}], "general": None}])
    assert load_second(path) == [LabelledItem("a", "", True, (("D2", -1), ("L4", 1)))]
    write_part(path, [{"id": "a", "relevant": True, "labels": [{"indicator": "Z9", "polarity": 1}], "general": None}])
    with pytest.raises(ValueError, match="second.jsonl:1"):
        load_second(path)
    text = render_agreement(agreement(*agreement_inputs()))
    assert "Items compared: 5 (1 ids of the second annotation are not in the corpus: z)." in text
    assert "| relevance Cohen's κ | -0.250 |" in text
    assert "| D2 | 1 | 1 | 1.000 | 1.000 | 1.000 |" in text


# --- corpus_overlap ----------------------------------------------------------------------

def test_overlap_shingles_normalise_and_keep_short_texts_whole():
    assert shingles("Всё отлично, спасибо!") == {("все", "отлично", "спасибо")}
    assert shingles("Ок") == {("ок",)}
    assert shingles("-") == frozenset()
    assert len(shingles("один два три четыре")) == 2
    assert jaccard(shingles("один два три четыре"), shingles("один два три пять")) == 1 / 3
    assert jaccard(frozenset(), frozenset()) == 0.0


def test_overlap_best_match_is_exact_jaccard_with_ties_to_the_smallest_id():
    train = [LabelledItem("t-b", "один два три четыре пять", True),
             LabelledItem("t-a", "один два три четыре шесть", True),
             LabelledItem("t-c", "совсем другой текст про цзн", True)]
    test = [LabelledItem("q1", "Один, два, три, четыре, пять!", True),
            LabelledItem("q2", "один два три семь восемь", True),
            LabelledItem("q3", "ничего общего", True)]
    assert best_matches(train, test) == [Match("q1", "t-b", 1.0), Match("q2", "t-a", 0.2), Match("q3", None, 0.0)]


def test_overlap_counts_per_part_of_the_test_item_and_lists_near_copies():
    parts = {
        "x.jsonl": [LabelledItem(TRAIN[0], "один два три четыре пять", True),
                    LabelledItem(TRAIN[1], "один два три четыре шесть", True),
                    LabelledItem(TEST[0], "один два три четыре пять", True),
                    LabelledItem(TEST[1], "ничего общего с остальными текстами", False)],
        # shares 3 of its 4 shingles with TRAIN[1]: similar, not a near-copy
        "y.jsonl": [LabelledItem(TEST[2], "один два три четыре шесть семь", True)],
    }
    result = overlap(parts)
    assert (result["train"], result["test"]) == (2, 3)
    assert {name: dict(c) for name, c in result["per_part"].items()} == {
        "x.jsonl": {"test": 2, 0.5: 1, 0.8: 1}, "y.jsonl": {"test": 1, 0.5: 1, 0.8: 0}}
    assert result["near_copies"] == [Match(TEST[0], TRAIN[0], 1.0)]
    assert [m.test_id for m in result["worst"]] == [TEST[0], TEST[2], TEST[1]]
    text = render_overlap(result)
    assert "| **total** | **3** | **2** | **1** |" in text
    assert f"### Near-copies (Jaccard ≥ 0.8): 1\n\n| test id | train id | Jaccard |\n|---|---|---:|\n" \
           f"| `{TEST[0]}` | `{TRAIN[0]}` | 1.000 |" in text
