"""The rate limits' shared counters: they count in the database, per key and window, so
every app server counts against the same limit — and two counting at once lose no hit."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from axes.models import AccessAttempt
from django.db import connection, connections

from opportunities.models import Throttle
from opportunities.web import throttle
from opportunities.web.throttle import Limit, client_address, hit

LIMIT = Limit("test", hits=3, per_seconds=60)
T0 = 1_800_000_000.0  # a moment at the start of a window (divisible by 60)


@pytest.fixture(autouse=True)
def new_process(monkeypatch):
    """An app server that has pruned nothing yet (what it pruned is kept per process)."""
    monkeypatch.setattr(throttle, "_pruned", {})


@pytest.mark.django_db
def test_the_hits_past_the_limit_are_refused_until_the_next_window():
    assert [hit(LIMIT, "1.2.3.4", now=T0 + second) for second in range(5)] == [
        True,
        True,
        True,
        False,
        False,
    ]
    assert hit(LIMIT, "1.2.3.4", now=T0 + 60)  # a new window
    assert Throttle.objects.get(key="test:1.2.3.4", window=T0 + 60).hits == 1


@pytest.mark.django_db
def test_each_key_and_each_limit_counts_on_its_own():
    for _ in range(3):
        hit(LIMIT, "a", now=T0)
    assert not hit(LIMIT, "a", now=T0)
    assert hit(LIMIT, "b", now=T0)
    assert hit(Limit("other", hits=3, per_seconds=60), "a", now=T0)


@pytest.mark.django_db
def test_windows_that_ended_are_pruned_as_new_ones_start():
    hit(LIMIT, "a", now=T0)
    hit(LIMIT, "b", now=T0)
    hit(Limit("other", hits=3, per_seconds=60), "a", now=T0)
    hit(LIMIT, "c", now=T0 + 60)
    assert Throttle.objects.count() == 4  # the window before the current one is kept
    hit(LIMIT, "a", now=T0 + 120)
    remaining = set(Throttle.objects.values_list("key", "window"))
    assert remaining == {("test:c", T0 + 60), ("test:a", T0 + 120), ("other:a", T0)}


@pytest.mark.django_db
def test_a_limit_whose_name_looks_like_another_is_not_pruned_with_it():
    """The prune matches the name and its colon: "test" never takes "tests"' rows."""
    hit(Limit("tests", hits=3, per_seconds=60), "a", now=T0)
    hit(LIMIT, "a", now=T0 + 600)
    assert Throttle.objects.filter(key="tests:a").exists()


@pytest.mark.django_db
def test_each_server_prunes_once_per_limit_and_window_whoever_hits(
    django_assert_num_queries, monkeypatch
):
    """A new address or link no longer prunes: the first hit of the window in this
    process does, for every key of the limit; another process prunes again (harmless)."""
    with django_assert_num_queries(2):  # the row inserted, the windows that ended pruned
        hit(LIMIT, "a", now=T0)
    for who in ("b", "c", "d"):  # new keys in the same window: counted, nothing pruned
        with django_assert_num_queries(1):
            hit(LIMIT, who, now=T0 + 1)
    with django_assert_num_queries(2):  # another limit prunes its own
        hit(Limit("other", hits=3, per_seconds=60), "a", now=T0)
    Throttle.objects.create(key="test:old", window=T0 - 600, hits=9)
    with django_assert_num_queries(2):  # the next window: pruned again
        hit(LIMIT, "a", now=T0 + 60)
    assert not Throttle.objects.filter(key="test:old").exists()
    Throttle.objects.create(key="test:old", window=T0 - 600, hits=9)
    monkeypatch.setattr(throttle, "_pruned", {})  # another app server
    with django_assert_num_queries(2):
        hit(LIMIT, "b", now=T0 + 61)
    assert not Throttle.objects.filter(key="test:old").exists()


@pytest.mark.parametrize("name", ["", "a%", "a_b", "Upper", "with space", "a:b"])
def test_a_limit_name_that_could_match_others_in_a_pattern_is_refused(name):
    with pytest.raises(ValueError, match="lower-case letters"):
        Limit(name, hits=1, per_seconds=60)


