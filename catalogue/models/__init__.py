from .certifications import Certification
from .editorial import EnglishIntro, EnglishTitle, localized
from .glossary import GlossaryTerm
from .members import ProducerMembership
from .places import Province
from .producers import Producer
from .products import (
    CARD_FIELDS,
    HomePage,
    ProductImage,
    ProductIndexPage,
    ProductPage,
    QualityCertification,
    prefetch_cards,
    prefetch_records,
)
from .responsiveness import Responsiveness
from .taxonomy import Category

__all__ = [
    "CARD_FIELDS",
    "Category",
    "Certification",
    "EnglishIntro",
    "EnglishTitle",
    "GlossaryTerm",
    "HomePage",
    "Producer",
    "ProducerMembership",
    "ProductImage",
    "ProductIndexPage",
    "ProductPage",
    "Province",
    "QualityCertification",
    "Responsiveness",
    "localized",
    "prefetch_cards",
    "prefetch_records",
]
