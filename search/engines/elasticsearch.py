"""The Elasticsearch engine (8/9, or anything that speaks its API) through elasticsearch-dsl.

Products live in a concrete index named `<ELASTICSEARCH_INDEX>-<timestamp>` behind the
alias ELASTICSEARCH_INDEX; a rebuild fills a fresh index and swaps the alias in one
request, so searches never see a half-built index. Facets are filter aggregations, each
counted under every active filter but its own, with the filters as post_filter.

Relevance is Lucene's BM25 over three folded text fields weighed as buyers read a card:
the product's names (^3) above its description (^2) above producer, province, product
groups and quality labels (^1); stars, then freshness only break ties. The trade-terms
glossary (catalogue/glossary/ocop_glossary.txt) is applied at query time, as the embedded engine
applies it: each concept of the query (search.synonyms) must match through one of its
alternatives, each alternative a phrase. Not a synonym token filter: osmem-server, which
the tests and benchmarks run on, ignores synonym and synonym_graph filters, and one
expansion for every engine keeps their answers alike and an edited dictionary live on the
next search, without a rebuild.

A concept typed with diacritics also asks for its exact spelling in `marked_text` (the
words with their marks kept, tone placement canonical: search.tones) as a constant-score
clause worth EXACT, as the embedded engine does, so "cá" ranks fish above eggplant.
"""

import logging
import time

from elasticsearch import Elasticsearch
from elasticsearch.helpers import bulk
from elasticsearch_dsl import Boolean, Date, Document, Integer, Keyword, Search, Text, analyzer
from elasticsearch_dsl import Q as ESQ

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext

from catalogue.working_hours import DAY_MINUTES

from ..indexing import all_rows, index_rows
from ..query import FACETS, EngineAnswer, SearchQuery, terms
from ..synonyms import concepts
from .plain_json import PlainJsonNode

logger = logging.getLogger(__name__)

# Lucene's asciifolding maps every Vietnamese letter, đ/Đ included, to ASCII; the text is
# folded with anyascii before indexing and every query is sent folded too, so both halves
# agree whatever the cluster.
vietnamese_folding = analyzer("vietnamese_folding", tokenizer="standard", filter=["lowercase", "asciifolding"])

# Field -> weight in relevance: a name match counts three times a group-name one.
TEXT_FIELDS = {"name_text": 3, "description_text": 2, "other_text": 1}
# Per concept found spelt as typed, marks and all: more than any BM25 sum of a query here.
EXACT = 10_000
# The same order as the embedded engine, for search and autocomplete alike: stars and
# freshness only break ties of relevance.
RELEVANCE = ["_score", {"stars": "desc"}, {"published_at": "desc"}, {"page_id": "asc"}]


class ProductDocument(Document):
    title = Keyword(index=False)
    name_text = Text(analyzer=vietnamese_folding)
    description_text = Text(analyzer=vietnamese_folding)
    other_text = Text(analyzer=vietnamese_folding)
    # The three joined: a misspelt word may be in any of them (fuzzy fallback, autocomplete).
    document = Text(analyzer=vietnamese_folding)
    # The same words marked (search.tones): ASCII letters and digits, one token per word.
    marked_text = Text(analyzer=vietnamese_folding)
    url = Keyword(index=False)
    page_id = Integer()
    province_id = Integer()
    category_code = Keyword()
    category_path = Keyword()
    stars = Integer()
    signed_on = Date()
    expires_on = Date()
    revoked_on = Date()
    sample_available = Boolean()
    quality = Keyword()
    published_at = Date()
    sort_name = Keyword()
    reply_minutes = Integer()

    class Index:
        name = "ocop-products"
        settings = {"number_of_shards": 1, "number_of_replicas": 0}

    @classmethod
    def from_row(cls, row):
        parts = row.category_code.split(".")
        return cls(
            meta={"id": row.page_id},
            title=row.title,
            name_text=row.name_text,
            description_text=row.description_text,
            other_text=row.other_text,
            document=row.document,
            marked_text=row.marked_text,
            url=row.url,
            page_id=row.page_id,
            province_id=row.province_id,
            category_code=row.category_code,
            category_path=[".".join(parts[:i]) for i in range(1, len(parts) + 1)],
            stars=row.stars,
            signed_on=row.signed_on,
            expires_on=row.expires_on,
            revoked_on=row.revoked_on,
            sample_available=row.sample_available,
            quality=row.quality,
            published_at=row.published_at,
            sort_name=row.sort_name,
            reply_minutes=row.reply_minutes,
        )


_clients = {}


