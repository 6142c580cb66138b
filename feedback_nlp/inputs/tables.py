"""Read a user's table (CSV in UTF-8 or as Russian Excel writes it, or XLSX) as text columns.

Every value comes back as a stripped string, with the file line of every row, so validation
can name ``file:line: field``. Encoding (UTF-8 with or without BOM, else cp1251) and delimiter
(``,``, ``;`` or tab, from the header line) are detected.
"""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from feedback_nlp.errors import InputError, Problem

EXCEL_SUFFIXES = (".xlsx", ".xlsm")
DELIMITERS = (",", ";", "\t")


@dataclass(frozen=True)
class RawTable:
    """Text cells of a table and where each row stood in its file."""

    path: str
    frame: pd.DataFrame          # all columns are stripped strings, "" for empty
    lines: np.ndarray            # file line (1-based; the header is line 1) of every row
    delimiter: str | None = None  # None for XLSX


def read_table(path: str | Path) -> RawTable:
    """Read CSV/XLSX into text columns; raise InputError naming the file on unreadable input."""
    path = Path(path)
    if not path.is_file():
        raise InputError(Problem(str(path), None, None, None, "no such file"))
    if path.suffix.lower() in EXCEL_SUFFIXES:
        return _read_excel(path)
    return _read_csv(path)


def _read_excel(path: Path) -> RawTable:
    try:
        frame = pd.read_excel(path, dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as exc:  # openpyxl raises many unrelated types for a broken workbook
        raise InputError(Problem(str(path), None, None, None, f"not a readable XLSX workbook: {exc}")) from None
    frame.columns = [str(c).strip().lstrip("\ufeff") for c in frame.columns]
    frame = frame.fillna("").astype(str).apply(lambda c: c.str.strip())
    lines = np.arange(2, len(frame) + 2)
    keep = (frame != "").any(axis=1).to_numpy() if len(frame.columns) else np.zeros(len(frame), bool)
    return RawTable(str(path), frame[keep].reset_index(drop=True), lines[keep])


def detect_encoding(head: bytes) -> str:
    """'utf-8-sig' for UTF-8 (with or without BOM), else 'cp1251' (Russian Excel's CSV)."""
    try:
        head.decode("utf-8")
        return "utf-8-sig"
    except UnicodeDecodeError as exc:
        # A multi-byte character cut at the end of the sample is still UTF-8.
        if exc.start >= len(head) - 3 and exc.reason in ("unexpected end of data",):
            return "utf-8-sig"
        return "cp1251"


def _header(raw: bytes, encoding: str) -> tuple[str, list[str]]:
    first = raw.split(b"\n", 1)[0].decode(encoding, errors="replace").rstrip("\r").lstrip("\ufeff")
    delimiter = max(DELIMITERS, key=first.count)
    names = next(csv.reader([first], delimiter=delimiter), [])
    return delimiter, [n.strip() for n in names]


def _read_csv(path: Path) -> RawTable:
    raw = path.read_bytes()
    if b"\x00" in raw[:4096]:
        raise InputError(Problem(str(path), None, None, None, "binary file, expected CSV text or XLSX"))
    if not raw.strip():
        raise InputError(Problem(str(path), 1, None, None, "empty file, expected a header row"))
    encoding = detect_encoding(raw[: 1 << 20])
    if encoding == "utf-8-sig":
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            encoding = "cp1251"
    try:
        delimiter, names = _header(raw, encoding)
    except csv.Error as exc:  # e.g. a header field past the csv module's size limit
        raise InputError(Problem(str(path), 1, None, None, f"unreadable header row: {exc}")) from None
    if any(n == "" for n in names) or len(set(names)) != len(names):
        raise InputError(Problem(str(path), 1, None, ",".join(names), "header has an empty or repeated column name"))
    bad_rows: list[int] = []
    try:
        table = pacsv.read_csv(
            io.BytesIO(raw),
            read_options=pacsv.ReadOptions(encoding="utf8" if encoding == "utf-8-sig" else encoding,
                                           column_names=names, skip_rows=1),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, ignore_empty_lines=False,
                                             newlines_in_values=False,
                                             invalid_row_handler=lambda row: bad_rows.append(1) or "skip"),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                                 strings_can_be_null=False, quoted_strings_can_be_null=False),
        )
    except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
        return _read_csv_slow(path, raw, encoding, delimiter, names, str(exc))
    if bad_rows:
        return _read_csv_slow(path, raw, encoding, delimiter, names, None)
    frame = table.to_pandas()
    frame = frame.apply(lambda c: c.str.strip()) if len(frame) else frame
    lines = np.arange(2, len(frame) + 2)
    keep = (frame != "").any(axis=1).to_numpy() if len(frame) else np.zeros(0, bool)
    if raw.startswith(b"\xef\xbb\xbf"):
        frame.columns = [c.lstrip("\ufeff") for c in frame.columns]
    return RawTable(str(path), frame[keep].reset_index(drop=True), lines[keep], delimiter)


def _read_csv_slow(path: Path, raw: bytes, encoding: str, delimiter: str, names: list[str],
                   error: str | None) -> RawTable:
    """Row by row, to name the lines whose field count is wrong (only on bad files)."""
    text = raw.decode(encoding, errors="replace")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    next(reader, None)
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    try:
        for row in reader:
            line = reader.line_num
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) != len(names):
                problems.append(Problem(str(path), line, None, delimiter.join(row)[:80],
                                        f"{len(row)} fields, the header has {len(names)}"))
                continue
            rows.append([c.strip() for c in row])
            lines.append(line)
    except csv.Error as exc:  # a NUL past the sniffed head, a field past the size limit
        problems.append(Problem(str(path), reader.line_num, None, None, f"not readable as CSV: {exc}"))
    if problems:
        raise InputError(problems)
    if error is not None and not rows:
        raise InputError(Problem(str(path), None, None, None, f"not readable as CSV: {error}"))
    frame = pd.DataFrame(rows, columns=names, dtype=str) if rows else pd.DataFrame(columns=names, dtype=str)
    return RawTable(str(path), frame, np.asarray(lines, dtype=np.int64), delimiter)
