"""What a client gets wrong is a 4xx with a page that says so, never a 500."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

CSRF = "a" * 32


def _csrf_client() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = CSRF
    return client


@pytest.mark.parametrize("charset", ["utf-16", "utf-32", "latin-1", "shift_jis;x"])
def test_a_form_in_an_unreadable_charset_is_a_400_page(charset):
    client = _csrf_client()
    response = client.generic(
        "POST",
        reverse("login"),
        f"username=a&password=b&csrfmiddlewaretoken={CSRF}",
        content_type=f"application/x-www-form-urlencoded; charset={charset}",
    )
    assert response.status_code == 400
    assert "could not be read" in response.text


def test_a_charset_no_one_knows_is_read_as_utf8():
    client = _csrf_client()
    response = client.generic(
        "POST",
        reverse("login"),
        f"username=a&password=b&csrfmiddlewaretoken={CSRF}",
        content_type="application/x-www-form-urlencoded; charset=x-no-such-charset",
    )
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_an_unreadable_charset_on_a_signed_in_htmx_post_is_a_400(client_in, opportunity):
    client_in.cookies["csrftoken"] = CSRF
    response = client_in.generic(
        "POST",
        reverse("opportunities:checkpoint_create", args=[opportunity.pk]),
        f"label=x&csrfmiddlewaretoken={CSRF}",
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        headers={"HX-Request": "true", "X-CSRFToken": CSRF},
    )
    assert response.status_code == 400


@pytest.mark.parametrize("length", [150, 255, 256, 5000])
def test_a_very_long_username_at_log_in_is_the_usual_wrong_login_message(length):
    response = Client().post(reverse("login"), {"username": "u" * length, "password": "x"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.text


def test_repeated_long_usernames_still_throttle_without_a_500(settings):
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post(reverse("login"), {"username": "v" * 300, "password": "x"})
        assert response.status_code in (200, 429)
    assert response.status_code == 429


HUGE = "9" * 5000  # past Python's 4,300-digit limit for int("...")


def test_an_id_of_thousands_of_digits_is_read_as_malformed_not_a_500(client_in, opportunity):
    ids = {"ids": f"{opportunity.pk},{HUGE}"}
    response = client_in.get(reverse("opportunities:compare"), ids)
    assert response.status_code == 200
    assert "is not an opportunity id" in response.text
    for name in ("opportunities:compare_weights", "opportunities:compare_gut_ranking"):
        assert client_in.post(reverse(name), ids).status_code < 500, name
        htmx = client_in.post(reverse(name), ids, headers={"HX-Request": "true"})
        assert htmx.status_code < 500, name


def test_a_place_of_thousands_of_digits_is_refused_with_the_form_kept(client_in, user):
    from tests.factories import OpportunityFactory

    first, second = OpportunityFactory(owner=user), OpportunityFactory(owner=user)
    ids = f"{first.pk},{second.pk}"
    for headers in ({}, {"HX-Request": "true"}):
        response = client_in.post(
            reverse("opportunities:compare_gut_ranking"),
            {"ids": ids, f"place-{first.pk}": HUGE, f"place-{second.pk}": "1"},
            headers=headers,
        )
        assert response.status_code < 500


def test_a_body_over_the_upload_limit_is_a_400_page(client_in, opportunity, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = client_in.post(
        reverse("opportunities:checkpoint_create", args=[opportunity.pk]), {"label": "x" * 20_000}
    )
    assert response.status_code == 400
    assert "could not be read" in response.text


def test_thousands_of_fields_are_a_400_page(client_in, opportunity):
    fields = {f"f{n}": "1" for n in range(5_000)}
    response = client_in.post(
        reverse("opportunities:checkpoint_create", args=[opportunity.pk]), fields
    )
    assert response.status_code == 400
    assert "could not be read" in response.text
