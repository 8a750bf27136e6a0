"""htmx helpers for the views; the middleware does the rest of the plumbing (redirects,
toasts, caching headers).

One view, two renderings: a page view builds its context once and calls
:func:`render_page`, which answers an htmx request that targets one of the page's
elements with only the partial that redraws it (``page.html#partial``, a Django
template partial defined inside the page) and any other request with the whole page.
What else a swap updates comes from the same response, picked out by the requesting
element with ``hx-select-oob``; a region that only needs redrawing listens for an event
the response sends (:func:`trigger`, ``hx-trigger="… from:body"`` or a script).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponseBase
from django.template.response import TemplateResponse
from django_htmx.http import trigger_client_event
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


class AuthenticatedHttpRequest(HtmxHttpRequest):
    """The request of a view behind ``login_required``: its user is signed in."""

    user: User


def targeted_partial(request: HttpRequest, partials: Mapping[str, str]) -> str | None:
    """The partial that redraws the element this htmx request targets (``HX-Target``),
    or None when the whole page is wanted (not htmx, or a target the page does not list).
    """
    htmx = getattr(request, "htmx", None)
    if not htmx or not htmx.target:
        return None
    return partials.get(htmx.target)


def render_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    *,
    partials: Mapping[str, str] | None = None,
) -> TemplateResponse:
    """The whole of ``template``, or the partial of it that redraws the element an htmx
    request targets: ``partials`` maps element ids to partial names."""
    partial = targeted_partial(request, partials or {})
    name = f"{template}#{partial}" if partial else template
    return TemplateResponse(request, name, context)


def trigger[R: HttpResponseBase](
    response: R, event: str, *, after: Literal["receive", "swap", "settle"] = "settle"
) -> R:
    """Have htmx fire ``event`` on the page once the response is in (after it settled, by
    default), for the regions that listen for it."""
    return trigger_client_event(response, event, after=after)
