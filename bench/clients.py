"""Who sends the benchmark's requests, and how: prepared requests, the client sessions
they go through (one per source address, for pages limited per address), and the cookies
of signed-in users and of friends without an account.

``bench.loadgen`` schedules these requests; this module only prepares and sends them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

import aiohttp


@dataclass(frozen=True, slots=True)
class Request:
    """One prepared request: a signed-in user's cookies travel in ``headers``."""

    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: str | None = None
    source: str | None = None
    """The local (loopback) address to send from; None: whichever the system picks.
    Pages limited per address (the friend's page) get one per request of the rotation."""


class Sessions:
    """A client session per source address (one for requests without one), each with its
    own pool of up to ``connections`` keep-alive connections, closed together."""

    def __init__(self, base_url: str, *, connections: int, **options) -> None:
        self.base_url = base_url
        self.connections = connections
        self.options = options
        self.open: dict[str | None, aiohttp.ClientSession] = {}

    def __call__(self, request: Request) -> aiohttp.ClientSession:
        session = self.open.get(request.source)
        if session is None:
            connector = aiohttp.TCPConnector(
                limit=self.connections,
                limit_per_host=self.connections,
                local_addr=None if request.source is None else (request.source, 0),
            )
            session = aiohttp.ClientSession(
                self.base_url,
                connector=connector,
                cookie_jar=aiohttp.DummyCookieJar(),
                **self.options,
            )
            self.open[request.source] = session
        return session

    async def __aenter__(self) -> Sessions:
        return self

    async def __aexit__(self, *exc_info) -> None:
        await asyncio.gather(*(session.close() for session in self.open.values()))


def sources(requests: Sequence[Request]) -> int:
    """How many source addresses of their own ``requests`` are sent from."""
    return len({request.source for request in requests if request.source is not None})


async def fetch_status(session: aiohttp.ClientSession, request: Request) -> int:
    """Send one request and read its whole body; its status, or 0 if it failed or timed out."""
    try:
        async with session.request(
            request.method,
            request.path,
            headers=request.headers,
            data=request.body,
            allow_redirects=False,
        ) as response:
            await response.read()
            return response.status
    except (TimeoutError, aiohttp.ClientError):
        return 0


# --- Signing in --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Session:
    username: str
    cookie: str
    """The ``Cookie`` header: session and CSRF cookies."""
    csrf_token: str


async def log_in(
    base_url: str, usernames: Sequence[str], password: str, *, concurrency: int = 2
) -> dict[str, Session]:
    """Log every user in once through the real login form and keep their cookies.

    Password hashing is deliberately slow (PBKDF2, over a million iterations), so the
    benchmark signs in once per simulated user and reuses the session for every request.
    """
    limit = asyncio.Semaphore(concurrency)
    sessions: dict[str, Session] = {}

    async def one(username: str) -> None:
        async with (
            limit,
            aiohttp.ClientSession(base_url, cookie_jar=aiohttp.CookieJar(unsafe=True)) as client,
        ):
            async with client.get("/accounts/login/") as response:
                response.raise_for_status()
            token = _cookie(client, "csrftoken")
            async with client.post(
                "/accounts/login/",
                data={"username": username, "password": password, "csrfmiddlewaretoken": token},
                headers={"X-CSRFToken": token},
                allow_redirects=False,
            ) as response:
                if response.status != 302:
                    raise RuntimeError(f"Logging in {username} failed (HTTP {response.status}).")
            # The token is rotated on login: take the new one from the cookie, after a GET.
            async with client.get("/") as response:
                response.raise_for_status()
            session_id = _cookie(client, "sessionid")
            token = _cookie(client, "csrftoken")
            sessions[username] = Session(
                username=username,
                cookie=f"sessionid={session_id}; csrftoken={token}",
                csrf_token=token,
            )

    await asyncio.gather(*(one(name) for name in usernames))
    return sessions


def _cookie(client: aiohttp.ClientSession, name: str) -> str:
    for cookie in client.cookie_jar:
        if cookie.key == name:
            return cookie.value
    raise RuntimeError(f"No {name} cookie was set.")


def as_visitor(
    method: str,
    path: str,
    *,
    source: str | None = None,
    csrf: str | None = None,
    form: dict[str, str] | None = None,
) -> Request:
    """A request from someone without an account (a friend opening their link), sent from
    ``source``: the CSRF cookie their browser got with the page, and for a POST the form
    with its token, as the page's form sends it."""
    headers = {"Accept-Encoding": "gzip, deflate, br"}
    if csrf:
        headers["Cookie"] = f"csrftoken={csrf}"
    body = None
    if method == "POST":
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        body = urlencode({**(form or {}), **({"csrfmiddlewaretoken": csrf} if csrf else {})})
    return Request(method, path, headers, body, source=source)


def as_user(
    session: Session,
    method: str,
    path: str,
    *,
    htmx_target: str | None = None,
    form: dict[str, str] | None = None,
) -> Request:
    """A request as the browser sends it for ``session``'s user: cookies, and for a POST the
    CSRF header htmx adds (from the page's ``hx-headers``) and a urlencoded form."""
    headers = {"Cookie": session.cookie, "Accept-Encoding": "gzip, deflate, br"}
    if htmx_target:
        headers |= {"HX-Request": "true", "HX-Target": htmx_target}
    body = None
    if method == "POST":
        headers |= {
            "X-CSRFToken": session.csrf_token,
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode(form or {})
    return Request(method, path, headers, body)
