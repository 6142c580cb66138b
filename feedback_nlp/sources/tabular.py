"""Tabular inputs (CSV, XLSX, JSON arrays, JSON Lines) as rows of named fields with line numbers.

Collectors declare their fields with the header names they recognise (``FIELDS``); users may
override them with ``columns={"text": "Текст обращения"}``. CSV encoding (UTF-8 or cp1251) and
delimiter (``,`` ``;`` tab ``|``) are detected; rejects name the file and the line.
"""
from __future__ import annotations

import csv
import json
import re
import warnings
import zipfile
import zlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feedback_nlp.sources.base import Reject
from feedback_nlp.sources.files import SNIFF_BYTES, detect_encoding, is_binary, iter_jsonl, load_json

Fields = Mapping[str, tuple[str, ...]]   # field -> header names recognised, in order of preference
TABLE_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".json", ".jsonl", ".ndjson")
_DELIMITERS = (";", ",", "\t", "|")
_LIST_KEYS = ("items", "records", "data", "reviews", "messages", "rows", "results")


@dataclass(frozen=True)
class Row:
    """One record of a table: our field names to cell values (empty cells left out)."""

    file: str
    line: int | None          # CSV line where the record starts, XLSX row, JSONL line
    values: dict[str, Any]
    item: int | None = None   # position in a JSON array (which has no useful line numbers)

    def get(self, field: str) -> Any:
        return self.values.get(field)

    def text(self, field: str) -> str:
        """The field as a string ('' when empty)."""
        value = self.values.get(field)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()

    @property
    def key(self) -> str:
        """Where the row is, as a stable external id: ``file.csv:12`` or ``file.json#3``."""
        name = Path(self.file).name
        return f"{name}:{self.line}" if self.item is None else f"{name}#{self.item}"

    def reject(self, reason: str, excerpt: str = "") -> Reject:
        prefix = "" if self.item is None else f"item {self.item}: "
        return Reject(self.file, self.line, prefix + reason, excerpt)


def check_columns(columns: Mapping[str, str] | str | None, fields: Fields) -> dict[str, str]:
    """The user's column mapping, checked against the collector's fields (ValueError if unknown).

    From the command line it may come as a string: ``text=Текст;date=Дата`` or a JSON object.
    """
    if isinstance(columns, str):
        columns = parse_columns(columns)
    columns = dict(columns or {})
    unknown = sorted(set(columns) - set(fields))
    if unknown:
        raise ValueError(f"unknown field(s) {', '.join(unknown)} in columns; known: {', '.join(fields)}")
    return columns


def parse_columns(text: str) -> dict[str, str]:
    """``text=Текст;date=Дата`` (or ``,``-separated, or a JSON object) as a column mapping."""
    text = text.strip()
    if text.startswith("{"):
        try:
            mapping = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"columns: malformed JSON ({error.msg})") from None
        return {str(k): str(v) for k, v in mapping.items()}
    pairs = [p for p in re.split(r"[;,]", text) if p.strip()]
    if any("=" not in p for p in pairs):
        raise ValueError(f"columns: expected FIELD=HEADER pairs, got {text!r}")
    return {k.strip(): v.strip() for k, v in (p.split("=", 1) for p in pairs)}


def resolve_columns(header: Sequence[str], fields: Fields, columns: Mapping[str, str]) -> dict[str, int]:
    """field -> column index; each column used once, user mapping first, then recognised names."""
    folded = [h.strip().casefold() for h in header]
    taken: set[int] = set()
    found: dict[str, int] = {}
    for field in fields:
        names = (columns[field],) if field in columns else fields[field]
        for name in names:
            hits = [i for i, h in enumerate(folded) if h == name.casefold() and i not in taken]
            if hits:
                found[field] = hits[0]
                taken.add(hits[0])
                break
    return found


def read_rows(
    path: Path, fields: Fields, columns: Mapping[str, str] | None = None, required: tuple[str, ...] = ("text",)
) -> Iterator[Row | Reject]:
    """Rows of a CSV/XLSX/JSON/JSONL file with fields named as in ``fields``; bad rows as Rejects.

    ``required`` fields must have a column in a CSV/XLSX header (``"a|b"``: either will do).
    """
    columns = dict(columns or {})
    suffix = path.suffix.lower()
    if suffix == ".xls":
        yield Reject(str(path), None, "old .xls format is not supported; save as .xlsx or CSV")
    elif suffix in (".xlsx", ".xlsm"):
        yield from _table_rows(str(path), _xlsx_cells(path), fields, columns, required)
    elif suffix == ".json":
        yield from _json_rows(path, fields, columns)
    elif suffix in (".jsonl", ".ndjson"):
        for entry in iter_jsonl(path):
            if isinstance(entry, Reject):
                yield entry
            elif not isinstance(entry[1], dict):
                yield Reject(str(path), entry[0], "not a JSON object")
            else:
                yield Row(str(path), entry[0], _map_object(entry[1], fields, columns))
    else:
        yield from _table_rows(str(path), _csv_cells(path), fields, columns, required)


