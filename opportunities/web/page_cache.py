"""A signed-in person's pages, kept while nothing they show has changed.

A page marked :func:`cacheable` is stored, per person, in each app-server process or in
one Redis they all share (``settings.PAGE_CACHE_URL``), under a key of everything it is
drawn from:

* the person and their data's counters, theirs and everyone's, read with the user
  (``opportunities.web.data_version``: any request that wrote bumps them, so a write
  is never hidden by a page stored before it);
* this process's generation (writes outside any request, settings changed: empty in
  every process that made none, so processes sharing the store share pages);
* today's date (pages say "today", "overdue", "due in 3 days");
* the address and query, every ``HX-*`` header (a fragment is not the page), every
  cookie (the session, the CSRF secret) and the session's contents.

What differs per response is put back fresh on each one: the CSRF tokens (masked anew,
as Django does per response, so BREACH finds nothing repeated), the CSP nonce, and the
one-time tokens of create forms (:func:`fresh_uuid`). A page is not stored when it set
a cookie, changed the session, added a message, wrote anything, answered other than
200, or is larger than ``MAX_BYTES`` (``MAX_KEPT_BYTES`` compressed); none is served
from the cache while messages are waiting to be shown. It expires after about
``settings.PAGE_CACHE_SECONDS`` (0 turns the cache off), which bounds how long a change
the counters cannot see (typed by hand into the database) can stay hidden.

A page reached by a secret link with no one signed in (the calendar feed) is kept by its
view, under its owner's counters, once the link's checks have passed
(:func:`kept_for_link`).

While a shared store is unreachable pages are drawn and not kept (:data:`STORE_ERRORS`).
While the database is unreachable the cache steps aside: the view meets the error and
answers with the friendly 503, and a bump the database refused after a write is owed
(:func:`~opportunities.web.data_version.bump_or_owe`), never a 500.
"""

from __future__ import annotations

import hashlib
import json
import logging
import random
import re
import secrets
import uuid
import zlib
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import (  # type: ignore[attr-defined]  # private, not in the stubs
    _unmask_cipher_token,
    get_token,
)
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from redis.exceptions import RedisError

from opportunities.models import EVERYONE
from opportunities.web import data_version
from opportunities.web.observability import loaded_user

logger = logging.getLogger(__name__)

CACHE = "pages"
"""The ``settings.CACHES`` alias pages are kept in: each process's memory, or one Redis
every app server shares (``DJANGO_PAGE_CACHE_URL``)."""
STORE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)
"""What a shared store that stopped answering raises: the page is then drawn, as if it
had never been kept, and not stored."""

MAX_BYTES = 1024 * 1024
"""Larger pages are drawn every time (the comparison of 500)."""
MAX_KEPT_BYTES = 64 * 1024
"""A page is kept compressed (zlib, fastest level: a 50 KB page in 7 KB, about 0.3 ms),
and only when that is at most this: with ``MAX_ENTRIES`` 1000, at most 64 MB a process."""

_CSRF_TOKEN = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def cacheable[View: Callable[..., HttpResponse]](view: View) -> View:
    """Mark a signed-in GET page whose content depends only on what the key holds."""
    view.page_cacheable = True  # type: ignore[attr-defined]
    return view


_fresh: ContextVar[list[str] | None] = ContextVar("crossroads_fresh_values", default=None)


def fresh_uuid() -> str:
    """A new random uuid, drawn anew for each response even when the page is cached."""
    value = str(uuid.uuid4())
    drawn = _fresh.get()
    if drawn is not None:
        drawn.append(value)
    return value


def _mark(marker: bytes, what: str) -> bytes:
    return b"[" + marker + b":" + what.encode() + b"]"


@dataclass(frozen=True, slots=True)
class CachedPage:
    """A stored response, its per-response values replaced by markers (``marker`` is
    random per page: nothing typed into a page can forge one)."""

    marker: bytes
    compressed: bytes
    headers: tuple[tuple[str, str], ...]
    csrf: bool
    nonce: bool
    fresh: int

    def response(self, request: HttpRequest) -> HttpResponse:
        body = zlib.decompress(self.compressed)
        if self.csrf:
            body = body.replace(_mark(self.marker, "csrf"), get_token(request).encode())
        if self.nonce:
            body = body.replace(_mark(self.marker, "nonce"), str(get_nonce(request)).encode())
        for index in range(self.fresh):
            body = body.replace(_mark(self.marker, f"fresh{index}"), str(uuid.uuid4()).encode())
        response = HttpResponse(body)
        for header, value in self.headers:
            response[header] = value
        return response

    @classmethod
    def of(cls, request: HttpRequest, response: HttpResponse, fresh: list[str]) -> CachedPage:
        marker = secrets.token_hex(8).encode()
        body = response.content
        secret = request.META.get("CSRF_COOKIE")
        csrf = False

        def masked_secret(match: re.Match[bytes]) -> bytes:
            nonlocal csrf
            token = match.group()
            if secret and constant_time_compare(_unmask_cipher_token(token.decode()), secret):
                csrf = True
                return _mark(marker, "csrf")
            return token

        body = _CSRF_TOKEN.sub(masked_secret, body)
        nonce = get_nonce(request)
        if nonce:
            body = body.replace(str(nonce).encode(), _mark(marker, "nonce"))
        for index, value in enumerate(fresh):
            body = body.replace(value.encode(), _mark(marker, f"fresh{index}"))
        compressed = zlib.compress(body, 1)
        return cls(marker, compressed, tuple(response.items()), csrf, bool(nonce), len(fresh))


