"""Hostile spreadsheets cost the server a bounded amount of memory, or are refused with a clear reason.

An XLSX declares its own size (`<dimension ref="A1:XFD3000"/>`) and openpyxl used to pad every
row to it; a zip part can unpack to hundreds of megabytes from a few hundred kilobytes. Each file
here is read through the one reader annexes and revocation lists share (cells.read_rows), and
the memory it takes is measured with tracemalloc around the read only: tracemalloc counts what
Python allocates inside that block (openpyxl's rows, the XML parser's strings, expat's buffers,
which go through Python's allocator), so the figure does not depend on what earlier tests left
in the process, on the allocator keeping freed arenas, or on RSS, which never shrinks.
"""

import io
import re
import tracemalloc
import zipfile

import openpyxl
import pytest

from marketplace.records.annexes.cells import MAX_COLUMNS, MAX_ROWS, read_rows
from marketplace.records.annexes.errors import FileError
from marketplace.records.annexes.importer import import_decisions
from marketplace.records.revocations import lines_from_file, lines_from_text
from tests.marketplace.test_imports_annex import DONG_THAP

LIMIT = 50 * 1024 * 1024
HEADER = ["STT", "Tên sản phẩm", "Tên chủ thể", "Địa chỉ", "Phân nhóm", "Hạng sao"]
ROWS = [
    [1, "Gạo ST25", "HTX Gạo Tháp Mười", "Tháp Mười, Đồng Tháp", "1.2.a", 4],
    [2, "Sen sấy", "HTX Sen Đồng Tháp", "Cao Lãnh, Đồng Tháp", "1.2.a", 3],
]


def annex_xlsx(rows=(HEADER, *ROWS)):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rewrite(content, part, change):
    """The XLSX with one part's XML rewritten by change(bytes) -> bytes, or streamed by change(handle)."""
    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as inside, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as outside:
        for item in inside.infolist():
            data = inside.read(item.filename)
            if item.filename != part:
                outside.writestr(item, data)
                continue
            info = zipfile.ZipInfo(item.filename)
            info.compress_type = zipfile.ZIP_DEFLATED
            with outside.open(info, "w", force_zip64=True) as handle:
                change(data, handle)
    return target.getvalue()


def declared(dimension):
    """The two-row annex claiming the size given, with an empty formatted row at its last line (as the
    probe's file had): openpyxl padded every row up to there to the declared width."""
    last = re.search(r"[0-9]+$", dimension).group()

    def change(data, handle):
        start = data.index(b"<dimension ref=")
        end = data.index(b"/>", start) + 2
        data = data[:start] + f'<dimension ref="{dimension}"/>'.encode() + data[end:]
        handle.write(data.replace(b"</sheetData>", f'<row r="{last}" s="1" customFormat="1"/></sheetData>'.encode()))

    return rewrite(annex_xlsx(), "xl/worksheets/sheet1.xml", change)


def peak_of(read):
    """(what read() returned or raised, the peak bytes Python allocated while it ran)."""
    tracemalloc.start()
    try:
        try:
            result = read()
        except FileError as exc:
            result = exc
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("dimension", ["A1:XFD3000", "A1:F20000", "A1:XFD1048576"])
def test_a_declared_dimension_is_ignored(dimension):
    rows, peak = peak_of(lambda: read_rows(declared(dimension), "annex.xlsx"))
    assert peak < LIMIT
    assert rows == [HEADER, *ROWS]


@pytest.mark.django_db
def test_an_annex_declaring_a_huge_sheet_imports_its_two_rows(roles, agency):
    content = declared("A1:XFD20000")
    report, peak = peak_of(lambda: import_decisions(content, "annex.xlsx", agency, decision=DONG_THAP, dry_run=True))
    assert peak < LIMIT
    assert [row.ok for row in report.rows] == [True, True]


def bomb(data, handle):
    # One cell holding 200 MB of text: the part compresses to about 200 KB.
    head, tail = data.split(b"</sheetData>")
    handle.write(head + b'<row r="4"><c r="A4" t="inlineStr"><is><t>')
    chunk = b"A" * (1 << 20)
    for _ in range(200):
        handle.write(chunk)
    handle.write(b"</t></is></c></row></sheetData>" + tail)


def test_a_sheet_that_unpacks_to_hundreds_of_megabytes_is_refused_before_it_is_read():
    content = rewrite(annex_xlsx(), "xl/worksheets/sheet1.xml", bomb)
    assert len(content) < 1024 * 1024
    error, peak = peak_of(lambda: read_rows(content, "annex.xlsx"))
    assert peak < LIMIT
    assert isinstance(error, FileError) and "unpacks to more than" in str(error)


