"""The OCOP glossary: Vietnamese product terms with their English, in one home.

One file (`ocop_glossary.txt`, beside this module) and the agency's `GlossaryTerm` rows
make one glossary. Search widens a buyer's query with it (`search.synonyms`), and a product
that has no English name gets one composed from it (`catalogue.glossary.naming`). Both
read it through `current()`, which rereads the file when it changes and the rows when one
is saved or deleted, in this process at once and in the others within a few seconds.

File format, one term a line, columns separated by tabs:

    mực khô<TAB>dried squid<TAB>dried cuttlefish, squid jerky

the Vietnamese term as written in product names (several spellings may be listed,
comma-separated, the first being the head), its English rendering, and other words
buyers type. `## Title` opens a section and the `# source:` line after it says where its
terms come from. A `~` before the Vietnamese marks a term for names only: a one-word term
that folds onto common words without its tone marks ("chè" is "che" as in "chế biến")
must never widen a search. A line without a tab is a group of equivalent search terms
that names nothing (`dried, sấy khô, sấy dẻo`).
"""

import re
import threading
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError

GLOSSARY_FILE = Path(__file__).with_name("ocop_glossary.txt")
# Seconds between two looks at whether another process saved a row (one cache read).
RECHECK_SECONDS = 5
_VERSION_KEY = "catalogue:glossary:rows"

# An English rendering starting with one of these goes after the product ("in teabags").
AFTER_HEAD = ("in ", "with ", "for ", "of ", "from ", "by ", "on ")
SKIP, KEEP = "-", "="

_TOKEN = re.compile(r"\([^)]*\)|\d+(?:[.,]\d+)*|[^\W_]+(?:['’][^\W_]+)*")
# The old and the new tone placement both occur in names ("hoà"/"hòa", "thuỷ"/"thủy").
_OLD_TONES = {}
for _pair, _marked in (("oa", "òóỏõọ"), ("oe", "òóỏõọ"), ("uy", "ùúủũụ")):
    for _tone, _vowel in zip("\u0300\u0301\u0309\u0303\u0323", _marked, strict=True):
        _OLD_TONES[_pair[0] + unicodedata.normalize("NFC", _pair[1] + _tone)] = _vowel + _pair[1]


def tokens(text):
    """Words, numbers and parenthesised groups of a name, as written."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text or ""))


def key(word):
    """A word as the glossary compares it: lower case, tone marks kept, one tone placement."""
    word = unicodedata.normalize("NFC", word).lower().replace("’", "'")
    for old, new in _OLD_TONES.items():
        word = word.replace(old, new)
    return word


def phrase_key(text):
    return tuple(key(word) for word in tokens(text))


@dataclass(frozen=True)
class Entry:
    vietnamese: str
    english: str
    synonyms: tuple = ()
    names_only: bool = False
    section: str = ""
    spellings: tuple = ()  # other Vietnamese spellings, searched alike

    @property
    def names(self):
        """Whether the entry can name a product (a rendering that is not a search-only group)."""
        return bool(self.english)


@dataclass
class Section:
    title: str
    source: str = ""
    entries: list = field(default_factory=list)


def parse(text):
    """Sections of entries from the glossary file's text."""
    sections = [Section("")]
    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("##"):
            sections.append(Section(line.lstrip("#").strip()))
            continue
        if line.startswith("#"):
            comment = line.lstrip("#").strip()
            if comment.lower().startswith("source:"):
                source = comment.split(":", 1)[1].strip()
                sections[-1].source = f"{sections[-1].source} {source}".strip()
            continue
        line = raw.split("#", 1)[0]
        if not line.strip():
            continue
        entry = _entry(line, sections[-1].title)
        if entry:
            sections[-1].entries.append(entry)
    return [s for s in sections if s.entries or s.title]


def _terms(column):
    return [term.strip() for term in column.split(",") if term.strip()]


def _entry(line, section):
    if "\t" not in line:
        # A group of equivalent search terms: names nothing.
        terms = _terms(line)
        return Entry(terms[0], "", tuple(terms[1:]), section=section) if terms else None
    # Runs of tabs count as one, so columns may be aligned.
    columns = [column.strip() for column in re.split(r"\t+", line.strip())] + ["", ""]
    vietnamese, english, synonyms = columns[0], columns[1], columns[2]
    names_only = vietnamese.startswith("~")
    spellings = _terms(vietnamese.lstrip("~"))
    if not spellings:
        return None
    return Entry(
        vietnamese=spellings[0],
        english=english.strip(),
        synonyms=tuple(_terms(synonyms)),
        names_only=names_only,
        section=section,
        spellings=tuple(spellings[1:]),
    )