def page_key(request: HttpRequest, user: Any) -> str:
    return _key(request, user.pk, data_version.versions_of(user), session=True)


def _key(request: HttpRequest, owner: int, versions: tuple[int, int], *, session: bool) -> str:
    own, everyone = versions
    drawn_from = [
        request.build_absolute_uri(),
        sorted((k.lower(), v) for k, v in request.headers.items() if k.lower().startswith("hx-")),
        sorted(request.COOKIES.items()),
        dict(request.session.items()) if session else {},
    ]
    digest = hashlib.sha256(json.dumps(drawn_from, sort_keys=True, default=str).encode())
    today = timezone.localdate().isoformat()
    kind = "page" if session else "link"
    return (
        f"{kind}:{owner}:{own}:{everyone}:{data_version.generation()}:{today}:{digest.hexdigest()}"
    )


def kept_for_link(
    request: HttpRequest,
    *,
    owner: int,
    versions: tuple[int, int],
    draw: Callable[[], HttpResponse],
) -> HttpResponse:
    """A page reached by a secret link, with no one signed in (the calendar feed): the
    one ``draw`` makes, or the same served again while ``owner``'s data is unchanged.

    Call it once the link's rate limits are counted and its token found, so a page
    served again passes every check a drawn one does. ``versions`` are the owner's
    counters, read with the link (:func:`~opportunities.web.data_version.with_counters`);
    the key is a signed-in page's, less the session, which such a view never reads. A
    page is kept on a signed-in page's terms (:func:`_storable`), and only when nothing
    was written before or while it was drawn.
    """
    if not settings.PAGE_CACHE_SECONDS or request.method != "GET":
        return draw()
    key = _key(request, owner, versions, session=False)
    page = _kept(key)
    if page is not None:
        request.page_cache = "hit"  # type: ignore[attr-defined]  # for the access log
        return page.response(request)
    drawn: list[str] = []
    fresh = _fresh.set(drawn)
    try:
        response = draw()
    finally:
        _fresh.reset(fresh)
    if not data_version.written() and _storable(request, response):
        _store(request, key, CachedPage.of(request, response, drawn))
    return response


def _kept(key: str) -> CachedPage | None:
    try:
        return caches[CACHE].get(key)
    except STORE_ERRORS:
        logger.warning("Page cache: the store did not answer; the page is drawn.", exc_info=True)
        return None


def _store(request: HttpRequest, key: str, page: CachedPage) -> None:
    if len(page.compressed) > MAX_KEPT_BYTES:
        return
    seconds = settings.PAGE_CACHE_SECONDS * random.uniform(0.9, 1.1)
    try:
        caches[CACHE].set(key, page, seconds)
    except STORE_ERRORS:
        logger.warning("Page cache: the store did not answer; the page is not kept.", exc_info=True)
        return
    request.page_cache = "stored"  # type: ignore[attr-defined]  # for the access log


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    messages = getattr(request, "_messages", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and len(response.content) <= MAX_BYTES
        and "no-store" not in response.get("Cache-Control", "")
        and not request.session.modified
        # A secret drawn by this request (no cookie yet): its tokens are the browser's
        # only once this response's cookie arrives.
        and request.META.get("CSRF_COOKIE")
        in (None, request.COOKIES.get(settings.CSRF_COOKIE_NAME))
        and not getattr(messages, "added_new", False)
    )


def _messages_waiting(request: HttpRequest) -> bool:
    """Whether a message waits to be shown: the page that shows it is drawn.

    Messages wait in their cookie (``settings.MESSAGE_STORAGE``); those that did not fit
    wait in the session, and the cookie then ends with a mark saying so, so the cookie
    alone tells. (An emptied cookie is sent as ``messages=`` by clients that keep it.)"""
    return bool(request.COOKIES.get(CookieStorage.cookie_name))


class PageCacheMiddleware:
    """Serve :func:`cacheable` pages from the cache; bump the counters after a write.

    Last in ``MIDDLEWARE``: a page served from here still passes out through every
    other middleware (the CSP header with this response's nonce, the CSRF cookie,
    ``Cache-Control``, the access log).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        drawn: list[str] = []
        fresh = _fresh.set(drawn)
        try:
            with data_version.watching() as watch:
                response = self.get_response(request)
        finally:
            _fresh.reset(fresh)
        if watch.wrote:
            data_version.bump_or_owe(self._scope(request))
            return response
        if response.status_code < 500:  # the database answered this request
            data_version.settle_owed()
        key = getattr(request, "_page_cache_key", None)
        if key is None or not _storable(request, response):
            return response
        _store(request, key, CachedPage.of(request, response, drawn))
        return response

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        if (
            not settings.PAGE_CACHE_SECONDS
            or request.method != "GET"
            or not getattr(view, "page_cacheable", False)
        ):
            return None
        try:
            if not request.user.is_authenticated or _messages_waiting(request):
                return None
            key = page_key(request, request.user)
        except (OperationalError, InterfaceError):
            # The session or the user could not be read: the view meets the same error
            # and answers with the friendly 503 (``DatabaseUnavailableMiddleware``).
            return None
        page = _kept(key)
        if page is None:
            request._page_cache_key = key  # type: ignore[attr-defined]
            return None
        request.page_cache = "hit"  # type: ignore[attr-defined]
        return page.response(request)

    @staticmethod
    def _scope(request: HttpRequest) -> int:
        user = loaded_user(request)
        match = getattr(request, "resolver_match", None)
        if getattr(match, "app_name", "") == "admin":
            return EVERYONE
        if user is None or not user.is_authenticated:
            return getattr(request, "data_owner", EVERYONE)
        return user.pk
