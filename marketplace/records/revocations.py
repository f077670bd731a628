"""Revocation decisions in bulk: one decision (number, date, reason), a list of the records it revokes.

Provinces revoke many certificates at once (47 in one Đồng Tháp decision). The list names
each record by its public id (or its address, …/certifications/123/) or by decision number and
product name, as the revocation decision's annex does. The dry run shows what each line
matched; revoking sets revoked_on to the decision's date on every match, with a revision
each, and re-indexes the products once, so they leave every public surface that day.
"""

import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from catalogue.models import Certification
from catalogue.params import record_id
from catalogue.text import fold
from search.signals import batched

from .annexes.cells import MAX_ROWS, cell_text, read_rows
from .annexes.errors import FileError, RowError
from .models import DecisionBatch

COLUMNS = {
    "record_id": ["record id", "id", "public id", "ma ho so", "ma ban ghi", "url", "address", "link"],
    "decision_number": ["decision number", "decision", "so quyet dinh", "so quyet dinh cong nhan"],
    "product_name": ["product name", "product", "ten san pham", "san pham"],
}
# The public record page's address (catalogue:certification).
RECORD_URL = re.compile(r"/certifications/([0-9]+)/?")


@dataclass
class RevocationLine:
    line: int
    written: str
    record_id: int | None = None
    decision_number: str = ""
    product_name: str = ""
    record: Certification | None = None
    candidates: list = field(default_factory=list)
    problem: str = ""
    already: bool = False

    @property
    def ok(self):
        return self.record is not None and not self.problem and not self.already


@dataclass
class RevocationReport:
    lines: list
    dry_run: bool
    revoked: int = 0
    batch: DecisionBatch | None = None

    @property
    def matched(self):
        return [line for line in self.lines if line.ok]

    @property
    def problems(self):
        return [line for line in self.lines if line.problem]

    @property
    def summary(self):
        already = sum(1 for line in self.lines if line.already)
        return _("{n} lines: {matched} records to revoke, {already} already revoked, {problems} not matched.").format(
            n=len(self.lines), matched=len(self.matched), already=already, problems=len(self.problems)
        )


def parse_id(text):
    """A record id written as itself or as the record's address; None for anything else ("²", 30 digits …)."""
    found = record_id(text)
    if found is None and (match := RECORD_URL.search(text)):
        found = record_id(match.group(1))
    return found


def find_columns(rows):
    """(index of the header row, {column: position}) of a revocation list."""
    for index, row in enumerate(rows[:30]):
        folded = [fold(c) if isinstance(c, str) else "" for c in row]
        columns = {}
        for column, aliases in COLUMNS.items():
            for alias in aliases:
                if alias in folded:
                    columns[column] = folded.index(alias)
                    break
        if "record_id" in columns or {"decision_number", "product_name"} <= columns.keys():
            return index, columns
    raise FileError(_("No row of the list names its columns: record id, or decision number and product name."))


def lines_from_file(content, filename):
    rows = read_rows(content, filename)
    index, columns = find_columns(rows)
    lines = []
    for number, values in enumerate(rows[index + 1 :], start=index + 2):
        cells = {}
        entry = RevocationLine(line=number, written="")
        for column, position in columns.items():
            value = values[position] if position < len(values) else None
            try:
                cells[column] = cell_text(value, column, numeric=column == "record_id")
            except RowError as exc:
                entry.problem = str(exc)
                cells[column] = ""
        if not any(cells.values()) and not entry.problem:
            continue
        entry.written = " · ".join(v for v in cells.values() if v)
        entry.decision_number, entry.product_name = cells.get("decision_number", ""), cells.get("product_name", "")
        if cells.get("record_id"):
            entry.record_id = parse_id(cells["record_id"])
            if entry.record_id is None and not entry.problem:
                entry.problem = _("“{text}” is not a record id or a record's address.").format(text=cells["record_id"])
        lines.append(entry)
    return lines


