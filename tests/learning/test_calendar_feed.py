"""The private calendar feed (issue 20, item 5): a secret address of 256 random bits,
stored only as its hash and shape-checked before any query; what the feed holds, read
back with icalendar; stable UIDs; its headers; no session; renewed and turned-off
addresses a bare 404; nothing of another account; rate limits; the address kept out of
the logs; and ``last_used_at`` written at most once an hour."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import logging
import re
import time
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from opportunities.friends.core import looks_like_token, new_token
from opportunities.learning.queries.calendar import (
    calendar_events,
    feed_for_token,
    render_calendar,
)
from opportunities.learning.services.calendar import (
    USE_RECORDED_EVERY,
    issue_feed,
    record_use,
    turn_off_feed,
)
from opportunities.learning.views import feed as feed_views
from opportunities.models import (
    CalendarFeed,
    CheckIn,
    CheckInKind,
    Decision,
    KillCriterion,
    Opportunity,
    Person,
    Throttle,
)
from opportunities.web import throttle
from opportunities.web.observability import JsonFormatter, RequestContextFilter
from opportunities.web.throttle import Limit
from tests.factories import DecisionFactory, OpportunityFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = "THEIRS-5b1e"
HEADERS = {
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store, private",
    "X-Robots-Tag": "noindex, nofollow",
}


def feed_url(token: str) -> str:
    return reverse("opportunities:calendar_feed", args=[token])


def read(response) -> Calendar:
    assert response.status_code == 200, response.content[:200]
    return Calendar.from_ical(response.content)


def events_of(calendar: Calendar) -> dict[str, dict]:
    """The feed's events by UID: day, summary, description, url."""
    return {
        str(event["UID"]): {
            "day": event.decoded("DTSTART"),
            "end": event.decoded("DTEND"),
            "summary": str(event["SUMMARY"]),
            "description": str(event["DESCRIPTION"]),
            "url": str(event["URL"]),
        }
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def story(user):
    """A decision with its check-ins (scheduled as the app schedules them, one done), a
    kill criterion with its check-in and one without, a revisit date, and follow-ups on a
    person and an opportunity."""
    role = OpportunityFactory(owner=user, title="Agency role")
    decision = DecisionFactory(
        opportunity=role, owner=user, decided_on=dt.date(2026, 1, 15), choice="accept"
    )
    Decision.objects.filter(pk=decision.pk).update(revisit_on=dt.date(2026, 9, 1))
    regular = list(CheckIn.objects.filter(decision=decision).order_by("due_on"))
    CheckIn.objects.filter(pk=regular[0].pk).update(done_on=dt.date(2026, 4, 16), glad=8)
    carried = KillCriterion.objects.create(
        owner=user, decision=decision, condition="no mentor by then", check_on=dt.date(2026, 5, 1)
    )
    kill_check_in = CheckIn.objects.create(
        owner=user,
        decision=decision,
        kind=CheckInKind.KILL,
        kill_criterion=carried,
        due_on=carried.check_on,
    )
    alone = KillCriterion.objects.create(
        owner=user, decision=decision, condition="paid late twice", check_on=dt.date(2026, 7, 1)
    )
    KillCriterion.objects.create(
        owner=user,
        decision=decision,
        condition="checked already",
        check_on=dt.date(2026, 6, 1),
        triggered=False,
    )
    person = PersonFactory(owner=user, name="Priya", follow_up_on=dt.date(2026, 3, 3))
    PersonFactory(owner=user, name="No date")
    Opportunity.objects.filter(pk=role.pk).update(follow_up_on=dt.date(2026, 2, 2))
    return SimpleNamespace(
        decision=decision,
        role=role,
        open_regular=regular[1:],
        kill_check_in=kill_check_in,
        alone=alone,
        person=person,
    )


@pytest.fixture
def token(user) -> str:
    return issue_feed(user=user).token


# --- The address ---------------------------------------------------------------------------------


def test_the_address_holds_256_random_bits_and_only_its_sha256_is_stored(user):
    tokens = set()
    for _ in range(50):
        tokens.add(issue_feed(user=user).token)
    assert len(tokens) == 50
    last = issue_feed(user=user).token
    assert looks_like_token(last)
    assert len(last) * 6 >= 256
    stored = CalendarFeed.objects.filter(owner=user).values().get()
    assert stored["token_hash"] == hashlib.sha256(last.encode()).hexdigest()
    assert re.fullmatch(r"[0-9a-f]{64}", stored["token_hash"])
    assert last not in repr(stored)
    assert CalendarFeed.objects.count() == 1  # one feed per account, renewed in place


@pytest.mark.parametrize(
    "shape",
    ["", "a", "x" * 42, "x" * 44, "x" * 43 + "\n", "a/b" + "c" * 40, "%00" * 15, "é" * 43],
)
def test_anything_not_shaped_like_a_token_is_refused_without_a_query(shape):
    with CaptureQueriesContext(connection) as queries:
        assert feed_for_token(shape) is None
    assert len(queries) == 0


def test_a_feed_is_found_by_its_tokens_hash_alone(user, token):
    feed = CalendarFeed.objects.get(owner=user)
    assert feed_for_token(token).pk == feed.pk
    assert feed_for_token(feed.token_hash[:43]) is None
    assert Client().get(feed_url(feed.token_hash[:43])).status_code == 404


# --- What it holds -------------------------------------------------------------------------------


def test_the_feed_holds_open_check_ins_kill_criteria_revisits_and_follow_ups(user, story, token):
    calendar = read(Client().get(feed_url(token)))
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["X-WR-CALNAME"]) == "Crossroads"
    events = events_of(calendar)
    site = "http://testserver"
    expected = {f"check-in-{c.pk}@crossroads": c.due_on for c in story.open_regular}
    expected |= {
        f"check-in-{story.kill_check_in.pk}@crossroads": dt.date(2026, 5, 1),
        f"kill-criterion-{story.alone.pk}@crossroads": dt.date(2026, 7, 1),
        f"revisit-{story.decision.pk}@crossroads": dt.date(2026, 9, 1),
        f"follow-up-person-{story.person.pk}@crossroads": dt.date(2026, 3, 3),
        f"follow-up-opportunity-{story.role.pk}@crossroads": dt.date(2026, 2, 2),
    }
    assert {uid: event["day"] for uid, event in events.items()} == expected
    for event in events.values():
        assert isinstance(event["day"], dt.date)
        assert not isinstance(event["day"], dt.datetime)
        assert event["end"] == event["day"] + dt.timedelta(days=1)  # all day
        assert event["url"].startswith(site + "/")
        assert event["url"] in event["description"]
    kill = events[f"check-in-{story.kill_check_in.pk}@crossroads"]
    assert kill["summary"] == "Reconsider? Agency role"
    assert "no mentor by then" in kill["description"]
    assert kill["url"] == site + reverse(
        "opportunities:check_in", args=[story.decision.pk, story.kill_check_in.pk]
    )
    check_in = events[f"check-in-{story.open_regular[0].pk}@crossroads"]
    assert check_in["summary"] == "Check in: Agency role, 6 months on"
    assert "paid late twice" in events[f"kill-criterion-{story.alone.pk}@crossroads"]["description"]
    revisit = events[f"revisit-{story.decision.pk}@crossroads"]
    assert revisit["summary"] == "Revisit: Agency role"
    assert revisit["url"] == site + reverse(
        "opportunities:decision_detail", args=[story.decision.pk]
    )
    person = events[f"follow-up-person-{story.person.pk}@crossroads"]
    assert person["summary"] == "Follow up with Priya"
    assert person["url"] == site + reverse("opportunities:person_detail", args=[story.person.pk])
    chase = events[f"follow-up-opportunity-{story.role.pk}@crossroads"]
    assert chase["url"] == site + reverse("opportunities:opportunity_detail", args=[story.role.pk])


