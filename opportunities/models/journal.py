"""Decisions taken on opportunities, and the reminders to revisit them."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from opportunities.models.base import OwnedManager
from opportunities.models.pipeline import Opportunity
from opportunities.models.scoring import Evaluation


class DecisionChoice(models.TextChoices):
    PURSUE = "pursue", "Pursue it"
    ACCEPT = "accept", "Accept"
    DECLINE = "decline", "Decline"
    WITHDRAW = "withdraw", "Withdraw"


class GutCheck(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNSURE = "unsure", "Unsure"


class Outcome(models.TextChoices):
    OFFER = "offer", "Offer made"
    NOT_SELECTED = "not_selected", "Not selected (someone else was hired)"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    WITHDREW = "withdrew", "Withdrew"
    NO_RESPONSE = "no_response", "No response"
    OTHER = "other", "Something else"


class Decision(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="decisions"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="decisions")
    evaluation = models.ForeignKey(Evaluation, on_delete=models.RESTRICT, related_name="decisions")
    choice = models.CharField("What I decided", max_length=16, choices=DecisionChoice)
    decided_on = models.DateField(default=timezone.localdate)
    confidence = models.PositiveSmallIntegerField(
        "Confidence (%)", default=50, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    rationale = models.TextField(blank=True, max_length=5000)
    gut_check = models.CharField(
        "Does the result feel right?", max_length=8, choices=GutCheck, blank=True
    )
    gut_check_reason = models.TextField("Why?", blank=True, max_length=2000)
    outcome = models.CharField(max_length=16, choices=Outcome, blank=True)
    outcome_on = models.DateField(null=True, blank=True)
    reflection = models.TextField("What I learned", blank=True, max_length=5000)
    revisit_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["-decided_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__lte=100), name="decision_confidence_0_100"
            ),
        ]
        indexes = [models.Index(fields=["owner", "-decided_on", "-id"])]

    def __str__(self) -> str:
        return f"{self.get_choice_display()} on {self.decided_on}"


class DecisionAlternative(models.Model):
    """An option a decision was weighed against, frozen with it: the status quo, a
    variant, another job. Its checkpoint keeps the scores and total it had then, so
    the journal can say what was chosen over what, and by how much."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="alternatives")
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200, help_text="The option's title when decided.")
    is_status_quo = models.BooleanField(default=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.RESTRICT, related_name="+")

    objects = OwnedManager()

    class Meta:
        ordering = ["-is_status_quo", "id"]

    def __str__(self) -> str:
        return self.title


class RevisitReminder(models.Model):
    """A reminder, sent once, that a decision is due for a revisit.

    Produced by ``manage.py send_revisit_reminders`` (cron or Django's tasks); the
    unique constraint makes repeated runs harmless.
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="reminders")
    due_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    objects = OwnedManager()

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "due_on"], name="one_reminder_per_due_date")
        ]

    def __str__(self) -> str:
        return f"Revisit reminder for decision {self.decision_id} due {self.due_on}"
