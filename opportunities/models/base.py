"""What every model of Crossroads shares: an owner, and managers that start from it."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

SCORE_RANGE = [MinValueValidator(0), MaxValueValidator(10)]


class OwnedQuerySet(models.QuerySet):
    def for_user(self, user) -> OwnedQuerySet:
        return self.filter(owner=user)


class OwnedManager(models.Manager.from_queryset(OwnedQuerySet)):
    """Hands out querysets that, in tests, raise on any lazy load (N+1 guard)."""

    def get_queryset(self) -> OwnedQuerySet:
        queryset = super().get_queryset()
        if settings.FETCH_MODE_RAISE:
            queryset = queryset.fetch_mode(models.FETCH_RAISE)
        return queryset


def owner_id_of(user) -> int:
    """The id of ``user``, given as a user or as an id already."""
    return getattr(user, "pk", user)
