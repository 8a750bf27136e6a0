"""The page cache (``opportunities.web.page_cache``): a signed-in person's heavier pages
are served again without being drawn, and a write, wherever it comes from, is never
hidden by a page stored before it.

"Served from the cache" is seen from outside: no template rendered, two queries (the
session, and the user with their counters), and the same page with its per-response
values (CSRF token, CSP nonce, one-time form token) drawn anew.
"""

from __future__ import annotations

import logging
import re
import secrets
from collections.abc import Callable
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import constants
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.cache import caches
from django.core.management import call_command
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.models import EVERYONE, CheckIn, PageVersion
from opportunities.web import data_version, page_cache
from opportunities.web.page_cache import kept_for_link
from tests.factories import CheckInFactory, DecisionFactory, OpportunityFactory, PersonFactory
from tests.friends.owner_helpers import make_link, make_round

pytestmark = pytest.mark.django_db

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')
CSRF_TOKEN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")
NONCE = re.compile(r'nonce="([^"]+)"')
FORM_TOKEN = re.compile(r'name="form_token" value="([0-9a-f-]{36})"')


@pytest.fixture(autouse=True)
def empty_cache():
    caches[page_cache.CACHE].clear()


def page(client, url: str, **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response


def seen(client, url: str, **headers):
    """A page as a browser first sees it. The very first page of a session sets the CSRF
    cookie, so it is not kept (its tokens belong to a secret the browser does not have
    yet); the browser's next visit is drawn and kept."""
    had_the_cookie = "csrftoken" in client.cookies
    response = page(client, url, **headers)
    if not had_the_cookie:
        response = page(client, url, **headers)
    assert not served_from_cache(response)
    return response


def served_from_cache(response) -> bool:
    return not response.templates


def without_fresh_values(text: str) -> str:
    """The page as the cache keeps it: what is drawn anew per response taken out."""
    for pattern in (CSRF_TOKEN, NONCE, FORM_TOKEN):
        text = pattern.sub("", text)
    return text


def score_field(text: str, criterion) -> str:
    found = re.search(
        rf'name="{criterion.pk}-value" id="id_{criterion.pk}-value" value="(\d*)"', text
    )
    assert found, "the score's number box is on the page"
    return found.group(1)


def version(scope: int) -> int:
    """A counter as it stands (rows another test committed may outlive it: compare, never
    assume 0)."""
    found = PageVersion.objects.filter(scope=scope).values_list("version", flat=True).first()
    return found or 0


# --- Served again ---------------------------------------------------------------------------


def test_a_page_seen_again_is_served_from_the_cache_for_the_session_and_the_user(
    client_in, opportunity, django_assert_num_queries
):
    url = opportunity.get_absolute_url()
    first = seen(client_in, url)
    assert not served_from_cache(first)
    with django_assert_num_queries(2):
        second = page(client_in, url)
    assert served_from_cache(second)
    assert without_fresh_values(second.text) == without_fresh_values(first.text)
    assert second["Cache-Control"] == first["Cache-Control"]
    assert second["Content-Type"] == first["Content-Type"]


def test_each_cached_response_has_its_own_csrf_token_for_the_same_secret(
    user, opportunity, criteria
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    url = opportunity.get_absolute_url()
    first = seen(client, url)
    second = page(client, url)
    assert served_from_cache(second)
    secret = client.cookies["csrftoken"].value
    first_tokens = set(CSRF_FIELD.findall(first.text))
    second_tokens = set(CSRF_FIELD.findall(second.text))
    assert second_tokens
    assert not first_tokens & second_tokens
    assert {_unmask_cipher_token(token) for token in second_tokens} == {secret}
    # And the token works.
    token = second_tokens.pop()
    save = client.post(
        reverse("opportunities:score_save", args=[opportunity.pk, criteria[0].pk]),
        {f"{criteria[0].pk}-value": "7", "csrfmiddlewaretoken": token},
    )
    assert save.status_code in (200, 302, 303)


def test_each_cached_response_has_its_own_nonce_matching_its_policy(client_in, opportunity):
    url = opportunity.get_absolute_url()
    first = seen(client_in, url)
    second = page(client_in, url)
    assert served_from_cache(second)
    nonces = set(NONCE.findall(second.text))
    assert len(nonces) == 1
    (nonce,) = nonces
    assert f"'nonce-{nonce}'" in second["Content-Security-Policy"]
    assert nonce not in first.text


def test_a_one_time_form_token_is_drawn_anew_for_each_cached_response(client_in, opportunity):
    url = opportunity.get_absolute_url()
    first = FORM_TOKEN.findall(seen(client_in, url).text)
    second_response = page(client_in, url)
    assert served_from_cache(second_response)
    second = FORM_TOKEN.findall(second_response.text)
    assert first
    assert second
    assert not set(first) & set(second)


def test_an_htmx_request_and_a_full_page_are_kept_apart(client_in, user, criteria):
    options = [OpportunityFactory(owner=user) for _ in range(3)]
    url = reverse("opportunities:compare") + "?ids=" + ",".join(str(o.pk) for o in options)
    url += f"&money_a={options[0].pk}&money_b={options[1].pk}"
    full = seen(client_in, url)
    fragment = page(client_in, url, HX_Request="true", HX_Target="money-check")
    assert "<html" in full.text
    assert "<html" not in fragment.text
    again = page(client_in, url, HX_Request="true", HX_Target="money-check")
    assert served_from_cache(again)
    assert "<html" not in again.text


def test_another_person_never_gets_a_page_kept_for_someone_else(client_in, user, other_user):
    mine = seen(client_in, reverse("opportunities:criteria"))
    theirs_client = Client()
    theirs_client.force_login(other_user)
    theirs = page(theirs_client, reverse("opportunities:criteria"))
    assert not served_from_cache(theirs)
    assert theirs.context["user"] == other_user
    assert user.username in mine.text
    assert user.username not in theirs.text


# --- Never hiding a write ------------------------------------------------------------------


def test_a_slider_save_made_with_raw_sql_shows_on_the_next_view(client_in, opportunity, criteria):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    criterion = criteria[0]
    client_in.post(
        reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk]),
        {f"{criterion.pk}-value": "9"},
        headers={"HX-Request": "true"},
    )
    after = page(client_in, url)
    assert not served_from_cache(after)
    assert score_field(after.text, criterion) == "9"