def test_a_part_that_compresses_far_better_than_a_spreadsheet_is_refused():
    def dense(data, handle):
        head, tail = data.split(b"</sheetData>")
        handle.write(head + b"<!--" + b" " * (20 << 20) + b"--></sheetData>" + tail)

    error, peak = peak_of(lambda: read_rows(rewrite(annex_xlsx(), "xl/worksheets/sheet1.xml", dense), "a.xlsx"))
    assert peak < LIMIT
    assert isinstance(error, FileError) and "compressed" in str(error)


def test_cells_beyond_the_last_column_read_are_a_file_error():
    wide = [*HEADER, *[None] * (MAX_COLUMNS - len(HEADER)), "tràn"]
    error, peak = peak_of(lambda: read_rows(annex_xlsx([HEADER, ROWS[0], wide]), "annex.xlsx"))
    assert isinstance(error, FileError) and f"column {MAX_COLUMNS}" in str(error) and "Row 3" in str(error)
    # Empty cells out there (formatting a whole row) are no reason to refuse.
    assert read_rows(annex_xlsx([HEADER, [*ROWS[0], *[None] * 200]]), "annex.xlsx") == [HEADER, ROWS[0]]


def test_rows_far_below_the_table_are_a_file_error_and_empty_rows_below_it_are_not():
    def far(data, handle):
        head, tail = data.split(b"</sheetData>")
        handle.write(head + b'<row r="30000"><c r="A30000" t="n"><v>7</v></c></row></sheetData>' + tail)

    error, peak = peak_of(lambda: read_rows(rewrite(annex_xlsx(), "xl/worksheets/sheet1.xml", far), "a.xlsx"))
    assert peak < LIMIT
    assert isinstance(error, FileError) and f"more than {MAX_ROWS} rows" in str(error)

    def empty(data, handle):
        head, tail = data.split(b"</sheetData>")
        handle.write(head + b'<row r="30000" s="1" customFormat="1"/></sheetData>' + tail)

    rows = read_rows(rewrite(annex_xlsx(), "xl/worksheets/sheet1.xml", empty), "a.xlsx")
    assert rows == [HEADER, *ROWS]


def test_a_csv_is_capped_by_line_length_columns_and_rows():
    header = ",".join(HEADER) + "\n"
    long_line = (header + "1," + "x" * 100_000 + "\n").encode()
    error, peak = peak_of(lambda: read_rows(long_line, "annex.csv"))
    assert isinstance(error, FileError) and "Line 2" in str(error)
    many_columns = (header + "1" + ",y" * MAX_COLUMNS + "\n").encode()
    error, _ = peak_of(lambda: read_rows(many_columns, "annex.csv"))
    assert isinstance(error, FileError) and f"column {MAX_COLUMNS}" in str(error)
    assert read_rows((header + "1,Gạo" + "," * 300 + "\n").encode(), "annex.csv")[1] == ["1", "Gạo"]
    many_rows = (header + "1,Gạo\n" * 1_000_000).encode()
    error, peak = peak_of(lambda: read_rows(many_rows, "annex.csv"))
    assert peak < LIMIT + len(many_rows) * 2  # the decoded text itself, then nothing per row beyond the cap
    assert isinstance(error, FileError) and f"more than {MAX_ROWS} rows" in str(error)


def test_revocation_lists_go_through_the_same_capped_reader():
    heading = ["Mã hồ sơ", "Số quyết định", "Tên sản phẩm"]
    wide = rewrite(
        annex_xlsx([heading, [12, "1/QĐ", "Gạo"]]),
        "xl/worksheets/sheet1.xml",
        lambda d, h: h.write(d.replace(b'<dimension ref="A1:C2"/>', b'<dimension ref="A1:XFD3000"/>')),
    )
    lines, peak = peak_of(lambda: lines_from_file(wide, "revoked.xlsx"))
    assert peak < LIMIT and [line.record_id for line in lines] == [12]
    error, _ = peak_of(lambda: lines_from_file(rewrite(annex_xlsx(), "xl/worksheets/sheet1.xml", bomb), "r.xlsx"))
    assert isinstance(error, FileError) and "unpacks to more than" in str(error)
    error, _ = peak_of(lambda: lines_from_text("12\n" * (MAX_ROWS + 100)))
    assert isinstance(error, FileError) and f"more than {MAX_ROWS}" in str(error)