def test_uids_and_the_whole_text_are_stable_across_reads(user, story, token):
    client = Client()
    first, second = client.get(feed_url(token)), client.get(feed_url(token))
    assert first.content == second.content
    assert set(events_of(read(first))) == set(events_of(read(second)))
    # Done, a check-in leaves the feed; the others keep their UIDs.
    before = set(events_of(read(first)))
    CheckIn.objects.filter(pk=story.open_regular[0].pk).update(done_on=timezone.localdate())
    after = set(events_of(read(client.get(feed_url(token)))))
    assert before - after == {f"check-in-{story.open_regular[0].pk}@crossroads"}
    assert after < before


def test_an_empty_account_has_an_empty_calendar(user, token):
    calendar = read(Client().get(feed_url(token)))
    assert events_of(calendar) == {}


def test_text_is_escaped_as_icalendar_wants(user):
    role = OpportunityFactory(owner=user, title="Role; with, commas\\ and a\nnewline?")
    Opportunity.objects.filter(pk=role.pk).update(
        title="Role; with, commas\\ and lines", follow_up_on=dt.date(2026, 2, 2)
    )
    body = render_calendar(calendar_events(user), site="https://example.org")
    assert b"Role\\; with\\, commas\\\\ and lines" in body
    (event,) = Calendar.from_ical(body).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Follow up: Role; with, commas\\ and lines"


