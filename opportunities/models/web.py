"""Plumbing the features share: the one-time tokens of create forms."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from opportunities.models.base import OwnedManager


class UsedFormToken(models.Model):
    """A create form that has been sent: its one-time token, a fingerprint of what was
    typed, and what it created.

    The token is recorded in the same transaction as the row it created, so a form sent
    again (a double click, a retried request) finds it here and is answered with that row
    instead of creating a second one; the unique constraint makes this hold for two
    requests arriving at the same moment. A browser going Back may fetch the form afresh
    with a new token and put the typed values back: the fingerprint recognises that. See
    ``opportunities.web.once``.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    token = models.UUIDField()
    fingerprint = models.CharField(max_length=64, blank=True)
    kind = models.CharField(max_length=100, help_text="The model created, as app_label.model.")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["owner", "token"], name="form_token_used_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.object_id} from form {self.token}"


class Throttle(models.Model):
    """Requests counted against a rate limit, per key and time window.

    Kept in the database so every app server counts against the same limit (a
    per-process cache would let N servers allow N times the limit); the counter is
    raised by a single UPDATE, so two servers counting at once lose no hit. Windows
    that have passed are pruned as new ones start. See ``opportunities.web.throttle``.
    """

    key = models.CharField(max_length=100)
    window = models.BigIntegerField(help_text="The window's start, in seconds since the epoch.")
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="one_counter_per_key_and_window")
        ]
        indexes = [models.Index(fields=["window"])]

    def __str__(self) -> str:
        return f"{self.key} @ {self.window}: {self.hits}"


EVERYONE = 0
"""The ``PageVersion`` row every cached page's key also carries: bumped by a change made
outside any one person's request (a friend's answer, the admin, a command)."""


class PageVersion(models.Model):
    """How many times a person's data has changed, as the page cache keys its pages.

    One row per person (``scope`` is the user's id) and one for everyone
    (:data:`EVERYONE`). A request that wrote anything bumps its row once it has
    committed, so a page stored under the old count is never served again. See
    ``opportunities.web.data_version``.
    """

    scope = models.BigIntegerField(primary_key=True, help_text="A user's id, or 0 for everyone.")
    version = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.scope}: {self.version}"
