"""Reading an upload: a CSV or XLSX file into rows, the header row into columns, each cell into text."""

import csv
import datetime
import io
import itertools
import math
import re
import zipfile

import openpyxl

from django.utils.translation import gettext as _

from catalogue.text import fold

from .columns import COLUMNS, DECISION_COLUMNS, NUMERIC_OK, label
from .errors import FileError, RowError

# What one upload may make the server read. An annex or a revocation list is a table of a few
# columns and at most MAX_ROWS rows; anything far beyond is a mistake or an attack, refused with
# a reason before it costs memory (tests/marketplace/test_imports_memory.py measures it).
MAX_ROWS = 20000
# Rows of title and section headings above and between the table's rows.
SLACK_ROWS = 50
MAX_COLUMNS = 60
# Characters in one line of a CSV: MAX_COLUMNS cells of MAX_CELL characters with their quotes.
MAX_LINE = 20000
# An XLSX is a zip: openpyxl inflates its parts as it reads, so their declared sizes are checked first
# (zipfile never inflates a part beyond its declared size). A 20,000-row annex unpacks to about 15 MB.
MAX_UNPACKED = 32 * 1024 * 1024
# Spreadsheet XML compresses some 5 to 20 times; a large part compressing far better is padding.
MAX_RATIO = 200
MAX_PARTS = 1000
# A sheet's rows may skip numbers (an empty row is not written); past Excel's last row nothing is a sheet.
EXCEL_ROWS = 1_048_576
MAX_CELL = 255
# Spreadsheet formula neutralisation written by our downloads, undone on the way back in.
NEUTRALISED = re.compile(r"^'(?=[=+\-@])")


def read_rows(content, filename):
    """The cells of a CSV (UTF-8, comma or semicolon) or XLSX upload, row by row, as read.

    Empty cells at the end of a row and empty rows below the table are left out. FileError when
    the file is not a table of at most MAX_COLUMNS columns and MAX_ROWS rows (plus a few heading rows).
    """
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        return _xlsx_rows(content)
    if extension == "csv":
        return _csv_rows(content)
    raise FileError(_("Upload a .csv or .xlsx file."))


def _too_many_rows():
    return FileError(_("The file has more than {n} rows; split it into several imports.").format(n=MAX_ROWS))


class _Table:
    """Rows as they are read, kept within the caps."""

    def __init__(self):
        self.rows = []
        self.empty = 0  # empty rows read since the last row with a value, kept only if one follows

    def add(self, number, values):
        if values:  # a row missing from the sheet comes as (), a million of them from a row numbered so
            values = list(values)
            while values and values[-1] in (None, ""):
                values.pop()
        if not values:
            self.empty += 1
            if number > EXCEL_ROWS:
                raise _too_many_rows()
            return
        if number > MAX_ROWS + SLACK_ROWS:
            raise _too_many_rows()
        if len(values) > MAX_COLUMNS:
            raise FileError(
                _("Row {row} has cells beyond column {n}; the table must fit in the first {n} columns.").format(
                    row=number, n=MAX_COLUMNS
                )
            )
        self.rows.extend([] for _ in range(self.empty))
        self.empty = 0
        self.rows.append(values)


def _check_archive(content):
    """FileError unless the zip's parts unpack to a size a spreadsheet of our caps could have."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise FileError(_("The file could not be read as XLSX: {error}").format(error=exc)) from exc
    if len(parts) > MAX_PARTS:
        raise FileError(
            _("The XLSX file holds more than {n} parts; save it again as a plain workbook.").format(n=MAX_PARTS)
        )
    if sum(part.file_size for part in parts) > MAX_UNPACKED:
        raise FileError(
            _(
                "The XLSX file unpacks to more than {n} MB; an annex of {rows} rows is far smaller. Remove "
                "pictures and other sheets, or save it as CSV."
            ).format(n=MAX_UNPACKED // (1024 * 1024), rows=MAX_ROWS)
        )
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            raise FileError(
                _("The part {part} of the XLSX file is compressed {n} times smaller than a spreadsheet can be.").format(
                    part=part.filename[:80], n=part.file_size // max(part.compress_size, 1)
                )
            )


def _xlsx_rows(content):
    _check_archive(content)
    table = _Table()
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            sheet = book.active
            # The declared <dimension> is the writing program's claim, and openpyxl pads every row
            # to its width (XFD: 16,384 cells a row); the cells themselves say how wide a row is.
            sheet.reset_dimensions()
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                table.add(number, values)
        finally:
            book.close()
    except FileError:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl and zipfile raise many kinds for unreadable files
        raise FileError(_("The file could not be read as XLSX: {error}").format(error=exc)) from exc
    return table.rows


def _csv_lines(text):
    """The lines of the text, one at a time; FileError at the first too long to be a table's row."""
    for number, line in enumerate(io.StringIO(text, newline=""), start=1):
        if len(line) > MAX_LINE:
            raise FileError(
                _("Line {line} of the file is longer than {n} characters; is it a CSV table?").format(
                    line=number, n=MAX_LINE
                )
            )
        yield line


