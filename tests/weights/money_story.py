"""A small story for weights in money and hours, and for the gut fit (shared by the view and
browser tests of tests/weights and tests/browser/test_money.py).

The default criteria weigh Values fit 8, Pay 7, Personal growth 6, Professional
development 6, Daily & weekly life 8, Employee vs. subcontractor 4, Gut feeling 7. With a
pay floor of USD 40,000 and a target of USD 80,000 a point of Pay is USD 4,000 a year, a
point of growth 6/7 of that (USD 3,428.57: "USD 3,400", 1.7 hours of a 40-hour week) and
a point of daily life 8/7 (USD 4,571.43).

Agency role and Stay as I am differ on two criteria only: growth 9 against 6 (the
agency's lead, +3: USD 10,285.71, "USD 10,300", 5.1 hours) and daily life 4 against 8
(staying's lead, +4: USD 18,285.71, "USD 18,300", 9.1 hours). Altogether staying is ahead
by USD 8,000 (4.0 hours), and it leads the ranking. Startup scores growth 10, life 2.
"""

from __future__ import annotations

import html
import re
from decimal import Decimal

from django.urls import reverse

from opportunities.models import Criterion, Opportunity, Profile
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

COMPARE = reverse("opportunities:compare")
CRITERIA = reverse("opportunities:criteria")
GROWTH, LIFE = "Personal growth", "Daily & weekly life"
LEVEL = {"Values fit": 5, "Professional development": 5, "Gut feeling": 5}


def set_pay_scale(user, floor: int | None = 40_000, target: int | None = 80_000) -> Profile:
    profile, _ = Profile.objects.update_or_create(
        owner=user,
        defaults={
            "pay_floor": None if floor is None else Decimal(floor),
            "pay_target": None if target is None else Decimal(target),
            "currency": "USD",
        },
    )
    return profile


def by_name(user) -> dict[str, Criterion]:
    return {c.name: c for c in Criterion.objects.filter(owner=user, archived_at__isnull=True)}


def score(opportunity: Opportunity, values: dict[str, int]) -> None:
    criteria = by_name(opportunity.owner_id)
    for name, value in values.items():
        save_score(opportunity=opportunity, criterion=criteria[name], value=value)


def money_story(user) -> tuple[Opportunity, Opportunity, Opportunity]:
    set_pay_scale(user)
    agency = OpportunityFactory(owner=user, title="Agency role")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    startup = OpportunityFactory(owner=user, title="Startup")
    score(agency, LEVEL | {GROWTH: 9, LIFE: 4})
    score(stay, LEVEL | {GROWTH: 6, LIFE: 8})
    score(startup, LEVEL | {GROWTH: 10, LIFE: 2})
    return agency, stay, startup


def compare_url(*opportunities, **params) -> str:
    query = "&".join(
        [f"ids={','.join(str(o.pk) for o in opportunities)}"]
        + [f"{key}={value}" for key, value in params.items()]
    )
    return f"{COMPARE}?{query}"


def text(content: str) -> str:
    """What a reader sees: tags dropped, entities read, spaces collapsed."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", content)))
