"""Downloads the agency opens in a spreadsheet program: CSV or XLSX, never a formula.

A cell starting with =, +, -, @ or a control character is a formula to Excel,
LibreOffice and Google Sheets; every cell written here gets a leading apostrophe instead.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from django.http import HttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The cell as text that no spreadsheet runs."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def as_csv(rows):
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 (Vietnamese names) only with the byte-order mark
    csv.writer(buffer).writerows([neutralise(cell) for cell in row] for row in rows)
    return buffer.getvalue().encode("utf-8")


def as_xlsx(rows, title):
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(title)[:31])
    for row in rows:
        # Every cell a string: openpyxl would store "=…" as a formula otherwise. XLSX cannot hold
        # control characters (a form or a CSV cell can): dropped first, so "\x01=…" is neutralised too.
        sheet.append([neutralise(ILLEGAL_CHARACTERS_RE.sub("", "" if cell is None else str(cell))) for cell in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(rows, filename, extension, title):
    """An attachment response: `filename`.csv or `filename`.xlsx holding `rows` (header first)."""
    if extension == "xlsx":
        response = HttpResponse(as_xlsx(rows, title), content_type=XLSX)
    else:
        extension = "csv"
        response = HttpResponse(as_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.{extension}"'
    return response
