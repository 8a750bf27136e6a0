"""Every URL, walked from the resolver: who may reach it, and what another user sees."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.endpoints import (
    BY_NAME,
    ENDPOINTS,
    PUBLIC,
    SENTINEL,
    build_world,
    snapshot,
    url_names,
)

pytestmark = pytest.mark.django_db

PRIVATE = [e for e in ENDPOINTS if e.name not in PUBLIC]
OBJECT_URLS = [e for e in ENDPOINTS if e.object_url]


def url_of(endpoint, world) -> str:
    return reverse(endpoint.name, kwargs=endpoint.kwargs(world))


def test_every_url_pattern_is_described_and_only_the_allow_list_is_public():
    names = url_names()
    undescribed = names - set(BY_NAME) - PUBLIC
    assert undescribed == set(), f"add these URLs to tests/security/endpoints.py: {undescribed}"
    assert set(BY_NAME) - names == set(), "the table lists URLs that no longer exist"
    print(f"\nURL patterns walked: {len(names)} ({len(PUBLIC)} public)")


@pytest.mark.parametrize("endpoint", PRIVATE, ids=lambda e: e.name)
def test_anonymous_visitors_are_sent_to_log_in(endpoint):
    world = build_world()
    url = url_of(endpoint, world)
    client = Client()
    for method in endpoint.methods:
        response = client.generic(
            method, url, data=endpoint.query(world) if method == "GET" else ""
        )
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login"))
        htmx = client.generic(method, url, headers={"HX-Request": "true"})
        assert htmx["HX-Redirect"].startswith(reverse("login")), (method, url)


@pytest.mark.parametrize("endpoint", OBJECT_URLS, ids=lambda e: e.name)
def test_another_users_objects_are_a_404_and_stay_unchanged(endpoint):
    owner, intruder = build_world(), build_world(tag="intruder")
    before = snapshot(owner.user)
    client = Client()
    client.force_login(intruder.user)
    url = url_of(endpoint, owner)
    for method in endpoint.methods:
        if method == "GET":
            response = client.get(url, endpoint.query(owner))
        else:
            response = client.post(url, endpoint.data(owner))
            htmx = client.post(url, endpoint.data(owner), headers={"HX-Request": "true"})
            assert htmx.status_code == 404, ("htmx", method, url)
        assert response.status_code == 404, (method, url)
        assert SENTINEL not in response.text
    assert snapshot(owner.user) == before


def test_sentinels_never_reach_another_user_anywhere():
    """User B walks every page, fragment and export with their own ids and with A's."""
    owner, intruder = build_world(), build_world(tag="intruder")
    client = Client()
    client.force_login(intruder.user)
    checked = 0
    for endpoint in ENDPOINTS:
        if "GET" not in endpoint.methods or endpoint.name in PUBLIC:
            continue
        for world in (intruder, owner):
            url = url_of(endpoint, world)
            # Queries naming A's ids are tried even on B's own pages (e.g. ?ids=).
            for query in (endpoint.query(world), endpoint.query(owner)):
                responses = [client.get(url, query)]
                responses += [
                    client.get(url, query, headers={"HX-Request": "true", "HX-Target": target})
                    for target in endpoint.fragments
                ]
                for response in responses:
                    checked += 1
                    assert response.status_code in (200, 302, 404), (url, query)
                    body = response.content.decode(errors="replace")
                    assert SENTINEL not in body, (url, query)
    print(f"\nisolation checks: {checked} responses searched for another user's data")