@pytest.mark.django_db
def test_a_very_long_address_is_cut_to_the_keys_length():
    assert hit(LIMIT, "x" * 500, now=T0)
    assert len(Throttle.objects.get().key) == 100


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent writers")
def test_servers_counting_at_once_lose_no_hit():
    at_once, each = 8, 10
    start = threading.Barrier(at_once)
    limit = Limit("race", hits=10_000, per_seconds=3600)

    def server(_: int) -> None:
        try:
            start.wait()
            for _ in range(each):
                hit(limit, "shared", now=T0)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(at_once) as pool:
        list(pool.map(server, range(at_once)))
    assert Throttle.objects.get(key="race:shared").hits == at_once * each


@pytest.mark.parametrize(
    ("hops", "meta", "address"),
    [
        (0, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "1.1.1.1"}, "10.0.0.5"),
        (1, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "203.0.113.9"),
        # A client's own X-Forwarded-For is further left: the balancer's entry is read.
        (
            1,
            {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9"},
            "203.0.113.9",
        ),
        (
            2,
            {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "6.6.6.6, 203.0.113.9, 10.0.0.9"},
            "203.0.113.9",
        ),
        # Fewer entries than proxies (a request that bypassed them): the peer.
        (2, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "203.0.113.9"}, "10.0.0.5"),
        (1, {"REMOTE_ADDR": "10.0.0.5"}, "10.0.0.5"),
        (1, {}, "unknown"),
        # Not an address: the peer is counted (axes stores addresses in an address column).
        (1, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "<script>"}, "10.0.0.5"),
        (1, {"REMOTE_ADDR": "10.0.0.5", "HTTP_X_FORWARDED_FOR": "x" * 500}, "10.0.0.5"),
    ],
)
def test_behind_our_proxies_the_client_address_is_the_one_they_appended(
    settings, hops, meta, address
):
    settings.PROXIES_IN_FRONT = hops
    assert client_address(meta) == address


@pytest.mark.django_db
def test_the_login_throttle_counts_the_same_address(settings, client):
    settings.PROXIES_IN_FRONT = 1
    client.post(
        "/accounts/login/",
        {"username": "nobody", "password": "wrong"},
        REMOTE_ADDR="10.0.0.5",
        HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9",
    )
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


@pytest.mark.django_db
def test_a_login_made_in_code_has_no_address_and_is_still_logged(client, django_user_model):
    """force_login sends Django's login signal with a bare request: axes must store no
    address rather than the word "unknown", which PostgreSQL's address column refuses."""
    from axes.models import AccessLog

    user = django_user_model.objects.create_user("someone", password="long enough pass")
    client.force_login(user)
    assert AccessLog.objects.get().ip_address is None


@pytest.mark.django_db
def test_a_hit_is_one_statement_and_the_first_of_a_window_one_more_to_prune(
    django_assert_num_queries,
):
    with django_assert_num_queries(2):  # the row inserted, the windows that ended pruned
        assert hit(LIMIT, "a", now=T0)
    with django_assert_num_queries(1):  # counted and read back in one upsert
        assert hit(LIMIT, "a", now=T0 + 1)
    assert Throttle.objects.get(key="test:a").hits == 2
    with django_assert_num_queries(1):  # a new key in the window: no transaction, no prune
        assert hit(LIMIT, "b", now=T0 + 2)


@pytest.mark.django_db
def test_a_hit_does_not_retire_anyones_cached_pages():
    from opportunities.web import data_version

    with data_version.watching() as watch:
        hit(LIMIT, "a", now=T0)
        hit(LIMIT, "a", now=T0 + 1)
    assert not watch.wrote


@pytest.mark.django_db
def test_on_postgresql_the_counters_skip_the_write_ahead_log_and_nothing_else_does():
    """Counters are worth nothing after a crash, so their commits need not wait for the
    log (migration 0013); every other table of the app's is logged as usual."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no unlogged tables")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relkind = 'r' AND relpersistence = 'u' "
            "AND relnamespace = 'public'::regnamespace"
        )
        unlogged = {name for (name,) in cursor.fetchall()}
    assert unlogged == {Throttle._meta.db_table}