class Glossary:
    """The entries of the file and the agency's rows (a row overrides the file's line for its term)."""

    def __init__(self, sections, rows=()):
        self.sections = sections
        by_term = {}
        for section in sections:
            for entry in section.entries:
                by_term.setdefault(phrase_key(entry.vietnamese), entry)
        for row in rows:
            by_term[phrase_key(row.vietnamese)] = row
        self.entries = list(by_term.values())
        self.index = {}
        for entry in self.entries:
            if not entry.names:
                continue
            for spelling in (entry.vietnamese, *entry.spellings):
                self.index.setdefault(phrase_key(spelling), entry)
        self.longest = max((len(k) for k in self.index), default=0)

    def head_terms(self):
        """Entries that name something (search-only groups excluded)."""
        return [e for e in self.entries if e.names]

    def match(self, keys, start):
        """The longest entry whose term is the words from `start` on, and its length in words."""
        for size in range(min(self.longest, len(keys) - start), 0, -1):
            entry = self.index.get(tuple(keys[start : start + size]))
            if entry is not None:
                return entry, size
        return None, 0

    def search_groups(self):
        """Groups of terms that mean the same to a buyer, for query expansion (search.synonyms)."""
        return [[*terms, *synonyms] for terms, synonyms in self.search_lines() if len(terms) + len(synonyms) > 1]

    def search_lines(self):
        """Per entry, (its Vietnamese spellings and English rendering, the other words buyers type):
        search.synonyms treats a synonym that is part of another term of its line as broader."""
        lines = []
        for entry in self.entries:
            terms = [] if entry.names_only else [entry.vietnamese, *entry.spellings]
            if not entry.names:
                # A line without a rendering is a group of equals.
                lines.append(([*terms, *entry.synonyms], []))
                continue
            if entry.english not in (SKIP, KEEP) and not entry.english.startswith(AFTER_HEAD):
                terms.append(entry.english)
            lines.append((terms, list(entry.synonyms)))
        return lines


def path():
    """The glossary file: settings.OCOP_GLOSSARY, or SEARCH_TRADE_TERMS (its former name), or the shipped one."""
    configured = getattr(settings, "OCOP_GLOSSARY", "") or getattr(settings, "SEARCH_TRADE_TERMS", "")
    return Path(configured or GLOSSARY_FILE)


class _Held:
    """The glossary this process holds and what it was read from."""

    def __init__(self):
        self.lock = threading.Lock()
        self.file_key = None
        self.sections = []
        self.rows = None  # None: to be read
        self.rows_version = None
        self.checked_at = 0.0
        self.glossary = None
        self.generation = 0


_held = _Held()


def _file_key(source):
    try:
        stat = source.stat()
        return (str(source), stat.st_mtime_ns, stat.st_size)
    except OSError:
        return (str(source), None, None)


# The agency's rows live in catalogue.models.glossary, which registers here how to read them:
# the models import this module, never the other way round.
_row_sources = []


def read_rows_from(rows):
    """Register a callable returning the agency's rows (objects with vietnamese, english, synonyms, names_only)."""
    if rows not in _row_sources:
        _row_sources.append(rows)


def _read_rows():
    try:
        return [
            Entry(
                vietnamese=row.vietnamese.strip(),
                english=row.english.strip(),
                synonyms=tuple(_terms(row.synonyms)),
                names_only=row.names_only,
                section="agency",
            )
            for rows in _row_sources
            for row in rows()
        ]
    except DatabaseError:  # the table does not exist yet (before migrate)
        return []


def current():
    """The glossary as the file and the rows are now."""
    held = _held
    source = path()
    file_key = _file_key(source)
    now = time.monotonic()
    if held.rows is not None and now - held.checked_at > RECHECK_SECONDS:
        held.checked_at = now
        if cache.get(_VERSION_KEY) != held.rows_version:
            held.rows = None  # another process saved a row
    if held.glossary is None or held.file_key != file_key or held.rows is None:
        with held.lock:
            if held.file_key != file_key:
                text = source.read_text(encoding="utf-8") if file_key[1] is not None else ""
                held.sections, held.file_key = parse(text), file_key
            if held.rows is None:
                held.rows_version = cache.get(_VERSION_KEY)
                if held.rows_version is None:
                    held.rows_version = uuid.uuid4().hex
                    cache.add(_VERSION_KEY, held.rows_version, None)
                    held.rows_version = cache.get(_VERSION_KEY) or held.rows_version
                held.rows = _read_rows()
                held.checked_at = now
            held.glossary = Glossary(held.sections, held.rows)
            held.generation += 1
    return held.glossary


def generation():
    """A number that changes whenever the glossary is read again (a cache key for what it composes)."""
    current()
    return _held.generation


def forget():
    """Read the agency's rows again: now in this process, within RECHECK_SECONDS in the others."""
    cache.set(_VERSION_KEY, uuid.uuid4().hex, None)
    _held.rows = None
