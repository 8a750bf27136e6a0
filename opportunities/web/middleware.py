"""htmx plumbing, kept in one place so views just call ``redirect()`` and ``messages``."""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control, patch_vary_headers
from django_htmx.http import HttpResponseClientRedirect

from opportunities.web.errors import service_busy, service_unavailable
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

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        """Run a write again when the database gave it up only to let another through.

        Two writes that meet (a double click, two tabs) can deadlock, or fail to
        serialise, or find SQLite's file locked for a moment: the database rolls one
        back and the same request would succeed a moment later. Such a write is tried
        up to ``ATTEMPTS`` times, a few milliseconds apart, before anything is said;
        only a database that keeps refusing gets the "try again" page.
        """
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return None
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return view_func(request, *view_args, **view_kwargs)
            except OperationalError as exc:
                if not is_transient(exc):
                    return service_unavailable(request)
                if attempt == ATTEMPTS:
                    return service_busy(request)
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # jitter: retries drift apart
            except InterfaceError:
                return service_unavailable(request)
        return None  # unreachable: the loop returns

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            return service_unavailable(request)
        return None


ATTEMPTS = 4
"""How many times a write that lost a deadlock or a serialisation conflict is run."""

_TRANSIENT_SQLSTATES = {"40001", "40P01"}  # serialization_failure, deadlock_detected


def is_transient(exc: OperationalError) -> bool:
    """A conflict between two writes, which the same write survives when run again,
    as opposed to a database that is down."""
    cause = exc.__cause__
    if getattr(cause, "sqlstate", None) in _TRANSIENT_SQLSTATES:
        return True
    return "database is locked" in str(exc)
