"""What every buyer form shares, once, below the wings that use it.

Inquiries, sourcing requests, sample orders and meeting requests all take a buyer's contact
details under a consent notice, guard against bots and double clicks, limit how often one
address may send, answer with a private link, and erase the buyer's data when asked or when
the retention period ends. `forms` holds the form mixins, `submission` the POST cycle and its
one-time token, `private` the private link and its headers, `retention` the erasure rule.
"""
