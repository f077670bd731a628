"""Content in the visitor's language: one product, its names and descriptions in two fields.

A product, producer or product group keeps its Vietnamese text in one field and its
English text in an `_en` field. `shown` picks what a page in the active language shows:
the English text when the page is in English and the producer wrote one, the Vietnamese
otherwise (and the English when there is no Vietnamese). Each pick carries the language it
is written in, so a template can mark a fallback with its own `lang` attribute.

A product whose producer wrote no English name may have one composed from the OCOP
glossary (`catalogue.glossary.naming`): `shown` gives it to an English reader in place of
the Vietnamese, marked `.from_glossary` so a page says where it came from. It is never
stored over a name a person wrote, and a Vietnamese reader never sees it.
"""

from django.conf import settings
from django.utils import translation

VIETNAMESE, ENGLISH = "vi", "en"


class Shown(str):
    """A text that knows its language (`.lang`); otherwise an ordinary string."""

    lang: str
    from_glossary: bool

    def __new__(cls, text, lang, from_glossary=False):
        shown = super().__new__(cls, text or "")
        shown.lang = lang
        shown.from_glossary = from_glossary
        return shown


def in_english():
    """Whether the active language (the page's, or an email's recipient's) is English."""
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0] == ENGLISH


def shown(vietnamese, english, composed=""):
    """The text of the pair a reader in the active language sees; `composed` (a name from
    the glossary, or a callable giving it) stands in for a missing English text for an
    English reader."""
    if english and (in_english() or not vietnamese):
        return Shown(english, ENGLISH)
    if not english and in_english():
        composed = composed() if callable(composed) else composed
        if composed:
            return Shown(composed, ENGLISH, from_glossary=True)
    return Shown(vietnamese, VIETNAMESE)


def other(vietnamese, english):
    """The text of the pair `shown` did not pick, when both are written (a subtitle); else ''."""
    if not (vietnamese and english):
        return Shown("", VIETNAMESE)
    return Shown(vietnamese, VIETNAMESE) if in_english() else Shown(english, ENGLISH)
