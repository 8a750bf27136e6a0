"""An opportunity's story starts on the day it began, and a stage step moves with its entry."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from opportunities.models import EntryKind, Opportunity, StageChange
from opportunities.timeline.services import update_entry
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

FORM = {"source": "other", "arrangement": "employee", "schedule": "full_time", "stage": "lead"}


@pytest.mark.parametrize("htmx", [False, True])
def test_a_new_opportunity_starts_its_story_on_the_day_it_began(client_in, user, htmx):
    began = timezone.localdate() - timedelta(days=200)
    response = client_in.post(
        reverse("opportunities:opportunity_create"),
        FORM | {"title": "Part-time strategist", "started_on": began.isoformat()},
        headers={"HX-Request": "true"} if htmx else {},
    )
    assert response.status_code in (200, 302)
    opportunity = Opportunity.objects.for_user(user).get()
    first = opportunity.timeline.get(kind=EntryKind.STAGE)
    assert first.happened_on == began
    change = StageChange.objects.get(opportunity=opportunity)
    assert timezone.localdate(change.changed_at) == began


def test_since_when_left_empty_is_today(client_in, user):
    client_in.post(reverse("opportunities:opportunity_create"), FORM | {"title": "Today's lead"})
    opportunity = Opportunity.objects.for_user(user).get()
    assert opportunity.timeline.get().happened_on == timezone.localdate()


@pytest.mark.parametrize("day", ["1999-12-31", "2999-01-01", "2025-02-30", "x" * 500])
def test_since_when_out_of_any_sense_is_refused_with_the_form_kept(client_in, user, day):
    response = client_in.post(
        reverse("opportunities:opportunity_create"), FORM | {"title": "Kept", "started_on": day}
    )
    assert response.status_code == 200
    assert 'value="Kept"' in response.text
    assert not Opportunity.objects.for_user(user).exists()


def test_an_opportunity_being_edited_is_not_asked_since_when(client_in, user):
    opportunity = OpportunityFactory(owner=user)
    response = client_in.get(reverse("opportunities:opportunity_edit", args=[opportunity.pk]))
    assert "started_on" not in response.text


def test_moving_a_stage_entrys_date_moves_the_step_it_records(user):
    opportunity = OpportunityFactory(owner=user)
    entry = opportunity.timeline.get(kind=EntryKind.STAGE)
    entry.happened_on = date(2025, 3, 18)
    update_entry(entry=entry)
    change = StageChange.objects.get(opportunity=opportunity)
    assert timezone.localdate(change.changed_at) == date(2025, 3, 18)
