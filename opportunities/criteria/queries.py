"""Reads of the criteria a user weighs their opportunities on."""

from __future__ import annotations

from opportunities.models import Criterion, Owner


def active_criteria(user: Owner):
    return Criterion.objects.for_user(user).filter(archived_at__isnull=True)
