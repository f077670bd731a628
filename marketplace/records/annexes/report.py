"""What an import did: one result per row, and the report the agency reads before confirming."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from ..models import DecisionBatch


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
