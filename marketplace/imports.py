"""Import of recognition decisions as provinces publish them: a decision and its annex.

The agency enters the decision once (number, signing date, issuing body) and uploads the
annex (CSV or XLSX, one row per certified product). Per-row decision columns win where a
file has them, so tidy files with every column on every row keep working. Title rows,
blank rows, the STT column, column-number rows and merged section headings ("I. Sản phẩm
đạt 4 sao", whose stars the rows below inherit) are skipped.

Each row is read first (nothing written), then checked against the other rows, then
written in its own savepoint:
- what no column gives is derived where the rules allow (legal form from the producer's
  name, province from the issuing body or the address) and reported as derived;
- a row missing what the catalogue cannot do without (producer, product, sub-group,
  stars, decision) is *incomplete*; a row that is wrong (2★, an unknown province, a date
  before the programme, a conflict with another row) is an *error*. Neither blocks the
  other rows; both are kept as HeldRows (marketplace.decisions) with their reasons for
  the agency to complete and import later.
A good row becomes a Producer (matched by registration number, else by its name with the
legal-form prefix normalised, within its province; near matches are only proposed), a
draft ProductPage under /products/ and a Certification record with a revision and a log
entry. Search re-indexing is collected and enqueued once per import, after commit; the
admin search index, the reference index and /products/'s child count are updated once, at
the end of the import's transaction (marketplace.indexing, .references, .pagetree).
"""

import contextlib
import csv
import datetime
import difflib
import io
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import openpyxl

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from wagtail.log_actions import log
from wagtail.signal_handlers import disable_reference_index_auto_update

from catalogue.lookups import reference
from catalogue.models import Certification, Producer, ProductIndexPage, ProductPage, Province
from catalogue.models.certifications import MERGER_DAY
from catalogue.text import fold, slugify
from search.signals import batched

from . import references
from .decisions import DecisionBatch, HeldRow
from .indexing import deferred as deferred_search_index
from .pagetree import Children

# Header aliases, folded (catalogue.text.fold): English, and the Vietnamese provinces use.
COLUMNS = {
    "producer": [
        "producer",
        "producer name",
        "chu the",
        "ten chu the",
        "ten chu the san xuat",
        "chu the san xuat",
        "ten chu the san xuat kinh doanh",
        "chu the san xuat kinh doanh",
        "don vi",
        "ten don vi",
    ],
    "legal_form": ["legal form", "loai hinh", "loai hinh chu the", "hinh thuc", "loai hinh to chuc"],
    "address": ["address", "dia chi", "dia chi chu the"],
    "province": ["province", "tinh", "tinh thanh pho", "tinh thanh"],
    "product_name": ["product name", "product", "ten san pham", "san pham", "ten san pham ocop"],
    "sub_group": [
        "sub group",
        "subgroup",
        "category",
        "phan nhom",
        "nhom san pham",
        "bo san pham",
        "nhom",
        "phan nhom san pham",
    ],
    "stars": ["stars", "star", "hang sao", "so sao", "xep hang", "ket qua xep hang", "hang", "xep hang sao"],
    "decision_number": ["decision number", "decision", "so quyet dinh"],
    "issuing_body": ["issuing body", "issued by", "co quan ban hanh", "co quan cong nhan"],
    "signed_on": ["signing date", "signed on", "date signed", "ngay ky", "ngay ky quyet dinh"],
    # Optional columns.
    "recognition_level": ["recognition level", "level", "cap cong nhan"],
    "recognition_type": ["recognition type", "hinh thuc cong nhan"],
    "score": ["score", "diem", "diem danh gia", "so diem"],
    "registration_number": [
        "registration number",
        "ma so doanh nghiep",
        "ma so thue",
        "ma so dang ky",
        "so dang ky kinh doanh",
    ],
}
# Marked for translation here, translated where shown (label()).
LABELS = {
    "producer": gettext_noop("producer"),
    "legal_form": gettext_noop("legal form"),
    "address": gettext_noop("address"),
    "province": gettext_noop("province"),
    "product_name": gettext_noop("product name"),
    "sub_group": gettext_noop("sub-group"),
    "stars": gettext_noop("stars"),
    "decision_number": gettext_noop("decision number"),
    "issuing_body": gettext_noop("issuing body"),
    "signed_on": gettext_noop("signing date"),
    "recognition_level": gettext_noop("recognition level"),
    "recognition_type": gettext_noop("recognition type"),
    "score": gettext_noop("score"),
    "registration_number": gettext_noop("registration number"),
}
# Columns a file must have when the agency did not enter the decision itself.
DECISION_COLUMNS = ["decision_number", "issuing_body", "signed_on"]
# Columns whose cells may be numbers in a spreadsheet; everything else must be text.
NUMERIC_OK = {"stars", "score", "sub_group", "registration_number"}
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# Decision 490/QĐ-TTg started the programme: nothing can be certified before it.
PROGRAMME_START = datetime.date(2018, 5, 7)
MAX_CELL = 255
SCORE = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{1,6})?")
# The importer sets a record's relations from objects it holds and checks the stars itself;
# validating those again would cost a query each per row (the database constraints still hold).
RECORD_CLEAN = {"exclude": ["product", "producer", "legacy_province", "document"], "validate_constraints": False}
RECORD_RELATIONS = {"producer", "legacy_province"}
MAX_ROWS = 20000
# On folded text: "TP. Hồ Chí Minh" folds to "tp ho chi minh".
PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp) ")
BODY_PROVINCE = re.compile(r"^(?:uy ban nhan dan|ubnd|hoi dong ocop|hd ocop)? ?(?:tinh|thanh pho|tp) (.+)$")
STAR_HEADING = re.compile(r"\b([1-5]) ?(?:sao|star|stars)\b")
# "(1)", "2", "(3)": the column-number row under a Vietnamese table heading.
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
SECTION_HEADING = re.compile(r"^([ivx]+|[a-z]|\d{1,2})( |$)|\bsao\b|\bnhom\b|\bsan pham\b")
# Spreadsheet formula neutralisation written by our downloads, undone on the way back in.
NEUTRALISED = re.compile(r"^'(?=[=+\-@])")

