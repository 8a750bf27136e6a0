"""Request ids and structured logs.

Every request gets an id (taken from a trusted proxy's ``X-Request-ID`` when it looks
sane, otherwise generated). It is returned in the ``X-Request-ID`` header, shown on
error pages so a user can quote it, and attached to every log record made while
the request is handled. In production each record is one JSON object per line.
"""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject, empty

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
user_id_var: contextvars.ContextVar[int | None] = contextvars.ContextVar("user_id", default=None)

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
access_logger = logging.getLogger("crossroads.access")


class RequestIdMiddleware:
    """Give each request an id, and log one access line per request with its duration."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        id_token = request_id_var.set(request_id)
        user_token = user_id_var.set(None)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            user = loaded_user(request)
            if user is not None and user.is_authenticated:
                user_id_var.set(user.pk)
            response["X-Request-ID"] = request_id
            extra: dict[str, object] = {
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
            }
            if cached := getattr(request, "page_cache", ""):
                extra["page_cache"] = cached  # "hit" or "stored" (web.page_cache)
            access_logger.info(
                "%s %s %s", request.method, request.path, response.status_code, extra=extra
            )
            return response
        finally:
            request_id_var.reset(id_token)
            user_id_var.reset(user_token)


def loaded_user(request: HttpRequest):
    """``request.user`` if the request already looked it up, else None.

    Middleware that runs after the view must not be the first to touch the user: that
    is a database query, and when the database is down it would turn a friendly 503
    into a 500 (and it is wasted work on pages that never needed the user).
    """
    user = getattr(request, "user", None)
    if isinstance(user, SimpleLazyObject) and user._wrapped is empty:
        return None
    return user


_LINK_TOKEN = re.compile(r"(/f/|/cal/)[^/\s?#\"']+")
"""A friend's personal link, a private calendar feed: the path is the secret, so logs keep
only its shape."""


def mask_links(text: str) -> str:
    """``text`` with the token of any friend's link or calendar feed in it replaced by an
    ellipsis."""
    return _LINK_TOKEN.sub(r"\1…", text)


class RequestContextFilter(logging.Filter):
    """Attach the current request id and user id to every record, and keep the tokens of
    friends' links and calendar feeds out of it (an access line, Django's "Not Found: /f/…"
    warnings)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        record.user_id = user_id_var.get()
        message = record.getMessage()
        if "/f/" in message or "/cal/" in message:
            record.msg, record.args = mask_links(message), None
        path = getattr(record, "path", None)
        if isinstance(path, str) and ("/f/" in path or "/cal/" in path):
            record.path = mask_links(path)
        return True


_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
    "message",
    "asctime",
    "request_id",
    "user_id",
}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id, user id, and
    any extra fields (method, path, status, duration_ms for access lines)."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
            "user_id": getattr(record, "user_id", None),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value if isinstance(value, str | int | float | bool) else str(value)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        # Extras may carry a friend's link too (Django's request logger adds the request).
        return mask_links(json.dumps(entry, ensure_ascii=False))
