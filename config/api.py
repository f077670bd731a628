"""The JSON read API under /api/v1/, assembled from each app's own router.

OpenAPI schema at /api/v1/openapi.json, interactive docs at /api/v1/docs. An app never
publishes its endpoints itself, so no app reaches up into another to add its part.
"""

from ninja import NinjaAPI

from catalogue.api import router as catalogue_router
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