# Legal-form prefixes of producer names, folded, longest first, with the form they say.
NAME_PREFIXES = [
    ("cong ty trach nhiem huu han", "tnhh", Producer.LegalForm.ENTERPRISE),
    ("cong ty co phan", "ctcp", Producer.LegalForm.ENTERPRISE),
    ("doanh nghiep tu nhan", "dntn", Producer.LegalForm.ENTERPRISE),
    ("cong ty tnhh", "tnhh", Producer.LegalForm.ENTERPRISE),
    ("cong ty cp", "ctcp", Producer.LegalForm.ENTERPRISE),
    ("cty tnhh", "tnhh", Producer.LegalForm.ENTERPRISE),
    ("cty cp", "ctcp", Producer.LegalForm.ENTERPRISE),
    ("ctcp", "ctcp", Producer.LegalForm.ENTERPRISE),
    ("tnhh", "tnhh", Producer.LegalForm.ENTERPRISE),
    ("dntn", "dntn", Producer.LegalForm.ENTERPRISE),
    ("doanh nghiep", "dn", Producer.LegalForm.ENTERPRISE),
    ("cong ty", "cty", Producer.LegalForm.ENTERPRISE),
    ("cty", "cty", Producer.LegalForm.ENTERPRISE),
    ("to hop tac", "tht", Producer.LegalForm.COOPERATIVE_GROUP),
    ("hop tac xa", "htx", Producer.LegalForm.COOPERATIVE),
    ("htx", "htx", Producer.LegalForm.COOPERATIVE),
    ("ho kinh doanh", "hkd", Producer.LegalForm.HOUSEHOLD),
    ("hkd", "hkd", Producer.LegalForm.HOUSEHOLD),
    ("ho san xuat", "hsx", Producer.LegalForm.HOUSEHOLD),
]


class RowError(Exception):
    """A problem with one row, in words the person who typed the file understands."""


class FileError(Exception):
    """The file as a whole cannot be read."""


def label(column):
    return _(LABELS.get(column, column))


def split_name(name):
    """(canonical legal-form prefix or "", legal form or None, the rest) of a folded producer name."""
    folded = fold(name)
    for prefix, canonical, form in NAME_PREFIXES:
        if folded == prefix or folded.startswith(prefix + " "):
            return canonical, form, folded[len(prefix) :].strip()
    return "", None, folded


def producer_key(name):
    """A producer's name as compared: folded, the legal-form prefix written one way.

    "Công ty cổ phần Thương mại Khải Hoàn", "CTCP thương mại Khải Hoàn" and
    "Công ty CP Thương mại Khải Hoàn" all give "ctcp thuong mai khai hoan".
    """
    prefix, _form, rest = split_name(name)
    return f"{prefix} {rest}".strip()


def legal_form_from_name(name):
    return split_name(name)[1]


@dataclass
class Decision:
    """The decision as the agency entered it, for the rows that do not carry their own."""

    number: str = ""
    signed_on: datetime.date | None = None
    issuing_body: str = ""

    def __bool__(self):
        return bool(self.number or self.signed_on or self.issuing_body)


@dataclass
class RowResult:
    line: int
    values: dict = field(default_factory=dict)  # {column: text} as read, for a held row
    product_name: str = ""
    producer_name: str = ""
    decision_number: str = ""
    errors: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # what an incomplete row lacks, in words
    derived: dict = field(default_factory=dict)  # {label: "value (from …)"}
    proposals: list = field(default_factory=list)  # [(producer id, name)] near matches to confirm
    matched_by: str = ""
    producer: str = ""  # created / updated / unchanged
    product: str = ""
    record: str = ""
    province_note: str = ""
    parsed: dict = field(default_factory=dict, repr=False)
    certification_id: int | None = None

    @property
    def ok(self):
        return not self.errors and not self.missing

    @property
    def state(self):
        if self.errors:
            return "error"
        if self.missing:
            return "incomplete"
        return "imported"

    @property
    def reasons(self):
        reasons = list(self.errors)
        if self.missing:
            reasons.insert(0, _("Missing: {what}.").format(what=", ".join(self.missing)))
        return reasons

    @property
    def changed(self):
        return "created" in (self.producer, self.product, self.record) or "updated" in (self.producer, self.record)


