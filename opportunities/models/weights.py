"""Versions of a user's weights: every change of priorities, kept with where it came from."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from opportunities.models.base import OwnedManager


class WeightSource(models.TextChoices):
    SLIDERS = "sliders", "Weight sliders"
    SWING = "swing", "Swing weighting"
    COMPARISON = "comparison", "Saved from a comparison"


class WeightVersion(models.Model):
    """The weights in force from ``created_at`` on, and how they were set.

    ``weights`` lists every active criterion as ``{"criterion": id, "name": ..., "weight":
    n}``. A swing weighting also keeps the options it was made over (``options``: ``{"id",
    "title"}``) and the answers (``answers``: ``{"criterion", "worst", "best", "rating"}``,
    the rating 0-100 or None where the options do not differ). ``applied`` is False when
    the answers were kept without changing the weights: ``weights`` then holds what the
    answers imply, and it is not a version of the weights in force.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    source = models.CharField(max_length=16, choices=WeightSource)
    applied = models.BooleanField(default=True)
    weights = models.JSONField(default=list)
    options = models.JSONField(default=list, blank=True)
    answers = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_source_display()} on {self.created_at:%Y-%m-%d}"
