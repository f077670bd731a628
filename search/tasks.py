"""Background tasks that keep every search index in step with the catalogue."""

import logging

from django_tasks import task

from catalogue.models import ProductPage

from .engines import indexing_engines

logger = logging.getLogger("search")


def reindex(page_ids):
    """Recompute the index rows of these products: visible ones are (re)written, others removed."""
    pages = ProductPage.objects.filter(pk__in=page_ids)
    existing = set(pages.values_list("pk", flat=True))
    written = 0
    for engine in indexing_engines():
        try:
            written = engine.update(pages)
            gone = [pk for pk in page_ids if pk not in existing]
            if gone:
                engine.remove(gone)
        except Exception:  # the site keeps serving from the other engine; a rebuild repairs this one
            logger.warning("Could not update the %s index for products %s", engine.name, page_ids, exc_info=True)
    return written


@task()
def reindex_products(page_ids: list[int]) -> int:
    """reindex() in the background, after the change that called for it commits."""
    return reindex(page_ids)
