"""The development set of real OCOP products (tests/search/real_products.tsv) and how well an
engine finds them.

Each product is a name published in a recognition decision (or the news report of one),
with its province, group code and stars, what an English buyer would type, and its
tone-mark pairs. `build` lists them in the catalogue as a decision would (Vietnamese name
only: no English name, no description), `evaluate` asks an engine for each product by its
name as published, by the same name without diacritics and by the English words, and
counts how often the product is in the first ten, over all rows and, in English, per batch
(the rows under "# batch: check" were added from other pages as a check of generalisation
before the glossary was tuned on the first ones). tests/search/test_real_products.py
requires every Vietnamese query to succeed on every engine; `make bench-search`
(tests/bench/relevance.py) prints the figures per engine and language.
"""

import csv
import datetime
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from catalogue.models import Category, Province
from catalogue.text import fold, slugify
from search.signals import batched
from search.tasks import reindex
from tests.factories import CertificationFactory, ProducerFactory, ProductPageFactory

DATA = Path(__file__).resolve().parents[1] / "search" / "real_products.tsv"
TOP = 10
LANGUAGES = ("vi", "vi-folded", "en")


@dataclass(frozen=True)
class RealProduct:
    name: str
    province: str  # slug as it was when the decision was signed
    code: str
    stars: int
    english: str
    group: str
    source: str
    batch: str = "dev"  # "# batch:" line above it: "dev", or "check" for the generalisation rows
    # (typed, other, same_word): "mè~me" -> ("mè", "me", False); "Thúy=Thuý" -> ("Thúy", "Thuý", True)
    pairs: tuple = ()

    def queries(self):
        """{language: the query a buyer types for this product}."""
        return {"vi": self.name, "vi-folded": fold(self.name), "en": self.english}


def _pairs(text):
    found = []
    for item in filter(None, (part.strip() for part in text.split(";"))):
        same = "=" in item
        typed, other = item.split("=" if same else "~")
        found.append((typed.strip(), other.strip(), same))
    return tuple(found)


def load(path=DATA):
    """The products of the data file, in file order, with the group and source they are listed under."""
    products, group, source, batch = [], "", "", "dev"
    with open(path, encoding="utf-8", newline="") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line.startswith("# group:"):
                group = line.removeprefix("# group:").strip()
            elif line.startswith("# batch:"):
                batch = line.removeprefix("# batch:").strip()
            elif line.startswith("# source:"):
                source = line.removeprefix("# source:").strip()
            elif line and not line.startswith("#") and not line.startswith("name\t"):
                name, province, code, stars, english, *pairs = next(csv.reader([line], delimiter="\t"))
                products.append(
                    RealProduct(
                        name=name,
                        province=province,
                        code=code,
                        stars=int(stars),
                        english=english,
                        group=group,
                        source=source,
                        batch=batch,
                        pairs=_pairs(pairs[0] if pairs else ""),
                    )
                )
    return products


def build(parent, products=None):
    """List the products under `parent` (a product index page), certified and visible today:
    {name: page}, indexed by every engine in one pass, as the decision importer does."""
    products = products if products is not None else load()
    categories = {c.code: c for c in Category.objects.all()}
    pages = {}
    with batched():
        for number, product in enumerate(products):
            province, _legacy = Province.objects.by_slug(product.province)
            producer = ProducerFactory(province=province)
            page = ProductPageFactory(
                parent=parent,
                title=product.name,
                slug=f"{slugify(product.name)[:60]}-{number}",
                name_en="",
                description="",
                producer=producer,
                province=province,
                category=categories[product.code],
            )
            CertificationFactory(
                product=page, stars=product.stars, signed_on=timezone.localdate() - datetime.timedelta(days=100)
            )
            pages[product.name] = page
    # Now rather than after the commit batched() waits for: a test's transaction never commits.
    reindex(sorted(page.pk for page in pages.values()))
    return pages


@dataclass
class Recall:
    """Per language: queries asked, products found in the first TOP, and the misses."""

    asked: dict = field(default_factory=lambda: dict.fromkeys(LANGUAGES, 0))
    found: dict = field(default_factory=lambda: dict.fromkeys(LANGUAGES, 0))
    missed: dict = field(default_factory=lambda: {language: [] for language in LANGUAGES})
    # English per batch: {batch: [asked, found]}
    english_by_batch: dict = field(default_factory=dict)

    def recall(self, language):
        return self.found[language] / self.asked[language] if self.asked[language] else 0.0

    def table(self, engine=""):
        lines = [f"real products ({engine}): found in the first {TOP}"]
        for language in LANGUAGES:
            lines.append(
                f"  {language:10} {self.found[language]:4}/{self.asked[language]:<4} recall {self.recall(language):.3f}"
            )
        for batch, (asked, found) in sorted(self.english_by_batch.items()):
            lines.append(f"  en {batch:7} {found:4}/{asked:<4} recall {found / asked if asked else 0.0:.3f}")
        return "\n".join(lines)


def evaluate(run, pages, products=None, top=TOP):
    """Ask `run(q)` (page ids in rank order) for every product in every language."""
    products = products if products is not None else load()
    recall = Recall()
    for product in products:
        wanted = pages[product.name].pk
        for language, q in product.queries().items():
            recall.asked[language] += 1
            hit = wanted in run(q)[:top]
            if language == "en":
                counts = recall.english_by_batch.setdefault(product.batch, [0, 0])
                counts[0] += 1
                counts[1] += hit
            if hit:
                recall.found[language] += 1
            else:
                recall.missed[language].append(q)
    return recall
