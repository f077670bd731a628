"""The fair index's listing: upcoming and past fairs, filtered by province and month (GET parameters)."""

from django.utils import timezone
from django.utils.translation import gettext

from catalogue.models import Province
from catalogue.params import month as parse_month
from catalogue.params import plain_text


def fair_listing(children, params, today=None):
    """`children`: the index's fair pages (a queryset), narrowed here by what the visitor asked for."""
    today = today or timezone.localdate()
    fairs = children.live().public().select_related("province")
    messages = []
    province_slug = plain_text(params.get("province"), 64)
    province = None
    if province_slug:
        province, _legacy = Province.objects.by_slug(province_slug)
        if province is None:
            messages.append(
                gettext("No province is called “%(slug)s”; showing every province.") % {"slug": province_slug}
            )
        else:
            fairs = fairs.filter(province=province)
    month_value = plain_text(params.get("month"), 7)
    month = None
    if month_value:
        month = parse_month(month_value)
        if month is None:
            messages.append(gettext("Give the month as YYYY-MM, e.g. 2026-12; showing every month."))
            month_value = ""
        else:
            # A fair belongs to every month it runs in.
            fairs = fairs.filter(starts_on__lte=month[1], ends_on__gte=month[0])
    provinces = Province.objects.current().filter(pk__in=children.live().values("province")).order_by("name_ascii")
    return {
        "upcoming": fairs.filter(ends_on__gte=today).order_by("starts_on", "pk"),
        "past": fairs.filter(ends_on__lt=today).order_by("-starts_on", "-pk"),
        "province_choices": provinces,
        "selected_province": province.slug if province else "",
        "selected_month": month_value if month else "",
        "filter_messages": messages,
    }
