"""Opportunities, and the dated steps of their pipeline."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from opportunities.models.base import OwnedManager
from opportunities.models.pay import PayBasis


class Source(models.TextChoices):
    INFORMATIONAL_INTERVIEW = "informational_interview", "Informational interview"
    SOCIAL_MEDIA = "social_media", "Social media"
    REFERRAL = "referral", "Referral"
    JOB_BOARD = "job_board", "Job board"
    RECRUITER = "recruiter", "Recruiter"
    DIRECT_APPROACH = "direct_approach", "Direct approach"
    OTHER = "other", "Other"


class Arrangement(models.TextChoices):
    EMPLOYEE = "employee", "Employee"
    CONTRACTOR = "contractor", "Subcontractor / contractor"
    FREELANCE = "freelance", "Freelance"
    IN_TRANSITION = "transition", "In transition / between things"


class Schedule(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"


class Workplace(models.TextChoices):
    ONSITE = "onsite", "On site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class Stage(models.TextChoices):
    NOW = "now", "Now"  # the status quo's, and only its
    LEAD = "lead", "Lead"
    INFORMATIONAL_INTERVIEW = "informational_interview", "Informational interview"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


FINAL_STAGES = (Stage.ACCEPTED, Stage.DECLINED, Stage.NOT_SELECTED, Stage.WITHDRAWN)
"""Stages after which an opportunity is closed: off the open lists, still in the journal."""


class Opportunity(models.Model):
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="opportunities"
    )
    title = models.CharField("Title or role", max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    contact = models.CharField(
        max_length=200, blank=True, help_text="Who you are in touch with, and how to reach them."
    )
    source = models.CharField("How it arose", max_length=32, choices=Source, default=Source.OTHER)
    arrangement = models.CharField(max_length=16, choices=Arrangement, default=Arrangement.EMPLOYEE)
    schedule = models.CharField(
        "Hours", max_length=16, choices=Schedule, default=Schedule.FULL_TIME
    )
    hours_per_week = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal(100))],
    )
    location = models.CharField(max_length=200, blank=True)
    workplace = models.CharField(max_length=16, choices=Workplace, blank=True)
    stage = models.CharField(max_length=32, choices=Stage, default=Stage.LEAD)
    notes = models.TextField(blank=True, max_length=5000)
    is_status_quo = models.BooleanField(
        "This is how things are now (the status quo)",
        default=False,
        help_text='"Stay as I am": the option every other one is compared with.',
    )
    archived_at = models.DateTimeField(null=True, blank=True)

    # Where it came from, who is in it, and what it is a version of.
    arose_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_to",
        verbose_name="Arose from (an opportunity)",
    )
    arose_from_person = models.ForeignKey(
        "opportunities.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_to",
        verbose_name="Arose from (a person)",
    )
    variant_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="variants",
        help_text="The same job on other terms (as employee or as subcontractor, another rate).",
    )
    contacts = models.ManyToManyField(
        "opportunities.Person", blank=True, related_name="opportunities"
    )
    follow_up_on = models.DateField(
        "Follow up on",
        null=True,
        blank=True,
        help_text="A day to chase it up; it shows with the revisits due.",
    )

    # Compensation, made comparable by opportunities.pay.core (values match its constants).
    pay_basis = models.CharField(max_length=16, choices=PayBasis, blank=True)
    pay_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    currency = models.CharField(max_length=3, blank=True)
    exchange_rate = models.DecimalField(max_digits=12, decimal_places=6, default=Decimal(1))
    paid_weeks_per_year = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    paid_time_off_days = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)
    benefits_amount = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    benefits_percent = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    overhead_share = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    utilisation = models.DecimalField(max_digits=4, decimal_places=3, null=True, blank=True)
    project_weeks = models.DecimalField(max_digits=5, decimal_places=1, null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        verbose_name_plural = "opportunities"
        ordering = ["-is_status_quo", "-updated_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner"],
                condition=Q(is_status_quo=True),
                name="one_status_quo_per_owner",
                violation_error_message="You already have a status quo opportunity.",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__isnull=True)
                | Q(hours_per_week__gt=0, hours_per_week__lte=100),
                name="opportunity_hours_in_range",
            ),
        ]
        indexes = [models.Index(fields=["owner", "archived_at"])]

    def __str__(self) -> str:
        if self.organisation:
            return f"{self.title} at {self.organisation}"
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opportunities:opportunity_detail", args=[self.pk])

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    @property
    def is_closed(self) -> bool:
        """Its stage is final: off the open lists, still in the journal; reopenable."""
        return self.stage in FINAL_STAGES


class StageChange(models.Model):
    """One dated step in an opportunity's pipeline."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=32, choices=Stage, blank=True)
    to_stage = models.CharField(max_length=32, choices=Stage)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = OwnedManager()

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"
