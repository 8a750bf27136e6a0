"""Crossroads' data: opportunities, the criteria they are weighed on, their
evaluations (live and frozen checkpoints), and the decisions taken on them.

Every row carries its owner, and every query starts from ``for_user`` so another
person's data is never within reach of a view.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

SCORE_RANGE = [MinValueValidator(0), MaxValueValidator(10)]


class OwnedQuerySet(models.QuerySet):
    def for_user(self, user) -> OwnedQuerySet:
        return self.filter(owner=user)


class OwnedManager(models.Manager.from_queryset(OwnedQuerySet)):
    """Hands out querysets that, in tests, raise on any lazy load (N+1 guard)."""

    def get_queryset(self) -> OwnedQuerySet:
        queryset = super().get_queryset()
        if settings.FETCH_MODE_RAISE:
            queryset = queryset.fetch_mode(models.FETCH_RAISE)
        return queryset


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


class Schedule(models.TextChoices):
    FULL_TIME = "full_time", "Full-time"
    PART_TIME = "part_time", "Part-time"


class Workplace(models.TextChoices):
    ONSITE = "onsite", "On site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class Stage(models.TextChoices):
    LEAD = "lead", "Lead"
    INFORMATIONAL_INTERVIEW = "informational_interview", "Informational interview"
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Declined"
    NOT_SELECTED = "not_selected", "Not selected"
    WITHDRAWN = "withdrawn", "Withdrawn"


class PayBasis(models.TextChoices):
    ANNUAL = "annual", "Annual salary"
    MONTHLY = "monthly", "Monthly"
    HOURLY = "hourly", "Hourly rate"
    DAILY = "daily", "Daily rate"
    PROJECT = "project", "Fixed price per project"


class Profile(models.Model):
    """A user's own settings: currency, pay floor and target, pay assumptions."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    currency = models.CharField(max_length=3, default="USD")
    pay_floor = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    pay_target = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    full_time_hours_per_week = models.DecimalField(
        max_digits=5, decimal_places=2, default=Decimal(40)
    )
    billable_hours_per_year = models.DecimalField(
        max_digits=6, decimal_places=1, default=Decimal(1800)
    )
    contractor_overhead_share = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.25")
    )
    employee_benefits_share = models.DecimalField(
        max_digits=4, decimal_places=3, default=Decimal("0.30")
    )
    employee_paid_time_off_days = models.DecimalField(
        max_digits=4, decimal_places=1, default=Decimal(25)
    )
    hours_per_day = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal(8))
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

    # Compensation, made comparable by opportunities.pay (values match its constants).
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

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


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


class EvaluationQuerySet(OwnedQuerySet):
    def live(self) -> EvaluationQuerySet:
        return self.filter(frozen_at__isnull=True)

    def checkpoints(self) -> EvaluationQuerySet:
        return self.filter(frozen_at__isnull=False)


class EvaluationManager(OwnedManager.from_queryset(EvaluationQuerySet)):
    pass


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
        ]

    def __str__(self) -> str:
        return f"{self.value}"


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


class GutRanking(models.Model):
    """The order a user put a set of opportunities in by feel, before seeing the matrix."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    selection = models.CharField(max_length=500, help_text="Sorted opportunity ids, '-'-joined.")
    order = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "selection", "-created_at"])]

    def __str__(self) -> str:
        return f"Gut ranking of {self.selection}"


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
