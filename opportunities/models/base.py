"""What every model of Crossroads shares: an owner, and managers that start from it."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.contrib.auth.models import User
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

SCORE_RANGE = [MinValueValidator(0), MaxValueValidator(10)]

type Owner = User | int
"""A user, or a user's id: what ``for_user`` and the services take."""


class OwnedQuerySet[M: models.Model](models.QuerySet[M]):
    def for_user(self, user: Owner) -> Self:
        return self.filter(owner=user)


class OwnedManager[M: models.Model](models.Manager[M]):
    """Hands out querysets that start from an owner and that, in tests, raise on any lazy
    load (the N+1 guard)."""

    def get_queryset(self) -> OwnedQuerySet[M]:
        return guarded(OwnedQuerySet(self.model, using=self._db))

    def for_user(self, user: Owner) -> OwnedQuerySet[M]:
        return self.get_queryset().for_user(user)


def guarded[Q: models.QuerySet[models.Model]](queryset: Q) -> Q:
    """``queryset``, raising on lazy loads when the settings ask for it (the tests do)."""
    if settings.FETCH_MODE_RAISE:
        return queryset.fetch_mode(models.FETCH_RAISE)
    return queryset


def owner_id_of(user: Owner) -> int:
    """The id of ``user``, given as a user or as an id already."""
    return user if isinstance(user, int) else user.pk
