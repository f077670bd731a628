"""The embedded engine's denormalised index: one row per visible product, its text, and words.

Rows are derived data (see search/indexing.py); `rebuild_search_index` recreates them. The
full-text structures live beside these tables, created per database in the migrations:
an FTS5 table over SearchDocument on SQLite, a generated tsvector column with a GIN index
on SearchDocument and a trigram index on SearchWord on PostgreSQL.
"""

from django.db import models

# The entry columns a SearchDocument copies.
COPIED_COLUMNS = [
    "province_id",
    "stars",
    "category_code",
    "cert_mask",
    "signed_on",
    "expires_on",
    "revoked_on",
    "sample_available",
    "published_at",
    "sort_name",
]
FACET_COLUMNS = ["category_code", "cert_mask", "sample_available", "signed_on", "expires_on", "revoked_on"]


class SearchEntry(models.Model):
    page = models.OneToOneField("catalogue.ProductPage", primary_key=True, on_delete=models.CASCADE, related_name="+")
    title = models.CharField(max_length=255)
    name_en = models.CharField(max_length=255, blank=True)
    url = models.CharField(max_length=512)
    province = models.ForeignKey("catalogue.Province", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey("catalogue.Category", on_delete=models.CASCADE, related_name="+")
    category_code = models.CharField(max_length=8)
    # The current record, so a query can drop a product the day its record lapses.
    stars = models.PositiveSmallIntegerField()
    signed_on = models.DateField()
    expires_on = models.DateField()
    revoked_on = models.DateField(null=True, blank=True)
    sample_available = models.BooleanField(default=False)
    # One bit per QualityCertification.Scheme (see search.contract.CERT_BITS).
    cert_mask = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    sort_name = models.CharField(max_length=255, help_text="Folded title, for sorting by name.")

    class Meta:
        # Covering indexes: facet counts read only these columns, never the wide document.
        indexes = [
            # On PostgreSQL the page of a filtered search is ordered from these indexes
            # alone (relevance, stars and newest sort on stars, published_at, page_id).
            models.Index(
                fields=["province", "stars", *FACET_COLUMNS],
                include=["published_at", "page"],
                name="search_entry_province",
            ),
            models.Index(fields=["stars", "province", *FACET_COLUMNS], name="search_entry_stars"),
            # category_code first: a product group's codes are listed, so a group filter seeks.
            models.Index(
                fields=["category_code", "stars", "province", *FACET_COLUMNS[1:]],
                include=["published_at", "page"],
                name="search_entry_category",
            ),
            models.Index(fields=["published_at"], name="search_entry_newest"),
            models.Index(fields=["sort_name"], name="search_entry_name"),
        ]
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class SearchDocument(models.Model):
    """The folded text of an entry, in its own table so entry rows stay narrow and cheap to count."""

    entry = models.OneToOneField(SearchEntry, primary_key=True, on_delete=models.CASCADE, related_name="text")
    document = models.TextField(help_text="Folded text of every searchable field.")
    # Copies of the entry's filter and sort columns, written with it: a PostgreSQL text
    # search reads them from the rows its GIN index points at instead of joining every
    # match to its entry. Nullable only so SQLite adds them without rebuilding the table
    # (and its full-text triggers).
    province_id = models.IntegerField(null=True)
    stars = models.PositiveSmallIntegerField(null=True)
    category_code = models.CharField(max_length=8, null=True)  # noqa: DJ001
    cert_mask = models.PositiveIntegerField(null=True)
    signed_on = models.DateField(null=True)
    expires_on = models.DateField(null=True)
    revoked_on = models.DateField(null=True)
    sample_available = models.BooleanField(null=True)
    published_at = models.DateTimeField(null=True)
    sort_name = models.CharField(max_length=255, null=True)  # noqa: DJ001

    def __str__(self):
        return self.document[:80]


class SearchWord(models.Model):
    """Every folded word in the index: the vocabulary slips are corrected against."""

    word = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return self.word


class IndexVersion(models.Model):
    """One row whose token changes with every write to the index (see search/engines/columns.py).

    Processes keep the index's facet columns in memory and compare this token with the one
    they loaded at, so a change made by any process is seen by every other on its next search.
    """

    token = models.CharField(max_length=32)

    def __str__(self):
        return self.token
