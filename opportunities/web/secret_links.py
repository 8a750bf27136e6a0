"""What every page reached by a secret link shares (a friend's page, the calendar feed): the
headers it sends, and how its use is written down."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from opportunities.models import CalendarFeed, FriendInvitation

HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex, nofollow",
}
"""On every response, error pages included."""


def secret_link_headers(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """Send no referrer (the address holds the token), keep no copy, list it nowhere."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        for header, value in HEADERS.items():
            response[header] = value
        return response

    return wrapped


type SecretLink = FriendInvitation | CalendarFeed
"""What a secret link opens, and notes when it was last used."""


def record_use(link: SecretLink, *, now: datetime, every: timedelta) -> bool:
    """Note that ``link`` was used, at most once per ``every``: no query when its note is
    recent, else one conditional UPDATE (a fresher note written meanwhile by another
    request is left alone). Whether it wrote. Each write retires the owner's cached pages,
    so a link read often must not write on every read."""
    last = link.last_used_at
    if last is not None and now - last < every:
        return False
    stale = Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - every)
    written = type(link).objects.filter(stale, pk=link.pk).update(last_used_at=now)
    if written:
        link.last_used_at = now
    return bool(written)
