import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

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