def test_a_write_retires_every_cached_page_of_that_person(client_in, user, criteria):
    opportunity = OpportunityFactory(owner=user, title="Harbour role")
    pages = [reverse("opportunities:dashboard"), reverse("opportunities:criteria")]
    for url in pages:
        seen(client_in, url)
        assert served_from_cache(page(client_in, url))
    assert 'data-testid="archived-opportunities"' not in page(client_in, pages[0]).text
    client_in.post(reverse("opportunities:opportunity_archive", args=[opportunity.pk]))
    assert not served_from_cache(page(client_in, pages[0]))  # with the message
    assert not served_from_cache(page(client_in, pages[1]))
    dashboard = page(client_in, pages[0])
    assert 'data-testid="archived-opportunities"' in dashboard.text


def test_a_write_made_outside_any_request_shows_on_the_next_view(client_in, opportunity, criteria):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    opportunity.title = "Renamed in a shell"
    opportunity.save()
    after = page(client_in, url)
    assert not served_from_cache(after)
    assert "Renamed in a shell" in after.text


def test_a_friends_answer_bumps_its_owner_and_shows_on_the_owners_round(client_in, user, criteria):
    role = OpportunityFactory(owner=user, title="Agency role")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    asked = make_round(user, role, stay)
    _, token = make_link(asked, "Sam")
    url = reverse("opportunities:friends_round", args=[asked.pk])
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    before, everyone = version(user.pk), version(EVERYONE)
    friend = Client()
    sent = friend.post(
        reverse("opportunities:friend_page", args=[token]),
        {f"o{role.pk}-c{criteria[0].pk}-value": "8", f"o{role.pk}-gut": "yes"},
    )
    assert sent.status_code == 303
    assert version(user.pk) > before
    assert version(EVERYONE) == everyone
    after = page(client_in, url)
    assert not served_from_cache(after)


