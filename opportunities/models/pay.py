"""A user's pay settings, and how an offer states its pay."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from opportunities.models.base import SCORE_RANGE, OwnedManager
from opportunities.pay.core import DEFAULT_ASSUMPTIONS


class PayBasis(models.TextChoices):
    ANNUAL = "annual", "Annual salary"
    MONTHLY = "monthly", "Monthly"
    HOURLY = "hourly", "Hourly rate"
    DAILY = "daily", "Daily rate"
    PROJECT = "project", "Fixed price per project"


class Profile(models.Model):
    """A user's own settings: currency, pay floor and target, pay assumptions (their
    defaults are ``pay.core.DEFAULT_ASSUMPTIONS``)."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    currency = models.CharField(max_length=3, default="USD")
    pay_floor = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    pay_target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    full_time_hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, default=DEFAULT_ASSUMPTIONS.full_time_hours_per_week
    )
    billable_hours_per_year = models.DecimalField(
        max_digits=6, decimal_places=1, default=DEFAULT_ASSUMPTIONS.billable_hours_per_year
    )
    contractor_overhead_share = models.DecimalField(
        max_digits=4, decimal_places=3, default=DEFAULT_ASSUMPTIONS.contractor_overhead_share
    )
    employee_benefits_share = models.DecimalField(
        max_digits=4, decimal_places=3, default=DEFAULT_ASSUMPTIONS.employee_benefits_share
    )
    employee_paid_time_off_days = models.DecimalField(
        max_digits=4, decimal_places=1, default=DEFAULT_ASSUMPTIONS.employee_paid_time_off_days
    )
    hours_per_day = models.DecimalField(
        max_digits=4, decimal_places=2, default=DEFAULT_ASSUMPTIONS.hours_per_day
    )
    employee_preference = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_RANGE
    )
    contractor_preference = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_RANGE
    )
    freelance_preference = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=SCORE_RANGE
    )

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"Settings of user {self.owner_id}"
