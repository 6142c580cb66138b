"""The labelled corpus: read and validate its JSONL parts, hash it, split it for good.

Format (INTERFACES.md): ``{"id", "source", "text", "relevant", "labels": [{"indicator",
"polarity"}], "general"}``. The test split is fixed by a hash of ``id`` so it never moves as
the parts grow; nothing (rules, thresholds, hyperparameters) is ever tuned on it.
"""
from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from feedback_nlp.codes import INDICATORS, SOURCE_KINDS
from feedback_nlp.errors import InputError, Problem

TEST_SHARE = 0.22
POLARITIES = (-1, 0, 1)


@dataclass(frozen=True)
class LabelledItem:
    """One labelled text of the corpus (or one correction)."""

    id: str
    text: str
    relevant: bool
    labels: tuple[tuple[str, int], ...] = ()   # (indicator, polarity), sorted by indicator
    general: int | None = None
    source: str = ""

    @property
    def indicators(self) -> frozenset[str]:
        return frozenset(code for code, _ in self.labels)

    def to_dict(self) -> dict:
        """The item as a corpus JSON object."""
        return {
            "id": self.id, "source": self.source, "text": self.text, "relevant": self.relevant,
            "labels": [{"indicator": c, "polarity": p} for c, p in self.labels],
            "general": self.general,
        }


def is_test(item_id: str, share: float = TEST_SHARE) -> bool:
    """True when ``item_id`` belongs to the fixed test split (lowest ``share`` of id hashes)."""
    digest = hashlib.sha256(item_id.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def split_items(items: Iterable[LabelledItem]) -> tuple[list[LabelledItem], list[LabelledItem]]:
    """``(train, test)`` by the fixed id-hash split."""
    train, test = [], []
    for item in items:
        (test if is_test(item.id) else train).append(item)
    return train, test


def corpus_hash(items: Iterable[LabelledItem]) -> str:
    """sha256 of the canonical items sorted by id: independent of file names and order."""
    h = hashlib.sha256()
    for item in sorted(items, key=lambda i: i.id):
        h.update(json.dumps(item.to_dict(), ensure_ascii=False, sort_keys=True).encode("utf-8"))
        h.update(b"\n")
    return "sha256:" + h.hexdigest()


def corpus_files(path: str | Path) -> list[Path]:
    """The JSONL files of a corpus: the file itself, or every ``*.jsonl`` under a directory."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.rglob("*.jsonl"))
        if not files:
            raise InputError(Problem(str(path), None, None, None, "no *.jsonl files in directory"))
        return files
    if not path.exists():
        raise InputError(Problem(str(path), None, None, None, "no such file or directory"))
    return [path]


def parse_item(obj: object, file: str, line: int, *, correction: bool = False
               ) -> tuple[LabelledItem | None, list[Problem]]:
    """Validate one decoded JSON line; return the item or the problems found."""
    def bad(field, value, why):
        return None, [Problem(file, line, field, value, why)]

    if not isinstance(obj, dict):
        return bad(None, None, "expected a JSON object")
    problems: list[Problem] = []
    item_id, text = obj.get("id"), obj.get("text")
    if not isinstance(item_id, str) or not item_id.strip():
        problems.append(Problem(file, line, "id", item_id, "must be a non-empty string"))
    if not isinstance(text, str) or not text.strip():
        problems.append(Problem(file, line, "text", text, "must be a non-empty string"))
    source = obj.get("source", "")
    if not correction and source not in SOURCE_KINDS:
        problems.append(Problem(file, line, "source", source, f"must be one of {', '.join(SOURCE_KINDS)}"))
    relevant = obj.get("relevant")
    if not isinstance(relevant, bool):
        problems.append(Problem(file, line, "relevant", relevant, "must be true or false"))
    general = obj.get("general")
    if general is not None and (isinstance(general, bool) or general not in POLARITIES):
        problems.append(Problem(file, line, "general", general, "must be -1, 0, 1 or null"))
    labels = obj.get("labels", [])
    pairs: dict[str, int] = {}
    if not isinstance(labels, list):
        problems.append(Problem(file, line, "labels", labels, "must be a list"))
        labels = []
    for label in labels:
        code = label.get("indicator") if isinstance(label, dict) else None
        pol = label.get("polarity") if isinstance(label, dict) else None
        if code not in INDICATORS:
            problems.append(Problem(file, line, "labels.indicator", code, "unknown indicator code"))
        elif isinstance(pol, bool) or pol not in POLARITIES:
            problems.append(Problem(file, line, "labels.polarity", pol, "must be -1, 0 or 1"))
        elif code in pairs and pairs[code] != pol:
            problems.append(Problem(file, line, "labels", code, "indicator labelled twice with different polarity"))
        else:
            pairs[code] = pol
    if relevant is False and (pairs or general is not None):
        problems.append(Problem(file, line, "relevant", relevant, "off-topic item must have no labels and general null"))
    if relevant is True and not pairs and general is None and not correction and not problems:
        # LABELLING_GUIDE §2; a methodologist's correction may still clear every label of a text
        problems.append(Problem(file, line, "labels", [], "relevant item needs at least one label or a non-null general"))
    if problems:
        return None, problems
    return LabelledItem(item_id, text, relevant, tuple(sorted(pairs.items())), general, source or ""), []


def iter_jsonl(path: Path) -> Iterator[tuple[int, object | None, Problem | None]]:
    """``(line number, decoded object or None, problem or None)`` for non-blank lines."""
    with open(path, encoding="utf-8") as fh:
        for number, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                yield number, json.loads(raw), None
            except json.JSONDecodeError as exc:
                yield number, None, Problem(str(path), number, None, raw.strip()[:60], f"invalid JSON: {exc.msg}")


def read_items(path: str | Path, *, correction: bool = False) -> tuple[list[LabelledItem], list[Problem]]:
    """All valid items and all problems (bad lines, duplicate ids) of a corpus file or directory."""
    items: list[LabelledItem] = []
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for file in corpus_files(path):
        for number, obj, problem in iter_jsonl(file):
            if problem:
                problems.append(problem)
                continue
            item, found = parse_item(obj, str(file), number, correction=correction)
            problems.extend(found)
            if item is None:
                continue
            if item.id in seen:
                problems.append(Problem(str(file), number, "id", item.id, f"duplicate id (first at {seen[item.id]})"))
                continue
            seen[item.id] = f"{file}:{number}"
            items.append(item)
    return items, problems


def load_corpus(path: str | Path, *, strict: bool = True) -> list[LabelledItem]:
    """Valid items of a corpus; with ``strict`` any bad line raises InputError naming file:line."""
    items, problems = read_items(path)
    if problems and strict:
        raise InputError(problems)
    return items


def load_corrections(path: str | Path) -> list[LabelledItem]:
    """Methodologists' corrections (JSONL; ``source``, ``author``, ``reason`` optional)."""
    items, problems = read_items(path, correction=True)
    if problems:
        raise InputError(problems)
    return items


def apply_corrections(items: list[LabelledItem], corrections: list[LabelledItem]) -> list[LabelledItem]:
    """Corrections override corpus items with the same id; new ids are added at the end."""
    fixes = {c.id: c for c in corrections}
    out = []
    for item in items:
        fix = fixes.pop(item.id, None)
        out.append(item if fix is None else
                   LabelledItem(fix.id, fix.text, fix.relevant, fix.labels, fix.general, fix.source or item.source))
    return out + list(fixes.values())
