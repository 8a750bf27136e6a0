"""The page cache in one Redis every app server shares (``DJANGO_PAGE_CACHE_URL``): a page
one process stored serves the others, a write is still never hidden by it, and a store
that stops answering costs a drawn page, never an error.

Against the Redis of the machine (``tests.redis_store``), each test under a key prefix of
its own; skipped where none answers, except in CI.
"""

from __future__ import annotations

import logging
import uuid

import pytest
import redis
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.http import HttpResponse

from opportunities.web import data_version, page_cache
from tests.redis_store import CLOSED, REDIS_URL, require_redis
from tests.security.test_configuration import POSTGRES, READ_DATABASE_OPTIONS, run_manage
from tests.web.test_page_cache import page, score_field, seen, served_from_cache

pytestmark = pytest.mark.django_db


def _pages_in(settings, url: str, prefix: str) -> None:
    settings.CACHES = settings.CACHES | {
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": prefix,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }


@pytest.fixture
def shared(settings):
    """The pages cache in Redis, under this test's own prefix; the store, to look in."""
    require_redis()
    prefix = f"crossroads-test-{uuid.uuid4().hex}"
    _pages_in(settings, REDIS_URL, prefix)
    with redis.Redis.from_url(REDIS_URL) as store:
        store.prefix = prefix  # type: ignore[attr-defined]
        yield store
        kept = store.keys(f"{prefix}:*")
        if kept:
            store.delete(*kept)


def kept_pages(store) -> list[bytes]:
    return store.keys(f"{store.prefix}:*")


def test_a_page_is_kept_in_redis_and_served_again_from_there(
    shared, client_in, opportunity, django_assert_num_queries
):
    url = opportunity.get_absolute_url()
    first = seen(client_in, url)
    assert len(kept_pages(shared)) == 1, "the page is in Redis, outside this process"
    with django_assert_num_queries(2):
        again = page(client_in, url)
    assert served_from_cache(again)
    assert again.text.count("<h1") == first.text.count("<h1")


def test_a_page_another_process_stored_serves_this_one(shared, client_in, opportunity):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    # Another process: its own connection to Redis, nothing in its memory.
    caches.close_all()
    del caches[page_cache.CACHE]
    assert served_from_cache(page(client_in, url))


def test_a_write_is_never_hidden_by_a_page_in_the_shared_store(
    shared, client_in, opportunity, criteria
):
    url = opportunity.get_absolute_url()
    criterion = criteria[0]
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    saved = client_in.post(
        f"/opportunities/{opportunity.pk}/scores/{criterion.pk}/",
        {f"{criterion.pk}-value": "7"},
        headers={"HX-Request": "true"},
    )
    assert saved.status_code == 200
    after = page(client_in, url)
    assert not served_from_cache(after)
    assert score_field(after.text, criterion) == "7"


def test_a_process_that_wrote_outside_a_request_keys_its_pages_apart(
    shared, client_in, opportunity
):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    before = data_version.generation()
    data_version.move_on()  # this process wrote outside a request
    assert data_version.generation() not in ("", before)
    assert not served_from_cache(page(client_in, url))
    assert len(kept_pages(shared)) == 2, "the other processes' page stays theirs"


def test_no_two_processes_draw_the_same_generation():
    drawn = set()
    for _ in range(200):
        data_version.move_on()
        drawn.add(data_version.generation())
    assert len(drawn) == 200
    assert "" not in drawn


# --- A store that does not answer -----------------------------------------------------------


def test_a_store_that_does_not_answer_costs_a_drawn_page_never_an_error(
    settings, client_in, opportunity, caplog
):
    _pages_in(settings, CLOSED, "crossroads-test-closed")
    caplog.set_level(logging.WARNING, logger="opportunities.web.page_cache")
    url = opportunity.get_absolute_url()
    first = page(client_in, url)
    again = page(client_in, url)
    assert not served_from_cache(again)
    assert opportunity.title in first.text
    assert opportunity.title in again.text
    said = [record.getMessage() for record in caplog.records]
    assert "Page cache: the store did not answer; the page is drawn." in said
    assert "Page cache: the store did not answer; the page is not kept." in said


def test_a_link_page_is_drawn_when_the_store_does_not_answer(settings, rf):
    _pages_in(settings, CLOSED, "crossroads-test-closed")
    settings.PAGE_CACHE_SECONDS = 600
    request = rf.get("/cal/feed.ics")
    request.session = SessionStore()
    drawn = []

    def draw():
        drawn.append(1)
        return HttpResponse("BEGIN:VCALENDAR")

    for _ in range(2):
        response = page_cache.kept_for_link(request, owner=1, versions=(1, 1), draw=draw)
        assert response.content == b"BEGIN:VCALENDAR"
    assert len(drawn) == 2


# --- Configured from the environment ----------------------------------------------------------

READ_PAGES = (
    "from django.conf import settings as s; p = s.CACHES['pages'];"
    " print(p['BACKEND'], p.get('LOCATION'), p.get('KEY_PREFIX'))"
)


def test_pages_are_kept_per_process_unless_a_redis_is_named():
    result = run_manage("shell", "--no-imports", "-c", READ_PAGES, env=POSTGRES)
    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.cache.backends.locmem.LocMemCache crossroads-pages None"
    ), result.stderr


def test_a_redis_named_in_the_environment_keeps_the_pages():
    env = POSTGRES | {
        "DJANGO_PAGE_CACHE_URL": "redis://cache.example.org:6379/2",
        "DJANGO_PAGE_CACHE_PREFIX": "crossroads-staging",
    }
    result = run_manage("shell", "--no-imports", "-c", READ_PAGES, env=env)
    assert result.stdout.strip().splitlines()[-1] == (
        "django.core.cache.backends.redis.RedisCache redis://cache.example.org:6379/2 "
        "crossroads-staging"
    ), result.stderr


@pytest.mark.parametrize(
    "url", ["memcached://cache:11211", "cache.example.org:6379", "http://redis", " redis://x"]
)
def test_a_page_store_that_is_not_redis_is_a_clear_error(url):
    env = POSTGRES | {"DJANGO_PAGE_CACHE_URL": url}
    result = run_manage("shell", "--no-imports", "-c", READ_DATABASE_OPTIONS, env=env)
    assert result.returncode != 0
    assert "DJANGO_PAGE_CACHE_URL must be a Redis address" in result.stderr
