import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("opportunities:dashboard")


def log_in(client: Client, user, password: str) -> None:
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302


def test_session_key_rotates_on_login(password):
    user = UserFactory()
    client = Client()
    client.get(reverse("login"))
    client.session["probe"] = 1  # an anonymous session exists before logging in
    client.session.save()
    before = client.session.session_key
    log_in(client, user, password)
    assert client.session.session_key != before


def test_logout_kills_the_session_server_side(password):
    user = UserFactory()
    client = Client()
    log_in(client, user, password)
    stolen = client.cookies["sessionid"].value
    client.post(reverse("logout"))
    thief = Client()
    thief.cookies["sessionid"] = stolen
    assert thief.get(DASHBOARD).status_code == 302


def test_changing_the_password_ends_other_sessions_but_keeps_this_one(password):
    user = UserFactory()
    laptop, phone = Client(), Client()
    log_in(laptop, user, password)
    log_in(phone, user, password)
    response = laptop.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-brand-new-passphrase-42",
            "new_password2": "a-brand-new-passphrase-42",
        },
    )
    assert response.status_code == 302
    assert laptop.get(DASHBOARD).status_code == 200
    assert phone.get(DASHBOARD).status_code == 302


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("short", "too short"),
        ("password1234", "too common"),
        ("12345678901234", "entirely numeric"),
    ],
)
def test_weak_new_passwords_are_refused(password, new, message):
    user = UserFactory()
    client = Client()
    log_in(client, user, password)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 200
    assert message in response.text


# --- Messages, in a signed cookie ----------------------------------------------------------------


def _a_message(client: Client, user) -> str:
    """Something said after a save (an opportunity archived): its cookie's value."""
    opportunity = OpportunityFactory(owner=user, title="Agency role")
    client.post(reverse("opportunities:opportunity_archive", args=[opportunity.pk]))
    return client.cookies["messages"].value


def test_a_message_rides_in_a_cookie_scripts_cannot_read_and_other_sites_do_not_send(
    client_in, user
):
    _a_message(client_in, user)
    assert client_in.get(DASHBOARD).text.count('role="alert"') == 2  # it, and the hidden one
    _a_message(client_in, user)
    cookie = client_in.cookies["messages"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert "_messages" not in client_in.session


@pytest.mark.parametrize(
    "forge",
    [
        lambda value: value[:-1] + ("A" if value[-1] != "A" else "B"),  # the signature broken
        lambda value: '[["__json_message",0,25,"Forged"]]',  # unsigned
        lambda value: "x" * 5000,
        lambda value: "\x00<script>",
    ],
)
def test_a_forged_or_broken_message_cookie_is_dropped_never_shown_nor_a_500(client_in, user, forge):
    client_in.cookies["messages"] = forge(_a_message(client_in, user))
    response = client_in.get(DASHBOARD)
    assert response.status_code == 200
    assert "Forged" not in response.text
    assert response.text.count('role="alert"') == 1  # no message: only the hidden one
