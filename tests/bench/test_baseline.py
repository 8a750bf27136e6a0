"""The benchmark's baseline view exists only under the benchmark's own URLs
(``bench.urls``, used by ``bench.settings``)."""

import pytest
from django.urls import NoReverseMatch, reverse

benchmark_mode = pytest.mark.urls("bench.urls")


def test_not_routed_in_a_normal_deployment(client_in):
    with pytest.raises(NoReverseMatch):
        reverse("bench_baseline")
    assert client_in.get("/bench/baseline/").status_code == 404


@benchmark_mode
def test_the_floor_costs_the_session_and_the_user_and_nothing_else(
    client_in, django_assert_num_queries
):
    with django_assert_num_queries(2):  # the session, the user
        response = client_in.get(reverse("bench_baseline"))
    assert response.status_code == 200
    assert response.content == b"ok"
    # The whole middleware stack ran: CSP, no-store for a signed-in user, request id.
    assert "Content-Security-Policy" in response.headers
    assert "no-store" in response.headers["Cache-Control"]
    assert response.headers["X-Request-ID"]


@benchmark_mode
def test_the_floor_is_for_signed_in_users_only(client):
    response = client.get("/bench/baseline/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/bench/baseline/").status_code == 405


def test_the_bench_settings_add_the_baseline_to_the_app_as_deployed():
    from bench import settings as bench_settings
    from config import settings as app_settings

    assert bench_settings.ROOT_URLCONF == "bench.urls"
    assert [*app_settings.INSTALLED_APPS, "bench"] == bench_settings.INSTALLED_APPS
    assert bench_settings.MIDDLEWARE == app_settings.MIDDLEWARE
