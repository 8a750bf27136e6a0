"""The personal links of a round: adding one (for one of the owner's people or just a
name), the token shown once and stored only as its hash, a new link for the same friend,
revoking, and every kind of bad input refused in words, never with a 500."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from opportunities.friends.core import (
    DEFAULT_EXPIRY_DAYS,
    MAX_LINKS_PER_ROUND,
    hash_token,
    looks_like_token,
)
from opportunities.friends.forms import DAYS_MESSAGE, NOT_ONE_OF_MY_PEOPLE
from opportunities.models import FriendAnswer, FriendInvitation
from tests.factories import OpportunityFactory, PersonFactory
from tests.friends.owner_helpers import answer, make_link, make_round, url

pytestmark = pytest.mark.django_db


@pytest.fixture
def friend_round(user, opportunity):
    return make_round(user, opportunity)


def invite(client, friend_round, **data):
    data.setdefault("days", str(DEFAULT_EXPIRY_DAYS))
    return client.post(url("friends_invite", friend_round.pk), data)


def issued_token(response) -> str:
    issued = response.context["issued"]
    assert issued is not None, "no link was made"
    return issued.token


def stored_text(invitation: FriendInvitation) -> str:
    """Every column of the row, as text."""
    row = FriendInvitation.objects.filter(pk=invitation.pk).values().get()
    return " ".join(str(value) for value in row.values())


# --- Adding a link -------------------------------------------------------------------------------


def test_a_link_is_shown_once_and_only_its_hash_is_stored(client_in, friend_round):
    response = invite(client_in, friend_round, name="Ana")
    assert response.status_code == 200
    token = issued_token(response)
    assert looks_like_token(token)
    invitation = FriendInvitation.objects.get()
    assert invitation.name == "Ana"
    assert invitation.token_hash == hash_token(token)
    assert token not in stored_text(invitation)
    page = response.text
    link = f"http://127.0.0.1:8000{url('friend_page', token)}"
    assert f'value="{link}"' in page
    assert "readonly" in page
    assert 'data-copy="issued-link"' in page
    assert "shown only this once" in page
    assert "no-store" in response["Cache-Control"]
    # Never again: not on the round's page, not in the list of rounds.
    assert token not in client_in.get(url("friends_round", friend_round.pk)).text
    assert token not in client_in.get(url("friends")).text


def test_a_link_lasts_the_days_chosen(client_in, friend_round):
    before = timezone.now()
    invite(client_in, friend_round, name="Ana", days="3")
    invitation = FriendInvitation.objects.get()
    assert before + timedelta(days=3) <= invitation.expires_at
    assert invitation.expires_at <= timezone.now() + timedelta(days=3)


def test_a_link_for_one_of_my_people_takes_their_name_and_address(
    client_in, user, friend_round, django_capture_on_commit_callbacks, mailoutbox
):
    ana = PersonFactory(owner=user, name="Ana Silva", email="ana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_in, friend_round, person=str(ana.pk), send_email="on")
    invitation = FriendInvitation.objects.get()
    assert (invitation.person_id, invitation.name, invitation.email) == (
        ana.pk,
        "Ana Silva",
        "ana@example.org",
    )
    assert "It is also being emailed to ana@example.org" in response.text
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]


def test_the_people_to_pick_from_are_offered_only_when_there_are_some(
    client_in, user, other_user, friend_round
):
    page = client_in.get(url("friends_round", friend_round.pk)).text
    assert 'name="person"' not in page
    PersonFactory(owner=other_user, name="Not yours")
    ana = PersonFactory(owner=user, name="Ana Silva", email="ana@example.org")
    page = client_in.get(url("friends_round", friend_round.pk)).text
    assert f'<option value="{ana.pk}">Ana Silva (ana@example.org)</option>' in page
    assert "Not yours" not in page


def test_a_name_typed_beside_a_person_is_the_name_they_see(client_in, user, friend_round):
    ana = PersonFactory(owner=user, name="Ana Silva", email="")
    invite(client_in, friend_round, person=str(ana.pk), name="Ana", email="a@example.org")
    invitation = FriendInvitation.objects.get()
    assert (invitation.name, invitation.email) == ("Ana", "a@example.org")


def test_no_email_is_sent_when_not_asked(
    client_in, friend_round, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_in, friend_round, name="Ana", email="ana@example.org")
    assert mailoutbox == []
    assert "Send it to them yourself" in response.text


def test_one_link_per_person_and_per_name_is_said_as_a_form_error(client_in, user, friend_round):
    ana = PersonFactory(owner=user, name="Ana")
    assert issued_token(invite(client_in, friend_round, person=str(ana.pk)))
    again = invite(client_in, friend_round, person=str(ana.pk), name="Ana again")
    assert again.status_code == 200
    assert "Ana already has a link in this round" in again.text
    assert again.context["invite_form"]["name"].value() == "Ana again"
    same_name = invite(client_in, friend_round, name="Ana")
    assert same_name.status_code == 200
    assert "Someone called “Ana” already has a link in this round" in same_name.text
    assert FriendInvitation.objects.count() == 1


def test_a_person_of_another_user_is_refused_in_words(client_in, other_user, friend_round):
    theirs = PersonFactory(owner=other_user, name="Not yours")
    for value in (str(theirs.pk), "abc", "9" * 40, str(10**30), "-1", "1.5"):
        response = invite(client_in, friend_round, person=value, name="X")
        assert response.status_code == 200, value
        assert NOT_ONE_OF_MY_PEOPLE in response.text, value
    assert not FriendInvitation.objects.exists()


@pytest.mark.parametrize(
    "days", ["0", "91", "abc", str(10**30), "", "-1", "1e400", "9" * 5000, "NaN", "1.5", "½"]
)
def test_days_out_of_range_or_not_a_number_are_refused(client_in, friend_round, days):
    response = invite(client_in, friend_round, name="Ana Typed", days=days)
    assert response.status_code == 200
    assert DAYS_MESSAGE in response.text
    assert response.context["invite_form"]["name"].value() == "Ana Typed"
    assert not FriendInvitation.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"name": "x" * 121}, "Keep this to 120 characters; it has 121"),
        ({"name": "Ana\x00"}, "control character"),
        ({"name": "\x1b[31mAna"}, "control character"),
        ({"name": "   "}, "Give their name, or choose them from your people."),
        ({}, "Give their name, or choose them from your people."),
        ({"name": "Ana", "email": "not an address"}, "does not look like an email address"),
        ({"name": "Ana", "email": "a@" + "b" * 260 + ".org"}, "254"),
    ],
)
def test_bad_names_and_addresses_are_refused_with_everything_kept(
    client_in, friend_round, data, error
):
    response = invite(client_in, friend_round, **data)
    assert response.status_code == 200
    assert error in response.text
    assert not FriendInvitation.objects.exists()


def test_a_closed_round_takes_no_new_link(client_in, friend_round):
    client_in.post(url("friends_round_close", friend_round.pk))
    response = invite(client_in, friend_round, name="Ana")
    assert response.status_code == 200
    assert response.context["issued"] is None
    assert not FriendInvitation.objects.exists()


def test_a_full_round_takes_no_more_links(client_in, friend_round):
    for n in range(MAX_LINKS_PER_ROUND):
        make_link(friend_round, f"Friend {n}")
    page = client_in.get(url("friends_round", friend_round.pk)).text
    assert 'data-testid="links-full"' in page
    response = invite(client_in, friend_round, name="One too many")
    assert response.status_code == 200
    assert "A round holds at most 30 links" in response.text
    assert FriendInvitation.objects.count() == MAX_LINKS_PER_ROUND


def test_adding_a_link_needs_the_csrf_token(user, friend_round):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(url("friends_invite", friend_round.pk), {"name": "Ana", "days": "5"})
    assert response.status_code == 403
    assert not FriendInvitation.objects.exists()


# --- The list of links ---------------------------------------------------------------------------


def test_each_link_shows_its_state_expiry_last_use_and_answer(client_in, user, opportunity):
    friend_round = make_round(user, opportunity)
    now = timezone.now()
    ana, _ = make_link(friend_round, "Ana", days=5)
    ben, _ = make_link(friend_round, "Ben")
    cleo, _ = make_link(friend_round, "Cleo")
    FriendInvitation.objects.filter(pk=ana.pk).update(last_used_at=now - timedelta(days=2))
    answer(ana, opportunity, gut="yes")
    FriendInvitation.objects.filter(pk=ben.pk).update(expires_at=now - timedelta(minutes=1))
    FriendInvitation.objects.filter(pk=cleo.pk).update(revoked_at=now)
    response = client_in.get(url("friends_round", friend_round.pk))
    states = [link.state for link in response.context["page"].links]
    assert states == ["open", "expired", "revoked"]
    page = response.text
    assert page.count('data-testid="link-state">Open<') == 1
    assert page.count('data-testid="link-state">Expired<') == 1
    assert page.count('data-testid="link-state">Revoked<') == 1
    used = timezone.localtime(now - timedelta(days=2))
    assert f'title="{used:%-d %b %Y, %H:%M}" data-testid="last-used">2\xa0days ago' in page
    assert page.count("not opened yet") == 2
    assert page.count('data-testid="answered"') == 1
    expires = timezone.localtime(ana.expires_at)
    assert "Works until\n            <time" in page
    assert f">{expires:%-d %b %Y}</time>" in page


# --- A new link for the same friend --------------------------------------------------------------


def test_a_new_link_kills_the_old_one_and_keeps_the_answers(
    client_in, friend, user, opportunity, criteria
):
    friend_round = make_round(user, opportunity)
    ana, old = make_link(friend_round, "Ana", days=10)
    answer(ana, opportunity, {criteria[0]: 4})
    FriendInvitation.objects.filter(pk=ana.pk).update(
        last_used_at=timezone.now(), revoked_at=timezone.now()
    )
    response = client_in.post(url("friends_link_reissue", friend_round.pk, ana.pk))
    new = issued_token(response)
    ana.refresh_from_db()
    assert new != old
    assert ana.token_hash == hash_token(new)
    assert (ana.revoked_at, ana.last_used_at) == (None, None)
    # As long as the old one was made to last, from now.
    assert timezone.now() + timedelta(days=9, hours=23) < ana.expires_at
    assert ana.expires_at <= timezone.now() + timedelta(days=10)
    assert FriendAnswer.objects.filter(invitation=ana).count() == 1
    assert new not in stored_text(ana)
    assert friend.get(url("friend_page", old)).status_code == 404
    assert friend.get(url("friend_page", new)).status_code == 200


def test_a_new_link_can_last_a_chosen_time(client_in, friend_round):
    ana, _ = make_link(friend_round, "Ana")
    response = client_in.post(url("friends_link_reissue", friend_round.pk, ana.pk), {"days": "2"})
    assert issued_token(response)
    ana.refresh_from_db()
    assert ana.expires_at <= timezone.now() + timedelta(days=2)


@pytest.mark.parametrize("days", ["0", "91", "abc", str(10**30), "9" * 5000])
def test_a_new_link_with_bad_days_is_refused_beside_that_link(client_in, friend_round, days):
    ana, old = make_link(friend_round, "Ana")
    response = client_in.post(url("friends_link_reissue", friend_round.pk, ana.pk), {"days": days})
    assert response.status_code == 200
    assert response.context["issued"] is None
    assert response.context["reissue_link"] == ana.pk
    assert DAYS_MESSAGE in response.text
    assert '<details class="small" open>' in response.text
    ana.refresh_from_db()
    assert ana.token_hash == hash_token(old)


def test_a_closed_round_makes_no_new_link(client_in, friend_round):
    ana, old = make_link(friend_round, "Ana")
    client_in.post(url("friends_round_close", friend_round.pk))
    response = client_in.post(url("friends_link_reissue", friend_round.pk, ana.pk))
    assert response.status_code == 200
    assert "This round is closed" in response.text
    ana.refresh_from_db()
    assert ana.token_hash == hash_token(old)


# --- Revoking ------------------------------------------------------------------------------------


def test_a_revoked_link_opens_on_a_page_that_says_so(client_in, friend, user):
    friend_round = make_round(user, OpportunityFactory(owner=user))
    ana, token = make_link(friend_round, "Ana")
    response = client_in.post(url("friends_link_revoke", friend_round.pk, ana.pk), follow=True)
    ana.refresh_from_db()
    assert ana.revoked_at is not None
    assert "Ana&#x27;s link is revoked" in response.text
    page = friend.get(url("friend_page", token))
    assert "This link was withdrawn" in page.text
    # Revoking again changes nothing.
    revoked_at = ana.revoked_at
    client_in.post(url("friends_link_revoke", friend_round.pk, ana.pk))
    ana.refresh_from_db()
    assert ana.revoked_at == revoked_at


@pytest.fixture
def friend():
    return Client()
