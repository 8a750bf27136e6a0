"""The people in a decision: friends, mentors, contacts at a company."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from opportunities.models.base import OwnedManager


class Relationship(models.TextChoices):
    FRIEND = "friend", "Friend"
    FAMILY = "family", "Family"
    MENTOR = "mentor", "Mentor"
    COLLEAGUE = "colleague", "Colleague"
    CONTACT = "contact", "Contact at a company"
    RECRUITER = "recruiter", "Recruiter"
    OTHER = "other", "Other"


class Person(models.Model):
    """Someone in the story of a decision: whom a conversation was with, whom an
    opportunity arose from, whom to check in with."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="people"
    )
    name = models.CharField(max_length=120)
    relationship = models.CharField(max_length=16, choices=Relationship, default=Relationship.OTHER)
    email = models.EmailField(blank=True, max_length=254)
    notes = models.TextField(blank=True, max_length=5000)
    follow_up_on = models.DateField(
        "Follow up on",
        null=True,
        blank=True,
        help_text="A day to check in with them; it shows with the revisits due.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        verbose_name_plural = "people"
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["owner", "name"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("opportunities:person_detail", args=[self.pk])
