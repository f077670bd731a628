"""The columns of an annex: the headers provinces write for each, and their names as shown."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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


def label(column):
    return _(LABELS.get(column, column))
