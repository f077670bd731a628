"""Query expansion with the OCOP glossary (catalogue/glossary/ocop_glossary.txt and the agency's rows).

A query's folded words are grouped into concepts: a run of words that is a term of the
dictionary becomes one concept whose alternatives are every term of its group ("fish
sauce" -> "fish sauce" | "nuoc mam"); any other word is a concept of its own. Every
engine matches a product when each concept matches through one of its alternatives, so
"ceramic" finds "gốm" on SQLite, PostgreSQL and Elasticsearch alike.
"""

from dataclasses import dataclass

from catalogue import glossary
from catalogue.text import words

from .stemming import stems

# Longest dictionary term, in words: the greedy match never looks further ahead.
_MAX_PHRASE = 6


@dataclass(frozen=True)
class Concept:
    """One thing the buyer asked for: the words as typed and every phrase meaning the same."""

    typed: tuple
    alternatives: tuple  # tuples of folded words; the typed phrase first

    @property
    def expanded(self):
        return len(self.alternatives) > 1


def parse(text):
    """Groups of folded phrases, plurals made singular as in the index, from glossary text."""
    sections = glossary.parse(text)
    return phrase_groups(glossary.Glossary(sections).search_groups())


def phrase_groups(term_groups):
    """Each group's terms folded into phrases (tuples of words); groups of one are dropped."""
    groups = []
    for terms in term_groups:
        group = []
        for term in terms:
            phrase = tuple(stems(words(term)))
            if phrase and phrase not in group and len(phrase) <= _MAX_PHRASE:
                group.append(phrase)
        if len(group) > 1:
            groups.append(tuple(group))
    return groups


class Dictionary:
    """Phrase -> every phrase of the groups it belongs to (a phrase in two groups joins both)."""

    def __init__(self, groups):
        self.groups = list(groups)
        self.meaning = {}
        for group in self.groups:
            for phrase in group:
                known = self.meaning.setdefault(phrase, [])
                known.extend(p for p in group if p not in known)

    def concepts(self, query_words):
        """Group folded words into Concepts, longest dictionary phrase first, left to right."""
        found, i = [], 0
        query_words = list(query_words)
        while i < len(query_words):
            for size in range(min(_MAX_PHRASE, len(query_words) - i), 0, -1):
                phrase = tuple(query_words[i : i + size])
                alternatives = self.meaning.get(phrase)
                if alternatives or size == 1:
                    others = [p for p in alternatives or () if p != phrase]
                    found.append(Concept(typed=phrase, alternatives=_minimal((phrase, *others))))
                    i += size
                    break
        return found


def _contains(phrase, part):
    return any(phrase[i : i + len(part)] == part for i in range(len(phrase) - len(part) + 1))


def _minimal(alternatives):
    """Drop phrases that hold a shorter alternative: whatever "gom su" matches, "gom" matches."""
    return tuple(p for p in alternatives if not any(q != p and _contains(p, q) for q in alternatives))


_loaded = {"glossary": None, "dictionary": None}


def dictionary():
    """The dictionary as the glossary is now (reread when its file or the agency's rows change)."""
    current = glossary.current()
    if _loaded["glossary"] is not current:
        _loaded.update(glossary=current, dictionary=Dictionary(phrase_groups(current.search_groups())))
    return _loaded["dictionary"]


def concepts(query_words):
    return dictionary().concepts(query_words)
