"""Where the bench runs the app: its environment, and the page store its workers share."""

from __future__ import annotations

import pytest

from bench import server
from tests.web.test_shared_page_store import CLOSED, REDIS_URL, _answers

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
    if not _answers(REDIS_URL):
        pytest.skip(f"No Redis answers at {REDIS_URL}.")
    assert server.shared_page_store(REDIS_URL) == REDIS_URL
