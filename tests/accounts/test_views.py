import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from opportunities.criteria.services import DEFAULT_CRITERIA
from opportunities.models import Criterion

pytestmark = pytest.mark.django_db

SIGNUP = reverse("signup")


def test_signup_gives_the_default_criteria_and_logs_in(client):
    response = client.post(
        SIGNUP,
        {"username": "newcomer", "password1": "a-long-pass-9821", "password2": "a-long-pass-9821"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:dashboard")
    user = get_user_model().objects.get(username="newcomer")
    criteria = list(Criterion.objects.for_user(user))
    assert [c.name for c in criteria] == [d.name for d in DEFAULT_CRITERIA]
    assert all(c.low_meaning.startswith("0 = ") for c in criteria)
    assert all(c.high_meaning.startswith("10 = ") for c in criteria)
    assert [c.position for c in criteria] == list(range(len(DEFAULT_CRITERIA)))
    dashboard = client.get(reverse("opportunities:dashboard"))
    assert dashboard.status_code == 200
    assert "Nothing to weigh yet" in dashboard.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"username": "", "password1": "a-long-pass-9821", "password2": "a-long-pass-9821"},
            "This field is required",
        ),
        (
            {
                "username": "x" * 10_000,
                "password1": "a-long-pass-9821",
                "password2": "a-long-pass-9821",
            },
            "Keep this to 150 characters",
        ),
        ({"username": "newcomer", "password1": "short", "password2": "short"}, "too short"),
        (
            {"username": "newcomer", "password1": "password123", "password2": "password123"},
            "too common",
        ),
        (
            {
                "username": "newcomer",
                "password1": "a-long-pass-9821",
                "password2": "different-9821",
            },
            "didn",
        ),
        (
            {
                "username": "<script>alert(1)</script>",
                "password1": "a-long-pass-9821",
                "password2": "a-long-pass-9821",
            },
            "Enter a valid username",
        ),
    ],
)
def test_signup_rejects_bad_input_with_a_message_and_creates_nothing(client, data, message):
    response = client.post(SIGNUP, data)
    assert response.status_code == 200
    assert message in response.text
    assert "<script>alert(1)</script>" not in response.text
    assert not get_user_model().objects.exists()
    assert not Criterion.objects.exists()


def test_signed_in_user_visiting_signup_goes_to_the_dashboard(client_in):
    assert client_in.get(SIGNUP)["Location"] == reverse("opportunities:dashboard")


def test_login_page_renders_and_logs_in(client, user, password):
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302
    assert response["Location"] == reverse("opportunities:dashboard")


def test_wrong_password_gives_a_clear_message(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_logout_is_post_only_and_ends_the_session(client_in):
    assert client_in.get(reverse("logout")).status_code == 405
    client_in.post(reverse("logout"))
    response = client_in.get(reverse("opportunities:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_password_change_page_needs_login_and_renders(client_in):
    assert Client().get(reverse("password_change")).status_code == 302
    assert client_in.get(reverse("password_change")).status_code == 200