def test_the_admin_bumps_everyone(client, user, opportunity):
    admin = User.objects.create_superuser("root", "root@example.com", "a long admin password")
    client.force_login(admin)
    before = version(EVERYONE)
    response = client.post(
        reverse("admin:opportunities_opportunity_delete", args=[opportunity.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert version(EVERYONE) == before + 1


def test_a_command_that_writes_bumps_everyone_and_one_that_does_not_leaves_it(user):
    before = version(EVERYONE)
    call_command("send_check_in_reminders", stdout=StringIO())
    assert version(EVERYONE) == before  # nothing was due: nothing written
    decision = DecisionFactory(opportunity=OpportunityFactory(owner=user))
    CheckInFactory(decision=decision, due_on=timezone.localdate() - timedelta(days=1))
    call_command("send_check_in_reminders", stdout=StringIO())
    assert CheckIn.objects.filter(reminded_on__isnull=False).exists()
    assert version(EVERYONE) == before + 1


def test_a_request_that_writes_bumps_its_person_once_and_a_read_does_not(
    client_in, user, opportunity, criteria
):
    own, everyone = version(user.pk), version(EVERYONE)
    seen(client_in, reverse("opportunities:criteria"))
    assert version(user.pk) == own
    client_in.post(
        reverse("opportunities:score_save", args=[opportunity.pk, criteria[0].pk]),
        {f"{criteria[0].pk}-value": "4"},
    )
    assert version(user.pk) == own + 1
    assert version(EVERYONE) == everyone


def test_a_choice_kept_in_the_session_shows_at_once(client_in, user):
    options = [OpportunityFactory(owner=user) for _ in range(3)]
    url = reverse("opportunities:compare") + "?ids=" + ",".join(str(o.pk) for o in options)
    assert 'data-testid="gut-ranking-form"' in seen(client_in, url).text
    assert served_from_cache(page(client_in, url))
    client_in.post(
        reverse("opportunities:compare_gut_ranking"),
        {"ids": [o.pk for o in options], "skip": "1"},
    )
    after = page(client_in, url)
    assert not served_from_cache(after)
    assert 'data-testid="gut-ranking-form"' not in after.text


def test_a_new_day_draws_the_page_again(client_in, opportunity, monkeypatch):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    tomorrow = timezone.localdate() + timedelta(days=1)
    monkeypatch.setattr(page_cache.timezone, "localdate", lambda: tomorrow)
    assert not served_from_cache(page(client_in, url))


# --- Never stored ---------------------------------------------------------------------------


def test_a_message_is_shown_once_and_never_replayed(client_in, user):
    opportunity = OpportunityFactory(owner=user)
    url = reverse("opportunities:dashboard")
    seen(client_in, url)
    client_in.post(reverse("opportunities:opportunity_archive", args=[opportunity.pk]))
    with_message = page(client_in, url)
    assert not served_from_cache(with_message)
    assert with_message.text.count('role="alert"') == 2  # the message, and the hidden one
    again = page(client_in, url)
    assert again.text.count('role="alert"') == 1
    assert served_from_cache(page(client_in, url))


def test_a_message_from_a_request_that_wrote_nothing_is_shown_not_hidden_by_a_kept_page(
    client_in, user
):
    """Nothing was written, so the counters did not move: the page kept before the
    message would still be served, and its message lost, but for the message's cookie."""
    stay = OpportunityFactory(owner=user, is_status_quo=True)
    url = stay.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    before = version(user.pk)
    client_in.post(reverse("opportunities:stage_move", args=[stay.pk]), {"stage": "applied"})
    assert version(user.pk) == before
    assert "messages" in client_in.cookies  # in its cookie: the session was not written
    assert "_messages" not in client_in.session
    with_message = page(client_in, url)
    assert not served_from_cache(with_message)
    assert with_message.text.count('role="alert"') == 2  # the message, and the hidden one
    again = page(client_in, url)  # the message shown, its cookie cleared: kept again
    assert not client_in.cookies["messages"].value
    assert again.text.count('role="alert"') == 1
    assert served_from_cache(page(client_in, url))


def test_messages_too_long_for_their_cookie_wait_in_the_session_and_are_shown(client_in, user, rf):
    """What does not fit in the cookie goes to the session (``FallbackStorage``), and the
    cookie says so: the page is drawn for them too, and kept again once they are shown."""
    opportunity = OpportunityFactory(owner=user)
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    request = rf.get("/")
    request.session = client_in.session
    storage = FallbackStorage(request)
    for n in range(12):
        storage.add(constants.INFO, f"Message {n:02}: {secrets.token_hex(150)}")  # compresses ill
    storage.update(response := HttpResponse())
    request.session.save()
    client_in.cookies.update(response.cookies)
    assert request.session.get("_messages")  # the overflow
    with_message = page(client_in, url)
    assert not served_from_cache(with_message)
    assert all(f"Message {n:02}:" in with_message.text for n in range(12))
    assert "Message 00:" not in page(client_in, url).text
    assert served_from_cache(page(client_in, url))


def test_a_page_larger_than_the_bound_compressed_is_drawn_every_time(
    client_in, opportunity, monkeypatch
):
    monkeypatch.setattr(page_cache, "MAX_KEPT_BYTES", 100)
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert not served_from_cache(page(client_in, url))


def test_a_page_not_marked_cacheable_is_drawn_every_time(client_in):
    url = reverse("opportunities:people")
    seen(client_in, url)
    assert not served_from_cache(page(client_in, url))


def test_no_cache_when_turned_off(client_in, opportunity, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert not served_from_cache(page(client_in, url))


def test_nobody_signed_in_is_never_served_from_the_cache(client):
    url = reverse("opportunities:dashboard")
    assert client.get(url).status_code == 302
    assert client.get(url).status_code == 302


# --- What counts as a write -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sql", "changes"),
    [
        ('SELECT "opportunities_opportunity"."id" FROM "opportunities_opportunity"', False),
        ("  select 1", False),
        ('(SELECT "a" FROM "opportunities_person") UNION (SELECT "b" FROM "x")', False),
        ("SELECT ... FOR UPDATE", False),
        ('SAVEPOINT "s1"', False),
        ('RELEASE SAVEPOINT "s1"', False),
        ('INSERT INTO "opportunities_score" ("value") VALUES (%s)', True),
        ('UPDATE "opportunities_evaluation" SET "total" = %s RETURNING 1', True),
        ('DELETE FROM "opportunities_opportunity" WHERE "id" = %s', True),
        ("INSERT OR REPLACE INTO opportunities_score VALUES (1)", True),
        ("WITH moved AS (UPDATE x SET y = 1 RETURNING *) SELECT * FROM moved", True),
        ("ALTER TABLE opportunities_score ADD COLUMN z int", True),
        ('UPDATE "django_session" SET "session_data" = %s', False),
        ('INSERT INTO "opportunities_throttle" ("key") VALUES (%s)', False),
        ('UPDATE "opportunities_pageversion" SET "version" = ("version" + 1)', False),
        ('INSERT INTO "axes_accessattempt" ("username") VALUES (%s)', False),
        ('INSERT INTO "django_tasks_database_dbtaskresult" ("id") VALUES (%s)', False),
    ],
)
def test_what_counts_as_a_change(sql, changes):
    assert data_version.changes_data(sql) is changes


def test_writes_are_watched_on_every_connection_inside_and_outside_a_block(user):
    connection.ensure_connection()
    assert connection.execute_wrappers[0] is data_version._watch_statement
    before = data_version.generation()
    with data_version.watching() as watch:
        User.objects.filter(pk=user.pk).update(first_name="Ada")
    assert watch.wrote
    assert data_version.generation() == before
    with data_version.watching() as reading:
        list(User.objects.all())
    assert not reading.wrote
    User.objects.filter(pk=user.pk).update(first_name="Grace")
    assert data_version.generation() not in ("", before)


def test_the_user_is_loaded_with_both_counters_in_one_query(user, django_assert_num_queries):
    from opportunities.accounts.backends import VersionedModelBackend

    own, everyone = version(user.pk), version(EVERYONE)
    data_version.bump(user.pk)
    data_version.bump(EVERYONE)
    data_version.bump(EVERYONE)
    with django_assert_num_queries(1):
        loaded = VersionedModelBackend().get_user(user.pk)
        assert data_version.versions_of(loaded) == (own + 1, everyone + 2)


# --- Every page the cache keeps -------------------------------------------------------------

CACHEABLE = {
    "opportunities:dashboard",
    "opportunities:opportunity_detail",
    "opportunities:story",
    "opportunities:journal",
    "opportunities:judgement",
    "opportunities:commit_step",
    "opportunities:compare",
    "opportunities:friends_round",
    "opportunities:criteria",
    "opportunities:criterion_curve",
    "opportunities:swing",
    "opportunities:person_detail",
}


def _url_names(patterns, namespace: str = ""):
    for pattern in patterns:
        if hasattr(pattern, "url_patterns"):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def test_the_pages_marked_cacheable_are_these_and_only_signed_in_gets():
    from django.urls import get_resolver

    marked = {
        name
        for name, view in _url_names(get_resolver().url_patterns)
        if getattr(view, "page_cacheable", False)
    }
    assert marked == CACHEABLE


@pytest.fixture
def every_cacheable_page(user, criteria):
    first, second = (OpportunityFactory(owner=user) for _ in range(2))
    decision = DecisionFactory(opportunity=first)
    pay = next(criterion for criterion in criteria if criterion.name == "Pay")
    pages = {
        "opportunities:dashboard": reverse("opportunities:dashboard"),
        "opportunities:opportunity_detail": first.get_absolute_url(),
        "opportunities:story": reverse("opportunities:story", args=[first.pk]),
        "opportunities:journal": reverse("opportunities:journal"),
        "opportunities:judgement": reverse("opportunities:judgement"),
        "opportunities:commit_step": reverse("opportunities:commit_step", args=[decision.pk]),
        "opportunities:compare": reverse("opportunities:compare") + f"?ids={first.pk},{second.pk}",
        "opportunities:friends_round": reverse(
            "opportunities:friends_round", args=[make_round(user, first, second).pk]
        ),
        "opportunities:criteria": reverse("opportunities:criteria"),
        "opportunities:criterion_curve": reverse("opportunities:criterion_curve", args=[pay.pk]),
        "opportunities:swing": reverse("opportunities:swing") + f"?ids={first.pk},{second.pk}",
        "opportunities:person_detail": reverse(
            "opportunities:person_detail", args=[PersonFactory(owner=user).pk]
        ),
    }
    assert set(pages) == CACHEABLE
    return pages


def test_every_cacheable_page_is_served_again_and_reading_it_writes_nothing(
    client_in, user, every_cacheable_page
):
    own, everyone = version(user.pk), version(EVERYONE)
    for name, url in every_cacheable_page.items():
        seen(client_in, url)
        again = page(client_in, url)
        assert served_from_cache(again), name
    assert version(user.pk) == own
    assert version(EVERYONE) == everyone


def test_the_access_log_says_when_a_page_was_stored_and_when_served_again(
    client_in, opportunity, caplog
):
    caplog.set_level(logging.INFO, logger="crossroads.access")
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    page(client_in, url)
    said = [
        getattr(record, "page_cache", None)
        for record in caplog.records
        if record.name == "crossroads.access"
    ]
    assert said[-2:] == ["stored", "hit"]


def test_retiring_every_page_after_a_change_by_hand(client_in, opportunity):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    before = version(EVERYONE)
    out = StringIO()
    call_command("retire_cached_pages", stdout=out)
    assert "retired" in out.getvalue()
    assert version(EVERYONE) == before + 1
    assert not served_from_cache(page(client_in, url))


def test_a_page_larger_than_the_bound_is_drawn_every_time(client_in, opportunity, monkeypatch):
    monkeypatch.setattr(page_cache, "MAX_BYTES", 100)
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert not served_from_cache(page(client_in, url))


# --- While the database is down ------------------------------------------------------------


@pytest.fixture
def owed_cleared():
    data_version.forget_owed()
    yield
    data_version.forget_owed()


@contextmanager
def database_refusing(refused: Callable[[str], bool]):
    """Statements for which ``refused(sql)`` holds fail as they do when the server has
    gone away (PostgreSQL restarted under a request)."""

    def refuse(execute, sql, params, many, context):
        if refused(sql):
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(refuse):
        yield


def bumping(sql: str) -> bool:
    return PageVersion._meta.db_table in sql and sql.lstrip().upper().startswith("INSERT")


def save_score(client, opportunity, criterion, value: str):
    return client.post(
        reverse("opportunities:score_save", args=[opportunity.pk, criterion.pk]),
        {f"{criterion.pk}-value": value},
        headers={"HX-Request": "true"},
    )


def test_a_bump_the_database_refuses_is_owed_and_made_once_it_answers(
    client_in, user, opportunity, criteria, owed_cleared
):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    own = version(user.pk)
    with database_refusing(bumping):
        saved = save_score(client_in, opportunity, criteria[0], "9")
    assert saved.status_code == 200  # the save landed; only its bump was refused
    assert version(user.pk) == own
    assert data_version.owed() == {user.pk}
    after = page(client_in, url)  # this process's pages were retired at once
    assert not served_from_cache(after)
    assert score_field(after.text, criteria[0]) == "9"
    assert data_version.owed() == frozenset()  # settled by the request the database answered
    assert version(user.pk) == own + 1


def test_a_write_cut_off_by_the_database_going_down_is_a_friendly_503_not_a_500(
    client_in, user, opportunity, criteria, owed_cleared
):
    with database_refusing(lambda sql: data_version.changes_data(sql) or bumping(sql)):
        saved = save_score(client_in, opportunity, criteria[0], "9")
    assert saved.status_code == 503
    assert "briefly unavailable" in saved.text
    assert data_version.owed() == {user.pk}  # the write's fate is unknown: retire to be safe


def test_a_cached_page_while_the_database_is_down_is_a_friendly_503_not_a_500(
    client_in, opportunity, owed_cleared
):
    url = opportunity.get_absolute_url()
    seen(client_in, url)
    assert served_from_cache(page(client_in, url))
    with database_refusing(lambda sql: True):
        response = client_in.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert served_from_cache(page(client_in, url))  # and back as soon as it answers


# --- A page reached by a secret link (kept_for_link) ----------------------------------------------


def link_request(rf, path: str = "/cal/a-link.ics", **extra):
    request = rf.get(path, **extra)
    request.session = SessionStore()
    return request


def drawing(body: str = "drawn", **headers) -> Callable[[], HttpResponse]:
    """A view's drawing: numbers each page it draws."""
    count = 0

    def draw() -> HttpResponse:
        nonlocal count
        count += 1
        response = HttpResponse(f"{body} {count}")
        for header, value in headers.items():
            response[header] = value
        return response

    return draw


def test_a_link_page_is_kept_under_its_owner_and_counters(rf):
    draw = drawing()
    kept = [
        kept_for_link(link_request(rf), owner=owner, versions=versions, draw=draw).content
        for owner, versions in [(7, (1, 1)), (7, (1, 1)), (7, (2, 1)), (7, (2, 2)), (8, (2, 2))]
    ]
    assert kept == [b"drawn 1", b"drawn 1", b"drawn 2", b"drawn 3", b"drawn 4"]
    other_link = kept_for_link(link_request(rf, "/cal/b.ics"), owner=8, versions=(2, 2), draw=draw)
    other_host = kept_for_link(
        link_request(rf, HTTP_HOST="localhost"), owner=8, versions=(2, 2), draw=draw
    )
    assert (other_link.content, other_host.content) == (b"drawn 5", b"drawn 6")


def test_a_link_page_keeps_its_headers(rf):
    draw = drawing(**{"Content-Type": "text/calendar", "Content-Disposition": "inline"})
    kept_for_link(link_request(rf), owner=7, versions=(1, 1), draw=draw)
    again = kept_for_link(link_request(rf), owner=7, versions=(1, 1), draw=draw)
    assert again.content == b"drawn 1"
    assert (again["Content-Type"], again["Content-Disposition"]) == ("text/calendar", "inline")


def test_a_link_page_drawn_after_a_write_is_not_kept(rf, user):
    draw = drawing()
    with data_version.watching():
        User.objects.filter(pk=user.pk).update(first_name="Wrote")
        kept_for_link(link_request(rf), owner=user.pk, versions=(1, 1), draw=draw)
    again = kept_for_link(link_request(rf), owner=user.pk, versions=(1, 1), draw=draw)
    assert again.content == b"drawn 2"


def test_a_link_page_not_fit_to_keep_is_drawn_every_time(rf, settings):
    """An answer other than 200, or a cookie set, is never kept; nor anything with the
    cache off."""
    calls = []

    def refused() -> HttpResponse:
        calls.append(1)
        return HttpResponse("gone", status=404)

    def with_cookie() -> HttpResponse:
        calls.append(1)
        response = HttpResponse("set")
        response.set_cookie("seen", "1")
        return response

    for draw in (refused, refused, with_cookie, with_cookie):
        kept_for_link(link_request(rf), owner=7, versions=(1, 1), draw=draw)
    assert len(calls) == 4
    settings.PAGE_CACHE_SECONDS = 0
    draw = drawing()
    bodies = [
        kept_for_link(link_request(rf), owner=7, versions=(1, 1), draw=draw).content
        for _ in range(2)
    ]
    assert bodies == [b"drawn 1", b"drawn 2"]
