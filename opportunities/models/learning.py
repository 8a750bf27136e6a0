"""Learning from one's own decisions: the commit step, forecasts, check-ins, and the
private calendar feed that carries their dates."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from opportunities.models.base import SCORE_RANGE, OwnedManager
from opportunities.models.journal import Decision


class Quality(models.TextChoices):
    WEAK = "weak", "Weak"
    OK = "ok", "OK"
    STRONG = "strong", "Strong"


class Door(models.TextChoices):
    ONE_WAY = "one_way", "A one-way door: hard to undo"
    TWO_WAY = "two_way", "A two-way door: I can turn back"


class Commitment(models.Model):
    """The commit step of a decision: how good the decision was as a decision (six
    questions after Spetzler's decision quality), how reversible it is, and what the
    matrix, the gut and friends foresaw when it was taken (``predictors``, frozen)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    decision = models.OneToOneField(Decision, on_delete=models.CASCADE, related_name="commitment")
    frame = models.CharField("The right frame?", max_length=8, choices=Quality, blank=True)
    alternatives = models.CharField(
        "Real alternatives, staying as I am included?", max_length=8, choices=Quality, blank=True
    )
    information = models.CharField(
        "The information that matters?", max_length=8, choices=Quality, blank=True
    )
    values = models.CharField("Clear values?", max_length=8, choices=Quality, blank=True)
    reasoning = models.CharField("Sound reasoning?", max_length=8, choices=Quality, blank=True)
    commitment = models.CharField("Committed to act?", max_length=8, choices=Quality, blank=True)
    door = models.CharField("Reversibility", max_length=8, choices=Door, blank=True)
    change_cost = models.CharField("The cost of changing course", max_length=300, blank=True)
    predictors = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the matrix, the gut and friends foresaw when deciding (learning.core).",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"Commit step of decision {self.decision_id}"


class PremortemReason(models.Model):
    """ "It is a year later and this went badly — why?": one reason."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="premortem")
    reason = models.CharField(max_length=300)
    in_my_control = models.BooleanField("Mine to control", default=False)
    position = models.PositiveSmallIntegerField(default=0)

    objects = OwnedManager()

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.reason


class KillCriterion(models.Model):
    """ "If by <date> <condition>, I reconsider." Checked at a check-in on that date."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="kill_criteria")
    condition = models.CharField(max_length=300)
    check_on = models.DateField("By")
    triggered = models.BooleanField(null=True, blank=True)
    """None until checked; then whether the condition came true."""
    checked_on = models.DateField(null=True, blank=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["check_on", "id"]
        verbose_name_plural = "kill criteria"

    def __str__(self) -> str:
        return f"By {self.check_on}: {self.condition}"


class Resolution(models.TextChoices):
    TRUE = "true", "True"
    FALSE = "false", "False"
    UNKNOWN = "unknown", "Can't tell yet"


class Forecast(models.Model):
    """A probability frozen with a decision ("80 %: I'm still glad at 6 months"), later
    resolved true or false (or not yet) at a check-in."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="forecasts")
    statement = models.CharField(max_length=300)
    probability = models.PositiveSmallIntegerField(
        "Probability (%)", validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    template = models.CharField(max_length=24, blank=True, help_text="The suggestion it came from.")
    resolves_on = models.DateField(null=True, blank=True)
    resolution = models.CharField(max_length=8, choices=Resolution, blank=True)
    resolved_on = models.DateField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(probability__lte=100), name="forecast_probability_0_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.probability} %: {self.statement}"


class CheckInKind(models.TextChoices):
    MONTHS_3 = "3m", "3 months on"
    MONTHS_6 = "6m", "6 months on"
    MONTHS_12 = "12m", "12 months on"
    KILL = "kill", "Kill criterion"


class CheckIn(models.Model):
    """A dated look back at a decision: how it is going, which forecasts came true, and
    the chosen option re-scored against reality (``rescored``: ``{"<criterion id>":
    {"name", "expected", "lived"}}``)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="check_ins")
    kind = models.CharField(max_length=8, choices=CheckInKind)
    kill_criterion = models.ForeignKey(
        KillCriterion, on_delete=models.CASCADE, null=True, blank=True, related_name="check_ins"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    glad = models.PositiveSmallIntegerField(
        "Glad I did it (0-10)", null=True, blank=True, validators=SCORE_RANGE
    )
    how_it_goes = models.CharField("How is it going?", max_length=500, blank=True)
    rescored = models.JSONField(default=dict, blank=True)
    reminded_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OwnedManager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(glad__isnull=True) | Q(glad__lte=10), name="check_in_glad_0_10"
            ),
        ]
        indexes = [models.Index(fields=["owner", "done_on", "due_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} check-in of decision {self.decision_id}"


class CalendarFeed(models.Model):
    """A private iCalendar feed of the user's dates, reached by a secret URL. Only the
    token's SHA-256 is stored; renewing it makes a new token and the old URL dies."""

    owner = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = OwnedManager()

    def __str__(self) -> str:
        return f"Calendar feed of user {self.owner_id}"
