"""Signing in by username and password, loading with the person their page counters.

The user is loaded on every signed-in request; this loads, in the same query, the two
counters the page cache keys that person's pages on (``opportunities.web.data_version``),
so a page served from the cache costs no query beyond the session and the user.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from opportunities.web.data_version import with_counters

BACKEND = "opportunities.accounts.backends.VersionedModelBackend"
"""The path ``login()`` is given when it signs someone in without a password check."""


class VersionedModelBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        users = with_counters(get_user_model()._default_manager.all(), owner="pk")
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
