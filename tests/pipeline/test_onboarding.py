"""The first-run path and the help page: what a new account sees before it has any data."""

from __future__ import annotations

from django.urls import reverse

from opportunities.models import Opportunity
from tests.factories import OpportunityFactory

DASHBOARD = reverse("opportunities:dashboard")
CREATE = reverse("opportunities:opportunity_create")
HELP = reverse("opportunities:help")


def test_first_visit_explains_the_matrix_and_the_starting_criteria(
    client_in, django_assert_max_num_queries
):
    with django_assert_max_num_queries(9):  # 8, and the check-ins due
        response = client_in.get(DASHBOARD)
    html = response.text
    assert "A decision matrix scores each option" in html
    assert 'data-testid="starting-criteria"' in html
    assert "The 7 criteria you start with" in html
    assert "How well the work and the organisation match what you care about." in html
    assert f'href="{CREATE}"' in html
    assert f'href="{CREATE}?status_quo=1"' in html
    assert f'href="{HELP}"' in html


def test_once_there_is_an_opportunity_the_dashboard_asks_for_the_status_quo(client_in, user):
    OpportunityFactory(owner=user)
    html = client_in.get(DASHBOARD).text
    assert 'data-testid="onboarding"' not in html
    assert 'data-testid="add-status-quo"' in html

    OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    assert 'data-testid="add-status-quo"' not in client_in.get(DASHBOARD).text


def test_add_the_status_quo_prefills_the_form(client_in):
    response = client_in.get(CREATE, {"status_quo": "1"})
    form = response.context["form"]
    assert form["title"].value() == "Stay as I am"
    assert form["is_status_quo"].value() is True
    assert "<title>Add the status quo · Crossroads</title>" in response.text
    assert 'data-testid="status-quo-intro"' in response.text

    plain = client_in.get(CREATE)
    assert plain.context["form"]["title"].value() is None
    assert "<title>Add an opportunity · Crossroads</title>" in plain.text


def test_the_status_quo_link_posts_like_any_other_form(client_in, user):
    response = client_in.post(
        f"{CREATE}?status_quo=1",
        {
            "title": "Stay as I am",
            "source": "other",
            "arrangement": "freelance",
            "schedule": "part_time",
            "hours_per_week": "30",
            "stage": "lead",
            "is_status_quo": "on",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    assert Opportunity.objects.get(owner=user).is_status_quo


def test_help_is_public_and_explains_each_idea(db, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        response = client.get(HELP)
    assert response.status_code == 200
    assert "<title>How Crossroads works · Crossroads</title>" in response.text
    for section in ("score", "must-haves", "sensitivity", "pay", "checkpoints"):
        assert f'id="{section}"' in response.text
    assert "within 5 points" in response.text
    assert reverse("signup") in response.text


def test_help_for_a_signed_in_user_leads_back_to_their_opportunities(client_in):
    html = client_in.get(HELP).text
    assert 'aria-current="page"' in html
    assert "Back to your opportunities" in html
    assert client_in.post(HELP).status_code == 405
