"""The error pages people see: not found, something went wrong, briefly unavailable.
Each quotes the request id, so a person can tell us which request failed."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from opportunities.web.observability import request_id_var


def _error_page(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    html = render_to_string(
        "error.html",
        {
            "status": status,
            "title": title,
            "message": message,
            "request_id": request_id_var.get(),
        },
        request=request,
    )
    return HttpResponse(html, status=status)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _error_page(
        request,
        404,
        "Page not found",
        "There is nothing here — perhaps it was deleted, or the link is mistyped.",
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """A request Crossroads cannot read: a form in a charset other than UTF-8, a body
    that does not parse. Unlike Django's own handler, this one never re-runs the CSRF
    check, which would read the same unreadable form again and fail with a 500."""
    return _error_page(
        request,
        400,
        "That request could not be read",
        "Your browser sent something Crossroads could not read, so nothing was saved. "
        "Go back, reload the page and try again.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    return _error_page(
        request,
        500,
        "Something went wrong",
        "Crossroads hit an error it did not expect. Nothing you saved before is lost; "
        "please try again in a moment.",
    )


def service_unavailable(request: HttpRequest) -> HttpResponse:
    response = _error_page(
        request,
        503,
        "Crossroads is briefly unavailable",
        "The database is not answering right now. Your saved work is safe; "
        "try again in a few seconds.",
    )
    response["Retry-After"] = "5"
    return response


def service_busy(request: HttpRequest) -> HttpResponse:
    """A write that met other writes to the same things several times running."""
    response = _error_page(
        request,
        503,
        "Crossroads is busy with your other changes",
        "This change met others to the same things (another tab, a double click) and "
        "was not saved. Nothing else was lost: try again in a moment.",
    )
    response["Retry-After"] = "2"
    return response
