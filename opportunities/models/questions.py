"""Questions to find out: what would settle an uncertain score, asked on an opportunity
until it is answered."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from opportunities.models.base import OwnedManager
from opportunities.models.criteria import Criterion
from opportunities.models.pipeline import Opportunity


class Question(models.Model):
    """Something to find out about an opportunity ("How fast do people grow there?"),
    usually the uncertain score that would settle most of the decision. Answering it is
    the moment to re-score that criterion and narrow its range."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="questions"
    )
    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="questions")
    criterion = models.ForeignKey(
        Criterion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    text = models.CharField("Question", max_length=300)
    asked_on = models.DateField(default=timezone.localdate)
    answer = models.TextField("What I found out", blank=True, max_length=2000)
    answered_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["answered_on", "-asked_on", "-id"]
        indexes = [models.Index(fields=["opportunity", "answered_on"])]

    def __str__(self) -> str:
        return self.text

    @property
    def is_open(self) -> bool:
        return self.answered_on is None
