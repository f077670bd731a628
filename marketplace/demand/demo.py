"""Three months of searches and page views for the demo (`load_demo`), from a fixed seed.

Searches go through the real search contract once per query (so results and the products shown
are true to the demo catalogue), are stored as raw searches and folded as the hourly job
would: the last 30 days stay raw, older days remain as daily figures only.
"""

import datetime
import random

from django.utils import timezone

from catalogue.models import ProductPage
from search.contract import SearchQuery, search

from .folding import fold
from .models import PageViewDay, SearchDay, SearchEvent

# (query, how often buyers run it): some find products, some find nothing (sourcing leads).
QUERIES = {
    "vi": [
        ("nuoc mam", 14),
        ("mat ong", 10),
        ("che thai nguyen", 9),
        ("ca phe", 8),
        ("gao st25", 7),
        ("nem chua", 4),
        ("sau rieng say", 5),
        ("ruou sim", 3),
        ("banh pia", 4),
        ("tinh dau tram", 3),
        ("yen sao", 6),
        ("mang cau", 2),
    ],
    "en": [
        ("fish sauce", 12),
        ("honey", 9),
        ("green tea", 8),
        ("coffee", 8),
        ("rice", 6),
        ("durian chips", 5),
        ("bird nest", 6),
        ("cashew", 5),
        ("lacquerware", 3),
        ("dragon fruit", 4),
        ("cinnamon", 3),
        ("coconut candy", 4),
    ],
}


def _answers():
    """query -> (total, product ids of the first page), asked once per query."""
    found = {}
    for language, queries in QUERIES.items():
        for q, _weight in queries:
            result = search(SearchQuery.from_params({"q": q}))
            found[(language, q)] = (result.total, [hit.pk for hit in result.hits])
    return found


def load_demo_demand(seed=24, days=90):
    """Returns (searches, page-view rows) created; nothing on a second run."""
    if SearchDay.objects.exists() or SearchEvent.objects.exists() or PageViewDay.objects.exists():
        return 0, 0
    rng = random.Random(seed)  # noqa: S311 (demo data, not security)
    now = timezone.now()
    today = timezone.localdate()
    answers = _answers()
    events = []
    for back in range(days):
        moment = now - datetime.timedelta(days=back)
        growth = 1 + (days - back) / days  # demand grows over the quarter
        for language, queries in QUERIES.items():
            for q, weight in queries:
                total, shown = answers[(language, q)]
                for _ in range(rng.randint(0, round(weight * growth / 3))):
                    events.append(
                        SearchEvent(
                            created_at=moment - datetime.timedelta(minutes=rng.randint(0, 600)),
                            language=language,
                            query=q,
                            results=total,
                            product_ids=shown,
                        )
                    )
    SearchEvent.objects.bulk_create(events, batch_size=2000)
    fold(now)

    products = list(ProductPage.objects.visible().order_by("pk").values_list("pk", flat=True))
    popularity = {pk: rng.choice([1, 1, 2, 3, 5, 8]) for pk in products}
    views = []
    for back in range(days):
        day = today - datetime.timedelta(days=back)
        for pk in products:
            for language, share in (("vi", 3), ("en", 2)):
                count = rng.randint(0, popularity[pk] * share)
                if count:
                    views.append(PageViewDay(day=day, page_id=pk, language=language, views=count))
    PageViewDay.objects.bulk_create(views, batch_size=2000)
    return len(events), len(views)
