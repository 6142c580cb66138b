"""Authoring rounds of the corpus: which round (and so which group of authors) wrote an item.

The round of an item is the round of the corpus part (file) it comes from: session 1 wrote the
unprefixed parts, session 2 the ``s2_``/``s3_``/``s4_`` parts, session 3 the ``s5_`` parts, session 4
the ``s6_`` and ``s7_`` parts; a part not known here counts as the round named by its prefix up to
the first ``_`` (``s8_calls.jsonl`` → ``s8``). Each round was written by authors who did not see the others'
texts, so holding a round out is the corpus's nearest stand-in for independently written data
(``tuning.leave_round_out``, ``benchmarks/eval_rounds.py``).
"""
from __future__ import annotations

from pathlib import Path

from feedback_nlp.classifiers.corpus import corpus_files, read_items

SESSION_1 = frozenset({"call_center", "complaint_book", "email", "extra_d", "extra_e", "media", "negatives",
                       "review", "sms", "social", "survey_comment"})
PREFIX_ROUNDS = {"s2": "session 2", "s3": "session 2", "s4": "session 2", "s5": "session 3", "s6": "session 4",
                 "s7": "session 4"}
ROUND_ORDER = ("session 1", "session 2", "session 3", "session 4")
ALL = "all"


def round_of(name: str | Path) -> str:
    """The authoring round of a corpus part, from its file name (``s5_vk.jsonl`` → ``session 3``)."""
    stem = Path(name).name.removesuffix(".jsonl")
    if stem in SESSION_1:
        return "session 1"
    prefix = stem.split("_", 1)[0]
    return PREFIX_ROUNDS.get(prefix, prefix)


def author_group(item_id: str) -> str:
    """The corpus part an item id belongs to — its prefix before the running number
    (``s5vk-0012`` → ``s5vk``): within a round each part was written by one author."""
    head, sep, tail = item_id.rpartition("-")
    return head if sep and tail.isdigit() else item_id


def round_key(label: str) -> tuple:
    """Sort key: the known rounds in order, then unknown ones by name, ``all`` last."""
    if label == ALL:
        return (2, label)
    if label in ROUND_ORDER:
        return (0, ROUND_ORDER.index(label))
    return (1, label)


def item_rounds(parts: str | Path) -> dict[str, str]:
    """``id → round`` for every item of the corpus parts (the first file holding an id wins, as in
    ``read_items``)."""
    rounds: dict[str, str] = {}
    for file in corpus_files(parts):
        for item in read_items(file)[0]:
            rounds.setdefault(item.id, round_of(file))
    return rounds


def round_files(parts: str | Path) -> dict[str, list[str]]:
    """``round → file names`` of the corpus parts, rounds in ``round_key`` order."""
    files: dict[str, list[str]] = {}
    for file in corpus_files(parts):
        files.setdefault(round_of(file), []).append(file.name)
    return {r: files[r] for r in sorted(files, key=round_key)}
