"""htmx plumbing, kept in one place so views just call ``redirect()`` and ``messages``."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.messages import get_messages
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from opportunities.web.errors import service_unavailable
from opportunities.web.observability import loaded_user


class HtmxMessagesMiddleware:
    """Make htmx responses behave like full-page ones.

    * a redirect answering an htmx request becomes ``HX-Redirect`` (htmx would
      otherwise follow it and swap a whole page into a fragment);
    * pending messages ride along out of band as toasts;
    * responses vary on ``HX-Request`` and pages of a signed-in user are never
      stored by browsers or proxies.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_vary_headers(response, ("HX-Request",))
        user = loaded_user(request)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        if not getattr(request, "htmx", False):
            return response
        if 300 <= response.status_code < 400 and response.has_header("Location"):
            redirect = HttpResponseClientRedirect(response["Location"])
            for header in ("Vary", "Cache-Control"):
                if response.has_header(header):
                    redirect[header] = response[header]
            for cookie in response.cookies.values():
                redirect.cookies[cookie.key] = cookie
            return redirect
        if self._can_append(response):
            messages = list(get_messages(request))
            if messages:
                response.content += render_to_string(
                    "base.html#toasts_oob", {"messages": messages}, request=request
                ).encode()
        return response

    @staticmethod
    def _can_append(response: HttpResponse) -> bool:
        return (
            not response.streaming
            and response.status_code < 300
            and response.get("Content-Type", "").startswith("text/html")
            and "HX-Redirect" not in response
        )


class DatabaseUnavailableMiddleware:
    """Answer 503 with a friendly page (not a 500) while the database is unreachable.

    Django closes the broken connection at the end of the request and, with
    ``CONN_HEALTH_CHECKS``, opens a fresh one on the next, so service resumes as soon
    as the database accepts connections again.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return service_unavailable(request)
        return None
