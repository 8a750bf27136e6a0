"""The criteria a user weighs every opportunity on."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from opportunities.models.base import SCORE_RANGE, OwnedManager


class CriterionKind(models.TextChoices):
    MANUAL = "", "Scored by hand"
    PAY = "pay", "Derived from comparable pay"
    ARRANGEMENT = "arrangement", "Derived from the arrangement"
    NUMBER = "number", "A number on a value curve"


DERIVED_FROM_OFFER = (CriterionKind.PAY, CriterionKind.ARRANGEMENT)
"""The kinds scored from the offer itself (its pay, its arrangement) by ``pay``."""


class CurveShape(models.TextChoices):
    """How a raw number (pay, minutes of commute) becomes a 0-10 score (``curves.core``)."""

    LINEAR = "linear", "Straight line"
    SATURATING = "saturating", "Levels off: near the best, more adds little"
    THRESHOLD = "threshold", "Threshold: enough or not"


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
    # The value curve of Pay and of a number criterion (see curves.core). A number
    # criterion's scale runs from ``worst`` (scores 0) to ``best`` (scores 10); Pay's runs
    # from the pay floor to the pay target, kept in the user's Profile.
    curve = models.CharField(
        "Value curve", max_length=12, choices=CurveShape, default=CurveShape.LINEAR
    )
    curve_bend = models.PositiveSmallIntegerField(
        "How quickly it levels off",
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
    )
    curve_threshold = models.DecimalField(
        "Enough from", max_digits=12, decimal_places=2, null=True, blank=True
    )
    unit = models.CharField(max_length=24, blank=True, help_text='e.g. "minutes a day"')
    worst = models.DecimalField(
        "Scores 0 at", max_digits=12, decimal_places=2, null=True, blank=True
    )
    best = models.DecimalField(
        "Scores 10 at", max_digits=12, decimal_places=2, null=True, blank=True
    )
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
            models.CheckConstraint(
                condition=Q(curve_bend__gte=1, curve_bend__lte=9), name="criterion_curve_bend_1_9"
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

    @property
    def is_number(self) -> bool:
        return self.kind == CriterionKind.NUMBER

    @property
    def derived_from_offer(self) -> bool:
        return self.kind in DERIVED_FROM_OFFER
