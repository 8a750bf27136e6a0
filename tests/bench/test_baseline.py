"""The benchmark's baseline view exists only when the benchmark asks for it."""

import importlib

import pytest
from django.urls import NoReverseMatch, clear_url_caches, reverse

import config.urls


def _reload_urls() -> None:
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def benchmark_mode(settings):
    settings.BENCHMARK = True
    _reload_urls()
    yield
    settings.BENCHMARK = False
    _reload_urls()


def test_not_routed_in_a_normal_deployment(client_in):
    with pytest.raises(NoReverseMatch):
        reverse("bench_baseline")
    assert client_in.get("/bench/baseline/").status_code == 404


@pytest.mark.usefixtures("benchmark_mode")
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


@pytest.mark.usefixtures("benchmark_mode")
def test_the_floor_is_for_signed_in_users_only(client):
    response = client.get("/bench/baseline/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.post("/bench/baseline/").status_code == 405
