"""What every page reached by a secret link sends (a friend's page, the calendar feed)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.http.response import HttpResponseBase

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
