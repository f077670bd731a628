"""The page tree and roles a fresh production site needs, from one idempotent step.

`manage.py setup_site` (run by the deployment after `migrate`) and `manage.py load_demo`
both call `setup_site()`: the home page and /products/ from catalogue, /fairs/ and
/collections/ from their wings (catalogue names no app above it, and no wing names
another, so the shell is where the four meet), then the agency and producer roles, whose
page permissions and moderation workflow hang on the home page and /products/.
"""

from django.db import transaction

from catalogue.site import ensure_home, ensure_product_index

from .accounts.roles import setup_roles
from .collections.site import ensure_collection_index
from .fairs.site import ensure_fair_index


@transaction.atomic
def setup_site():
    """The pages created this run, in tree order (none on a site already set up)."""
    home, home_created = ensure_home()
    created = [home] if home_created else []
    index = None
    for ensure in (ensure_product_index, ensure_fair_index, ensure_collection_index):
        page, page_created = ensure(home)
        index = index or page
        if page_created:
            created.append(page)
    setup_roles(home, index)
    return created
