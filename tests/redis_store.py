"""The machine's Redis, for the tests that need one (the shared page store, the bench's
choice of it): where it is, a store that never answers, and how a test asks for it.

``CROSSROADS_TEST_REDIS_URL`` (database 15 by default) names it. Where no Redis answers
these tests are skipped, unless ``CROSSROADS_REQUIRE_REDIS`` is set: CI sets it and starts
Redis, so there a missing store fails the run instead of hiding its tests.
"""

from __future__ import annotations

import os

import pytest
import redis

REDIS_URL = os.environ.get("CROSSROADS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
CLOSED = "redis://127.0.0.1:9/0"
"""Nothing listens on the discard port: a store that does not answer."""


def answers(url: str) -> bool:
    try:
        with redis.Redis.from_url(url, socket_connect_timeout=1) as store:
            return bool(store.ping())
    except (redis.RedisError, OSError):
        return False


def require_redis() -> None:
    """Skip the calling test where no Redis answers at ``REDIS_URL`` (fail, in CI)."""
    if answers(REDIS_URL):
        return
    message = f"No Redis answers at {REDIS_URL}."
    if os.environ.get("CROSSROADS_REQUIRE_REDIS"):
        pytest.fail(message)
    pytest.skip(message)
