"""What the comparison keeps: the order a user put their options in by feel."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from opportunities.models.base import OwnedManager


class GutRanking(models.Model):
    """The order a user put a set of opportunities in by feel, before seeing the matrix."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    selection = models.CharField(max_length=500, help_text="Sorted opportunity ids, '-'-joined.")
    order = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "selection", "-created_at"])]

    def __str__(self) -> str:
        return f"Gut ranking of {self.selection}"
