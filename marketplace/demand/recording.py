"""Recording searches and page views: who is counted, and writing without ever failing a page.

Not counted: a browser that asks not to be tracked (`Sec-GPC: 1`, Global Privacy Control, or
`DNT: 1`) and crawlers (the user agent matches the maintained crawler-user-agents list). What
is kept holds no address, cookie, session, user or user agent (marketplace.demand.models).

A search is written after its answer has gone out: the row waits in this thread's list and
Django's `request_finished` (sent when the server closes the response) writes it. A page view
is the beacon's own request, which nothing else shares. Either way a database error is logged
and swallowed: recording never fails or slows a page.
"""

import logging
import threading

from crawleruseragents import is_crawler

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone

from search import signals as search_signals

from .models import PageViewDay, SearchEvent

logger = logging.getLogger(__name__)

# settings.DEMAND_RECORDING False switches recording off (the benchmark measures with and without).
ENABLED_SETTING = "DEMAND_RECORDING"  # config.settings.base: DEMAND_RECORDING=0 in the environment
LANGUAGES = {code for code, _name in settings.LANGUAGES}
MAX_SHOWN = 100  # products kept per search: a results page holds 24

_pending = threading.local()


def enabled():
    return getattr(settings, ENABLED_SETTING, True)


def countable(request):
    """Whether this request may be counted: not opted out, not a crawler."""
    meta = request.META
    if meta.get("HTTP_SEC_GPC", "").strip() == "1" or meta.get("HTTP_DNT", "").strip() == "1":
        return False
    agent = meta.get("HTTP_USER_AGENT", "")
    return bool(agent) and not is_crawler(agent)


def language_of(code):
    code = (code or "").split("-")[0].lower()
    return code if code in LANGUAGES else ""


def _no_flush_wait():
    """Inside a transaction: commit without waiting for the disk (PostgreSQL). A crash may lose
    the last counts of a fraction of a second, which a demand figure can spare; a page cannot
    spare the wait."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


def search_performed(sender, request=None, query="", language="", filters="", results=0, product_ids=(), **kwargs):
    """Receiver of search.signals.search_performed: keep the search for writing after the answer."""
    if request is None or not enabled() or not countable(request):
        return
    language = language_of(language)
    if not language:
        return
    event = SearchEvent(
        created_at=timezone.now(),
        language=language,
        query=query[:200],
        filters=filters[:200],
        results=max(0, int(results)),
        product_ids=[int(pk) for pk in list(product_ids)[:MAX_SHOWN]],
    )
    waiting = getattr(_pending, "events", None)
    if waiting is None:
        waiting = _pending.events = []
    waiting.append(event)


def forget_pending(sender=None, **kwargs):
    """request_started: nothing left over from a request that never finished is written with this one."""
    _pending.events = []


def write_pending(sender=None, **kwargs):
    """request_finished: write the searches this request kept, never raising."""
    events, _pending.events = getattr(_pending, "events", None) or [], []
    if not events:
        return
    try:
        with transaction.atomic():
            _no_flush_wait()
            SearchEvent.objects.bulk_create(events)
    except DatabaseError:
        logger.exception("Searches not recorded")


def record_view(page_id, language, day=None):
    """Count one view of a page; True if it was written. Errors are logged, never raised."""
    day = day or timezone.localdate()
    try:
        with transaction.atomic():
            _no_flush_wait()
            counted = PageViewDay.objects.filter(day=day, page_id=page_id, language=language)
            if counted.update(views=F("views") + 1):
                return True
            try:
                with transaction.atomic():
                    PageViewDay.objects.create(day=day, page_id=page_id, language=language, views=1)
            except IntegrityError:  # a second view created the day's row meanwhile
                counted.update(views=F("views") + 1)
        return True
    except DatabaseError:
        logger.exception("Page view not recorded")
        return False


def connect():
    search_signals.search_performed.connect(search_performed, dispatch_uid="demand-search-performed")
    request_started.connect(forget_pending, dispatch_uid="demand-forget-pending")
    request_finished.connect(write_pending, dispatch_uid="demand-write-pending")