def client():
    """The Elasticsearch client (one per URL, reusing its connections).

    ELASTICSEARCH_CLIENT_OPTIONS adds constructor arguments (timeouts, certificates …);
    ELASTICSEARCH_PLAIN_JSON sends plain application/json (osmem-server, search.engines.plain_json).
    """
    options = {"request_timeout": 5, "max_retries": 0, "retry_on_timeout": False}
    if getattr(settings, "ELASTICSEARCH_PLAIN_JSON", False):
        options["node_class"] = PlainJsonNode
    options.update(getattr(settings, "ELASTICSEARCH_CLIENT_OPTIONS", {}))
    key = (settings.ELASTICSEARCH_URL, repr(sorted(options.items())))
    if key not in _clients:
        _clients[key] = Elasticsearch(settings.ELASTICSEARCH_URL, **options)
    return _clients[key]


class ElasticsearchEngine:
    name = "elasticsearch"

    def __init__(self, es=None, alias=None):
        self.es = es or client()
        self.alias = alias or settings.ELASTICSEARCH_INDEX

    # --- querying -------------------------------------------------------------

    def _visibility(self, on):
        return [
            ESQ("range", signed_on={"lte": on.isoformat()}),
            ESQ("range", expires_on={"gt": on.isoformat()}),
            ~ESQ("range", revoked_on={"lte": on.isoformat()}),
        ]

    def _concept(self, concept):
        """Any alternative of a concept as a phrase in any text field, scores summed.

        Summing rewards a bilingual name that says it twice ("Gạo ST25" and "ST25 rice")
        and a name that the description confirms, as BM25 over one field would not.
        """
        return ESQ(
            "bool",
            should=[
                ESQ("match_phrase", **{field: {"query": " ".join(phrase), "boost": weight}})
                for phrase in concept.alternatives
                for field, weight in TEXT_FIELDS.items()
            ],
            minimum_should_match=1,
        )

    def _exact(self, words, marked, skip_last=False):
        """Constant-score clauses for the concepts typed with marks, each worth EXACT when the
        product holds that spelling."""
        clauses, start = [], 0
        found = concepts(words)
        for position, concept in enumerate(found):
            typed = tuple(marked[start : start + len(concept.typed)]) if marked else concept.typed
            start += len(concept.typed)
            if typed == concept.typed or (skip_last and position == len(found) - 1):
                continue
            clauses.append(ESQ("constant_score", filter=ESQ("match_phrase", marked_text=" ".join(typed)), boost=EXACT))
        return clauses

    def _text(self, words, fuzzy=False, marked=None):
        if fuzzy:
            # A slip in any word: every word within one edit somewhere, names still first.
            text = " ".join(words)
            return ESQ(
                "bool",
                must=[ESQ("match", document={"query": text, "operator": "and", "fuzziness": 1, "prefix_length": 1})],
                should=[ESQ("match", name_text={"query": text, "fuzziness": 1, "prefix_length": 1, "boost": 3})],
            )
        return ESQ(
            "bool", must=[self._concept(concept) for concept in concepts(words)], should=self._exact(words, marked)
        )

    def _prefix(self, words, marked=None):
        """Every word but the last as a concept; the last as typed so far, or as a whole concept."""
        found = concepts(words)
        *complete, last = found
        must = [self._concept(concept) for concept in complete]
        if len(last.typed) == 1:
            must.append(
                ESQ(
                    "bool",
                    should=[
                        self._concept(last),
                        ESQ("prefix", document=last.typed[0]),
                        ESQ("prefix", name_text={"value": last.typed[0], "boost": 3}),
                    ],
                    minimum_should_match=1,
                )
            )
        else:
            must.append(self._concept(last))
        return ESQ("bool", must=must, should=self._exact(words, marked, skip_last=True))

    def _filter(self, query, facet):
        if facet == "province":
            return ESQ("term", province_id=query.province.pk)
        if facet == "category":
            return ESQ("term", category_path=query.category.code)
        if facet == "stars":
            return ESQ("range", stars={"gte": query.stars})
        if facet == "quality":
            return ESQ("terms", quality=list(query.qualities))
        raise ValueError(facet)

    def _search(self, query, words, fuzzy):
        on = query.on or timezone.localdate()
        base = list(self._visibility(on))
        if query.sample:
            base.append(ESQ("term", sample_available=True))
        if query.responds:
            base.append(ESQ("range", reply_minutes={"lte": query.responds * DAY_MINUTES}))
        must = [self._text(words, fuzzy=fuzzy, marked=query.marked)] if words else []
        active = {facet: self._filter(query, facet) for facet in FACETS if query.active(facet)}

        s = Search(using=self.es, index=self.alias).query(ESQ("bool", must=must, filter=base))
        if active:
            s = s.post_filter(ESQ("bool", filter=list(active.values())))
        for facet, field, size in (
            ("province", "province_id", 100),
            ("category", "category_code", 200),
            ("stars", "stars", 10),
            ("quality", "quality", 50),
        ):
            others = [f for name, f in active.items() if name != facet]
            s.aggs.bucket(facet, "filter", ESQ("bool", filter=others)).bucket("values", "terms", field=field, size=size)
        sort = {
            "relevance": RELEVANCE if words else None,
            "stars": [{"stars": "desc"}, {"published_at": "desc"}, {"page_id": "asc"}],
            "newest": [{"published_at": "desc"}, {"page_id": "desc"}],
            "name": [{"sort_name": "asc"}, {"page_id": "asc"}],
            # Products of unmeasured producers last, as the embedded engine orders them.
            "responsive": [
                {"reply_minutes": {"order": "asc", "missing": "_last"}},
                {"stars": "desc"},
                {"published_at": "desc"},
                {"page_id": "asc"},
            ],
        }[query.sort] or [{"stars": "desc"}, {"published_at": "desc"}, {"page_id": "asc"}]
        s = s.sort(*sort).source(False).extra(track_total_hits=True)
        s = s[query.offset : query.offset + query.page_size]
        return s.execute()

    def search(self, query):
        words = query.terms
        response = self._search(query, words, fuzzy=False)
        messages = []
        if words and response.hits.total.value == 0:
            response = self._search(query, words, fuzzy=True)
            if response.hits.total.value:
                messages.append(gettext("No exact match; showing close spellings."))
        counts = {}
        for facet in FACETS:
            buckets = getattr(response.aggregations, facet).values.buckets
            counts[facet] = {b.key: b.doc_count for b in buckets}
        return EngineAnswer(
            ids=[int(hit.meta.id) for hit in response.hits],
            total=response.hits.total.value,
            facet_counts=counts,
            messages=messages,
            engine=self.name,
        )

    def suggest(self, q, limit=10, on=None):
        """Page ids for the search box (search.contract.suggest re-checks them against the rule)."""
        words = terms(q)
        if not words:
            return []
        on = on or timezone.localdate()
        s = (
            Search(using=self.es, index=self.alias)
            .query(ESQ("bool", must=[self._prefix(words, SearchQuery(q=q).marked)], filter=self._visibility(on)))
            .sort(*RELEVANCE)
            .source(False)[:limit]
        )
        return [int(hit.meta.id) for hit in s.execute()]

    # --- indexing ---------------------------------------------------------------

    def _new_index(self):
        name = f"{self.alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000}"
        index = ProductDocument._index.clone(name=name, using=self.es)
        index.create()
        return name

    def _current_indices(self):
        if not self.es.indices.exists_alias(name=self.alias):
            return []
        return list(self.es.indices.get_alias(name=self.alias).keys())

    def ensure_index(self):
        if not self._current_indices():
            name = self._new_index()
            self.es.indices.update_aliases(actions=[{"add": {"index": name, "alias": self.alias}}])

    def _bulk(self, index, rows):
        actions = (
            {
                "_op_type": "index",
                "_index": index,
                "_id": row.page_id,
                "_source": ProductDocument.from_row(row).to_dict(),
            }
            for row in rows
        )
        ok, _errors = bulk(self.es, actions, chunk_size=1000, refresh=False)
        return ok

    def update(self, pages, on=None):
        self.ensure_index()
        page_ids = {int(pk) for pk in pages.values_list("pk", flat=True)}
        rows = list(index_rows(pages, on=on))
        count = self._bulk(self.alias, rows)
        gone = page_ids - {row.page_id for row in rows}
        if gone:
            bulk(
                self.es,
                ({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in gone),
                raise_on_error=False,
            )
        self.es.indices.refresh(index=self.alias)
        return count

    def remove(self, page_ids):
        if self._current_indices():
            bulk(
                self.es,
                ({"_op_type": "delete", "_index": self.alias, "_id": pk} for pk in page_ids),
                raise_on_error=False,
            )
            self.es.indices.refresh(index=self.alias)

    def rebuild(self, on=None):
        """Fill a new index, then point the alias at it and drop the old ones."""
        old = self._current_indices()
        name = self._new_index()
        count = self._bulk(name, all_rows(on=on))
        self.es.indices.refresh(index=name)
        actions = [{"remove": {"index": index, "alias": self.alias}} for index in old]
        actions.append({"add": {"index": name, "alias": self.alias}})
        self.es.indices.update_aliases(actions=actions)
        for index in old:
            self.es.indices.delete(index=index, ignore_unavailable=True)
        self.last_index = name
        return count

    def describe(self):
        return f"elasticsearch ({settings.ELASTICSEARCH_URL}, alias {self.alias})"
