"""The layout's links (``opportunities.web.navigation``): reversed once per process, and
still right under another script prefix and on every page of the menu."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse, set_script_prefix

from opportunities.web.navigation import MENU, menu

pytestmark = pytest.mark.django_db

PAGES = ["dashboard", "criteria", "journal", "people", "friends", "pay_settings", "help"]


def hrefs(html: str) -> set[str]:
    return set(re.findall(r'(?:href|action)="([^"]+)"', html))


def test_every_page_links_the_whole_menu_the_account_and_logging_out(client_in):
    html = client_in.get(reverse("opportunities:people")).text
    assert {reverse(name) for name in MENU.values()} <= hrefs(html)


@pytest.mark.parametrize("page", PAGES)
def test_the_page_a_person_is_on_is_marked_current_and_no_other(client_in, page):
    address = reverse(f"opportunities:{page}")
    html = client_in.get(address).text
    assert re.findall(r'href="([^"]+)" aria-current="page"', html) == [address]


def test_under_a_script_prefix_the_links_carry_it_and_without_it_they_do_not(rf):
    try:
        set_script_prefix("/crossroads/")
        prefixed = menu(rf.get("/"))["menu"]()
    finally:
        set_script_prefix("/")
    plain = menu(rf.get("/"))["menu"]()
    assert prefixed["journal"] == "/crossroads/journal/"
    assert plain["journal"] == "/journal/"
    assert all(prefixed[key] == "/crossroads" + plain[key] for key in MENU)


def test_someone_signed_out_gets_how_it_works(client):
    html = client.get(reverse("login")).text
    assert f'href="{reverse("opportunities:help")}">How it works</a>' in html
