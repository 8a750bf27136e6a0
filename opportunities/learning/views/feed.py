"""The private calendar feed: what a calendar app reads from the secret address, with no
account.

Whoever holds the address reads the feed; who is logged in on this browser is never asked.
The view touches no session and no messages, so it sets no cookie; it tells the client to
send no referrer (the token is in the address), to keep no copy, and search engines not to
list it. An address that opens nothing (mistyped, renewed, turned off) is a bare 404 that
says nothing of why. Requests are counted per feed and per address in the database every
app server shares, and addresses that open nothing are capped harder still. Once they
are counted and the token found, the feed is served again rather than drawn while its
owner's data is unchanged (``web.page_cache.kept_for_link``): a calendar app reads the
same feed every few minutes, and it changes a few times a week.
"""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from opportunities.learning.queries.calendar import (
    calendar_events,
    feed_for_token,
    render_calendar,
)
from opportunities.learning.services.calendar import record_use
from opportunities.web.data_version import versions_of, writes_for
from opportunities.web.page_cache import kept_for_link
from opportunities.web.secret_links import secret_link_headers
from opportunities.web.throttle import Limit, client_address, hit

PER_FEED = Limit("calendar-feed", hits=600, per_seconds=10 * 60)
"""Reads per feed, from every address together: a calendar app reads every few minutes
at most (most every few hours), so one a second over ten minutes is far beyond any
household's devices, and still caps a leaked address that many read. One address alone
is capped harder by ``PER_ADDRESS``."""

PER_ADDRESS = Limit("calendar-address", hits=300, per_seconds=10 * 60)
"""Reads of feeds per address, all feeds together: room for a calendar service that
reads many people's feeds from one address."""

UNKNOWN_PER_ADDRESS = Limit("calendar-unknown", hits=20, per_seconds=60 * 60)
"""Addresses that open nothing, per address: an old address still in a calendar app
after renewing, never a search. With 256-bit tokens guessing is hopeless anyway."""


@secret_link_headers
@require_safe
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    address = client_address(request.META)
    if not hit(PER_ADDRESS, address):
        return _too_many(PER_ADDRESS)
    feed = feed_for_token(token)
    if feed is None:
        if not hit(UNKNOWN_PER_ADDRESS, address):
            return _too_many(UNKNOWN_PER_ADDRESS)
        return HttpResponse("Not found.\n", status=404, content_type="text/plain; charset=utf-8")
    writes_for(request, feed.owner_id)
    if not hit(PER_FEED, feed.token_hash):
        return _too_many(PER_FEED)
    response = kept_for_link(
        request,
        owner=feed.owner_id,
        versions=versions_of(feed, scope=feed.owner_id),
        draw=lambda: _calendar(request, feed.owner_id),
    )
    record_use(feed)
    return response


def _calendar(request: HttpRequest, owner_id: int) -> HttpResponse:
    body = render_calendar(
        calendar_events(owner_id), site=f"{request.scheme}://{request.get_host()}"
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="crossroads.ics"'
    return response


def _too_many(limit: Limit) -> HttpResponse:
    wait = limit.per_seconds - int(time.time()) % limit.per_seconds
    response = HttpResponse(
        "Too many requests: try again later.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(wait)
    return response
