"""Full-time or part-time agrees with the hours a week: "Full-time (20 h/week)" is refused
with a question, and the form keeps what was typed."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from opportunities.accounts.queries import export_user_data
from opportunities.accounts.services import import_user_data
from opportunities.models import Opportunity, Schedule
from opportunities.pipeline.core import schedule_hours_problem
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

CREATE = reverse("opportunities:opportunity_create")
VALID = {
    "title": "Freelance again",
    "source": "other",
    "arrangement": "freelance",
    "schedule": "full_time",
    "hours_per_week": "",
    "stage": "lead",
}


@pytest.mark.parametrize(
    ("schedule", "hours", "problem"),
    [
        ("full_time", None, None),
        ("full_time", Decimal(30), None),
        ("full_time", Decimal(60), None),
        ("full_time", Decimal("29.5"), "Full-time at 29.5 h a week? Did you mean part-time?"),
        ("full_time", Decimal(20), "Full-time at 20 h a week? Did you mean part-time?"),
        ("part_time", None, "How many hours a week would this part-time role be?"),
        ("part_time", Decimal("0.5"), None),
        ("part_time", Decimal("39.5"), None),
        ("part_time", Decimal(40), "Part-time at 40 h a week? Did you mean full-time?"),
        ("part_time", Decimal(100), "Part-time at 100 h a week? Did you mean full-time?"),
    ],
)
def test_schedule_and_hours_must_agree(schedule, hours, problem):
    found = schedule_hours_problem(schedule, hours)
    assert (found is None) if problem is None else found.startswith(problem)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"hours_per_week": "20"},
            "Full-time at 20 h a week? Did you mean part-time? A full-time week is 30 hours "
            "or more; leave the hours empty for an ordinary one.",
        ),
        (
            {"schedule": "part_time", "hours_per_week": "45"},
            "Part-time at 45 h a week? Did you mean full-time?",
        ),
        ({"schedule": "part_time"}, "How many hours a week would this part-time role be?"),
    ],
)
def test_a_schedule_that_contradicts_its_hours_is_refused_with_the_form_kept(
    client_in, changes, message
):
    data = VALID | changes
    response = client_in.post(CREATE, data)
    assert response.status_code == 200
    assert message in response.text
    assert 'value="Freelance again"' in response.text
    if data["hours_per_week"]:
        assert f'value="{data["hours_per_week"]}"' in response.text
    assert not Opportunity.objects.exists()


@pytest.mark.parametrize(
    ("schedule", "hours", "saved"),
    [("full_time", "", None), ("full_time", "37.5", Decimal("37.5")), ("part_time", "20", 20)],
)
def test_agreeing_schedules_and_hours_are_saved(client_in, user, schedule, hours, saved):
    response = client_in.post(CREATE, VALID | {"schedule": schedule, "hours_per_week": hours})
    assert response.status_code == 302
    opportunity = Opportunity.objects.get(owner=user)
    assert (opportunity.schedule, opportunity.hours_per_week) == (schedule, saved)


def test_editing_an_old_full_time_at_20_hours_asks_to_fix_it(client_in, user):
    old = OpportunityFactory(owner=user, schedule=Schedule.FULL_TIME, hours_per_week=20)
    response = client_in.post(
        reverse("opportunities:opportunity_edit", args=[old.pk]),
        VALID | {"title": old.title, "hours_per_week": "20"},
    )
    assert "Did you mean part-time?" in response.text
    response = client_in.post(
        reverse("opportunities:opportunity_edit", args=[old.pk]),
        VALID | {"title": old.title, "schedule": "part_time", "hours_per_week": "20"},
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.schedule == Schedule.PART_TIME


def test_an_export_made_before_the_rule_still_imports(user):
    """The rule is the form's: an old "Full-time at 20 h" comes back as it was, to be
    fixed on its edit page, rather than making a whole export unimportable."""
    OpportunityFactory(owner=user, title="Old", schedule=Schedule.FULL_TIME, hours_per_week=20)
    exported = json.loads(json.dumps(export_user_data(user)))
    fresh = UserFactory()
    assert import_user_data(fresh, exported)["opportunities"] == 1
    imported = Opportunity.objects.get(owner=fresh)
    assert (imported.schedule, imported.hours_per_week) == (Schedule.FULL_TIME, 20)


def test_the_demo_story_keeps_to_the_rule():
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    for opportunity in Opportunity.objects.all():
        assert schedule_hours_problem(opportunity.schedule, opportunity.hours_per_week) is None
