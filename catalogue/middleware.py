"""Admin URLs that name another producer's page, image, producer or record answer 404;
so do the site-wide reports, for anyone but the agency.

Wagtail refuses most per-object views on its own once the permission policy says no
(catalogue.access), but some show the object before asking: the explorer's header
("Exploring: <title>"), the page chooser opened on a page, the move confirmation, the
bulk-action confirmation ("you have no permission to delete: <titles>"), the choosers'
"chosen" answers. Rather than one fix per view, every admin URL is checked here by the
names of its arguments, so a view added by a later Wagtail release is covered too.

The same place refuses the few ids Wagtail reads from a request without checking them
(PAGE_ID_PARAMETERS, chooser "create" views without a form, a `pk` in the path that is
not a whole number): a 404 rather than a 500; NUL in the query string is a space, and a
`next` that is not a path on this site is left out.
"""

from django.http import Http404

from wagtail.admin.views.generic.chooser import CreateViewMixin
from wagtail.models import Page

from .access import is_agency, out_of_scope
from .params import record_id

# Site-wide views that list pages and people across producers: the agency's alone.
# (Producers have each page's own history, and no form pages.)
AGENCY_ONLY_NAMESPACES = {"wagtailadmin_reports", "wagtailforms"}
# URL arguments that hold an id of this kind in every admin URL.
KIND_OF_ARGUMENT = {
    "page_id": "page",
    "parent_page_id": "page",
    "page_to_move_id": "page",
    "destination_id": "page",
    "page_pk": "page",
    "image_id": "image",
}
# A plain `pk` (and `?id=` lists) by the URL's namespace.
KIND_OF_PK = {
    "wagtailadmin_pages": "page",
    "wagtailadmin_api:pages": "page",
    "wagtailadmin_api:images": "image",
    "wagtailimages_chooser": "image",
    "wagtailsnippetchoosers_catalogue_producer": "producer",
    "wagtailsnippetchoosers_catalogue_certification": "certification",
}
# Views that read `?id=` lists: the choosers' "chosen multiple" and the bulk actions.
KIND_OF_MODEL = {
    ("wagtailcore", "page"): "page",
    ("catalogue", "productpage"): "page",
    ("wagtailimages", "image"): "image",
    ("catalogue", "producer"): "producer",
    ("catalogue", "certification"): "certification",
}


EVERYTHING = "everything"
# Views that read `?id=` lists; Wagtail turns each with int(), so "²" would be a 500.
ID_LIST_VIEWS = {"wagtail_bulk_action", "wagtailadmin_choose_page_chosen_multiple", "chosen_multiple"}
# Page ids Wagtail 8.0 reads from a request without checking them, each a 500 otherwise:
# the link choosers put `?parent_page_id=` into a URL they reverse, and the "choose a
# parent", move and copy forms look `parent_page`/`new_parent_page` up with
# Page.objects.get before the form validates them (the copy form even when it is missing).
# (method, name): the views that need it, or None where it may be left out.
PAGE_ID_PARAMETERS = {
    ("GET", "parent_page_id"): None,
    ("POST", "parent_page"): None,
    ("POST", "new_parent_page"): {"wagtailadmin_pages:copy"},
}


def named_objects(match, request):
    """(kind, ids) pairs an admin request names."""
    for argument, kind in KIND_OF_ARGUMENT.items():
        if argument in match.kwargs:
            yield kind, [match.kwargs[argument]]
    pk_kind = KIND_OF_PK.get(match.namespace)
    if pk_kind and "pk" in match.kwargs:
        yield pk_kind, [match.kwargs["pk"]]
    # Editing sessions name their object by content type and id.
    if (match.kwargs.get("app_label"), match.kwargs.get("model_name")) in KIND_OF_MODEL and "object_id" in match.kwargs:
        yield KIND_OF_MODEL[match.kwargs["app_label"], match.kwargs["model_name"]], [match.kwargs["object_id"]]
    ids = request.GET.getlist("id") + request.POST.getlist("id")
    if not ids:
        return
    if match.url_name == "wagtail_bulk_action":
        # "all" makes Wagtail act on every object of the model (or every child of ?childOf=),
        # whoever they belong to: a producer selects its objects by id instead.
        if "all" in ids:
            yield EVERYTHING, ids
        kind = KIND_OF_MODEL.get((match.kwargs.get("app_label"), match.kwargs.get("model_name")))
    elif match.url_name == "wagtailadmin_choose_page_chosen_multiple":
        kind = "page"
    elif match.url_name == "chosen_multiple":
        kind = pk_kind
    else:
        kind = None
    if kind:
        yield kind, ids


