"""Reading an upload: a CSV or XLSX file into rows, the header row into columns, each cell into text."""

import csv
import datetime
import io
import math
import re

import openpyxl

from django.utils.translation import gettext as _

from catalogue.text import fold

from .columns import COLUMNS, DECISION_COLUMNS, NUMERIC_OK, label
from .errors import FileError, RowError

MAX_ROWS = 20000
MAX_CELL = 255
# Spreadsheet formula neutralisation written by our downloads, undone on the way back in.
NEUTRALISED = re.compile(r"^'(?=[=+\-@])")


def read_rows(content, filename):
    """The cells of a CSV (UTF-8, comma or semicolon) or XLSX upload, row by row, as read."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension == "xlsx":
        try:
            book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            sheet = book.active
            rows = []
            for values in sheet.iter_rows(values_only=True):
                rows.append(list(values))
                if len(rows) > MAX_ROWS + 50:
                    break
            book.close()
        except Exception as exc:  # noqa: BLE001 - openpyxl and zipfile raise many kinds for unreadable files
            raise FileError(_("The file could not be read as XLSX: {error}").format(error=exc)) from exc
    elif extension == "csv":
        try:
            text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        except UnicodeDecodeError as exc:
            raise FileError(_("The CSV file is not UTF-8; save it as “CSV UTF-8” and upload it again.")) from exc
        head = "\n".join(text.splitlines()[:30])
        delimiter = ";" if head.count(";") > head.count(",") else ","
        try:
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
        except csv.Error as exc:
            raise FileError(_("The file could not be read as CSV: {error}").format(error=exc)) from exc
    else:
        raise FileError(_("Upload a .csv or .xlsx file."))
    if len(rows) > MAX_ROWS + 50:
        raise FileError(_("The file has more than {n} rows; split it into several imports.").format(n=MAX_ROWS))
    return rows


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
