"""An email address for reminders: optional on sign-up, changed (or removed) on the account
page, and where send_revisit_reminders sends them. Without one, the pages say reminders
appear on the dashboard only."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils.html import escape

from opportunities.journal.services import send_revisit_reminders
from opportunities.models import Criterion, Decision, RevisitReminder
from tests.factories import CheckpointFactory, OpportunityFactory

pytestmark = pytest.mark.django_db

SIGNUP = reverse("signup")
ACCOUNT = reverse("account")
ACCOUNT_EMAIL = reverse("account_email")
NEWCOMER = {
    "username": "newcomer",
    "password1": "a-long-pass-9821",
    "password2": "a-long-pass-9821",
}
BAD_EMAILS = [
    ("not-an-email", "That is not an email address"),
    ("someone@", "That is not an email address"),
    ("a@example.org\nBcc: everyone@example.org", "That is not an email address"),
    ("<script>alert(1)</script>@example.org", "That is not an email address"),
    ("x" * 10_000 + "@example.org", "An email address has at most 254 characters."),
]


def test_sign_up_asks_for_an_optional_address_and_says_what_it_is_for(client):
    page = client.get(SIGNUP).text
    assert 'type="email" name="email"' in page
    assert "Only for reminders to look back on a decision" in page
    assert "without an address they appear on your dashboard only" in page


def test_sign_up_with_an_address_keeps_it(client):
    response = client.post(SIGNUP, NEWCOMER | {"email": "  Sam@Example.ORG "})
    assert response.status_code == 302
    assert get_user_model().objects.get(username="newcomer").email == "Sam@example.org"


def test_sign_up_without_an_address_is_fine(client):
    assert client.post(SIGNUP, NEWCOMER | {"email": ""}).status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.post(SIGNUP, NEWCOMER | {"username": "another"}).status_code == 302
    assert set(get_user_model().objects.values_list("email", flat=True)) == {""}


@pytest.mark.parametrize(("email", "message"), BAD_EMAILS)
def test_sign_up_refuses_a_bad_address_keeps_the_form_and_creates_nothing(client, email, message):
    response = client.post(SIGNUP, NEWCOMER | {"email": email})
    assert response.status_code == 200
    assert message in response.text
    assert 'value="newcomer"' in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert not get_user_model().objects.exists()
    assert not Criterion.objects.exists()


def test_the_account_page_says_reminders_stay_on_the_dashboard_without_an_address(client_in):
    page = client_in.get(ACCOUNT).text
    assert "Where reminders go" in page
    assert "reminders to look back on a decision appear on your dashboard only" in page


def test_an_address_is_added_changed_and_removed_on_the_account_page(client_in, user):
    response = client_in.post(ACCOUNT_EMAIL, {"email": "sam@example.org"}, follow=True)
    assert response.redirect_chain == [(f"{ACCOUNT}#email-title", 302)]
    assert "Reminders will be emailed to sam@example.org." in response.text
    assert "a reminder is emailed to <strong>sam@example.org</strong>" in response.text
    assert 'value="sam@example.org"' in response.text
    user.refresh_from_db()
    assert user.email == "sam@example.org"

    client_in.post(ACCOUNT_EMAIL, {"email": "sam@work.example"})
    user.refresh_from_db()
    assert user.email == "sam@work.example"

    response = client_in.post(ACCOUNT_EMAIL, {"email": ""}, follow=True)
    assert "No email address: reminders will appear on your dashboard only." in response.text
    user.refresh_from_db()
    assert user.email == ""


def test_changing_the_address_with_htmx_redirects_the_page(client_in, user, htmx_headers):
    response = client_in.post(ACCOUNT_EMAIL, {"email": "sam@example.org"}, headers=htmx_headers())
    assert response["HX-Redirect"] == f"{ACCOUNT}#email-title"
    user.refresh_from_db()
    assert user.email == "sam@example.org"


@pytest.mark.parametrize(("email", "message"), BAD_EMAILS)
def test_a_bad_address_is_refused_with_what_was_typed_kept(client_in, user, email, message):
    user.email = "kept@example.org"
    user.save()
    response = client_in.post(ACCOUNT_EMAIL, {"email": email})
    assert response.status_code == 200
    assert "Your email address was not changed; see below." in response.text
    assert message in response.text
    assert "<script>alert(1)</script>" not in response.text
    if len(email) < 100:
        assert f'value="{escape(email)}"' in response.text  # kept, escaped
    user.refresh_from_db()
    assert user.email == "kept@example.org"


def test_changing_the_address_needs_a_signed_in_post(client):
    assert client.post(ACCOUNT_EMAIL, {"email": "x@example.org"})["Location"].startswith(
        reverse("login")
    )


def test_changing_the_address_is_post_only(client_in):
    assert client_in.get(ACCOUNT_EMAIL).status_code == 405


def _due_decision(owner) -> Decision:
    opportunity = OpportunityFactory(owner=owner, title="Marketing role")
    return Decision.objects.create(
        owner=owner,
        opportunity=opportunity,
        evaluation=CheckpointFactory(opportunity=opportunity, owner=owner),
        choice="pursue",
        decided_on=date(2026, 3, 1),
        revisit_on=date(2026, 6, 1),
    )


def test_reminders_go_to_the_address_given_on_the_account_page(client_in, user):
    client_in.post(ACCOUNT_EMAIL, {"email": "sam@example.org"})
    _due_decision(user)
    assert send_revisit_reminders(today=date(2026, 6, 2)) == 1
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
    assert "Marketing role" in mail.outbox[0].subject


def test_once_the_address_is_removed_reminders_stay_on_the_dashboard(client_in, user):
    client_in.post(ACCOUNT_EMAIL, {"email": "sam@example.org"})
    client_in.post(ACCOUNT_EMAIL, {"email": ""})
    decision = _due_decision(user)
    assert send_revisit_reminders(today=date(2026, 6, 2)) == 1
    assert mail.outbox == []
    assert RevisitReminder.objects.get().decision_id == decision.pk


def test_the_account_page_and_an_address_change_take_a_fixed_number_of_queries(
    client_in, user, django_assert_max_num_queries
):
    for _ in range(3):
        OpportunityFactory(owner=user)
    with django_assert_max_num_queries(2):  # the session and the user
        assert client_in.get(reverse("account")).status_code == 200
    # session, user, the update, the page-cache counter (the message goes in its cookie)
    with django_assert_max_num_queries(4):
        response = client_in.post(ACCOUNT_EMAIL, {"email": "me@example.org"})
    assert response.status_code == 302
