"""Query expansion with the OCOP glossary (catalogue/glossary/ocop_glossary.txt and the agency's rows).

A query's folded words are grouped into concepts: a run of words that is a term of the
dictionary becomes one concept whose alternatives are every term of its group ("fish
sauce" -> "fish sauce" | "nuoc mam"); any other word is a concept of its own. Every
engine matches a product when each concept matches through one of its alternatives, so
"ceramic" finds "gốm" on SQLite, PostgreSQL and Elasticsearch alike.
"""

from dataclasses import dataclass
from itertools import combinations

from catalogue import glossary
from catalogue.text import words

from .stemming import stems

# Longest dictionary term, in words: the greedy match never looks further ahead.
_MAX_PHRASE = 6
# Shorter queries `Dictionary.relaxed` offers at most (each costs the engine one search).
RELAXED = 6


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
    groups, _broader = broader_phrases(glossary.Glossary(sections).search_lines())
    return groups


def _phrases(terms):
    group = []
    for term in terms:
        phrase = tuple(stems(words(term)))
        if phrase and phrase not in group and len(phrase) <= _MAX_PHRASE:
            group.append(phrase)
    return group


def phrase_groups(term_groups):
    """Each group's terms folded into phrases (tuples of words); groups of one are dropped."""
    return [tuple(group) for group in map(_phrases, term_groups) if len(group) > 1]


def broader_phrases(lines):
    """Split the glossary's lines (terms, synonyms) into groups of equals and broader phrases.

    A synonym whose folded, singular words occur inside a longer phrase of its line ("tea"
    beside "green tea", "peanut" beside "roasted peanuts") is wider than the line. Returns
    (groups, [(broader phrase, the phrases of its line)]).
    """
    groups, broader = [], []
    for terms, synonyms in lines:
        equal = _phrases(terms)
        wider = []
        for phrase in _phrases(synonyms):
            if any(len(other) > len(phrase) and _contains(other, phrase) for other in [*equal, *_phrases(synonyms)]):
                wider.append(phrase)
            elif phrase not in equal:
                equal.append(phrase)
        if len(equal) > 1:
            groups.append(tuple(equal))
        broader.extend((phrase, tuple(equal)) for phrase in wider if equal)
    return groups, broader


def _terms(lines):
    return [term for terms, synonyms in lines for term in (*terms, *synonyms)]


def english_phrases(lines):
    """The glossary's phrases written without Vietnamese letters or marks: its English side."""
    return set(_phrases(term for term in _terms(lines) if term.isascii()))


def vietnamese_phrases(lines):
    """The glossary's phrases written with Vietnamese letters or marks, folded."""
    return set(_phrases(term for term in _terms(lines) if not term.isascii()))


class Dictionary:
    """Phrase -> every phrase of the groups it belongs to (a phrase in two groups joins both).

    A broader phrase ("tea", written beside "green tea") also means its group's phrases, one
    way only: "tea" finds "chè xanh", while "green tea" never widens to every tea. `english`
    holds the phrases of the glossary's English side (see `relaxed`).
    """

    def __init__(self, groups, broader=(), english=(), vietnamese=()):
        self.groups = list(groups)
        self.english = frozenset(english)
        self.vietnamese = frozenset(vietnamese)
        self.meaning = {}
        for group in self.groups:
            for phrase in group:
                known = self.meaning.setdefault(phrase, [])
                known.extend(p for p in group if p not in known)
        for phrase, group in broader:
            known = self.meaning.setdefault(phrase, [phrase])
            known.extend(p for p in group if p not in known)

    def concepts(self, query_words, longest=_MAX_PHRASE):
        """Group folded words into Concepts, longest dictionary phrase first, left to right."""
        found, i = [], 0
        query_words = list(query_words)
        while i < len(query_words):
            for size in range(min(longest, len(query_words) - i), 0, -1):
                phrase = tuple(query_words[i : i + size])
                alternatives = self.meaning.get(phrase)
                if alternatives or size == 1:
                    others = [p for p in alternatives or () if p != phrase]
                    found.append(Concept(typed=phrase, alternatives=_minimal((phrase, *others))))
                    i += size
                    break
        return found

    def relaxed(self, query_words):
        """Shorter or looser queries to try, in order, when nothing matches an English query.

        First the same words with each phrase of several words taken apart ("coconut face
        mask" as "coconut" and "face mask", "hydroponic vegetables" as two words), every
        word still required. Then, as English puts the head noun last ("wildflower honey",
        "japanese rice", "salted fish"), queries that keep the last concept and drop
        modifiers, fewest first, those farthest from the head first: "instant lotus oolong
        tea" -> "lotus oolong tea", "instant oolong tea", "oolong tea". At most RELAXED;
        none for a single word, or for a query whose last concept is not an English phrase
        of the glossary (a Vietnamese name puts its head first; "bat trang" is a place).
        """
        found = self.concepts(query_words)
        split = [part for concept in found for part in self._apart(concept)]
        if len(split) < 2 or not self._english(split):
            return []
        queries = [] if len(split) == len(found) else [self._words(split)]
        head, modifiers = split[-1], split[:-1]
        for size in range(len(modifiers) - 1, -1, -1):
            # combinations() yields the leftmost first; reversed keeps those nearest the head first.
            for kept in reversed(list(combinations(modifiers, size))):
                queries.append(self._words([*kept, head]))
        unique = []
        for query in queries:
            if query not in unique:
                unique.append(query)
        return unique[:RELAXED]

    def _apart(self, concept):
        """A concept of several words as the shorter concepts inside it; others as they are."""
        if len(concept.typed) < 2:
            return [concept]
        return self.concepts(concept.typed, longest=len(concept.typed) - 1)

    def _english(self, concepts):
        """Whether the query reads as English: its head (the last concept) is a phrase of the
        glossary's English side and not of its Vietnamese one ("tea", not "homestay")."""
        head = concepts[-1].typed
        return head in self.english and head not in self.vietnamese

    def _words(self, concepts):
        """Words that parse back into these concepts: in order, or else the other way round
        (every concept must match anyway, so their order does not matter to a search)."""
        wanted = sorted(concept.typed for concept in concepts)
        for ordered in (concepts, concepts[::-1]):
            flat = [word for concept in ordered for word in concept.typed]
            if sorted(concept.typed for concept in self.concepts(flat)) == wanted:
                return flat
        return [word for concept in concepts for word in concept.typed]


def _contains(phrase, part):
    return any(phrase[i : i + len(part)] == part for i in range(len(phrase) - len(part) + 1))


def _minimal(alternatives):
    """Drop phrases that hold a shorter alternative: whatever "gom su" matches, "gom" matches."""
    return tuple(p for p in alternatives if not any(q != p and _contains(p, q) for q in alternatives))


def build(lines):
    """The Dictionary of the glossary's search lines (catalogue.glossary.Glossary.search_lines)."""
    groups, broader = broader_phrases(lines)
    return Dictionary(groups, broader, english_phrases(lines), vietnamese_phrases(lines))


_loaded = {"glossary": None, "dictionary": None}


def dictionary():
    """The dictionary as the glossary is now (reread when its file or the agency's rows change)."""
    current = glossary.current()
    if _loaded["glossary"] is not current:
        _loaded.update(glossary=current, dictionary=build(current.search_lines()))
    return _loaded["dictionary"]


def concepts(query_words):
    return dictionary().concepts(query_words)


def relaxed(query_words):
    return dictionary().relaxed(query_words)
