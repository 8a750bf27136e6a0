"""The calendar feed's settings page: what the feed holds, turning it on, giving it a new
address, turning it off.

The secret address is shown once, on the page that answers the POST that made it (never
stored, never in a redirect's address): that page is not cached (signed-in pages never
are). Sending "turn it on" again while the feed is on changes nothing; only "New address"
replaces it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from opportunities.learning.forms.calendar import FeedAction
from opportunities.learning.queries.calendar import calendar_events, feed_of
from opportunities.learning.services.calendar import IssuedFeed, issue_feed, turn_off_feed
from opportunities.web.htmx import AuthenticatedHttpRequest

TEMPLATE = "opportunities/learning/calendar.html"
COMING_UP = 5
"""Dates shown on the page as a sample of what the feed holds."""


def _address(request: AuthenticatedHttpRequest, issued: IssuedFeed) -> str:
    path = reverse("opportunities:calendar_feed", args=[issued.token])
    return f"{request.scheme}://{request.get_host()}{path}"


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def calendar_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FeedAction(request.POST if request.method == "POST" else None)
    issued: IssuedFeed | None = None
    if request.method == "POST" and form.is_valid():
        action = form.cleaned_data["action"]
        here = reverse("opportunities:calendar_settings")
        if action == FeedAction.OFF:
            if turn_off_feed(user=request.user):
                messages.success(
                    request,
                    "Your calendar feed is off: its address no longer works, and calendars "
                    "that read it will keep what they had or empty it.",
                )
            else:
                messages.info(request, "Your calendar feed was already off.")
            return redirect(here)
        if action == FeedAction.ON and feed_of(request.user) is not None:
            messages.info(
                request,
                "Your calendar feed is already on, at the address you copied. Lost it? "
                "“New address” makes another (the old one stops working).",
            )
            return redirect(here)
        issued = issue_feed(user=request.user)
    feed = issued.feed if issued is not None else feed_of(request.user)
    events = calendar_events(request.user)
    today = timezone.localdate()
    return TemplateResponse(
        request,
        TEMPLATE,
        {
            "form": form,
            "feed": feed,
            "issued": issued,
            "address": _address(request, issued) if issued is not None else "",
            "subscribe": (
                _address(request, issued).replace(f"{request.scheme}://", "webcal://", 1)
                if issued is not None
                else ""
            ),
            "event_count": len(events),
            "overdue": sum(1 for event in events if event.day < today),
            "coming_up": [event for event in events if event.day >= today][:COMING_UP],
        },
    )
