"""Where the bench runs the app: its environment, and the page store its workers share."""

from __future__ import annotations

import uuid

import redis

from bench import server
from tests.redis_store import CLOSED, REDIS_URL, require_redis

DATABASE = "postgres://postgres@127.0.0.1:5432/crossroads_bench_20261201120000_42"


def test_the_server_runs_with_production_settings_on_its_own_database():
    env = server.server_environment(DATABASE, 8123)
    assert env["DJANGO_ENV"] == "production"
    assert env["DATABASE_URL"] == DATABASE
    assert env["GUNICORN_BIND"] == "127.0.0.1:8123"
    assert len(env["DJANGO_SECRET_KEY"]) >= 50


def test_without_a_store_each_worker_keeps_its_own_pages(monkeypatch):
    monkeypatch.delenv("DJANGO_PAGE_CACHE_URL", raising=False)
    env = server.server_environment(DATABASE, 8123)
    assert "DJANGO_PAGE_CACHE_URL" not in env
    assert server.page_store_note(env).startswith("each worker's own memory")


def test_with_a_store_the_workers_share_it_under_the_runs_own_prefix():
    env = server.server_environment(DATABASE, 8123, page_store="redis://127.0.0.1:6379/0")
    assert env["DJANGO_PAGE_CACHE_URL"] == "redis://127.0.0.1:6379/0"
    assert env["DJANGO_PAGE_CACHE_PREFIX"] == "crossroads_bench_20261201120000_42"
    assert "one Redis every worker shares" in server.page_store_note(env)


def test_a_store_is_used_only_when_it_answers():
    assert server.shared_page_store("off") is None
    assert server.shared_page_store(CLOSED) is None
    assert server.shared_page_store("not a url") is None
    require_redis()
    assert server.shared_page_store(REDIS_URL) == REDIS_URL


def test_a_runs_pages_leave_the_store_when_it_is_over_and_no_one_elses():
    require_redis()
    database = f"{DATABASE}_{uuid.uuid4().hex}"
    prefix = database.rsplit("/", 1)[-1]
    with redis.Redis.from_url(REDIS_URL) as store:
        store.set(f"{prefix}:1:page:1", b"kept", ex=60)
        store.set(f"{prefix}:1:page:2", b"kept", ex=60)
        store.set(f"{prefix}x:1:page:1", b"another run's", ex=60)
        try:
            with server.pages_forgotten(REDIS_URL, database):
                assert store.exists(f"{prefix}:1:page:1")
            assert not store.keys(f"{prefix}:*")
            assert store.get(f"{prefix}x:1:page:1") == b"another run's"
        finally:
            store.delete(f"{prefix}x:1:page:1")


def test_a_store_gone_by_the_end_is_said_not_raised(capsys):
    assert server.forget_pages(CLOSED, "crossroads_bench_gone") == 0
    assert "could not take this run's pages out" in capsys.readouterr().out
    with server.pages_forgotten(None, DATABASE):
        pass  # no store, nothing to forget
