"""What the agency can open from a sourcing lead (a search buyers run, often finding nothing).

The demand wing shows the leads; the wings that own what is opened (a sourcing request, a
collection draft) register it here, so demand imports neither. `open_from(user, query,
language)` creates the thing and returns the admin address where the agency goes on with it.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class LeadAction:
    key: str
    label: object  # a lazy translation: the button's text
    open_from: object  # (user, query, language) -> admin URL


_actions = {}


def register(key, label, open_from):
    _actions[key] = LeadAction(key, label, open_from)


def actions():
    return list(_actions.values())


def action(key):
    return _actions.get(key)
