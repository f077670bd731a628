"""Import of certification decisions (CSV or XLSX, one row per certified product).

Files are parsed with tablib (django-import-export's own engine). Each row names a
producer, its legal form, address and province, the product, its OCOP sub-group,
the stars and the decision (number, issuing body, signing date). A row becomes:
a Producer (found by name in its province, or created), a draft ProductPage under
/products/ for the producer to complete (found by title for that producer, or
created; never published here), and a Certification record (found by decision
number, signing date and product; created or updated, each change saved as a
revision with a log entry so it shows in Wagtail's history).

The whole file is one transaction: a dry run, or any row with an error, rolls back
everything, so a file is either imported completely or not at all. Each row also
runs in its own savepoint, so a dry run reports every bad row, not just the first.
"""

import datetime
import re
from dataclasses import dataclass, field

import tablib

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from wagtail.log_actions import log

from catalogue.lookups import reference
from catalogue.models import Certification, Producer, ProductIndexPage, ProductPage, Province
from catalogue.models.certifications import MERGER_DAY
from catalogue.text import fold, slugify

# Header aliases, folded (catalogue.text.fold): English, and the Vietnamese provinces use.
COLUMNS = {
    "producer": ["producer", "producer name", "chu the", "ten chu the", "ten chu the san xuat"],
    "legal_form": ["legal form", "loai hinh", "loai hinh chu the", "hinh thuc"],
    "address": ["address", "dia chi"],
    "province": ["province", "tinh", "tinh thanh pho", "tinh thanh"],
    "product_name": ["product name", "product", "ten san pham", "san pham"],
    "sub_group": ["sub group", "subgroup", "category", "phan nhom", "nhom san pham", "bo san pham"],
    "stars": ["stars", "star", "hang sao", "so sao", "xep hang"],
    "decision_number": ["decision number", "decision", "so quyet dinh"],
    "issuing_body": ["issuing body", "issued by", "co quan ban hanh", "co quan cong nhan"],
    "signed_on": ["signing date", "signed on", "date signed", "ngay ky", "ngay ky quyet dinh"],
    # Optional columns.
    "recognition_level": ["recognition level", "level", "cap cong nhan"],
    "recognition_type": ["recognition type", "hinh thuc cong nhan"],
    "score": ["score", "diem"],
    "registration_number": ["registration number", "ma so doanh nghiep", "ma so thue"],
}
REQUIRED = [
    "producer",
    "legal_form",
    "address",
    "province",
    "product_name",
    "sub_group",
    "stars",
    "decision_number",
    "issuing_body",
    "signed_on",
]
LABELS = {
    "producer": "producer",
    "legal_form": "legal form",
    "address": "address",
    "province": "province",
    "product_name": "product name",
    "sub_group": "sub-group",
    "stars": "stars",
    "decision_number": "decision number",
    "issuing_body": "issuing body",
    "signed_on": "signing date",
}
DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# On folded text: "TP. Hồ Chí Minh" folds to "tp ho chi minh".
PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp) ")


class RowError(Exception):
    """A problem with one row, in words the person who typed the file understands."""


class FileError(Exception):
    """The file as a whole cannot be read."""


@dataclass
class RowResult:
    line: int
    product_name: str = ""
    producer_name: str = ""
    decision_number: str = ""
    errors: list = field(default_factory=list)
    producer: str = ""  # created / updated / unchanged
    product: str = ""
    record: str = ""
    province_note: str = ""

    @property
    def ok(self):
        return not self.errors

    @property
    def changed(self):
        return "created" in (self.producer, self.product, self.record) or "updated" in (self.producer, self.record)


@dataclass
class ImportReport:
    rows: list
    dry_run: bool
    committed: bool = False

    @property
    def errors(self):
        return [r for r in self.rows if not r.ok]

    def count(self, kind, outcome):
        return sum(1 for r in self.rows if r.ok and getattr(r, kind) == outcome)

    @property
    def summary(self):
        parts = []
        for kind, label in (("producer", "producers"), ("product", "draft products"), ("record", "records")):
            created, updated = self.count(kind, "created"), self.count(kind, "updated")
            parts.append(f"{created} {label} created" + (f", {updated} updated" if updated else ""))
        unchanged = sum(1 for r in self.rows if r.ok and not r.changed)
        return (
            f"{len(self.rows)} rows: " + "; ".join(parts) + f"; {unchanged} rows unchanged; {len(self.errors)} errors."
        )


