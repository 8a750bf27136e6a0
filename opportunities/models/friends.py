"""Asking friends: a round of personal links, and the ratings friends give through them.

A round asks about one opportunity or several (a comparison) and says what the friends
may see; each friend gets one link of their own. A link is a random token the friend
holds: only its SHA-256 hash is stored, so a copy of the database opens no one's page.
Friends answer blind (the owner's scores are never shown before they have answered),
and may change their answer until the link expires, is revoked, or the round closes.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from opportunities.models.base import OwnedManager
from opportunities.models.criteria import Criterion
from opportunities.models.journal import GutCheck
from opportunities.models.people import Person
from opportunities.models.pipeline import Opportunity


class FriendRound(models.Model):
    """One question put to friends: what they think of these options, seeing this much."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_rounds"
    )
    opportunities = models.ManyToManyField(Opportunity, related_name="friend_rounds")
    message = models.TextField(
        "A note to your friends",
        blank=True,
        max_length=2000,
        help_text="Shown at the top of their page: what you are deciding, what you'd like.",
    )
    share_description = models.BooleanField(
        "The description and the notes on its timeline", default=True
    )
    share_meanings = models.BooleanField("What 0 and 10 mean for each criterion", default=True)
    share_pay = models.BooleanField("The pay", default=False)
    share_scores = models.BooleanField(
        "My own scores, once they have answered",
        default=False,
        help_text="Never before: a friend who sees your scores first tends to echo them.",
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]

    def __str__(self) -> str:
        return f"Asking friends, round {self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


class FriendInvitation(models.Model):
    """One friend's personal link within a round."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    round = models.ForeignKey(FriendRound, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitations"
    )
    name = models.CharField("Their name", max_length=120)
    email = models.EmailField(blank=True, max_length=254)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "person"],
                condition=Q(person__isnull=False),
                name="one_link_per_person_per_round",
                violation_error_message="This person already has a link in this round.",
            ),
            models.UniqueConstraint(
                fields=["round", "name"],
                name="one_link_per_name_per_round",
                violation_error_message="Someone of this name already has a link in this round.",
            ),
        ]

    def __str__(self) -> str:
        return f"Link for {self.name}"


class FriendAnswer(models.Model):
    """What one friend said about one opportunity of the round: their gut, and (in
    ``scores``) a rating per criterion."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    invitation = models.ForeignKey(
        FriendInvitation, on_delete=models.CASCADE, related_name="answers"
    )
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="friend_answers"
    )
    gut = models.CharField(
        "Would you take it in my place?", max_length=8, choices=GutCheck, blank=True
    )
    gut_reason = models.TextField("Why?", blank=True, max_length=1000)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["invitation", "opportunity"]
        constraints = [
            models.UniqueConstraint(
                fields=["invitation", "opportunity"], name="one_answer_per_friend_per_option"
            ),
        ]

    def __str__(self) -> str:
        return f"Answer {self.pk}"


class FriendScore(models.Model):
    """A friend's rating of one criterion: a score, or "I can't say", and a comment."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    answer = models.ForeignKey(FriendAnswer, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.CASCADE, related_name="+")
    value = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)]
    )
    cant_say = models.BooleanField("I can't say", default=False)
    comment = models.CharField(blank=True, max_length=500)

    objects = OwnedManager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["answer", "criterion"], name="one_friend_score_per_criterion"
            ),
            models.CheckConstraint(
                condition=Q(value__isnull=True) | Q(value__lte=10), name="friend_score_0_10"
            ),
            models.CheckConstraint(
                condition=Q(cant_say=False) | Q(value__isnull=True),
                name="friend_cant_say_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return "can't say" if self.cant_say else f"{self.value}"
