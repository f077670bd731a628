"""GS1 identifiers a lot carries (GTIN, GLN, batch/lot), checked as GS1 defines them.

The check digits are python-stdnum's (`stdnum.ean`: GTIN-8, -12, -13, -14 and the 13-digit GLN
share the mod-10 check). The lot code follows GS1 Application Identifier (10): at most 20
characters of GS1's character set 82, so it can go on a GS1-128 or DataMatrix label and to the
national traceability portal as it is.
"""

import re

from stdnum import ean
from stdnum.exceptions import ValidationError as StdnumError

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GS1 General Specifications, figure 7.11-1 (character set 82), without the space it excludes.
LOT_CODE = re.compile(r"""[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]{1,20}""")
GTIN_LENGTHS = (8, 12, 13, 14)
DIGITAL_LINK = "https://id.gs1.org"


def validate_lot_code(value):
    if not LOT_CODE.fullmatch(value or ""):
        raise ValidationError(
            _(
                "A lot code has 1 to 20 characters: Latin letters, digits and !\"%&'()*+,-./:;<=>?_ "
                "(GS1 batch/lot, AI 10); no spaces or Vietnamese letters."
            ),
            code="lot_code",
        )


def validate_gtin(value):
    digits = ean.compact(value or "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) not in GTIN_LENGTHS:
        raise ValidationError(_("A GTIN has 8, 12, 13 or 14 digits."), code="gtin_length")
    try:
        ean.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("%(gtin)s is not a valid GTIN: its last digit (the check digit) does not match."),
            params={"gtin": digits},
            code="gtin_check_digit",
        ) from None


def validate_gln(value):
    digits = ean.compact(value or "")
    if not (digits.isascii() and digits.isdigit()) or len(digits) != 13:
        raise ValidationError(_("A GLN has 13 digits."), code="gln_length")
    try:
        ean.validate(digits)
    except StdnumError:
        raise ValidationError(
            _("%(gln)s is not a valid GLN: its last digit (the check digit) does not match."),
            params={"gln": digits},
            code="gln_check_digit",
        ) from None


def compact(value):
    """Digits only, as stored: spaces and dashes typed from a label are dropped."""
    return ean.compact(value or "")


def gtin14(gtin):
    """The 14-digit form GS1 Digital Link and EPCIS use (zeros in front)."""
    return gtin.zfill(14)


def lot_uri(gtin, code):
    """The lot's GS1 Digital Link URI (AI 01 + AI 10), or "" without a GTIN."""
    if not gtin:
        return ""
    # Characters outside unreserved ones are percent-encoded, as GS1 Digital Link 1.2 requires.
    safe = "".join(ch if ch.isalnum() or ch in "-._~" else f"%{ord(ch):02X}" for ch in code)
    return f"{DIGITAL_LINK}/01/{gtin14(gtin)}/10/{safe}"


def location_uri(gln):
    """A site's GS1 Digital Link URI (AI 414), or "" without a GLN."""
    return f"{DIGITAL_LINK}/414/{gln}" if gln else ""
