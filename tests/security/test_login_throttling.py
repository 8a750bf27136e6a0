import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

LOGIN = reverse("login")


def attempt(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_repeated_failures_lock_that_username_from_that_address(password):
    person = UserFactory()
    client = Client()
    for _ in range(4):
        assert attempt(client, person.username, "wrong").status_code == 200
    locked = attempt(client, person.username, "wrong")
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.text
    assert "15 minutes" in locked.text
    # Even the right password is refused while locked.
    assert attempt(client, person.username, password).status_code == 429


def test_other_users_and_other_addresses_are_unaffected(password):
    person, bystander = UserFactory(), UserFactory()
    client = Client()
    for _ in range(5):
        attempt(client, person.username, "wrong")
    assert attempt(Client(), bystander.username, password).status_code == 302
    assert attempt(Client(), person.username, password, ip="10.0.0.2").status_code == 302


def test_a_success_before_the_limit_resets_the_count(password):
    person = UserFactory()
    client = Client()
    for _ in range(4):
        attempt(client, person.username, "wrong")
    assert attempt(client, person.username, password).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, person.username, "wrong").status_code == 200