def without_nul(query):
    """The query string with NUL as a space, as in every search box of ours.

    Wagtail's views put some parameters into a query as they come (the image chooser's
    `?tag=`), and PostgreSQL refuses NUL in any text.
    """
    if not any("\x00" in value for _key, values in query.lists() for value in values):
        return query
    cleaned = query.copy()
    for key, values in query.lists():
        cleaned.setlist(key, [value.replace("\x00", " ") for value in values])
    cleaned._mutable = False
    return cleaned


def unchecked_page_id(request, match):
    """Whether the request carries (or, where Wagtail needs one, lacks) a page id naming no page."""
    for (method, name), required_by in PAGE_ID_PARAMETERS.items():
        data = request.GET if method == "GET" else request.POST
        if request.method != method or (name not in data and match.view_name not in (required_by or ())):
            continue
        pk = record_id(data.get(name))
        if pk is None or not Page.objects.filter(pk=pk).exists():
            return True
    return False


def with_local_next(query):
    """The query without a `next` that is not a path on this site.

    Wagtail redirects to `next` after checking only its host; Django's redirect() takes a
    value without "/" or "." for the name of a URL pattern and fails to reverse it.
    """
    values = query.getlist("next")
    kept = [value for value in values if value.startswith("/") and not value.startswith("//")]
    if kept == values:
        return query
    cleaned = query.copy()
    if kept:
        cleaned.setlist("next", kept)
    else:
        del cleaned["next"]
    cleaned._mutable = False
    return cleaned


def creates_without_a_form(request, view_func):
    """A chooser's "create" view posted to when the chooser has no creation form.

    Wagtail 8.0 then calls `is_valid()` on None; the chooser shows no "Create" tab, so only a
    hand-made request gets here.
    """
    view_class = getattr(view_func, "view_class", None)
    if request.method != "POST" or view_class is None or not issubclass(view_class, CreateViewMixin):
        return False
    kwargs = getattr(view_func, "view_initkwargs", {})
    # Wagtail's own test (get_creation_form_class): a form class, or a list of fields to build one.
    return not (
        kwargs.get("creation_form_class")
        or kwargs.get("form_fields") is not None
        or kwargs.get("exclude_form_fields") is not None
    )


class AdminScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if not (match and match.route.lstrip("^").startswith("admin/")) or not user or not user.is_authenticated:
            return None
        request.GET = with_local_next(without_nul(request.GET))
        if request.method == "POST":  # read here as CsrfViewMiddleware reads it for its token
            request.POST = with_local_next(request.POST)
        if match.url_name in ID_LIST_VIEWS and any(
            value != "all" and record_id(value) is None
            for value in request.GET.getlist("id") + request.POST.getlist("id")
        ):
            raise Http404
        if unchecked_page_id(request, match) or creates_without_a_form(request, view_func):
            raise Http404
        # Wagtail routes object ids as `<str:pk>` (a snippet may have any key); every model here
        # has a whole-number id, so one that is not ("²", 5,000 letters) names nothing.
        if isinstance(match.kwargs.get("pk"), str) and record_id(match.kwargs["pk"]) is None:
            raise Http404
        if is_agency(user):
            return None
        if match.namespace in AGENCY_ONLY_NAMESPACES:
            raise Http404
        for kind, ids in named_objects(match, request):
            if kind == EVERYTHING or out_of_scope(user, kind, ids):
                raise Http404
        return None