# --- Headers, no session, no cookie --------------------------------------------------------------


def _no_session(response) -> None:
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert not response.cookies
    assert not response.wsgi_request.session.accessed
    assert not response.wsgi_request.session.modified


def test_headers_say_calendar_and_keep_no_copy_on_every_answer(user, token):
    old = token
    renewed = issue_feed(user=user).token
    client = Client()
    responses = {
        "feed": client.get(feed_url(renewed)),
        "head": client.head(feed_url(renewed)),
        "renewed away": client.get(feed_url(old)),
        "unknown": client.get(feed_url(new_token())),
        "malformed": client.get(feed_url("nope")),
        "post": client.post(feed_url(renewed)),
    }
    assert [r.status_code for r in responses.values()] == [200, 200, 404, 404, 404, 405]
    assert responses["feed"]["Content-Type"] == "text/calendar; charset=utf-8"
    for name, response in responses.items():
        for header, value in HEADERS.items():
            assert response[header] == value, (name, header)
        _no_session(response)
        assert "Cookie" not in response.get("Vary", "")
    # A 404 says nothing of why: renewed, turned off, or never was.
    assert responses["renewed away"].content == responses["unknown"].content
    assert responses["renewed away"].content == responses["malformed"].content
    assert b"renew" not in responses["unknown"].content.lower()


def test_a_logged_in_owner_reading_the_feed_keeps_their_session_untouched(user, token):
    owner = Client()
    owner.force_login(user)
    before = owner.cookies[settings.SESSION_COOKIE_NAME].value
    response = owner.get(feed_url(token))
    assert response.status_code == 200
    assert not response.wsgi_request.session.accessed
    assert owner.cookies[settings.SESSION_COOKIE_NAME].value == before


def test_a_turned_off_or_renewed_feed_is_a_404(user, story, token):
    client = Client()
    assert client.get(feed_url(token)).status_code == 200
    renewed = issue_feed(user=user).token
    assert client.get(feed_url(token)).status_code == 404
    assert client.get(feed_url(renewed)).status_code == 200
    assert turn_off_feed(user=user) is True
    assert client.get(feed_url(renewed)).status_code == 404
    assert turn_off_feed(user=user) is False


def test_the_feed_counts_its_queries(user, story, token, django_assert_max_num_queries):
    client = Client()
    client.get(feed_url(token))  # the first read of a window inserts the counters
    # Two rate-limit counters (one upsert each), the feed, its five kinds of dates, and
    # no write: the read is noted at most once an hour.
    with django_assert_max_num_queries(8):
        assert client.get(feed_url(token)).status_code == 200
    many = OpportunityFactory(owner=user)
    for n in range(5):
        DecisionFactory(opportunity=many, owner=user, decided_on=dt.date(2026, 1, 1 + n))
        PersonFactory(owner=user, follow_up_on=dt.date(2026, 3, 1 + n))
    with django_assert_max_num_queries(8):
        assert client.get(feed_url(token)).status_code == 200


# --- Served again --------------------------------------------------------------------------------