def read_dataset(content, filename):
    """Rows of a CSV (UTF-8, comma or semicolon) or XLSX upload as a tablib Dataset."""
    extension = filename.rsplit(".", 1)[-1].lower()
    try:
        if extension == "xlsx":
            return tablib.Dataset().load(content, format="xlsx")
        if extension == "csv":
            text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
            first = text.split("\n", 1)[0]
            delimiter = ";" if first.count(";") > first.count(",") else ","
            return tablib.Dataset().load(text, format="csv", delimiter=delimiter)
    except UnicodeDecodeError as exc:
        raise FileError("The CSV file is not UTF-8; save it as “CSV UTF-8” and upload it again.") from exc
    except Exception as exc:  # noqa: BLE001 - tablib raises many kinds for unreadable files
        raise FileError(f"The file could not be read as {extension.upper()}: {exc}") from exc
    raise FileError("Upload a .csv or .xlsx file.")


def map_headers(headers):
    """{our column: index in the file}; raises FileError naming the missing columns."""
    folded = [fold(h) for h in headers]
    found = {}
    for column, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in folded:
                found[column] = folded.index(alias)
                break
    missing = [LABELS[c] for c in REQUIRED if c not in found]
    if missing:
        raise FileError(
            "These columns are missing: " + ", ".join(missing) + ". The first row must name the columns "
            "(see marketplace/samples/decisions-sample.csv)."
        )
    return found


class Lookups:
    """What one file's rows are matched against: the process's reference data and the /products/ page."""

    def __init__(self):
        self.reference = reference()
        self.index = ProductIndexPage.objects.first()

    def category(self, value):
        found = self.reference.category_by_name(value)
        if found is None:
            raise RowError(
                f"The sub-group “{value}” is not an OCOP sub-group; write its code (e.g. 1.4.a), "
                "its slug or its Vietnamese name."
            )
        return found

    def province(self, value, signed_on):
        """(current province, legacy province or None) for a province as written on a decision."""
        eras = self.reference.province_by_name(PROVINCE_PREFIX.sub("", fold(value)))
        if not eras:
            raise RowError(f"The province “{value}” is not a Vietnamese province (before or after July 2025).")
        current, legacy = eras.get(Province.Era.CURRENT), eras.get(Province.Era.LEGACY)
        if signed_on < MERGER_DAY and legacy is not None:
            return legacy.successor, legacy
        if current is not None:
            return current, None
        raise RowError(
            f"“{value}” became part of {legacy.successor.name} on 1 July 2025; a decision signed on "
            f"{signed_on:%d/%m/%Y} names the current province."
        )


def clean_text(value):
    return re.sub(r"\s+", " ", str(value if value is not None else "")).strip()


def parse_date(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    text = clean_text(value)
    for pattern in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise RowError(f"The signing date “{text}” is not a date; write it as dd/mm/yyyy (e.g. 05/03/2024) or 2024-03-05.")


def parse_stars(value):
    match = re.match(r"^\s*(\d+)(\.0+)?\s*(sao|★|stars?)?\s*$", clean_text(value).lower())
    if not match:
        raise RowError(f"Stars “{clean_text(value)}” should be a number from 3 to 5.")
    stars = int(match.group(1))
    if not 3 <= stars <= 5:
        raise RowError(f"{stars}★ is not an OCOP certificate; only 3★, 4★ and 5★ results are certified.")
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
        f"The legal form “{clean_text(value)}” is not one we know; write Doanh nghiệp, Hợp tác xã, "
        "Tổ hợp tác or Hộ kinh doanh."
    )


