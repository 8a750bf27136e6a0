"""The friend's page: what a personal link opens, with no account.

Whoever holds the link is the friend; who is logged in on this browser is never asked
(the owner opening their own link sees what the friend sees). The page touches no
session and no messages, so it sets no session cookie; it tells the browser to send no
referrer (the token is in the address), to keep no copy, and search engines not to list
it. Requests are counted per link and per address in the database every app server
shares, and guessing links is capped harder still.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseRedirect,
)
from django.middleware.csrf import CsrfViewMiddleware
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import decorator_from_middleware
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from opportunities.friends.core import LinkState
from opportunities.friends.public_display import rating_rows
from opportunities.friends.public_forms import (
    COMMENT_LIMIT,
    GUT_CHOICES,
    NOTHING_TO_SEND,
    WHY_LIMIT,
    AnswerSheet,
    answers_of,
)
from opportunities.friends.queries.shared import (
    invitation_for_token,
    owner_name,
    shared_page,
    sheet_of,
    state_of,
)
from opportunities.friends.services.answers import LinkNoLongerOpen, save_answers, touch
from opportunities.models import FriendInvitation
from opportunities.web.data_version import writes_for
from opportunities.web.secret_links import secret_link_headers
from opportunities.web.throttle import Limit, client_address, hit

PER_LINK = Limit("friend-link", hits=60, per_seconds=10 * 60)
"""Requests per link: answering takes a handful (open, send, perhaps correct and send
again); sixty in ten minutes is far beyond that and still stops a script hammering one
link."""

PER_ADDRESS = Limit("friend-address", hits=300, per_seconds=10 * 60)
"""Requests to friends' pages per address, all links together: room for a household or
an office behind one address answering several rounds."""

UNKNOWN_PER_ADDRESS = Limit("friend-unknown", hits=20, per_seconds=60 * 60)
"""Links that open nothing, per address: a mistyped or half-copied link now and then,
never a search. With 256-bit tokens guessing is hopeless anyway; this keeps it quiet."""

TEMPLATES = "opportunities/friends/public"


class LinkCsrf(CsrfViewMiddleware):
    """CSRF on the friend's form: Django's check, taking ``Origin: null`` as this site.

    Under ``Referrer-Policy: no-referrer`` a browser posts the form with ``Origin: null``
    (and no Referer), which Django's middleware refuses as a foreign origin. The Origin
    check stops a forged form from a page the attacker controls; to forge an answer here
    they would need the link's secret address, which is all a real answer needs anyway.
    So a null origin is read as this site's own: the token in the form must still match
    the cookie, an Origin naming another site is still refused, and so (over HTTPS) is a
    request with neither Origin nor a Referer from here."""

    def process_view(
        self,
        request: HttpRequest,
        callback: Callable[..., Any],
        callback_args: Any,
        callback_kwargs: Any,
    ) -> HttpResponseForbidden | None:
        if request.META.get("HTTP_ORIGIN") == "null":
            request.META["HTTP_ORIGIN"] = f"{request.scheme}://{request.get_host()}"
        return super().process_view(request, callback, callback_args, callback_kwargs)


link_csrf = decorator_from_middleware(LinkCsrf)


@csrf_exempt  # from the site-wide check only: ``link_csrf`` checks the form's token
@secret_link_headers
@require_http_methods(["GET", "HEAD", "POST"])
@link_csrf
def friend_page(request: HttpRequest, token: str) -> HttpResponse:
    address = client_address(request.META)
    if not hit(PER_ADDRESS, address):
        return _too_many(request, PER_ADDRESS)
    invitation = invitation_for_token(token)
    if invitation is None:
        if not hit(UNKNOWN_PER_ADDRESS, address):
            return _too_many(request, UNKNOWN_PER_ADDRESS)
        return _unknown(request)
    writes_for(request, invitation.owner_id)
    if not hit(PER_LINK, invitation.token_hash):
        return _too_many(request, PER_LINK)
    now = timezone.now()
    state = state_of(invitation, now=now)
    if state is not LinkState.OPEN:
        return _gone(request, invitation, state)

    posted = request.method == "POST"
    if posted:
        # Checked against the round's opportunities and criteria alone; only a sheet sent
        # back with its errors needs what the page shows (read below, and checked again).
        opportunities, criteria = sheet_of(invitation)
        sent = AnswerSheet(request.POST, opportunities=opportunities, criteria=criteria, answers={})
        if sent.is_valid():
            try:
                save_answers(invitation=invitation, answers=answers_of(sent), now=now)
            except LinkNoLongerOpen:  # revoked, closed or deleted while the answer was on its way
                latest = invitation_for_token(token)
                if latest is None:
                    return _unknown(request)
                return _gone(request, latest, state_of(latest, now=now))
            url = reverse("opportunities:friend_page", args=[token])
            return HttpResponseRedirect(f"{url}?sent=1#thanks", status=303)
    page = shared_page(invitation)
    sheet = AnswerSheet(
        request.POST if posted else None,
        opportunities=[shared.opportunity for shared in page.opportunities],
        criteria=page.criteria,
        answers=page.answers,
        owner_scores=page.owner_scores,
    )
    if posted:
        sheet.is_valid()  # its errors, on the page as the friend sent it
    else:
        touch(invitation, now=now)
    return TemplateResponse(
        request,
        f"{TEMPLATES}/page.html",
        {
            "page": page,
            "sheet": sheet,
            "sections": [
                (shared, section, rating_rows(section, share_meanings=page.round.share_meanings))
                for shared, section in zip(page.opportunities, sheet.sections, strict=True)
            ],
            "errors": sheet.errors() if sheet.is_bound else [],
            "nothing_to_send": NOTHING_TO_SEND,
            "sent": request.GET.get("sent") == "1" and page.answered,
            "gut_choices": GUT_CHOICES,
            "comment_limit": COMMENT_LIMIT,
            "why_limit": WHY_LIMIT,
        },
    )


def _unknown(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(request, f"{TEMPLATES}/unknown.html", status=404)


def _gone(request: HttpRequest, invitation: FriendInvitation, state: LinkState) -> HttpResponse:
    return TemplateResponse(
        request,
        f"{TEMPLATES}/gone.html",
        {"state": state.value, "owner": owner_name(invitation), "invitation": invitation},
        status=410,
    )


def _too_many(request: HttpRequest, limit: Limit) -> HttpResponse:
    wait = limit.per_seconds - int(time.time()) % limit.per_seconds
    response = TemplateResponse(
        request, f"{TEMPLATES}/too_many.html", {"minutes": max(1, -(-wait // 60))}, status=429
    )
    response["Retry-After"] = str(wait)
    return response
