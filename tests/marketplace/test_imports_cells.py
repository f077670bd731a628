"""Cells of every kind openpyxl or a CSV can hand the importer: text, a row error, never a crash."""

import datetime
import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from catalogue.models import Certification
from marketplace.records.annexes.cells import cell_text
from marketplace.records.annexes.columns import LABELS
from marketplace.records.annexes.errors import FileError, RowError
from marketplace.records.annexes.importer import import_decisions
from marketplace.records.annexes.values import parse_score, parse_stars
from tests.marketplace.test_imports_annex import DONG_THAP, annex, by_line, xlsx

CELLS = st.one_of(
    st.none(),
    st.text(max_size=300),
    st.integers(),
    st.integers(min_value=4000, max_value=5000).map(lambda n: 10**n),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.timedeltas(),
)


@given(CELLS, st.sampled_from(sorted(LABELS)))
def test_any_cell_in_any_column_is_text_or_a_row_error(value, column):
    try:
        text = cell_text(value, column)
    except RowError as error:
        assert str(error)
    else:
        assert isinstance(text, str) and "\x00" not in text and len(text) <= 255


@given(st.text(max_size=40))
def test_stars_and_scores_are_read_from_ascii_digits_or_refused(text):
    for parse, allowed in ((parse_stars, {3, 4, 5}), (parse_score, None)):
        try:
            value = parse(text)
        except RowError:
            continue
        assert value in allowed if allowed else (value is None or 0 <= value <= 100)


@pytest.mark.django_db
def test_digits_of_other_scripts_and_float_spellings_are_row_errors(roles, agency):
    header = "STT,Tên sản phẩm,Tên chủ thể,Địa chỉ,Phân nhóm,Hạng sao,Điểm\n"
    content = annex(
        "1,Gạo một,HTX Một,,1.2.a,٣,",
        "2,Gạo hai,HTX Hai,,1.2.a,３,",
        "3,Gạo ba,HTX Ba,,1.2.a,4,1e2",
        "4,Gạo bốn,HTX Bốn,,1.2.a,4,8_5",
        "5,Gạo năm,HTX Năm,,1.2.a,4,nan",
        "6,Gạo sáu,HTX Sáu,,1.2.a,4,٨٥",
        '7,Gạo bảy,HTX Bảy,,1.2.a,4,"85,5"',
        header=header,
    )
    rows = by_line(import_decisions(content, "digits.csv", agency, dry_run=False, decision=DONG_THAP))
    assert rows[2].errors == ["Stars “٣” should be a number from 3 to 5."]
    assert rows[3].errors == ["Stars “３” should be a number from 3 to 5."]
    for line, score in ((4, "1e2"), (5, "8_5"), (6, "nan"), (7, "٨٥")):
        assert rows[line].errors == [f"The score “{score}” is not a number from 0 to 100."], line
    assert rows[8].ok and Certification.objects.get().score == 85.5


@pytest.mark.django_db
def test_floats_times_and_huge_integers_in_xlsx_text_columns_are_row_errors(roles, agency):
    content = xlsx(
        [
            ["STT", "Tên sản phẩm", "Chủ thể", "Phân nhóm", "Hạng sao"],
            [1, 12.5, "HTX Một", "1.2.a", 4],
            [2, "Gạo hai", datetime.time(8, 30), "1.2.a", 4],
            [3, "Gạo ba", "HTX Ba", "1.2.a", 10**30],
            [4, "Gạo bốn", "HTX Bốn", "1.2.a", 4.0],
        ]
    )
    rows = by_line(import_decisions(content, "kinds.xlsx", agency, dry_run=False, decision=DONG_THAP))
    assert rows[2].errors == ["The product name cell holds a number, not text."]
    assert rows[3].errors == ["The producer cell holds a time, not text."]
    assert rows[4].errors[0].startswith("Stars “1000000000000000")  # XLSX keeps numbers as doubles
    assert rows[5].ok


@pytest.mark.django_db
def test_an_xlsx_number_thousands_of_digits_long_is_a_file_error(roles, agency):
    # openpyxl itself refuses to read such a number (Python's int() limit), so the file is named unreadable.
    book = openpyxl.Workbook()
    book.active.append(["STT", "Tên sản phẩm", "Chủ thể", "Phân nhóm", "Hạng sao"])
    book.active.append([1, "Gạo", "HTX Gạo", "1.2.a", 123456789])
    buffer = io.BytesIO()
    book.save(buffer)
    content = patch_sheet(buffer.getvalue(), "<v>123456789</v>", "<v>" + "9" * 5000 + "</v>")
    with pytest.raises(FileError, match="could not be read as XLSX"):
        import_decisions(content, "huge.xlsx", agency, decision=DONG_THAP)


def patch_sheet(content, old, new):
    import zipfile

    source, target = io.BytesIO(content), io.BytesIO()
    with zipfile.ZipFile(source) as inside, zipfile.ZipFile(target, "w") as outside:
        for item in inside.infolist():
            data = inside.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(old.encode(), new.encode())
            outside.writestr(item, data)
    return target.getvalue()