def parse_level(value, stars, issuing_body):
    text = fold(value)
    if text:
        for needles, level in (
            (("national", "quoc gia", "trung uong", "bo "), Certification.Level.NATIONAL),
            (("provincial", "tinh"), Certification.Level.PROVINCIAL),
            (("district", "huyen"), Certification.Level.DISTRICT),
        ):
            if any(n in text for n in needles):
                return level
        raise RowError(f"The recognition level “{clean_text(value)}” should be district, provincial or national.")
    body = fold(issuing_body)
    if stars == 5 or "bo nong nghiep" in body:
        return Certification.Level.NATIONAL
    if any(n in body for n in ("huyen", "thi xa", "quan ")):
        return Certification.Level.DISTRICT
    return Certification.Level.PROVINCIAL


def parse_recognition_type(value):
    text = fold(value)
    if not text:
        return Certification.RecognitionType.FIRST
    if "lai" in text or text.startswith("re"):
        return Certification.RecognitionType.RE_RECOGNITION
    if "nang" in text or "upgrade" in text:
        return Certification.RecognitionType.UPGRADE
    return Certification.RecognitionType.FIRST


def unique_slug(base, taken, suffix=""):
    slug = (base or "item")[:200]
    if suffix and slug in taken:
        slug = f"{slug}-{suffix}"[:240]
    candidate, n = slug, 2
    while candidate in taken:
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


