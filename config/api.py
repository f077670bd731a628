"""The JSON read API under /api/v1/, assembled from each app's own router.

OpenAPI schema at /api/v1/openapi.json, interactive docs at /api/v1/docs. An app never
publishes its endpoints itself, so no app reaches up into another to add its part.
"""

from ninja import NinjaAPI
from ninja.errors import ValidationError

from catalogue.api import router as catalogue_router
from catalogue.page_tree import without_page_tree
from search.api import router as search_router


class OcopAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation):
        # The view's own name, so moving an endpoint between apps leaves client code generated from the schema intact.
        return operation.view_func.__name__


api = OcopAPI(
    title="OCOP Marketplace API",
    version="1",
    urls_namespace="api-v1",
    description="Read-only catalogue of OCOP-certified products (3★ and above) and their public records.",
)
# The search-backed product list first, then product detail and the rest, as the schema lists them.
api.add_router("", search_router)
api.add_router("", catalogue_router)


@api.exception_handler(ValidationError)
def invalid_parameter(request, exc):
    # 400, the status the issue tracker and most HTTP clients read as "fix your request";
    # django-ninja's default is 422. The body keeps ninja's reasons (which parameter, why).
    return api.create_response(request, {"detail": exc.errors}, status=400)


def urls():
    """The API's URL patterns for config/urls.py. The schema and its docs page read no page,
    so they skip the page tree (catalogue.page_tree): the schema answers without the database,
    as a client generator or tests/test_api_schema.py, loading it before any database, expect."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if pattern.name in ("openapi-json", "openapi-view"):
            without_page_tree(pattern.callback)
    return patterns, app_name, namespace