@dataclass
class ImportReport:
    rows: list
    dry_run: bool
    committed: bool = False
    batch: DecisionBatch | None = None
    reindexed: list = field(default_factory=list)

    @property
    def errors(self):
        return [r for r in self.rows if r.errors]

    @property
    def incomplete(self):
        return [r for r in self.rows if r.missing and not r.errors]

    @property
    def not_imported(self):
        return [r for r in self.rows if not r.ok]

    @property
    def derived_rows(self):
        return [r for r in self.rows if r.derived]

    def count(self, kind, outcome):
        return sum(1 for r in self.rows if r.ok and getattr(r, kind) == outcome)

    @property
    def summary(self):
        parts = []
        for kind, text in (
            ("producer", _("producers")),
            ("product", _("draft products")),
            ("record", _("records")),
        ):
            created, updated = self.count(kind, "created"), self.count(kind, "updated")
            part = _("{n} {what} created").format(n=created, what=text)
            if updated:
                part += _(", {n} updated").format(n=updated)
            parts.append(part)
        unchanged = sum(1 for r in self.rows if r.ok and not r.changed)
        return _(
            "{rows} rows: {parts}; {unchanged} rows unchanged; {held} held as incomplete; {errors} errors."
        ).format(
            rows=len(self.rows),
            parts="; ".join(parts),
            unchanged=unchanged,
            held=len(self.incomplete),
            errors=len(self.errors),
        )


# Reading files -----------------------------------------------------------------------


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
            "should hold the table's heading (see marketplace/samples/annex-sample.xlsx)."
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
                "(see marketplace/samples/decisions-sample.csv), or enter the decision above the file."
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


# Parsing one value ---------------------------------------------------------------------


def parse_date(text):
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(
        _("The signing date “{text}” is not a date; write it as dd/mm/yyyy (e.g. 05/03/2024) or 2024-03-05.").format(
            text=text
        )
    )


def check_signing_date(signed_on):
    if signed_on < PROGRAMME_START:
        raise RowError(
            _(
                "The signing date {date:%d/%m/%Y} is before the OCOP programme began (Decision 490/QĐ-TTg, 7 May 2018)."
            ).format(date=signed_on)
        )
    if signed_on > timezone.localdate():
        raise RowError(_("The signing date {date:%d/%m/%Y} is in the future.").format(date=signed_on))


def parse_stars(text):
    # [0-9], not \d: "٣" or "３" in a stars cell is a typing slip to show, not a 3.
    match = re.match(r"^\s*([0-9]{1,3})(\.0+)?\s*(sao|★|stars?)?\s*$", text.lower())
    if not match:
        raise RowError(_("Stars “{text}” should be a number from 3 to 5.").format(text=text[:40]))
    stars = int(match.group(1))
    if not 3 <= stars <= 5:
        raise RowError(
            _("{stars}★ is not an OCOP certificate; only 3★, 4★ and 5★ results are certified.").format(stars=stars)
        )
    return stars


def parse_legal_form(value):
    text = fold(value)
    if text in Producer.LegalForm.values:
        return text
    rules = [
        (("to hop tac", "cooperative group"), Producer.LegalForm.COOPERATIVE_GROUP),
        (("hop tac xa", "htx", "cooperative"), Producer.LegalForm.COOPERATIVE),
        (("ho kinh doanh", "ho san xuat", "household", "co so"), Producer.LegalForm.HOUSEHOLD),
        (("doanh nghiep", "cong ty", "enterprise", "company", "dntn"), Producer.LegalForm.ENTERPRISE),
    ]
    for needles, form in rules:
        if any(text.startswith(n) or f" {n}" in f" {text}" for n in needles):
            return form
    raise RowError(
        _(
            "The legal form “{value}” is not one we know; write Doanh nghiệp, Hợp tác xã, Tổ hợp tác or Hộ kinh doanh."
        ).format(value=value)
    )


def parse_level(text, stars, issuing_body):
    folded = fold(text)
    if folded:
        for needles, level in (
            (("national", "quoc gia", "trung uong", "bo "), Certification.Level.NATIONAL),
            (("provincial", "tinh"), Certification.Level.PROVINCIAL),
            (("district", "huyen"), Certification.Level.DISTRICT),
        ):
            if any(n in folded for n in needles):
                return level
        raise RowError(
            _("The recognition level “{value}” should be district, provincial or national.").format(value=text)
        )
    body = fold(issuing_body)
    if stars == 5 or "bo nong nghiep" in body:
        return Certification.Level.NATIONAL
    if any(n in body for n in ("huyen", "thi xa", "quan ")):
        return Certification.Level.DISTRICT
    return Certification.Level.PROVINCIAL


