"""Shared tabular reading: encodings, delimiters, line numbers, XLSX, JSON, column mapping."""
from __future__ import annotations

from datetime import datetime

import openpyxl
import pytest

from feedback_nlp.sources.tabular import Row, check_columns, flatten, read_rows, sniff_delimiter

from .helpers import where, write

FIELDS = {"id": ("id", "№"), "text": ("text", "текст"), "date": ("date", "дата")}


def rows(path, columns=None, required=("text",)):
    return list(read_rows(path, FIELDS, columns, required))


def values(items):
    return [(r.line, r.values) for r in items if isinstance(r, Row)]


def test_cp1251_semicolon_csv_is_detected(tmp_path):
    path = write(tmp_path / "a.csv", "№;Текст;Дата\r\n1;Очередь в ЦЗН;01.04.2024\r\n", "cp1251")
    assert values(rows(path)) == [(2, {"id": "1", "text": "Очередь в ЦЗН", "date": "01.04.2024"})]


def test_utf8_bom_tab_csv_with_multiline_field_keeps_start_lines(tmp_path):
    text = '\ufeffid\ttext\n\n1\t"первая\nвторая строка"\n2\tтретья\n'
    items = rows(write(tmp_path / "b.tsv", text))
    assert values(items) == [(3, {"id": "1", "text": "первая\nвторая строка"}), (5, {"id": "2", "text": "третья"})]


def test_bad_rows_are_rejects_with_lines(tmp_path):
    data = "id,text\n1,хорошо\n2,плохо,лишнее\n3\n4,ok,\n".encode() + b"5,\xff\xfe\n6,\xd0\xb4\xd0\xb0\n"
    path = tmp_path / "c.csv"
    path.write_bytes(data)
    items = rows(path)
    assert values(items) == [(2, {"id": "1", "text": "хорошо"}), (5, {"id": "4", "text": "ok"}),
                             (7, {"id": "6", "text": "да"})]
    assert where(r for r in items if not isinstance(r, Row)) == [
        ("c.csv", 3, "expected 2 fields, got 3"),
        ("c.csv", 4, "expected 2 fields, got 1"),
        ("c.csv", 6, "cannot decode line (utf-8)"),
    ]


def test_binary_and_missing_column_and_empty_file(tmp_path):
    junk = tmp_path / "junk.csv"
    junk.write_bytes(b"PK\x03\x04\x00\x00binary")
    no_text = write(tmp_path / "no_text.csv", "id,comment\n1,x\n")
    empty = write(tmp_path / "empty.csv", "")
    assert where(rows(junk)) == [("junk.csv", None, "binary file, not text")]
    assert where(rows(no_text)) == [("no_text.csv", 1, "no text column (expected one of: text, текст)")]
    assert rows(empty) == []


def test_required_alternatives_and_user_columns(tmp_path):
    path = write(tmp_path / "d.csv", "Номер;Текст обращения;Когда\n7;Спасибо;2024-04-01\n")
    assert where(rows(path, required=("id|date",))) == [
        ("d.csv", 1, "no id or date column (expected one of: id, №, date, дата)"),
    ]
    items = rows(path, columns={"text": "текст обращения", "date": "Когда", "id": "Номер"})
    assert values(items) == [(2, {"id": "7", "text": "Спасибо", "date": "2024-04-01"})]


def test_check_columns_names_unknown_fields():
    assert check_columns({"text": "Текст"}, FIELDS) == {"text": "Текст"}
    with pytest.raises(ValueError, match=r"^unknown field\(s\) body in columns; known: id, text, date$"):
        check_columns({"body": "Текст"}, FIELDS)


