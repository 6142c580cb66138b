"""Reading input files: directories expanded, encodings detected, JSON with positions.

Bad files never stop a collection: every helper here turns a problem into a ``Reject``.
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from feedback_nlp.sources.base import Reject
from feedback_nlp.sources.text import safe_excerpt

ENCODINGS = ("utf-8-sig", "cp1251")
SNIFF_BYTES = 1 << 20
NESTED_TOO_DEEP = "malformed JSON: nested too deeply"


def iter_files(paths: Iterable[Path | str], suffixes: tuple[str, ...]) -> Iterator[Path]:
    """Input files: given files as they are, directories expanded to their files with ``suffixes``."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes
            )
        else:
            yield path


def is_binary(sample: bytes) -> bool:
    """True for bytes that are no text file (NUL bytes or many control characters)."""
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return bool(sample) and controls / len(sample) > 0.05


def detect_encoding(sample: bytes) -> str:
    """UTF-8 (with or without BOM) if the sample decodes as UTF-8, else cp1251."""
    if sample.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    # The sample may end inside a multibyte character: cut at the last newline.
    cut = sample.rfind(b"\n")
    head = sample if cut < 0 or len(sample) < SNIFF_BYTES else sample[: cut + 1]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        # A UTF-8 file with a few broken lines stays UTF-8 (those lines are rejected);
        # cp1251 Cyrillic practically never forms valid multibyte UTF-8.
        utf8 = broken = 0
        for line in head.splitlines():
            try:
                utf8 += not line.decode("utf-8").isascii()
            except UnicodeDecodeError:
                broken += 1
        return "utf-8-sig" if utf8 > broken else "cp1251"
    return "utf-8-sig"


def decode_text(data: bytes) -> tuple[str, str]:
    """The text of a small file and its encoding; raises UnicodeDecodeError if neither fits."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("cp1251"), "cp1251"  # raises: names the first undecodable byte


def read_text(path: Path) -> tuple[str | None, Reject | None]:
    """A small text file decoded (UTF-8 or cp1251), or a Reject saying why it cannot be read."""
    try:
        data = path.read_bytes()
    except OSError as error:
        return None, Reject(str(path), None, f"cannot read file: {error.strerror or error}")
    if is_binary(data[:SNIFF_BYTES]):
        return None, Reject(str(path), None, "binary file, not text")
    try:
        text, _ = decode_text(data)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, Reject(str(path), line, "cannot decode text (neither UTF-8 nor cp1251)")
    return text, None


def load_json(path: Path) -> tuple[Any, Reject | None]:
    """A JSON file's content, or a Reject naming the line and column of the syntax error."""
    text, reject = read_text(path)
    if reject is not None:
        return None, reject
    assert text is not None
    try:
        return json.loads(text), None
    except json.JSONDecodeError as error:
        return None, json_reject(str(path), error, text)
    except RecursionError:
        return None, Reject(str(path), None, NESTED_TOO_DEEP)


def json_reject(file: str, error: json.JSONDecodeError, text: str, line: int | None = None) -> Reject:
    """A Reject for malformed JSON at ``error``'s position (``line`` overrides for JSONL)."""
    where = f"line {error.lineno}, column {error.colno}" if line is None else f"column {error.colno}"
    excerpt = safe_excerpt(text[max(0, error.pos - 20): error.pos + 20])
    return Reject(file, line or error.lineno, f"malformed JSON: {error.msg} ({where})", excerpt)


def iter_jsonl(path: Path) -> Iterator[tuple[int, Any] | Reject]:
    """(line number, object) for each non-blank line of a JSON Lines file; bad lines as Rejects."""
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Reject(str(path), None, f"cannot read file: {error.strerror or error}")
        return
    with handle:
        head = handle.read(SNIFF_BYTES)
        if is_binary(head):
            yield Reject(str(path), None, "binary file, not text")
            return
        encoding = detect_encoding(head)
        handle.seek(0)
        for number, raw in enumerate(handle, start=1):
            try:
                line = raw.decode(encoding if number == 1 else encoding.replace("-sig", ""))
            except UnicodeDecodeError:
                yield Reject(str(path), number, f"cannot decode line ({encoding})")
                continue
            if not line.strip():
                continue
            line = line.rstrip("\r\n")
            try:
                yield number, json.loads(line)
            except json.JSONDecodeError as error:
                yield json_reject(str(path), error, line, line=number)
            except RecursionError:
                yield Reject(str(path), number, NESTED_TOO_DEEP)
