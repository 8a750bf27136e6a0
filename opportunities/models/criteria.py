"""The criteria a user weighs every opportunity on."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from opportunities.models.base import SCORE_RANGE, OwnedManager


class CriterionKind(models.TextChoices):
    MANUAL = "", "Scored by hand"
    PAY = "pay", "Derived from comparable pay"
    ARRANGEMENT = "arrangement", "Derived from the arrangement"


class Criterion(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="criteria"
    )
    name = models.CharField(max_length=80)
    description = models.CharField(max_length=300, blank=True)
    low_meaning = models.CharField("0 means", max_length=200, blank=True)
    high_meaning = models.CharField("10 means", max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(default=5, validators=SCORE_RANGE)
    minimum = models.PositiveSmallIntegerField(
        "Must-have minimum",
        null=True,
        blank=True,
        validators=SCORE_RANGE,
        help_text="A score below this fails the opportunity, whatever its total.",
    )
    position = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=16, choices=CriterionKind, blank=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        verbose_name_plural = "criteria"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(weight__lte=10), name="criterion_weight_0_10"),
            models.CheckConstraint(
                condition=Q(minimum__isnull=True) | Q(minimum__lte=10),
                name="criterion_minimum_0_10",
            ),
            models.UniqueConstraint(
                fields=["owner", "name"],
                condition=Q(archived_at__isnull=True),
                name="unique_active_criterion_name",
                violation_error_message="You already have a criterion with this name.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None
