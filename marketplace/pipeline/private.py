"""The buyer's private link: an unguessable key and the headers every private page answers with."""

import secrets


def new_token():
    # 256 bits from the OS: the buyer's private link is unguessable, not merely obscure.
    return secrets.token_urlsafe(32)


def private(response):
    """The link is the buyer's key: never sent to another site in a Referer, never indexed or cached."""
    # ("no-referrer" would also make the browser send Origin: null, which fails the CSRF check.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    return response
