"""A buyer form's way from GET to the private page: one-time token, rate limit, store once.

Every form carries a random `form_token` (a hidden field) that its model stores under a
unique constraint, so a double click or the browser's resend stores one row, whether the
second POST arrives after the first committed (`first_submitted`) or races it past that
check (`store_once` catches the unique violation).

A form token is no key to the row it stored: whoever holds it (a shared or cached form page,
a replay) is not necessarily who sent it. So a repeated POST leads to the first row's private
page only in the browser that sent it (its session remembers the tokens it sent); anyone else
gets the form back, what they typed kept, saying it was already sent (409), with a new token.
Private pages have keys of their own, and every answer here is `private()` (never cached).
"""

import uuid

from django_ratelimit.core import is_ratelimited

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from .forms import sign_started
from .private import private

# Inquiries, sourcing requests, thread answers and meeting requests share one budget per address
# (the name predates the pipeline: counters in a shared cache keep counting across a deployment).
REQUESTS_BUDGET = "inquiries"


class DuplicateSubmission(Exception):
    """The form was already sent: carries the first row it stored."""

    def __init__(self, first):
        super().__init__(getattr(first, "reference", first.pk))
        self.first = first


class Refused(Exception):
    """A valid form the wing could not store (e.g. a slot taken meanwhile): show `form` again with `status`."""

    def __init__(self, form, status):
        super().__init__(status)
        self.form, self.status = form, status


def fresh_initial():
    """Hidden values of a newly shown form: its one-time token (the form signs its stamp for it)."""
    return {"form_token": uuid.uuid4()}


def refresh_hidden(form, new_token=False):
    """After a failed send, keep what was typed but replace a bad or missing stamp or token.

    A new token (asked for, or the posted one unreadable) always comes with a new stamp: a stamp
    is valid only with the token it was signed with.
    """
    bad_stamp = "started" in form.errors or any(e.code == "started" for e in form.non_field_errors().as_data())
    new_token = new_token or "form_token" in form.errors
    if not (bad_stamp or new_token):
        return
    form.data = form.data.copy()
    if new_token:
        form.data["form_token"] = str(uuid.uuid4())
    form.data["started"] = sign_started(form.form_kind, form.data.get("form_token", ""))


def _email_key(group, request):
    return (request.POST.get("email") or "").strip().lower()[:254]


def rate_limited(request, group, by_email=True):
    """Per address (and per e-mail address when `by_email`), counted on every send that is not a resubmit."""
    if is_ratelimited(
        request, group=f"{group}:ip", key="ip", rate=settings.INQUIRY_RATE_PER_IP, method="POST", increment=True
    ):
        return True
    if not by_email or not _email_key(None, request):
        return False
    return is_ratelimited(
        request,
        group=f"{group}:email",
        key=_email_key,
        rate=settings.INQUIRY_RATE_PER_EMAIL,
        method="POST",
        increment=True,
    )


def first_submitted(model, request):
    """The row an earlier POST of this form stored, if any."""
    try:
        token = uuid.UUID(request.POST.get("form_token", ""))
    except ValueError:
        return None
    return model.objects.filter(form_token=token).first()


def store_once(model, form_token, write):
    """Run `write()` in one transaction and return what it returns.

    Raises DuplicateSubmission when a double click raced the first request past the token
    check; any other integrity error (the wing's own constraint) goes up unchanged.
    """
    try:
        with transaction.atomic():
            return write()
    except IntegrityError:
        first = model.objects.filter(form_token=form_token).first() if form_token else None
        if first is None:
            raise
        raise DuplicateSubmission(first) from None


# The form tokens this browser sent, newest last: enough for the forms of one visit.
SENT_SESSION_KEY = "pipeline.sent_form_tokens"
SENT_KEPT = 20


def remember_sent(request, row):
    """This browser sent the form that stored `row`: a resend from it may lead to the row's page."""
    token = str(row.form_token)
    sent = [t for t in request.session.get(SENT_SESSION_KEY, []) if t != token]
    request.session[SENT_SESSION_KEY] = [*sent, token][-SENT_KEPT:]


def sent_here(request, row):
    return str(row.form_token) in request.session.get(SENT_SESSION_KEY, [])


def already_sent(form):
    """Another browser's copy of a form already sent: its own entries back, none of the first row's, a new token."""
    form.is_valid()
    form.add_error(
        None,
        gettext(
            "This form was already sent. If you sent it, its confirmation and private link are in your email. "
            "To send a new one, check your entries below and send again."
        ),
    )
    refresh_hidden(form, new_token=True)
    return form


def handle(request, *, model, make_form, save, sent, render_page, rate_group, rate_message, by_email=True):
    """The GET/POST cycle of a buyer form; every answer is private (never cached, no Referer).

    `make_form(data=None, initial=None)` builds the form; `save(form)` stores it and returns
    the row (it may raise DuplicateSubmission or Refused); `sent(row)` answers a stored or
    repeated send (a redirect to its page); `render_page(form, status)` shows the form.
    """
    return private(_cycle(request, model, make_form, save, sent, render_page, rate_group, rate_message, by_email))


def _cycle(request, model, make_form, save, sent, render_page, rate_group, rate_message, by_email):
    status = 200
    if request.method == "POST":
        first = first_submitted(model, request)
        if first is not None:  # a double click or the browser's resend: the first one stands
            if sent_here(request, first):
                return sent(first)
            return render_page(already_sent(make_form(data=request.POST)), 409)
        form = make_form(data=request.POST)
        if rate_limited(request, rate_group, by_email=by_email):
            form.is_valid()
            form.add_error(None, rate_message)
            status = 429
        elif form.is_valid():
            try:
                row = save(form)
            except DuplicateSubmission:
                # It raced the first past the check above, so its session cannot know the first yet.
                return render_page(already_sent(make_form(data=request.POST)), 409)
            except Refused as refused:
                form, status = refused.form, refused.status
            else:
                remember_sent(request, row)
                return sent(row)
        refresh_hidden(form)
    else:
        form = make_form(initial=fresh_initial())
    return render_page(form, status)
