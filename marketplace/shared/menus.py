"""Admin menu items shown by who the user is: the agency, a producer's account, or either."""

from wagtail.admin.menu import MenuItem

from catalogue.access import is_agency, producer_ids_for


class AgencyMenuItem(MenuItem):
    def is_shown(self, request):
        return is_agency(request.user)


class ProducerMenuItem(MenuItem):
    def is_shown(self, request):
        return not is_agency(request.user) and bool(producer_ids_for(request.user))


class MemberMenuItem(MenuItem):
    """The agency and every producer's accounts (each sees only what is theirs)."""

    def is_shown(self, request):
        return is_agency(request.user) or bool(producer_ids_for(request.user))
