"""Evaluations (the live one and frozen checkpoints) and their scores."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from opportunities.models.base import SCORE_RANGE, OwnedManager, OwnedQuerySet, Owner, guarded
from opportunities.models.criteria import Criterion
from opportunities.models.pipeline import Opportunity


class EvaluationQuerySet(OwnedQuerySet["Evaluation"]):
    def live(self) -> Self:
        return self.filter(frozen_at__isnull=True)

    def checkpoints(self) -> Self:
        return self.filter(frozen_at__isnull=False)


class EvaluationManager(OwnedManager["Evaluation"]):
    def get_queryset(self) -> EvaluationQuerySet:
        return guarded(EvaluationQuerySet(self.model, using=self._db))

    def for_user(self, user: Owner) -> EvaluationQuerySet:
        return self.get_queryset().for_user(user)

    def live(self) -> EvaluationQuerySet:
        return self.get_queryset().live()

    def checkpoints(self) -> EvaluationQuerySet:
        return self.get_queryset().checkpoints()


class Evaluation(models.Model):
    """One scoring of one opportunity.

    The live evaluation (``frozen_at`` empty) follows today's criteria and weights.
    A checkpoint is frozen: its scores carry the weight, must-have minimum and name
    each criterion had at the time, so it always recomputes to the number it showed.
    ``decision_score`` and the counts are kept in step by ``services`` so lists can
    show them without loading every score.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="evaluations"
    )
    label = models.CharField(max_length=120, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)
    decision_score = models.FloatField(null=True, blank=True)
    scored_count = models.PositiveSmallIntegerField(default=0)
    criteria_count = models.PositiveSmallIntegerField(default=0)
    must_have_failures = models.PositiveSmallIntegerField(default=0)
    friends = models.JSONField(
        default=dict,
        blank=True,
        help_text="A checkpoint's copy of what friends had said by then (friends.core).",
    )
    curves = models.JSONField(
        default=dict,
        blank=True,
        help_text="A checkpoint's copy of the value curves its numbers were scored on.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EvaluationManager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity"],
                condition=Q(frozen_at__isnull=True),
                name="one_live_evaluation_per_opportunity",
            ),
            models.CheckConstraint(
                condition=Q(decision_score__isnull=True)
                | Q(decision_score__gte=0, decision_score__lte=100),
                name="evaluation_score_0_100",
            ),
        ]

    def __str__(self) -> str:
        return self.label or ("Live evaluation" if self.frozen_at is None else "Checkpoint")

    @property
    def is_frozen(self) -> bool:
        return self.frozen_at is not None


class Score(models.Model):
    """One criterion's score (and note) within one evaluation."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    # RESTRICT, not PROTECT: a criterion with scores cannot be deleted on its own (archive
    # it instead), yet deleting a whole account removes both in one go.
    criterion = models.ForeignKey(Criterion, on_delete=models.RESTRICT, related_name="scores")
    value = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_RANGE)
    # "I'm unsure": the range the score may really lie in; the value stays the most likely.
    low = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_RANGE)
    high = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_RANGE)
    # A number criterion's raw number (35 minutes); its value follows through the curve.
    amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    overridden = models.BooleanField(
        default=False, help_text="Set by hand on a criterion whose score is normally derived."
    )
    # Captured when the evaluation is frozen, so it recomputes as it was.
    weight = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_RANGE)
    minimum = models.PositiveSmallIntegerField(null=True, blank=True, validators=SCORE_RANGE)
    criterion_name = models.CharField(max_length=80, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"], name="one_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=10), name="score_value_0_10"
            ),
            models.CheckConstraint(
                condition=Q(weight__isnull=True) | Q(weight__lte=10), name="score_weight_0_10"
            ),
            models.CheckConstraint(
                condition=Q(low__isnull=True, high__isnull=True)
                | Q(
                    value__isnull=False,
                    low__isnull=False,
                    high__isnull=False,
                    low__lte=F("value"),
                    high__gte=F("value"),
                    high__lte=10,
                ),
                name="score_range_around_value",
                violation_error_message="A range needs a score, and low ≤ score ≤ high.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.value}"
