"""The embedded engine's denormalised index: one row per visible product, its text, and words.

Rows are derived data (see search/indexing.py); `rebuild_search_index` recreates them. The
full-text structures live beside these tables, created per database in the migration: an
FTS5 table over SearchDocument's text fields on SQLite; on PostgreSQL a generated
tsvector column (weights A/B/C for the three folded fields, D for the marked one) with a
GIN index on SearchDocument, and a trigram index on SearchWord.
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
    # One bit per QualityCertification.Scheme (see search.query.QUALITY_BITS).
    quality_mask = models.PositiveIntegerField(default=0)
    published_at = models.DateTimeField(null=True, blank=True)
    sort_name = models.CharField(max_length=255, help_text="Folded title, for sorting by name.")
    # The producer's median time to a first reply (working minutes), once measured.
    reply_minutes = models.PositiveIntegerField(null=True, blank=True)
    # Word counts of the three text fields: relevance normalises a match by its field's length.
    name_words = models.PositiveSmallIntegerField(default=0)
    description_words = models.PositiveSmallIntegerField(default=0)
    other_words = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name_plural = "search entries"

    def __str__(self):
        return self.title


class SearchDocument(models.Model):
    """The folded text of an entry, in its own table so the entry rows stay narrow to load."""

    entry = models.OneToOneField(SearchEntry, primary_key=True, on_delete=models.CASCADE, related_name="text")
    name_text = models.TextField(help_text="Folded title and English name.")
    description_text = models.TextField(help_text="Folded descriptions, HTML stripped.")
    other_text = models.TextField(help_text="Folded producer, province, product group and quality labels.")
    marked_text = models.TextField(
        blank=True, default="", help_text="The three fields' words with their marks kept (search.tones)."
    )

    def __str__(self):
        return self.name_text[:80]


class SearchWord(models.Model):
    """Every folded word in the index: the vocabulary slips are corrected against."""

    word = models.CharField(max_length=64, unique=True)

    def __str__(self):
        return self.word


class IndexVersion(models.Model):
    """The index's version: one row, locked by every write (see search/engines/columns.py).

    `generation` changes when the index is rebuilt; `seq` counts the writes since, each
    logged as an IndexChange in the same transaction, so a process holding the columns at
    an older seq applies just the changes after it.
    """

    generation = models.CharField(max_length=32)
    seq = models.PositiveBigIntegerField(default=0)
    # Random per write: a process that saw a write later rolled back cannot mistake it for
    # the write that took the same seq afterwards.
    token = models.CharField(max_length=32, blank=True)

    def __str__(self):
        return f"{self.generation}:{self.seq}"


class IndexChange(models.Model):
    """The products one index write touched, numbered by IndexVersion.seq."""

    seq = models.PositiveBigIntegerField(primary_key=True)
    token = models.CharField(max_length=32)
    page_ids = models.TextField(help_text="Comma-separated page ids written or removed.")

    def __str__(self):
        return f"{self.seq}: {self.page_ids[:60]}"
