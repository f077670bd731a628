"""Parsing one value of a row: signing date, stars, legal form, recognition level and type, score."""

import datetime
import re

from django.utils import timezone
from django.utils.translation import gettext as _

from catalogue.models import Certification, Producer
from catalogue.text import fold

from .errors import RowError

DATE_FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")
# Decision 490/QĐ-TTg started the programme: nothing can be certified before it.
PROGRAMME_START = datetime.date(2018, 5, 7)

SCORE = re.compile(r"[0-9]{1,3}(?:[.,][0-9]{1,6})?")


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
