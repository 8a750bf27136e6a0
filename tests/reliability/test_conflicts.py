"""Two tabs editing the same thing: the second save is told, not silently applied."""

import pytest
from django.urls import reverse

from opportunities.models import Criterion, Opportunity
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db


def loaded_version(client, url: str) -> str:
    form = client.get(url).context["form"]
    return form.initial["loaded_version"]


def test_second_tab_saving_an_opportunity_sees_a_conflict(client_in, user):
    opportunity = OpportunityFactory(owner=user, title="Original")
    url = reverse("opportunities:opportunity_edit", args=[opportunity.pk])
    base = {"source": "other", "arrangement": "employee", "schedule": "full_time", "stage": "lead"}
    tab_one = loaded_version(client_in, url)
    tab_two = loaded_version(client_in, url)
    first = client_in.post(url, base | {"title": "From tab one", "loaded_version": tab_one})
    assert first.status_code == 302
    second = client_in.post(url, base | {"title": "From tab two", "loaded_version": tab_two})
    assert second.status_code == 200
    assert "changed in another tab or on another device" in second.text
    assert 'value="From tab two"' in second.text  # their input is kept
    opportunity.refresh_from_db()
    assert opportunity.title == "From tab one"
    # After reloading, the save goes through.
    third = client_in.post(
        url, base | {"title": "From tab two", "loaded_version": loaded_version(client_in, url)}
    )
    assert third.status_code == 302
    assert Opportunity.objects.get(pk=opportunity.pk).title == "From tab two"


def test_second_tab_saving_a_criterion_sees_a_conflict(client_in, criteria):
    gut = criteria[-1]
    url = reverse("opportunities:criterion_update", args=[gut.pk])
    version = gut.updated_at.isoformat()
    scale = {"low_meaning": gut.low_meaning, "high_meaning": gut.high_meaning}
    base = {"weight": gut.weight, "loaded_version": version} | scale
    assert client_in.post(url, base | {"name": "Instinct"}).status_code == 302
    second = client_in.post(url, base | {"name": "Hunch"})
    assert second.status_code == 200
    assert "changed in another tab or on another device" in second.text
    gut.refresh_from_db()
    assert gut.name == "Instinct"


def test_moving_a_weight_slider_does_not_make_the_row_form_conflict(
    client_in, criteria, htmx_headers
):
    gut = criteria[-1]
    version = gut.updated_at.isoformat()
    client_in.post(
        reverse("opportunities:criterion_weight", args=[gut.pk]),
        {"weight": "2"},
        headers=htmx_headers(),
    )
    response = client_in.post(
        reverse("opportunities:criterion_update", args=[gut.pk]),
        {
            "name": "Instinct",
            "weight": "2",
            "loaded_version": version,
            "low_meaning": gut.low_meaning,
            "high_meaning": gut.high_meaning,
        },
    )
    assert response.status_code == 302
    assert Criterion.objects.get(pk=gut.pk).name == "Instinct"