def parse_recognition_type(text):
    folded = fold(text)
    if not folded:
        return Certification.RecognitionType.FIRST
    if "lai" in folded or folded.startswith("re"):
        return Certification.RecognitionType.RE_RECOGNITION
    if "nang" in folded or "upgrade" in folded:
        return Certification.RecognitionType.UPGRADE
    return Certification.RecognitionType.FIRST


def parse_score(text):
    if not text:
        return None
    # float() would also take "1e2", "1_0", "nan" and other scripts' digits.
    score = round(float(text.replace(",", ".")), 2) if SCORE.fullmatch(text) else None
    if score is None or not 0 <= score <= 100:
        raise RowError(_("The score “{text}” is not a number from 0 to 100.").format(text=text[:40]))
    return score


def unique_slug(base, taken, suffix=""):
    slug = (base or "item")[:200]
    if suffix and slug in taken:
        slug = f"{slug}-{suffix}"[:240]
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


# Matching ---------------------------------------------------------------------------


class Lookups:
    """What one file's rows are matched against: reference data, /products/ and the producers."""

    def __init__(self):
        self.reference = reference()
        self.index = ProductIndexPage.objects.first()

    def category(self, value):
        found = self.reference.category_by_name(value)
        if found is None:
            raise RowError(
                _(
                    "The sub-group “{value}” is not an OCOP sub-group; write its code (e.g. 1.4.a), "
                    "its slug or its Vietnamese name."
                ).format(value=value)
            )
        return found

    def province_eras(self, value):
        return self.reference.province_by_name(PROVINCE_PREFIX.sub("", fold(value)))

    def province(self, value, signed_on):
        """(current province, legacy province or None) for a province as written on a decision."""
        eras = self.province_eras(value)
        if not eras:
            raise RowError(
                _("The province “{value}” is not a Vietnamese province (before or after July 2025).").format(
                    value=value
                )
            )
        current, legacy = eras.get(Province.Era.CURRENT), eras.get(Province.Era.LEGACY)
        if signed_on < MERGER_DAY and legacy is not None:
            return legacy.successor, legacy
        if current is not None:
            return current, None
        raise RowError(
            _(
                "“{value}” became part of {successor} on 1 July 2025; a decision signed on {date:%d/%m/%Y} "
                "names the current province."
            ).format(value=value, successor=legacy.successor.name, date=signed_on)
        )

    def province_from_body(self, issuing_body):
        """The province named by "UBND tỉnh Quảng Nam", "UBND TP Hà Nội"; "" for a ministry or a district."""
        match = BODY_PROVINCE.match(fold(issuing_body))
        if match and self.province_eras(match.group(1)):
            return match.group(1)
        return ""

    def province_from_address(self, address):
        """The province an address ends with ("…, huyện Lục Ngạn, tỉnh Bắc Giang"), or ""."""
        parts = [p.strip() for p in address.split(",") if p.strip()]
        if len(parts) >= 2:
            last = fold(parts[-1])
            if PROVINCE_PREFIX.match(last) and self.province_eras(last):
                return parts[-1]
        return ""


class ProducerIndex:
    """Producers by registration number and by name key within a province, plus near matches."""

    def __init__(self):
        self.by_key = {}
        self.by_registration = {}
        self.names = {}
        self.tokens = defaultdict(lambda: defaultdict(set))  # province -> token -> producer ids
        self.slugs = set()  # every producer's slug (unique site-wide), to make new ones unique without a query
        for pk, name, province_id, registration, slug in Producer.objects.values_list(
            "pk", "name", "province", "registration_number", "slug"
        ):
            self.add(pk, name, province_id, registration, searchable=True)
            self.slugs.add(slug)
        self.frequency = {
            province: Counter({t: len(ids) for t, ids in tokens.items()}) for province, tokens in self.tokens.items()
        }

    def add(self, pk, name, province_id, registration, searchable=False):
        key = producer_key(name)
        if searchable:
            self.by_key.setdefault((province_id, key), pk)
        else:  # created by this import: replaces an id a rolled-back row may have left
            self.by_key[(province_id, key)] = pk
        if registration:
            self.by_registration.setdefault(fold(registration), pk)
        self.names[pk] = (name, key, province_id)
        if searchable:
            for token in set(split_name(name)[2].split()):
                self.tokens[province_id][token].add(pk)

    def near(self, name, province_id, limit=3):
        """Producers in the province whose names are close to this one but not the same key."""
        key = producer_key(name)
        core = split_name(name)[2].split()
        tokens = self.tokens.get(province_id, {})
        frequency = self.frequency.get(province_id, Counter())
        # Rare words pick the candidates: "nong nghiep" alone says nothing.
        rare = sorted(set(core), key=lambda t: frequency.get(t, 0))[:3]
        candidates = set()
        for token in rare:
            if frequency.get(token, 0) <= 200:
                candidates |= tokens.get(token, set())
        scored = []
        for pk in candidates:
            other_name, other_key, _province = self.names[pk]
            if other_key == key:
                continue
            other_core = set(split_name(other_name)[2].split())
            ratio = difflib.SequenceMatcher(None, key, other_key).ratio()
            contained = len(core) >= 2 and (set(core) <= other_core or other_core <= set(core)) and len(other_core) >= 2
            if ratio >= 0.85 or contained:
                scored.append((ratio, pk, other_name))
        scored.sort(reverse=True)
        return [(pk, other_name) for _ratio, pk, other_name in scored[:limit]]