def _csv_rows(content):
    try:
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
    except UnicodeDecodeError as exc:
        raise FileError(_("The CSV file is not UTF-8; save it as “CSV UTF-8” and upload it again.")) from exc
    head = "".join(itertools.islice(_csv_lines(text), 30))
    delimiter = ";" if head.count(";") > head.count(",") else ","
    table = _Table()
    try:
        for number, values in enumerate(csv.reader(_csv_lines(text), delimiter=delimiter), start=1):
            table.add(number, values)
    except csv.Error as exc:
        raise FileError(_("The file could not be read as CSV: {error}").format(error=exc)) from exc
    return table.rows


def match_headers(headers):
    """{our column: index in the row} for a row read as column names."""
    folded = [fold(h) if isinstance(h, str) else "" for h in headers]
    found = {}
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in folded and folded.index(alias) not in found.values():
                found[column] = folded.index(alias)
                break
    return found


def find_header(rows):
    """(index of the header row, its columns): the first of the top rows naming the product column."""
    for index, row in enumerate(rows[:30]):
        found = match_headers(row)
        if "product_name" in found and len(found) >= 2:
            return index, found
    raise FileError(
        _(
            "No row of the file names the columns (product name, producer, stars …); the first rows "
            "should hold the table's heading (see marketplace/records/examples/annex-sample.xlsx)."
        )
    )


def check_columns(columns, decision, star_headings):
    required = ["product_name"]
    if not star_headings:
        required.append("stars")
    if not decision:
        required += DECISION_COLUMNS
    missing = [label(c) for c in required if c not in columns]
    if missing:
        raise FileError(
            _(
                "These columns are missing: {columns}. The first row of the table must name the columns "
                "(see marketplace/records/examples/decisions-sample.csv), or enter the decision above the file."
            ).format(columns=", ".join(missing))
        )


def cell_text(value, column, numeric=None):
    """A cell as text; RowError when it holds what its column cannot (a date as a name, a NUL byte …)."""
    numeric = column in NUMERIC_OK if numeric is None else numeric
    if value is None:
        return ""
    if isinstance(value, bool):
        raise RowError(_("The {column} cell holds a true/false value, not text.").format(column=label(column)))
    if isinstance(value, datetime.datetime | datetime.date):
        if column == "signed_on":
            return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
        raise RowError(_("The {column} cell holds a date, not text.").format(column=label(column)))
    if isinstance(value, datetime.time | datetime.timedelta):  # openpyxl's reading of a time or duration cell
        raise RowError(_("The {column} cell holds a time, not text.").format(column=label(column)))
    if isinstance(value, int | float):
        if not numeric:
            raise RowError(_("The {column} cell holds a number, not text.").format(column=label(column)))
        if isinstance(value, float) and not math.isfinite(value):
            raise RowError(_("The {column} cell is not a number we can read.").format(column=label(column)))
        if isinstance(value, float) and value.is_integer() and column != "sub_group":
            value = int(value)
        try:
            text = str(value)
        except ValueError as exc:  # Python refuses to print integers of thousands of digits
            raise RowError(_("The number in the {column} cell is far too long.").format(column=label(column))) from exc
    else:
        text = str(value)
    if "\x00" in text:
        raise RowError(_("The {column} cell contains a NUL character; retype it.").format(column=label(column)))
    text = NEUTRALISED.sub("", re.sub(r"\s+", " ", text).strip())
    # Curly quotes and stray spacing come from word processors; the name as written keeps them.
    if len(text) > MAX_CELL:
        raise RowError(_("The {column} cell holds more than {n} characters.").format(column=label(column), n=MAX_CELL))
    return text


def stored_text(value):
    """A cell as kept in a held row: always JSON-safe text, whatever the cell held."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime | datetime.date):
        return (value.date() if isinstance(value, datetime.datetime) else value).isoformat()
    try:
        text = str(value)
    except ValueError:
        return "…"
    # PostgreSQL refuses NUL in text and JSON; the reason column says the cell had one.
    return text.replace("\x00", "")[:1000]