def lines_from_text(text):
    lines = []
    for number, raw in enumerate(text.replace("\x00", "").splitlines(), start=1):
        written = raw.strip()
        if not written:
            continue
        # As for a file (annexes.cells.read_rows): each line is a lookup and a row of the report.
        if len(lines) >= MAX_ROWS:
            raise FileError(
                _("The list has more than {n} lines; split it into several revocations.").format(n=MAX_ROWS)
            )
        entry = RevocationLine(line=number, written=written[:255])
        found = parse_id(written)
        if found is not None:
            entry.record_id = found
        else:
            # "decision; product", tab- or pipe-separated; decision numbers never hold commas.
            for separator in ("\t", ";", "|", ","):
                if separator in written:
                    decision, product = written.split(separator, 1)
                    entry.decision_number, entry.product_name = decision.strip(), product.strip()
                    break
            else:
                entry.problem = _("Write a record id, a record's address or “decision number; product name”.")
        lines.append(entry)
    return lines


def match(lines, signed_on):
    for entry in lines:
        if entry.problem:
            continue
        if entry.record_id is not None:
            entry.record = Certification.objects.filter(pk=entry.record_id).select_related("product").first()
            if entry.record is None:
                entry.problem = _("No record has the id {id}.").format(id=entry.record_id)
        else:
            if not entry.decision_number or not entry.product_name:
                entry.problem = _("Give both the decision number and the product name.")
                continue
            number, product = fold(entry.decision_number), fold(entry.product_name)
            found = [
                record
                for record in Certification.objects.matching(entry.decision_number).select_related("product")
                if fold(record.decision_number) == number and fold(record.product_name) == product
            ]
            if not found:
                entry.problem = _("No record of decision {number} names the product “{product}”.").format(
                    number=entry.decision_number, product=entry.product_name
                )
            elif len(found) > 1:
                entry.candidates = found
                entry.problem = _("{n} records match; give their record ids instead.").format(n=len(found))
            else:
                entry.record = found[0]
        record = entry.record
        if record is None or entry.problem:
            continue
        if record.revoked_on and record.revoked_on <= signed_on:
            entry.already = True
        elif record.signed_on > signed_on:
            entry.problem = _("This record was signed on {date:%d/%m/%Y}, after the revocation decision.").format(
                date=record.signed_on
            )
    # The same record twice in one list is revoked once.
    seen = set()
    for entry in lines:
        if entry.ok:
            if entry.record.pk in seen:
                entry.already = True
            seen.add(entry.record.pk)
    return lines


def revoke(lines, decision_number, signed_on, reason, issuing_body="", user=None, dry_run=True, content=b""):
    """Match every line; unless dry_run, revoke every match in one transaction and one re-index."""
    lines = match(lines, signed_on)
    report = RevocationReport(lines=lines, dry_run=dry_run)
    if dry_run:
        return report
    text = _("{reason} (decision {number})").format(reason=reason, number=decision_number)[:255]
    with batched(), transaction.atomic():
        for entry in report.matched:
            record = entry.record
            record.revoked_on, record.revocation_reason = signed_on, text
            try:
                record.full_clean()
            except ValidationError as exc:
                transaction.set_rollback(True)
                raise FileError(_("Record {id}: {error}").format(id=record.pk, error=" ".join(exc.messages))) from exc
            record.save()
            record.save_revision(user=user, log_action=True)
            report.revoked += 1
        fingerprint = DecisionBatch.fingerprint_for(
            DecisionBatch.Kind.REVOCATION, content, decision_number, signed_on, issuing_body, reason
        )
        report.batch, _created = DecisionBatch.objects.update_or_create(
            fingerprint=fingerprint,
            defaults={
                "kind": DecisionBatch.Kind.REVOCATION,
                "decision_number": decision_number,
                "signed_on": signed_on,
                "issuing_body": issuing_body,
                "reason": reason,
                "created_by": user,
                "summary": report.summary,
            },
        )
    return report