def test_xlsx_rows_keep_typed_cells_and_row_numbers(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Текст", "Дата", "№"])
    sheet.append(["первый", datetime(2024, 4, 1, 9, 30), 12])
    sheet.append([None, None, None])
    sheet.append(["  третий  ", None, 13.0])
    book.save(tmp_path / "e.xlsx")
    items = rows(tmp_path / "e.xlsx")
    assert values(items) == [
        (2, {"text": "первый", "date": datetime(2024, 4, 1, 9, 30), "id": 12}),
        (4, {"text": "третий", "id": 13.0}),
    ]
    assert items[1].text("id") == "13"


def test_broken_and_old_excel_files(tmp_path):
    broken = write(tmp_path / "broken.xlsx", "not a zip")
    old = write(tmp_path / "old.xls", "x")
    assert where(rows(broken) + rows(old)) == [
        ("broken.xlsx", None, "not a readable XLSX file (BadZipFile)"),
        ("old.xls", None, "old .xls format is not supported; save as .xlsx or CSV"),
    ]


def test_json_arrays_and_jsonl(tmp_path):
    array = write(tmp_path / "f.json", '{"items": [{"text": "a", "meta": {"id": 1}}, 5, {"Текст": "б"}]}')
    items = rows(array, columns={"id": "meta.id"})
    assert [(r.item, r.values) for r in items if isinstance(r, Row)] == [(1, {"text": "a", "id": 1}), (3, {"text": "б"})]
    assert where(r for r in items if not isinstance(r, Row)) == [("f.json", None, "item 2: not a JSON object")]
    assert items[2].key == "f.json#3"
    lines = write(tmp_path / "g.jsonl", '{"text": "a"}\n\n[1]\n{"text": "b"\n')
    items = rows(lines)
    assert values(items) == [(1, {"text": "a"})]
    assert where(r for r in items if not isinstance(r, Row)) == [
        ("g.jsonl", 3, "not a JSON object"),
        ("g.jsonl", 4, "malformed JSON: Expecting ',' delimiter (column 13)"),
    ]


@pytest.mark.parametrize(
    "line, expected",
    [
        ("a;b;c", ";"), ("a,b,c", ","), ("a\tb\tc", "\t"), ("a|b", "|"), ("single", ","),
        ('"Дата, время";Текст', ";"),
    ],
)
def test_sniff_delimiter(line, expected):
    assert sniff_delimiter(line) == expected


def test_flatten_nested_objects():
    assert flatten({"a": {"b": {"c": 1}}, "d": [1]}) == {"a.b.c": 1, "d": [1]}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("text=Текст;date=Дата", {"text": "Текст", "date": "Дата"}),
        ("text = Текст обращения, id=№", {"text": "Текст обращения", "id": "№"}),
        ('{"text": "Текст"}', {"text": "Текст"}),
    ],
)
def test_columns_from_the_command_line(text, expected):
    assert check_columns(text, FIELDS) == expected


def test_columns_string_errors():
    with pytest.raises(ValueError, match="^columns: expected FIELD=HEADER pairs, got 'Текст'$"):
        check_columns("Текст", FIELDS)


@pytest.mark.parametrize("member", ["docProps/core.xml", "xl/worksheets/sheet1.xml"])
def test_xlsx_with_a_damaged_deflate_stream_is_a_reject(tmp_path, member):
    """The zip directory is intact but one member's compressed bytes are not (found by the fuzzer):
    zlib fails at opening or while rows are read — a reject naming the file, never a crash."""
    import zipfile

    book = openpyxl.Workbook()
    book.active.append(["Текст"])
    for k in range(200):
        book.active.append([f"строка {k} " * 5])
    book.save(tmp_path / "ok.xlsx")
    raw = bytearray((tmp_path / "ok.xlsx").read_bytes())
    with zipfile.ZipFile(tmp_path / "ok.xlsx") as archive:
        info = archive.getinfo(member)
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    raw[start + 2:start + info.compress_size - 2] = b"\xff" * (info.compress_size - 4)
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(bytes(raw))
    rejects = [r for r in rows(damaged) if not isinstance(r, Row)]
    assert rejects and all(r.file == str(damaged) and "XLSX" in r.reason for r in rejects)
