"""What a row is matched against: reference data (sub-groups, provinces) and the producers.

Producers match by registration number, else by their name with the legal-form prefix
written one way, within their province; near matches are only proposed.
"""

import difflib
import re
from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from catalogue.lookups import reference
from catalogue.models import Producer, ProductIndexPage, Province
from catalogue.models.certifications import MERGER_DAY
from catalogue.text import fold

from .errors import RowError

# On folded text: "TP. Hồ Chí Minh" folds to "tp ho chi minh".
PROVINCE_PREFIX = re.compile(r"^(tinh|thanh pho|tp) ")
BODY_PROVINCE = re.compile(r"^(?:uy ban nhan dan|ubnd|hoi dong ocop|hd ocop)? ?(?:tinh|thanh pho|tp) (.+)$")


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