# The importer -----------------------------------------------------------------------


class DecisionImporter:
    def __init__(self, user=None, decision=None, confirmed=None):
        self.user = user
        self.decision = decision or Decision()
        # {line: producer id}: near matches the agency confirmed in the dry run.
        self.confirmed = confirmed or {}
        self.lookups = Lookups()
        self.producers = ProducerIndex()
        self.products = {}  # producer id (or id() of one not saved) -> {folded title: page}
        self.producer_objects = {}  # id -> Producer, loaded once; negative ids are a dry run's new producers
        self.dry_run = True
        self.saved = {}  # (model, pk) -> object saved, for one reference-index update each at the end
        self.row_saved = []  # saved by the row being written; kept only if its savepoint commits
        self.product_slugs = None  # slugs of /products/'s children, read when the first page is created
        self.records = {}  # (decision number, signing date) -> {product id: record}, read when first asked
        self.children = Children(self.lookups.index) if self.lookups.index is not None else None
        self.row_slugs = []  # (set, slug) taken by the row being written; given back if it rolls back

    # Reading

    def parse_file(self, rows):
        if not rows or not any(any(c not in (None, "") for c in row) for row in rows):
            raise FileError(_("The file is empty."))
        header_index, columns = find_header(rows)
        results = []
        star_headings = False
        current_stars = ""
        width = max(columns.values()) + 1
        for offset, values in enumerate(rows[header_index + 1 :], start=header_index + 2):
            values = list(values) + [None] * max(0, width - len(values))
            filled = [(i, v) for i, v in enumerate(values) if v not in (None, "") and str(v).strip()]
            if not filled:
                continue
            mapped = [i for i, _v in filled if i in columns.values()]
            texts = [fold(stored_text(v)) for _i, v in filled]
            if all(COLUMN_NUMBER.match(t) for t in texts) and len(filled) >= 3:
                continue  # (1) (2) (3) … under the heading
            heading = not mapped or (len(filled) == 1 and filled[0][0] == 0 and SECTION_HEADING.search(texts[0]))
            if heading:
                stars = STAR_HEADING.search(" ".join(texts))
                if stars:
                    star_headings, current_stars = True, stars.group(1)
                continue
            results.append(self.parse_row(offset, values, columns, current_stars))
        check_columns(columns, self.decision, star_headings)
        self.check_conflicts(results)
        return results

    def parse_row(self, line, values, columns, heading_stars=""):
        result = RowResult(line=line)
        raw = {c: values[i] if i < len(values) else None for c, i in columns.items()}
        result.values = {c: stored_text(v) for c, v in raw.items()}
        text = {}
        for column, value in raw.items():
            try:
                text[column] = cell_text(value, column)
            except RowError as exc:
                result.errors.append(str(exc))
                text[column] = ""
        self.interpret(result, text, heading_stars)
        return result

    def interpret(self, result, text, heading_stars=""):
        """Fill result.parsed from the row's texts: derive, note what is missing, collect errors."""
        get = lambda column: text.get(column, "")  # noqa: E731 - a one-line accessor reads best here
        parsed = result.parsed
        result.product_name = get("product_name")
        result.producer_name = get("producer")

        def missing(column):
            result.missing.append(label(column))

        def attempt(parse, *args):
            try:
                return parse(*args)
            except RowError as exc:
                result.errors.append(str(exc))
                return None

        for column in ("producer", "product_name"):
            if not get(column):
                missing(column)

        # The decision: the row's own columns win over the decision entered for the file.
        number = get("decision_number") or self.decision.number
        body = get("issuing_body") or self.decision.issuing_body
        signed_on = attempt(parse_date, get("signed_on")) if get("signed_on") else self.decision.signed_on
        for column, value in (("decision_number", number), ("issuing_body", body), ("signed_on", signed_on)):
            if not value and not (column == "signed_on" and get("signed_on")):
                missing(column)
        if signed_on is not None:
            attempt(check_signing_date, signed_on)
        result.decision_number = number
        parsed.update(decision_number=number, issuing_body=body, signed_on=signed_on)

        # Stars, from the column or from the section heading the row stands under.
        if get("stars"):
            parsed["stars"] = attempt(parse_stars, get("stars"))
        elif heading_stars:
            parsed["stars"] = int(heading_stars)
            result.values["stars"] = heading_stars  # a held row keeps what the heading said
            result.derived[_("stars")] = _("{n}★ (from the section heading)").format(n=heading_stars)
        else:
            missing("stars")

        # Legal form: the column, else the producer's name says it.
        if get("legal_form"):
            parsed["legal_form"] = attempt(parse_legal_form, get("legal_form"))
        elif get("producer"):
            form = legal_form_from_name(get("producer"))
            if form is None:
                missing("legal_form")
            else:
                parsed["legal_form"] = form
                result.derived[_("legal form")] = _("{form} (from the producer's name)").format(
                    form=Producer.LegalForm(form).label
                )

        if get("sub_group"):
            parsed["category"] = attempt(self.lookups.category, get("sub_group"))
        else:
            missing("sub_group")

        # Province: the column, else the issuing body ("UBND tỉnh …"), else the address's last part.
        province_text, source = get("province"), ""
        if not province_text and body:
            province_text, source = self.lookups.province_from_body(body), _("from the issuing body")
        if not province_text and get("address"):
            province_text, source = self.lookups.province_from_address(get("address")), _("from the address")
        if not province_text:
            missing("province")
        elif signed_on is not None:
            found = attempt(self.lookups.province, province_text, signed_on)
            if found is not None:
                parsed["province"], parsed["legacy_province"] = found
                if source:
                    result.derived[_("province")] = f"{found[0].name} ({source})"
                if found[1] is not None:
                    result.province_note = f"{found[1].name} → {found[0].name}"

        parsed["level"] = attempt(parse_level, get("recognition_level"), parsed.get("stars"), body)
        parsed["recognition_type"] = parse_recognition_type(get("recognition_type"))
        parsed["score"] = attempt(parse_score, get("score"))
        parsed["address"] = get("address")
        parsed["registration_number"] = get("registration_number")
        parsed["sub_group_text"] = get("sub_group")

    def check_conflicts(self, results):
        """Two rows for the same product in the same decision must agree; both are errors if not."""
        seen = {}
        for result in results:
            if not result.product_name or not result.decision_number:
                continue
            key = (fold(result.decision_number), producer_key(result.producer_name), fold(result.product_name))
            facts = tuple(result.parsed.get(k) for k in ("stars", "signed_on", "category"))
            first = seen.setdefault(key, (result, facts))
            if first[0] is result or first[1] == facts:
                continue
            other = first[0]
            differences = [
                name
                for name, a, b in zip((_("stars"), _("signing date"), _("sub-group")), first[1], facts, strict=True)
                if a != b
            ]
            message = _(
                "Rows {a} and {b} name the same product (“{product}”) in decision {decision} but disagree on "
                "{what}; keep the right one."
            ).format(
                a=other.line,
                b=result.line,
                product=result.product_name,
                decision=result.decision_number,
                what=", ".join(differences),
            )
            for row in (other, result):
                if message not in row.errors:
                    row.errors.append(message)

    # Writing

    def run(self, rows, dry_run=True, content=b"", filename=""):
        if self.lookups.index is None:
            raise FileError(_("There is no /products/ page to put new products under; run `manage.py load_demo`."))
        results = self.parse_file(rows)
        report = ImportReport(rows=results, dry_run=dry_run)
        self.dry_run = dry_run
        if dry_run:
            # A dry run reads and validates but writes nothing, so it is as fast as reading allows.
            for result in results:
                self.write(result)
            return report
        with batched() as touched, transaction.atomic():
            with disable_reference_index_auto_update(), deferred_search_index():
                for result in results:
                    self.write(result)
            self.finish()
            report.batch = self.keep(results, content, filename)
            report.committed = True
            report.reindexed = sorted(touched)
        return report

    def remember(self, instance):
        self.row_saved.append(instance)

    def take_slug(self, taken, base, suffix):
        slug = unique_slug(base, taken, suffix)
        taken.add(slug)
        self.row_slugs.append((taken, slug))
        return slug

    def finish(self):
        """What the import's writes leave to its end, inside its transaction."""
        self.children.finish()
        self.update_reference_index()

    def update_reference_index(self):
        """Once per object saved, instead of once per save (a record is saved twice: itself and its revision)."""
        references.update(self.saved.values())
        self.saved.clear()

    def write(self, result):
        if not result.ok:
            return
        self.row_saved, self.row_slugs = [], []
        try:
            with transaction.atomic() if not self.dry_run else contextlib.nullcontext():
                producer = self.producer(result)
                product = self.product(result, producer)
                record = self.record(result, producer, product)
                result.certification_id = record.pk
        except RowError as exc:
            result.errors.append(str(exc))
        except ValidationError as exc:
            result.errors.extend(self.plain(exc))
        except IntegrityError:
            # The slugs were read when the import began and someone saved one since: read them
            # again for the rows still to come; this row is held to be imported again.
            self.row_slugs = []
            self.producers.slugs = set(Producer.objects.values_list("slug", flat=True))
            self.product_slugs = None
            result.errors.append(
                _("Another change clashed with this row while the file was importing; import it again.")
            )
        if result.errors:
            result.producer = result.product = result.record = ""
            # Pages, producers and records this row wrote were rolled back with its savepoint.
            self.products.clear()
            self.producer_objects.clear()
            self.records.clear()
            for taken, slug in self.row_slugs:
                taken.discard(slug)
        else:
            self.saved.update(((type(o), o.pk), o) for o in self.row_saved)
            if not self.dry_run:
                self.children.keep(sum(isinstance(o, ProductPage) for o in self.row_saved))

    def keep(self, results, content, filename):
        """The batch and its rows not imported, so nothing uploaded is lost; the same file twice adds nothing."""
        decision = self.decision
        fingerprint = DecisionBatch.fingerprint_for(
            DecisionBatch.Kind.RECOGNITION, content, decision.number, decision.signed_on, decision.issuing_body
        )
        batch, _created = DecisionBatch.objects.get_or_create(
            fingerprint=fingerprint,
            defaults={
                "kind": DecisionBatch.Kind.RECOGNITION,
                "decision_number": decision.number,
                "signed_on": decision.signed_on,
                "issuing_body": decision.issuing_body,
                "filename": filename[:255],
                "created_by": self.user,
            },
        )
        existing = {row.line: row for row in batch.held_rows.all()}
        for result in results:
            held = existing.get(result.line)
            if result.ok:
                if held is not None and held.status == HeldRow.Status.HELD:
                    held.status, held.certification_id = HeldRow.Status.IMPORTED, result.certification_id
                    held.save(update_fields=["status", "certification", "updated_at"])
                continue
            problem = HeldRow.Problem.ERROR if result.errors else HeldRow.Problem.INCOMPLETE
            if held is None:
                HeldRow.objects.create(
                    batch=batch, line=result.line, values=result.values, reasons=result.reasons, problem=problem
                )
            elif held.status == HeldRow.Status.HELD and (held.reasons, held.problem) != (result.reasons, problem):
                # Completed in the admin since? Those edits win; only the reasons are refreshed.
                held.reasons, held.problem = result.reasons, problem
                held.save(update_fields=["reasons", "problem", "updated_at"])
        return batch

    @staticmethod
    def plain(exc):
        if hasattr(exc, "message_dict"):
            return [f"{name.replace('_', ' ')}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()]
        return list(exc.messages)

    def get_producer(self, pk):
        if pk not in self.producer_objects:
            self.producer_objects[pk] = Producer.objects.filter(pk=pk).first()
        return self.producer_objects[pk]

    def find_producer(self, result):
        parsed = result.parsed
        province = parsed["province"]
        registration = parsed["registration_number"]
        confirmed = self.confirmed.get(result.line)
        if confirmed:
            producer = self.get_producer(confirmed)
            if producer is not None:
                result.matched_by = _("confirmed by the agency")
                return producer
        if registration:
            pk = self.producers.by_registration.get(fold(registration))
            if pk is not None:
                result.matched_by = _("registration number")
                return self.get_producer(pk)
        pk = self.producers.by_key.get((province.pk, producer_key(result.producer_name)))
        if pk is not None:
            producer = self.get_producer(pk)
            # Two registration numbers say two producers, whatever their names.
            if producer is not None and not (
                registration
                and producer.registration_number
                and fold(producer.registration_number) != fold(registration)
            ):
                if producer.name != result.producer_name:
                    result.matched_by = _("name (spelt “{name}”)").format(name=producer.name)
                return producer
        return None

    def producer(self, result):
        parsed = result.parsed
        province = parsed["province"]
        name = result.producer_name
        registration = parsed["registration_number"]
        producer = self.find_producer(result)
        if producer is None:
            result.proposals = self.producers.near(name, province.pk)
            producer = Producer(
                name=name,
                slug=self.take_slug(self.producers.slugs, slugify(name), province.slug),
                legal_form=parsed["legal_form"],
                registration_number=registration,
                province=province,
                address_line=parsed["address"],
            )
            # The province comes from the reference data and the slug is made unique above: no queries to check them.
            producer.full_clean(exclude=["slug", "province"], validate_constraints=False)
            if self.dry_run:
                pk = -len(self.producer_objects) - 1
            else:
                producer.save()
                log(instance=producer, action="wagtail.create", user=self.user)
                self.remember(producer)
                pk = producer.pk
            # A row rolled back later leaves a stale id here; the lookup then finds nothing.
            self.producer_objects[pk] = producer
            self.producers.add(pk, name, province.pk, registration)
            result.producer = "created"
            return producer
        changed = []
        # A derived legal form never overwrites one the producer already has.
        if _("legal form") not in result.derived and producer.legal_form != parsed["legal_form"]:
            producer.legal_form = parsed["legal_form"]
            changed.append("legal_form")
        if registration and producer.registration_number != registration:
            producer.registration_number = registration
            changed.append("registration_number")
        if not producer.address_line and parsed["address"]:
            producer.address_line = parsed["address"]
            changed.append("address_line")
        if changed:
            producer.full_clean(exclude=["slug", "province"], validate_constraints=False)
            if not self.dry_run:
                producer.save()
                log(instance=producer, action="wagtail.edit", user=self.user)
                self.remember(producer)
        result.producer = "updated" if changed else "unchanged"
        return producer

    def product(self, result, producer):
        parsed = result.parsed
        title = result.product_name
        key = producer.pk or id(producer)
        pages = self.products.get(key)
        if pages is None:
            found = ProductPage.objects.filter(producer=producer).only("pk", "title") if producer.pk else []
            pages = self.products[key] = {fold(p.title): p for p in found}
        product = pages.get(fold(title))
        if product is not None:
            result.product = "unchanged"  # the producer owns the page once it exists
            return product
        index = self.lookups.index
        if self.dry_run:
            product = ProductPage(title=title, producer=producer, category=parsed["category"])
            pages[fold(title)] = product
            result.product = "created"
            return product
        if self.product_slugs is None:
            self.product_slugs = set(index.get_children().values_list("slug", flat=True))
        product = ProductPage(
            title=title,
            slug=self.take_slug(self.product_slugs, slugify(title), producer.slug),
            producer=producer,
            category=parsed["category"],
            province=parsed["province"],
            live=False,
            owner=self.user,
            # What Page.save would look up once per page: the parent's locale, and whether
            # the page is a site's root (a page created now cannot be).
            locale_id=index.locale_id,
        )
        product._is_site_root = False
        # Page.save logs the creation (wagtail.create, by the owner). No revision yet: the
        # editor opens the page itself, and the producer's first save makes one.
        self.children.add(product)
        self.remember(product)
        pages[fold(title)] = product
        result.product = "created"
        return product

    def find_record(self, lookup):
        """The product's record of this decision: the decision's records are read once per import."""
        key = (lookup["decision_number"], lookup["signed_on"])
        if key not in self.records:
            self.records[key] = {}
            for record in Certification.objects.filter(decision_number=key[0], signed_on=key[1]):
                self.records[key].setdefault(record.product_id, record)  # the newest, as .first() gave
        return self.records[key].get(lookup["product"].pk)

    def record(self, result, producer, product):
        parsed = result.parsed
        fields = {
            "producer": producer,
            "product_name": result.product_name,
            "producer_name": result.producer_name,
            "issued_address": parsed["address"],
            "legacy_province": parsed["legacy_province"],
            "category_as_issued": parsed["sub_group_text"],
            "issuing_body": parsed["issuing_body"],
            "recognition_level": parsed["level"],
            "recognition_type": parsed["recognition_type"],
            "stars": parsed["stars"],
        }
        if parsed["score"] is not None:
            fields["score"] = parsed["score"]
        lookup = {"decision_number": parsed["decision_number"], "signed_on": parsed["signed_on"], "product": product}
        # A page created by this row has no records yet.
        created = result.product == "created"
        record = self.find_record(lookup) if product.pk and not created else None
        if record is None:
            record = Certification(**lookup, **fields)
            record.full_clean(**RECORD_CLEAN)
            if self.dry_run:
                result.record = "created"
                return record
            record.save()
            self.remember(record)
            # Known to later rows if the decision's records were read already (else they read it with them).
            self.records.get((record.decision_number, record.signed_on), {})[product.pk] = record
            # Cleaned just above; save_revision's own full_clean would re-check the relations we set.
            record.save_revision(user=self.user, log_action="wagtail.create", clean=False)
            result.record = "created"
            return record
        changed = False
        for name, value in fields.items():
            if name in RECORD_RELATIONS:  # by id: reading the related object would cost a query per row
                current, value_id = getattr(record, f"{name}_id"), value.pk if value is not None else None
                if current != value_id:
                    setattr(record, name, value)
                    changed = True
                continue
            current = getattr(record, name)
            if name == "score" and current is not None:
                current = float(current)
            if current != value:
                setattr(record, name, value)
                changed = True
        if changed:
            record.full_clean(**RECORD_CLEAN)
            if not self.dry_run:
                record.save()
                record.save_revision(user=self.user, log_action=True, clean=False)
                self.remember(record)
        result.record = "updated" if changed else "unchanged"
        return record

    # One held row, completed in the admin

    def import_held(self, held, dry_run=False):
        """Check (or import) one held row with its current values; updates the held row when importing."""
        batch = held.batch
        self.decision = Decision(batch.decision_number, batch.signed_on, batch.issuing_body)
        result = RowResult(line=held.line, values=dict(held.values))
        text = {}
        for column, value in held.values.items():
            try:
                text[column] = cell_text(value, column)
            except RowError as exc:
                result.errors.append(str(exc))
        self.interpret(result, text)
        self.dry_run = dry_run
        if dry_run:
            self.write(result)
            return result
        with batched() as touched, transaction.atomic():
            with disable_reference_index_auto_update(), deferred_search_index():
                self.write(result)
            self.finish()
            if not result.ok:
                transaction.set_rollback(True)
                touched.clear()
            else:
                held.status, held.certification_id = HeldRow.Status.IMPORTED, result.certification_id
                held.reasons = []
                held.save()
        if not dry_run and not result.ok:
            held.reasons = result.reasons
            held.problem = HeldRow.Problem.ERROR if result.errors else HeldRow.Problem.INCOMPLETE
            held.save(update_fields=["values", "reasons", "problem", "updated_at"])
        return result


def import_decisions(content, filename, user=None, dry_run=True, decision=None, confirmed=None):
    """Parse and import one uploaded annex; returns an ImportReport (raises FileError for unreadable files)."""
    rows = read_rows(content, filename)
    return DecisionImporter(user, decision, confirmed).run(rows, dry_run=dry_run, content=content, filename=filename)
