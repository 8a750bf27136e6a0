"""htmx helpers shared by the views (the middleware does the rest of the plumbing)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails


def render_fragments(
    request: HttpRequest, template: str, names: list[str], context: dict
) -> HttpResponse:
    """Render several partials of one page template into one htmx response; all but the
    first are expected to swap themselves in out of band."""
    html = "".join(
        render_to_string(f"{template}#{name}", context, request=request) for name in names
    )
    return HttpResponse(html)