def settled(client, token: str):
    """Read the feed until it is kept: the first read of all notes its use (a write, which
    retires what that read drew), the next is drawn and kept."""
    client.get(feed_url(token))
    return client.get(feed_url(token))


def test_a_feed_read_again_is_served_without_drawing_it(
    user, story, token, django_assert_num_queries
):
    client = Client()
    drawn = settled(client, token)
    # The two rate-limit counters and the feed with its owner's page counters: none of
    # the five queries of its dates, no icalendar.
    with django_assert_num_queries(3):
        again = client.get(feed_url(token))
    assert again.content == drawn.content
    assert again["Content-Type"] == "text/calendar; charset=utf-8"
    assert again["Content-Disposition"] == 'inline; filename="crossroads.ics"'
    for header, value in HEADERS.items():
        assert again[header] == value


def test_the_owners_change_shows_on_the_next_read(client_in, user, story, token):
    reader = Client()
    assert "follow-up-person-" in settled(reader, token).text
    done = client_in.post(reverse("opportunities:person_follow_up_done", args=[story.person.pk]))
    assert done.status_code == 302
    assert "follow-up-person-" not in reader.get(feed_url(token)).text
    # A change made outside any request (a command, a shell) shows as well.
    Opportunity.objects.filter(pk=story.role.pk).update(follow_up_on=None)
    assert "follow-up-opportunity-" not in reader.get(feed_url(token)).text


def test_another_accounts_change_leaves_the_feed_kept(
    user, story, token, django_assert_num_queries
):
    other = UserFactory()
    person = PersonFactory(owner=other, follow_up_on=dt.date(2026, 3, 3))
    theirs = Client()
    theirs.force_login(other)
    reader = Client()
    settled(reader, token)
    assert (
        theirs.post(reverse("opportunities:person_follow_up_done", args=[person.pk])).status_code
        == 302
    )
    with django_assert_num_queries(3):
        assert reader.get(feed_url(token)).status_code == 200


def test_each_host_has_its_own_links(user, story, token):
    one, other = Client(HTTP_HOST="testserver"), Client(HTTP_HOST="localhost")
    settled(one, token)
    assert "http://localhost/" in other.get(feed_url(token)).text
    assert "http://localhost/" not in one.get(feed_url(token)).text


