"""Create the demo account with the story Crossroads was born from (idempotent)."""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from opportunities import services
from opportunities.models import Criterion, Opportunity, Profile

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "crossroads-demo"  # noqa: S105 - a published demo login, local use only

# Scores per criterion name, for each of the story's three options. Pay and "Employee vs.
# subcontractor" are left out: they are derived from each option's pay and arrangement
# under PAY_SETTINGS.
PAY_SETTINGS = {
    "currency": "USD",
    "pay_floor": Decimal(30_000),
    "pay_target": Decimal(70_000),
    "employee_preference": 4,
    "contractor_preference": 9,
    "freelance_preference": 9,
}
STORY = [
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
        user = get_user_model().objects.create_user(DEMO_USERNAME, password=DEMO_PASSWORD)
        services.create_default_criteria(user)
        services.save_pay_settings(profile=Profile(owner=user, **PAY_SETTINGS))
        criteria = {c.name: c for c in Criterion.objects.for_user(user)}
        daily_life = criteria["Daily & weekly life"]
        daily_life.minimum = 4
        services.update_criterion(criterion=daily_life)
        for option in STORY:
            opportunity = services.create_opportunity(
                user=user, opportunity=Opportunity(**option["fields"])
            )
            for name, value in option["scores"].items():
                services.save_score(opportunity=opportunity, criterion=criteria[name], value=value)