class DecisionImporter:
    def __init__(self, user=None):
        self.user = user
        self.lookups = Lookups()
        # Producers are matched by name within their province, ignoring case and diacritics.
        self.producer_ids = {
            (province_id, fold(name)): pk
            for pk, name, province_id in Producer.objects.values_list("pk", "name", "province")
        }

    def run(self, dataset, dry_run=True):
        if dataset.headers is None or not dataset.headers:
            raise FileError("The file is empty.")
        columns = map_headers(dataset.headers)
        if self.lookups.index is None:
            raise FileError("There is no /products/ page to put new products under; run `manage.py load_demo`.")
        rows = []
        with transaction.atomic():
            for line, values in enumerate(dataset, start=2):
                row = {c: values[i] if i < len(values) else "" for c, i in columns.items()}
                if not any(clean_text(v) for v in row.values()):
                    continue  # blank line
                result = RowResult(
                    line=line,
                    product_name=clean_text(row["product_name"]),
                    producer_name=clean_text(row["producer"]),
                    decision_number=clean_text(row["decision_number"]),
                )
                try:
                    with transaction.atomic():
                        self.import_row(row, result)
                except RowError as exc:
                    result.errors.append(str(exc))
                except ValidationError as exc:
                    result.errors.extend(self.plain(exc))
                rows.append(result)
            report = ImportReport(rows=rows, dry_run=dry_run)
            if dry_run or report.errors:
                transaction.set_rollback(True)
            else:
                report.committed = True
        return report

    @staticmethod
    def plain(exc):
        if hasattr(exc, "message_dict"):
            return [f"{name.replace('_', ' ')}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items()]
        return list(exc.messages)

    def import_row(self, row, result):
        errors = []
        values = {}
        for column in REQUIRED:
            if not clean_text(row[column]):
                errors.append(f"The {LABELS[column]} is empty.")
        if errors:
            raise RowError(" ".join(errors))
        parsers = [
            ("signed_on", lambda: parse_date(row["signed_on"])),
            ("stars", lambda: parse_stars(row["stars"])),
            ("legal_form", lambda: parse_legal_form(row["legal_form"])),
            ("category", lambda: self.lookups.category(clean_text(row["sub_group"]))),
        ]
        for name, parse in parsers:
            try:
                values[name] = parse()
            except RowError as exc:
                errors.append(str(exc))
        if "signed_on" in values:
            if values["signed_on"] > timezone.localdate():
                errors.append(f"The signing date {values['signed_on']:%d/%m/%Y} is in the future.")
            try:
                values["province"], values["legacy_province"] = self.lookups.province(
                    clean_text(row["province"]), values["signed_on"]
                )
            except RowError as exc:
                errors.append(str(exc))
        if errors:
            raise RowError(" ".join(errors))
        if values["legacy_province"] is not None:
            result.province_note = f"{values['legacy_province'].name} → {values['province'].name}"

        producer = self.producer(row, values, result)
        product = self.product(row, values, producer, result)
        self.record(row, values, producer, product, result)

    def producer(self, row, values, result):
        name = clean_text(row["producer"])
        province = values["province"]
        key = (province.pk, fold(name))
        producer = Producer.objects.filter(pk=self.producer_ids.get(key)).first()
        registration = clean_text(row.get("registration_number", ""))
        if producer is None:
            taken = set(Producer.objects.filter(slug__startswith=slugify(name)[:200]).values_list("slug", flat=True))
            producer = Producer(
                name=name,
                slug=unique_slug(slugify(name), taken, province.slug),
                legal_form=values["legal_form"],
                registration_number=registration,
                province=province,
                address_line=clean_text(row["address"]),
            )
            producer.full_clean()
            producer.save()
            log(instance=producer, action="wagtail.create", user=self.user)
            # A row rolled back later leaves a stale id here; the lookup above then finds nothing.
            self.producer_ids[key] = producer.pk
            result.producer = "created"
            return producer
        changed = []
        if producer.legal_form != values["legal_form"]:
            producer.legal_form = values["legal_form"]
            changed.append("legal_form")
        if registration and producer.registration_number != registration:
            producer.registration_number = registration
            changed.append("registration_number")
        if changed:
            producer.full_clean()
            producer.save()
            log(instance=producer, action="wagtail.edit", user=self.user)
        result.producer = "updated" if changed else "unchanged"
        return producer

    def product(self, row, values, producer, result):
        title = clean_text(row["product_name"])
        product = next(
            (p for p in ProductPage.objects.filter(producer=producer) if fold(p.title) == fold(title)),
            None,
        )
        if product is not None:
            result.product = "unchanged"  # the producer owns the page once it exists
            return product
        index = self.lookups.index
        taken = set(index.get_children().filter(slug__startswith=slugify(title)[:200]).values_list("slug", flat=True))
        product = ProductPage(
            title=title,
            slug=unique_slug(slugify(title), taken, producer.slug),
            producer=producer,
            category=values["category"],
            province=values["province"],
            live=False,
            owner=self.user,
        )
        index.add_child(instance=product)
        # No revision yet: the editor opens the page itself, and the producer's first save makes one.
        log(instance=product, action="wagtail.create", user=self.user)
        result.product = "created"
        return product

    def record(self, row, values, producer, product, result):
        stars = values["stars"]
        issuing_body = clean_text(row["issuing_body"])
        score = clean_text(row.get("score", "")).replace(",", ".")
        fields = {
            "producer": producer,
            "product_name": clean_text(row["product_name"]),
            "producer_name": clean_text(row["producer"]),
            "issued_address": clean_text(row["address"]),
            "legacy_province": values["legacy_province"],
            "category_as_issued": clean_text(row["sub_group"]),
            "issuing_body": issuing_body,
            "recognition_level": parse_level(row.get("recognition_level", ""), stars, issuing_body),
            "recognition_type": parse_recognition_type(row.get("recognition_type", "")),
            "stars": stars,
        }
        if score:
            try:
                fields["score"] = round(float(score), 2)
            except ValueError as exc:
                raise RowError(f"The score “{score}” is not a number.") from exc
        record = Certification.objects.filter(
            decision_number=clean_text(row["decision_number"]), signed_on=values["signed_on"], product=product
        ).first()
        if record is None:
            record = Certification(
                decision_number=clean_text(row["decision_number"]), signed_on=values["signed_on"], product=product
            )
            for name, value in fields.items():
                setattr(record, name, value)
            record.full_clean()
            record.save()
            record.save_revision(user=self.user, log_action="wagtail.create")
            result.record = "created"
            return record
        changed = False
        for name, value in fields.items():
            current = getattr(record, name)
            if name == "score" and current is not None:
                current = float(current)
            if current != value:
                setattr(record, name, value)
                changed = True
        if changed:
            record.full_clean()
            record.save()
            record.save_revision(user=self.user, log_action=True)
        result.record = "updated" if changed else "unchanged"
        return record


def import_decisions(content, filename, user=None, dry_run=True):
    """Parse and import one uploaded file; returns an ImportReport (raises FileError for unreadable files)."""
    return DecisionImporter(user).run(read_dataset(content, filename), dry_run=dry_run)
