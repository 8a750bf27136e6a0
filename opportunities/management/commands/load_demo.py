"""Create the demo account with the story Crossroads was born from (idempotent)."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from opportunities.accounts.services import sign_up
from opportunities.compare.services import save_gut_ranking
from opportunities.criteria.services import update_criterion
from opportunities.journal.services import record_decision, update_outcome
from opportunities.models import (
    Criterion,
    Decision,
    DecisionChoice,
    GutCheck,
    Opportunity,
    Outcome,
    Profile,
)
from opportunities.pay.services import save_pay_settings
from opportunities.pipeline.services import create_opportunity
from opportunities.scoring.services import save_checkpoint, save_score

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "crossroads-demo"  # noqa: S105 - a published demo login, local use only

# Scores per criterion name, for each of the story's three options. Pay and "Employee vs.
# subcontractor" are left out: they are derived from each option's pay and arrangement
# under PAY_SETTINGS.
PAY_SETTINGS: dict[str, Any] = {
    "currency": "USD",
    "pay_floor": Decimal(30_000),
    "pay_target": Decimal(70_000),
    "employee_preference": 4,
    "contractor_preference": 9,
    "freelance_preference": 9,
}
STORY: list[dict[str, Any]] = [
    {
        "fields": {
            "title": "Part-time content strategist",
            "organisation": "Brightwater Marketing (fictional)",
            "contact": "The founder, met in an informational interview",
            "source": "informational_interview",
            "arrangement": "employee",
            "schedule": "part_time",
            "hours_per_week": Decimal(24),
            "workplace": "hybrid",
            "stage": "interviewing",
            "notes": (
                "Met the founder in an informational interview months ago. A mention on "
                "social media led them to my blog, and they invited me to interview."
            ),
            "pay_basis": "annual",
            "pay_amount": Decimal(42000),
            "benefits_percent": Decimal(10),
            "paid_time_off_days": Decimal(15),
        },
        "scores": {
            "Values fit": 8,
            "Personal growth": 7,
            "Professional development": 8,
            "Daily & weekly life": 6,
            "Gut feeling": 8,
        },
        # Before talking it over with friends (saved as the first checkpoint).
        "first_impression": {
            "Values fit": 7,
            "Professional development": 6,
            "Daily & weekly life": 4,
            "Gut feeling": 6,
        },
    },
    {
        "fields": {
            "title": "Stay as I am",
            "organisation": "Freelance writing, a few clients",
            "source": "other",
            "arrangement": "freelance",
            "schedule": "part_time",
            "hours_per_week": Decimal(20),
            "workplace": "remote",
            "stage": "lead",
            "is_status_quo": True,
            "pay_basis": "hourly",
            "pay_amount": Decimal(60),
        },
        "scores": {
            "Values fit": 6,
            "Personal growth": 4,
            "Professional development": 4,
            "Daily & weekly life": 8,
            "Gut feeling": 5,
        },
    },
    {
        "fields": {
            "title": "Return to full-time freelancing",
            "organisation": "Own practice",
            "source": "direct_approach",
            "arrangement": "contractor",
            "schedule": "full_time",
            "workplace": "remote",
            "stage": "lead",
            "pay_basis": "hourly",
            "pay_amount": Decimal(65),
        },
        "scores": {
            "Values fit": 7,
            "Personal growth": 5,
            "Professional development": 5,
            "Daily & weekly life": 4,
            "Gut feeling": 5,
        },
    },
]


class Command(BaseCommand):
    help = "Create the demo user and the story from DESIGN.md. Safe to run repeatedly."

    def handle(self, *args, **options) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(username=DEMO_USERNAME).exists():
            self.stdout.write("Demo data already loaded.")
        else:
            self._create()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write(f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}")

    @transaction.atomic
    def _create(self) -> None:
        user = sign_up(username=DEMO_USERNAME, password=DEMO_PASSWORD)
        save_pay_settings(profile=Profile(owner=user, **PAY_SETTINGS))
        criteria = {c.name: c for c in Criterion.objects.for_user(user)}
        daily_life = criteria["Daily & weekly life"]
        daily_life.minimum = 4
        update_criterion(criterion=daily_life)
        opportunities = []
        for option in STORY:
            opportunity = create_opportunity(user=user, opportunity=Opportunity(**option["fields"]))
            first_impression = option.get("first_impression", {})
            for name, value in (option["scores"] | first_impression).items():
                save_score(opportunity=opportunity, criterion=criteria[name], value=value)
            if first_impression:
                save_checkpoint(opportunity=opportunity, label="After the informational interview")
                for name, value in option["scores"].items():
                    save_score(opportunity=opportunity, criterion=criteria[name], value=value)
            opportunities.append(opportunity)
        # By feel, before seeing the matrix: the role first, staying as I am last.
        role, stay, freelancing = opportunities
        save_gut_ranking(user=user, order=[role.pk, freelancing.pk, stay.pk])
        self._decide_and_look_back(role)

    def _decide_and_look_back(self, opportunity: Opportunity) -> None:
        """The end of the story: weigh it, decide to go for it, someone else is hired,
        and it still counts as a success."""
        today = timezone.localdate()
        decision = record_decision(
            opportunity=opportunity,
            decision=Decision(
                choice=DecisionChoice.PURSUE,
                decided_on=today - timedelta(days=10),
                confidence=75,
                rationale=(
                    "After talking it over with friends: the values fit and what I would "
                    "learn outweigh the pay, and part-time leaves room for my own work."
                ),
                gut_check=GutCheck.YES,
                gut_check_reason="I wasn't looking for a job, and I still want this one.",
            ),
        )
        decision.outcome = Outcome.NOT_SELECTED
        decision.outcome_on = today - timedelta(days=7)
        decision.reflection = (
            "Three days later the founder told me she had hired someone else. Still a "
            "success: weighing it showed me that values and growth matter more to me than "
            "pay, and that a part-time employee role could work alongside freelancing."
        )
        update_outcome(decision=decision, previous_outcome="")
