"""The dated story of an opportunity: what happened between the scores."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from opportunities.models.base import OwnedManager
from opportunities.models.journal import Decision
from opportunities.models.learning import CheckIn
from opportunities.models.people import Person
from opportunities.models.pipeline import Opportunity, StageChange
from opportunities.models.questions import Question
from opportunities.models.scoring import Evaluation


class EntryKind(models.TextChoices):
    NOTE = "note", "Note"
    CONVERSATION = "conversation", "Conversation"
    MEETING = "meeting", "Meeting or interview"
    MESSAGE = "message", "Message"
    REFLECTION = "reflection", "Reflection"
    # Written by the app as they happen (and back-datable): a stage move, a checkpoint,
    # a decision and its outcome, a friend's score adopted, a question asked or answered.
    STAGE = "stage", "Stage change"
    CHECKPOINT = "checkpoint", "Checkpoint"
    DECISION = "decision", "Decision"
    OUTCOME = "outcome", "Outcome"
    FRIENDS = "friends", "Friends' view"
    QUESTION = "question", "Question"
    CHECK_IN = "check_in", "Check-in"


WRITTEN_BY_HAND = (
    EntryKind.NOTE,
    EntryKind.CONVERSATION,
    EntryKind.MEETING,
    EntryKind.MESSAGE,
    EntryKind.REFLECTION,
)
"""The kinds a person adds themselves; the others follow what the app records."""


class TimelineEntry(models.Model):
    """One dated entry in an opportunity's story. Entries the app writes (a stage move,
    a checkpoint, a decision, its outcome) point at what they record."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(max_length=16, choices=EntryKind, default=EntryKind.NOTE)
    happened_on = models.DateField("When", default=timezone.localdate)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=5000)
    person = models.ForeignKey(
        Person,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name="With whom",
    )
    stage_change = models.ForeignKey(
        StageChange, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    check_in = models.ForeignKey(
        CheckIn, on_delete=models.CASCADE, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        verbose_name_plural = "timeline entries"
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["opportunity", "-happened_on", "-id"]),
            models.Index(fields=["owner", "person"]),
        ]

    def __str__(self) -> str:
        return f"{self.happened_on}: {self.title}"

    @property
    def is_written_by_hand(self) -> bool:
        """Added by the person (a note, a conversation...), not written by the app as a
        stage move, checkpoint, decision or outcome was recorded."""
        return self.kind in WRITTEN_BY_HAND
