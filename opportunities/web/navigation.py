"""The addresses the layout links to on every page: the main menu, the account, logging
out. Reversed once per process (and URL configuration and script prefix) rather than ten
times a page: each ``{% url %}`` cost about 20 µs, a third of what drawing the layout did."""

from __future__ import annotations

from functools import lru_cache, partial

from django.conf import settings
from django.http import HttpRequest
from django.urls import get_script_prefix, get_urlconf, reverse

MENU = {
    "dashboard": "opportunities:dashboard",
    "criteria": "opportunities:criteria",
    "journal": "opportunities:journal",
    "people": "opportunities:people",
    "friends": "opportunities:friends",
    "pay_settings": "opportunities:pay_settings",
    "help": "opportunities:help",
    "account": "account",
    "logout": "logout",
}
"""What ``base.html`` calls each address (``{{ menu.journal }}``), and its URL name."""


@lru_cache(maxsize=8)  # bounded: the script prefix comes from the server's environ
def _addresses(urlconf: str, prefix: str) -> dict[str, str]:
    return {key: reverse(name, urlconf=urlconf) for key, name in MENU.items()}


def menu(request: HttpRequest) -> dict[str, partial[dict[str, str]]]:
    """Context processor: ``menu``, the layout's addresses. Reversed only when a template
    asks (the template engine calls it): fragments and pages of their own never do."""
    return {
        "menu": partial(_addresses, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    }
