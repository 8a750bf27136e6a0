"""The calendar feed's settings page: turning the feed on (its address shown once),
giving it a new address, turning it off; wrong, missing and hostile input; the page's
links from the account page and the journal; its query count."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from opportunities.models import CalendarFeed, Decision, Person
from tests.factories import DecisionFactory, OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = reverse("opportunities:calendar_settings")
ADDRESS = re.compile(r'value="(http://testserver/cal/([A-Za-z0-9_-]{43})\.ics)"')


def address_in(response) -> tuple[str, str]:
    found = ADDRESS.search(response.text)
    assert found, "no feed address on the page"
    return found.group(1), found.group(2)


def test_the_page_explains_the_feed_and_offers_to_turn_it_on(client_in):
    response = client_in.get(URL)
    assert response.status_code == 200
    text = response.text
    assert "Your dates in your calendar" in text
    assert "Anyone who has the address can read these dates and titles" in text
    for part in ("check-in", "kill criterion", "revisit", "follow-up"):
        assert part in text
    assert 'value="on"' in text
    assert "is <strong>off</strong>" in text
    assert not ADDRESS.search(text)


def test_turning_it_on_shows_the_address_once_and_it_opens_the_feed(client_in, user):
    response = client_in.post(URL, {"action": "on"})
    assert response.status_code == 200
    address, token = address_in(response)
    assert 'data-copy="feed-address"' in response.text
    assert f'href="webcal://testserver/cal/{token}.ics"' in response.text
    assert CalendarFeed.objects.filter(owner=user).count() == 1
    assert token not in str(CalendarFeed.objects.filter(owner=user).values().get())
    assert "No calendar has read it yet" in client_in.get(URL).text
    assert Client().get(address.removeprefix("http://testserver")).status_code == 200
    again = client_in.get(URL)
    assert token not in again.text  # shown only this once
    assert "is <strong>on</strong>" in again.text
    assert "A calendar last read it on" in again.text  # the read just above
    assert 'value="renew"' in again.text
    assert 'value="off"' in again.text


def test_turning_it_on_again_changes_nothing(client_in, user):
    client_in.post(URL, {"action": "on"})
    before = CalendarFeed.objects.get(owner=user).token_hash
    response = client_in.post(URL, {"action": "on"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "already on" in response.text
    assert not ADDRESS.search(response.text)
    assert CalendarFeed.objects.get(owner=user).token_hash == before


def test_a_new_address_kills_the_old_one(client_in, user):
    _, old = address_in(client_in.post(URL, {"action": "on"}))
    response = client_in.post(URL, {"action": "renew"})
    assert response.status_code == 200
    _, new = address_in(response)
    assert new != old
    feed = reverse("opportunities:calendar_feed", args=[old])
    assert Client().get(feed).status_code == 404
    assert Client().get(reverse("opportunities:calendar_feed", args=[new])).status_code == 200
    assert CalendarFeed.objects.filter(owner=user).count() == 1


def test_turning_it_off_kills_the_address(client_in, user):
    _, token = address_in(client_in.post(URL, {"action": "on"}))
    response = client_in.post(URL, {"action": "off"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "Your calendar feed is off" in response.text
    assert not CalendarFeed.objects.filter(owner=user).exists()
    assert Client().get(reverse("opportunities:calendar_feed", args=[token])).status_code == 404
    again = client_in.post(URL, {"action": "off"}, follow=True)
    assert "already off" in again.text


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"action": ""},
        {"action": "delete"},
        {"action": "on" * 5000},
        {"action": "<script>alert(1)</script>"},
        {"action": "\x00on"},
    ],
)
def test_wrong_missing_and_hostile_actions_change_nothing(client_in, user, data):
    client_in.post(URL, {"action": "on"})
    before = CalendarFeed.objects.get(owner=user).token_hash
    response = client_in.post(URL, data)
    assert response.status_code == 200
    assert "Nothing was changed" in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert not ADDRESS.search(response.text)
    assert CalendarFeed.objects.get(owner=user).token_hash == before


def test_the_form_needs_its_csrf_token(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(URL, {"action": "on"}).status_code == 403
    assert not CalendarFeed.objects.filter(owner=user).exists()


def test_anonymous_visitors_are_sent_to_log_in():
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert Client().post(URL, {"action": "on"}).status_code == 302
    assert not CalendarFeed.objects.exists()


def test_each_account_turns_on_its_own_feed_only(client_in, user):
    other = UserFactory()
    stranger = Client()
    stranger.force_login(other)
    stranger.post(URL, {"action": "on"})
    theirs = CalendarFeed.objects.get(owner=other).token_hash
    client_in.post(URL, {"action": "renew"})
    client_in.post(URL, {"action": "off"})
    assert CalendarFeed.objects.get(owner=other).token_hash == theirs
    assert not CalendarFeed.objects.filter(owner=user).exists()


def test_the_page_shows_what_the_feed_holds_now(client_in, user):
    role = OpportunityFactory(owner=user, title="Agency role")
    decision = DecisionFactory(opportunity=role, owner=user, decided_on=dt.date(2020, 1, 15))
    Decision.objects.filter(pk=decision.pk).update(revisit_on=dt.date(2099, 1, 1))
    Person.objects.create(owner=user, name="Priya", follow_up_on=dt.date(2098, 3, 3))
    response = client_in.get(URL)
    count = int(re.search(r'data-testid="event-count">(\d+) date', response.text).group(1))
    assert count >= 2
    assert "past and not done yet" in response.text  # the check-ins of 2020
    assert "Follow up with Priya" in response.text
    assert "Revisit: Agency role" in response.text


def test_the_page_is_linked_from_the_account_page_and_the_journal(client_in):
    for page in (reverse("account"), reverse("opportunities:journal")):
        assert f'href="{URL}"' in client_in.get(page).text, page


def test_the_page_counts_its_queries(client_in, user, django_assert_max_num_queries):
    role = OpportunityFactory(owner=user)
    for day in range(1, 6):
        DecisionFactory(opportunity=role, owner=user, decided_on=dt.date(2026, 1, day))
        Person.objects.create(owner=user, name=f"P{day}", follow_up_on=dt.date(2026, 3, day))
    client_in.get(URL)
    with django_assert_max_num_queries(12):
        assert client_in.get(URL).status_code == 200
    with django_assert_max_num_queries(16):
        assert client_in.post(URL, {"action": "on"}).status_code == 200
    with django_assert_max_num_queries(16):
        assert client_in.post(URL, {"action": "renew"}).status_code == 200
    with django_assert_max_num_queries(12):
        assert client_in.post(URL, {"action": "off"}).status_code == 302