def _table_rows(
    file: str, cells: Iterator[tuple[int, list[Any]] | Reject], fields: Fields,
    columns: Mapping[str, str], required: tuple[str, ...],
) -> Iterator[Row | Reject]:
    index: dict[str, int] | None = None
    width = 0
    for entry in cells:
        if isinstance(entry, Reject):
            yield entry
            continue
        line, values = entry
        if not any(_present(v) for v in values):
            continue
        if index is None:
            header = ["" if v is None else str(v) for v in values]
            index, width = resolve_columns(header, fields, columns), len(header)
            missing = [f for f in required if not any(alt in index for alt in f.split("|"))]
            if missing:
                alts = missing[0].split("|")
                expected = ", ".join(n for a in alts for n in ((columns[a],) if a in columns else fields[a]))
                yield Reject(file, line, f"no {' or '.join(alts)} column (expected one of: {expected})")
                return
            continue
        if len(values) > width and not any(_present(v) for v in values[width:]):
            values = values[:width]
        if len(values) != width:
            yield Reject(file, line, f"expected {width} fields, got {len(values)}")
            continue
        yield Row(file, line, {f: _clean(values[i]) for f, i in index.items() if _present(values[i])})


def _present(value: Any) -> bool:
    return value is not None and not (isinstance(value, str) and not value.strip())


def _clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def sniff_delimiter(line: str) -> str:
    """The most frequent of ``;`` ``,`` tab ``|`` outside quotes in a header line (``,`` if none)."""
    unquoted = re.sub(r'"[^"]*"', "", line)
    counts = {d: unquoted.count(d) for d in _DELIMITERS}
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_cells(path: Path) -> Iterator[tuple[int, list[Any]] | Reject]:
    file = str(path)
    try:
        handle = path.open("rb")
    except OSError as error:
        yield Reject(file, None, f"cannot read file: {error.strerror or error}")
        return
    with handle:
        head = handle.read(SNIFF_BYTES)
        if is_binary(head):
            yield Reject(file, None, "binary file, not text")
            return
        encoding = detect_encoding(head)
        first = next((l for l in head.decode(encoding, "replace").splitlines() if l.strip()), "")
        handle.seek(0)
        bad: set[int] = set()

        def lines() -> Iterator[str]:
            for number, raw in enumerate(handle, start=1):
                try:
                    yield raw.decode(encoding)
                except UnicodeDecodeError:
                    bad.add(number)
                    yield raw.decode(encoding, "replace")

        reader = csv.reader(lines(), delimiter=sniff_delimiter(first))
        while True:
            start = reader.line_num + 1
            try:
                values = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                yield Reject(file, start, f"malformed CSV: {error}")
                continue
            if any(start <= n <= reader.line_num for n in bad):
                yield Reject(file, start, f"cannot decode line ({encoding.replace('-sig', '')})")
                continue
            yield start, list(values)


def _xlsx_cells(path: Path) -> Iterator[tuple[int, list[Any]] | Reject]:
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    # a damaged archive fails in zipfile, zlib or the XML parser (SyntaxError), at opening or, in
    # read-only mode, while the sheet's rows are read
    broken = (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError, zlib.error, EOFError,
              SyntaxError)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles it does not need here
            book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except broken as error:
        yield Reject(str(path), None, f"not a readable XLSX file ({type(error).__name__})")
        return
    number = 0
    try:
        sheet = book.worksheets[0]
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            yield number, list(values)
    except broken as error:
        yield Reject(str(path), number + 1, f"XLSX file damaged from this row on ({type(error).__name__})")
    finally:
        book.close()


def _json_rows(path: Path, fields: Fields, columns: Mapping[str, str]) -> Iterator[Row | Reject]:
    data, reject = load_json(path)
    if reject is not None:
        yield reject
        return
    if isinstance(data, dict):
        data = next((data[k] for k in _LIST_KEYS if isinstance(data.get(k), list)), data)
    if not isinstance(data, list):
        yield Reject(str(path), None, "expected a JSON array of objects")
        return
    for number, obj in enumerate(data, start=1):
        if not isinstance(obj, dict):
            yield Reject(str(path), None, f"item {number}: not a JSON object")
        else:
            yield Row(str(path), None, _map_object(obj, fields, columns), item=number)


def flatten(obj: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted keys: ``{"user": {"name": 1}}`` -> ``{"user.name": 1}``."""
    flat: dict[str, Any] = {}
    for key, value in obj.items():
        if isinstance(value, dict):
            flat.update(flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _map_object(obj: Mapping[str, Any], fields: Fields, columns: Mapping[str, str]) -> dict[str, Any]:
    flat = flatten(obj)
    keys = list(flat)
    index = resolve_columns(keys, fields, columns)
    return {f: _clean(flat[keys[i]]) for f, i in index.items() if _present(flat[keys[i]])}
