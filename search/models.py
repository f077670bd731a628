"""The embedded engine's denormalised index: one row per visible product, its text, and words.

Rows are derived data (see search/indexing.py); `rebuild_search_index` recreates them. The
full-text structures live beside these tables, created per database in the migrations:
an FTS5 table over SearchDocument on SQLite, a generated tsvector column with a GIN index
on SearchDocument and a trigram index on SearchWord on PostgreSQL.
"""

from django.db import models


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
        # Searches read these columns from memory (search/engines/columns.py), which loads
        # them in name order once per index change; no other index is needed to query them.
        indexes = [models.Index(fields=["sort_name"], name="search_entry_name")]
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class SearchDocument(models.Model):
    """The folded text of an entry, in its own table so the entry rows stay narrow to load."""

    entry = models.OneToOneField(SearchEntry, primary_key=True, on_delete=models.CASCADE, related_name="text")
    document = models.TextField(help_text="Folded text of every searchable field.")

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
