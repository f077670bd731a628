"""Reading an annex's rows: the decision they belong to, what each row says, and rows that disagree.

Nothing is written here: the importer (importer.py) writes what the rows read.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from catalogue.models import Producer
from catalogue.text import fold

from .cells import cell_text, check_columns, find_header, stored_text
from .columns import label
from .errors import FileError, RowError
from .matching import Lookups, legal_form_from_name, producer_key
from .report import RowResult
from .values import (
    check_signing_date,
    parse_date,
    parse_legal_form,
    parse_level,
    parse_recognition_type,
    parse_score,
    parse_stars,
)

STAR_HEADING = re.compile(r"\b([1-5]) ?(?:sao|star|stars)\b")
# "(1)", "2", "(3)": the column-number row under a Vietnamese table heading.
COLUMN_NUMBER = re.compile(r"^\(?\d{1,2}\)?$")
SECTION_HEADING = re.compile(r"^([ivx]+|[a-z]|\d{1,2})( |$)|\bsao\b|\bnhom\b|\bsan pham\b")


@dataclass
class Decision:
    """The decision as the agency entered it, for the rows that do not carry their own."""

    number: str = ""
    signed_on: datetime.date | None = None
    issuing_body: str = ""

    def __bool__(self):
        return bool(self.number or self.signed_on or self.issuing_body)


class AnnexReader:
    """An annex's rows read and checked against each other, for the decision the agency entered."""

    def __init__(self, decision=None):
        self.decision = decision or Decision()
        self.lookups = Lookups()

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
