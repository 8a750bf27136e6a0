"""The username and the address django-axes counts log-in failures under."""

from __future__ import annotations

from django.http import HttpRequest

from opportunities.web.throttle import UNKNOWN_ADDRESS, client_address

MAX_USERNAME = 150
"""Django's own limit for a username; axes stores at most 255 characters."""


def throttled_username(request: HttpRequest, credentials: dict | None = None) -> str | None:
    """The username typed at log-in, cut to the longest one an account can have.

    No account has a longer username, so the cut changes no one's log-in: a
    300-character name is still the usual "wrong username or password", and its
    failures still count towards the lock-out (under its first 150 characters),
    instead of failing to be stored and answering 500.
    """
    source = credentials if credentials else getattr(request, "data", request.POST)
    username = source.get("username")
    return None if username is None else str(username)[:MAX_USERNAME]


def throttled_address(request: HttpRequest) -> str | None:
    """The address a log-in came from, read as the friends' pages read it (behind our own
    proxies, the client's, from ``X-Forwarded-For``; see ``web.throttle.client_address``).
    None when there is none (a log-in made in code): axes stores addresses in an address
    column, which refuses anything else on PostgreSQL."""
    address = client_address(request.META)
    return None if address == UNKNOWN_ADDRESS else address