def test_with_the_page_cache_off_every_read_is_drawn(
    user, story, token, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    client = Client()
    settled(client, token)
    with django_assert_num_queries(8):
        assert client.get(feed_url(token)).status_code == 200


# --- Another account -----------------------------------------------------------------------------


def test_another_accounts_dates_are_never_in_the_feed(user, story, token):
    other = UserFactory(username=f"{SECRET}-user")
    theirs = OpportunityFactory(owner=other, title=f"{SECRET} role")
    decision = DecisionFactory(opportunity=theirs, owner=other)
    Decision.objects.filter(pk=decision.pk).update(revisit_on=dt.date(2026, 8, 8))
    KillCriterion.objects.create(
        owner=other, decision=decision, condition=SECRET, check_on=dt.date(2026, 5, 5)
    )
    Person.objects.create(owner=other, name=f"{SECRET} person", follow_up_on=dt.date(2026, 4, 4))
    Opportunity.objects.filter(pk=theirs.pk).update(follow_up_on=dt.date(2026, 4, 4))
    their_token = issue_feed(user=other).token
    mine = Client().get(feed_url(token))
    assert SECRET.encode() not in mine.content
    own_ids = {str(c.pk) for c in CheckIn.objects.filter(owner=user)}
    for uid in events_of(read(mine)):
        if uid.startswith("check-in-"):
            assert uid.removeprefix("check-in-").split("@")[0] in own_ids
    theirs_feed = Client().get(feed_url(their_token))
    assert SECRET.encode() in theirs_feed.content
    assert b"Agency role" not in theirs_feed.content
    assert b"Priya" not in theirs_feed.content


# --- Rate limits ---------------------------------------------------------------------------------


@pytest.fixture
def still_clock(monkeypatch):
    """The rate-limit windows hold still: a test crossing a window's edge would start over."""
    moment = time.time()
    monkeypatch.setattr(throttle, "time", SimpleNamespace(time=lambda: moment))


def test_a_feed_is_rate_limited_and_the_next_read_is_a_clear_429(
    monkeypatch, user, token, still_clock
):
    assert feed_views.PER_FEED.hits <= 600  # one a second over ten minutes, at most
    assert feed_views.PER_FEED.per_seconds == 600
    limit = Limit("calendar-feed", hits=5, per_seconds=600)
    monkeypatch.setattr(feed_views, "PER_FEED", limit)
    for n in range(limit.hits):  # from several addresses: counted per feed
        assert Client(REMOTE_ADDR=f"192.0.2.{n + 1}").get(feed_url(token)).status_code == 200
    refused = Client(REMOTE_ADDR="192.0.2.99").get(feed_url(token))
    assert refused.status_code == 429
    assert b"Too many requests" in refused.content
    assert 0 < int(refused["Retry-After"]) <= limit.per_seconds
    for header, value in HEADERS.items():
        assert refused[header] == value
    hashed = CalendarFeed.objects.get(owner=user).token_hash
    assert Throttle.objects.get(key=f"calendar-feed:{hashed}").hits == limit.hits + 1
    reader = Client()
    assert not Throttle.objects.filter(key__contains=token).exists()
    other_token = issue_feed(user=UserFactory()).token
    assert reader.get(feed_url(other_token)).status_code == 200


def test_addresses_that_open_nothing_are_capped_per_address(token, still_clock):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(feed_views.UNKNOWN_PER_ADDRESS.hits):
        assert guesser.get(feed_url(new_token())).status_code == 404
    assert guesser.get(feed_url(new_token())).status_code == 429
    assert guesser.get(feed_url("not-a-token")).status_code == 429
    assert guesser.get(feed_url(token)).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.7").get(feed_url(new_token())).status_code == 404


def test_every_read_from_one_address_is_capped(monkeypatch, token, still_clock):
    limit = Limit("calendar-address", hits=5, per_seconds=600)
    monkeypatch.setattr(feed_views, "PER_ADDRESS", limit)
    busy = Client(REMOTE_ADDR="192.0.2.1")
    statuses = [busy.get(feed_url(token)).status_code for _ in range(limit.hits + 1)]
    assert statuses == [200] * limit.hits + [429]
    assert Client(REMOTE_ADDR="192.0.2.2").get(feed_url(token)).status_code == 200


# --- When it was last read -----------------------------------------------------------------------


def test_last_used_is_written_at_most_once_an_hour(user, token):
    feed = CalendarFeed.objects.get(owner=user)
    assert feed.last_used_at is None
    Client().get(feed_url(token))
    first = CalendarFeed.objects.get(owner=user).last_used_at
    assert first is not None
    Client().get(feed_url(token))
    assert CalendarFeed.objects.get(owner=user).last_used_at == first
    feed = CalendarFeed.objects.get(owner=user)
    with CaptureQueriesContext(connection) as queries:
        assert record_use(feed, now=first + dt.timedelta(minutes=59)) is False
    assert len(queries) == 0
    later = first + USE_RECORDED_EVERY + dt.timedelta(seconds=1)
    assert record_use(feed, now=later) is True
    assert CalendarFeed.objects.get(owner=user).last_used_at == later
    stale = CalendarFeed.objects.get(owner=user)
    stale.last_used_at = first  # another server wrote meanwhile: no second write
    assert record_use(stale, now=later + dt.timedelta(minutes=1)) is False


# --- Logs ----------------------------------------------------------------------------------------


def test_no_log_line_carries_the_feeds_token(user, token):
    lines = io.StringIO()
    handler = logging.StreamHandler(lines)
    handler.addFilter(RequestContextFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("crossroads.access", "django.request")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    made_up = "y" * 43
    try:
        assert Client().get(feed_url(token)).status_code == 200
        assert Client().get(feed_url(made_up)).status_code == 404
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(handler)
            logger.setLevel(level)
    logged = lines.getvalue()
    assert logged.count("/cal/…") >= 3  # two access lines and the 404's warning
    assert token not in logged
    assert made_up not in logged
