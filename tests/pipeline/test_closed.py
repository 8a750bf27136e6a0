"""Closed is closed (issue 16, item 7): an opportunity at a final stage (accepted,
declined, not selected, withdrawn) leaves the open list and "Compare all open ones" on its
own, is listed as closed on the dashboard, stays in the journal, and can be reopened."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opportunities.journal.services import record_decision
from opportunities.models import Decision, Opportunity, StageChange
from opportunities.pipeline.core import stage_before_closing
from opportunities.pipeline.queries import closed_and_archived, open_opportunities
from opportunities.pipeline.services import move_stage, reopen_opportunity
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("opportunities:dashboard")
FINAL = ("accepted", "declined", "not_selected", "withdrawn")


def reopen(opportunity) -> str:
    return reverse("opportunities:opportunity_reopen", args=[opportunity.pk])


@pytest.fixture
def closed(user):
    """Interviewing, then not selected."""
    opportunity = OpportunityFactory(owner=user, title="Part-time strategist", stage="applied")
    move_stage(opportunity=opportunity, stage="interviewing")
    move_stage(opportunity=opportunity, stage="not_selected")
    return opportunity


# --- where reopening goes -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("steps", "current", "expected"),
    [
        ([("", "applied"), ("applied", "interviewing"), ("interviewing", "declined")],
         "declined", "interviewing"),
        # Closed, reopened, closed again: the last step into it counts.
        ([("", "offer"), ("offer", "declined"), ("declined", "applied"), ("applied", "declined")],
         "declined", "applied"),
        # From one final stage to another: back to a lead.
        ([("", "offer"), ("offer", "accepted"), ("accepted", "withdrawn")], "withdrawn", "lead"),
        ([("", "declined")], "declined", "lead"),  # added as closed
        ([], "declined", "lead"),
    ],
)  # fmt: skip
def test_reopening_goes_back_to_the_stage_it_left_to_close(steps, current, expected):
    assert stage_before_closing(steps, current=current, final=FINAL) == expected


# --- off the open lists ---------------------------------------------------------------------


@pytest.mark.parametrize("stage", FINAL)
def test_a_final_stage_takes_it_off_the_open_list_and_into_the_closed_one(user, stage):
    opportunity = OpportunityFactory(owner=user, stage="offer")
    move_stage(opportunity=opportunity, stage=stage)
    assert opportunity.is_closed
    assert open_opportunities(user) == []
    closed, archived = closed_and_archived(user)
    assert [(row.opportunity, row.reopen_at) for row in closed] == [(opportunity, "offer")]
    assert archived == []


def test_the_dashboard_lists_the_closed_ones_apart_with_a_reopen_button(client_in, user, closed):
    OpportunityFactory(owner=user, title="Still open")
    OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    response = client_in.get(DASHBOARD)
    assert [row.opportunity.title for row in response.context["opportunities"]] == [
        "Stay as I am",
        "Still open",
    ]
    html = response.text
    table, put_away = html.split('data-testid="closed-opportunities"')
    assert "Part-time strategist" not in table
    assert "<summary>Closed (1)</summary>" in put_away
    assert "· Not selected" in put_away
    assert f'action="{reopen(closed)}"' in put_away
    assert '<option value="interviewing" selected>Interviewing</option>' in put_away
    assert '<option value="accepted"' not in put_away
    assert '<option value="now"' not in put_away
    assert 'name="back_to" value="dashboard"' in put_away


def test_compare_all_open_ones_leaves_the_closed_ones_out(client_in, user, closed):
    a = OpportunityFactory(owner=user)
    b = OpportunityFactory(owner=user)
    response = client_in.get(reverse("opportunities:compare_open"))
    ids = response["Location"].split("ids=")[1]
    assert sorted(ids.split(",")) == sorted([str(a.pk), str(b.pk)])
    assert "Compare all open ones" in client_in.get(DASHBOARD).text


def test_compare_all_open_ones_is_not_offered_for_one_open_and_one_closed(client_in, user, closed):
    OpportunityFactory(owner=user)
    compare_open = reverse("opportunities:compare_open")
    assert f'href="{compare_open}"' not in client_in.get(DASHBOARD).text


def test_the_compare_picker_offers_a_closed_one_only_when_it_is_asked_for(client_in, user, closed):
    a = OpportunityFactory(owner=user, title="Open A")
    OpportunityFactory(owner=user, title="Open B")
    picker = client_in.get(reverse("opportunities:compare"), {"ids": str(a.pk)})
    assert [o.title for o in picker.context["data"].open_opportunities] == ["Open B", "Open A"]
    asked = client_in.get(
        reverse("opportunities:compare"), {"ids": f"{a.pk},{closed.pk}", "gut": "no"}
    )
    assert [option.key for option in asked.context["data"].options] == [a.pk, closed.pk]
    alone = client_in.get(reverse("opportunities:compare"), {"ids": str(closed.pk)})
    assert "closed: not selected" in alone.text


def test_a_closed_opportunity_stays_in_the_journal(client_in, user):
    opportunity = OpportunityFactory(owner=user, title="The role I declined", stage="offer")
    decision = Decision(
        choice="decline", decided_on=dt.date(2026, 3, 1), confidence=70, gut_check="yes"
    )
    record_decision(opportunity=opportunity, decision=decision)
    opportunity.refresh_from_db()
    assert opportunity.stage == "declined"
    journal = client_in.get(reverse("opportunities:journal")).text
    assert "The role I declined" in journal
    page = client_in.get(opportunity.get_absolute_url()).text
    assert 'data-testid="closed-banner"' in page
    assert '<option value="offer" selected>Offer</option>' in page


def test_the_dashboard_reads_closed_ones_in_a_fixed_number_of_queries(
    client_in, user, django_assert_max_num_queries
):
    """None closed: nothing more than before. Some: one query more (where each reopens to),
    however many."""
    OpportunityFactory(owner=user)
    with CaptureQueriesContext(connection) as none_closed:
        client_in.get(DASHBOARD)
    for _ in range(2):
        move_stage(opportunity=OpportunityFactory(owner=user, stage="offer"), stage="declined")
    with django_assert_max_num_queries(len(none_closed) + 1):
        client_in.get(DASHBOARD)
    for _ in range(20):
        move_stage(opportunity=OpportunityFactory(owner=user, stage="offer"), stage="declined")
    with django_assert_max_num_queries(len(none_closed) + 1):
        response = client_in.get(DASHBOARD)
    assert response.text.count('data-testid="closed-opportunity"') == 22
    assert len(none_closed) <= 9  # 8, and the check-ins due


def test_a_closed_page_takes_one_query_more_than_an_open_one(client_in, user, closed):
    open_one = OpportunityFactory(owner=user)
    with CaptureQueriesContext(connection) as open_page:
        client_in.get(open_one.get_absolute_url())
    with CaptureQueriesContext(connection) as closed_page:
        client_in.get(closed.get_absolute_url())
    assert len(closed_page) == len(open_page) + 1


# --- reopening ------------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_reopen_moves_it_back_to_the_chosen_stage_and_the_open_list(client_in, user, closed, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_in.post(
        reopen(closed), {"stage": "offer", "back_to": "dashboard"}, headers=headers
    )
    assert (response["HX-Redirect"] if htmx else response["Location"]) == DASHBOARD
    closed.refresh_from_db()
    assert closed.stage == "offer"
    assert list(
        StageChange.objects.filter(opportunity=closed).values_list("from_stage", "to_stage")
    )[-1] == ("not_selected", "offer")
    dashboard = client_in.get(DASHBOARD)
    assert "is open again, at “Offer”" in dashboard.text
    assert [row.opportunity for row in dashboard.context["opportunities"]] == [closed]
    assert 'data-testid="closed-opportunities"' not in dashboard.text


def test_reopen_from_its_page_goes_back_to_its_page(client_in, closed):
    response = client_in.post(reopen(closed), {"stage": "interviewing"})
    assert response["Location"] == f"{closed.get_absolute_url()}#pipeline"
    page = client_in.get(closed.get_absolute_url()).text
    assert 'data-testid="closed-banner"' not in page


@pytest.mark.parametrize(
    ("stage", "message"),
    [
        ("accepted", "a closed stage would leave it closed"),
        ("now", "Choose one of the open stages in the list"),
        ("", "Choose the stage to reopen it at."),
        ("<script>alert(1)</script>", "Choose one of the open stages in the list"),
        ("x" * 100_000, "Choose one of the open stages in the list"),
    ],
)
def test_reopen_at_a_stage_that_is_not_open_is_refused_and_changes_nothing(
    client_in, closed, stage, message
):
    response = client_in.post(reopen(closed), {"stage": stage}, follow=True)
    assert response.status_code == 200
    assert message in response.text
    assert "<script>alert(1)</script>" not in response.text
    closed.refresh_from_db()
    assert closed.stage == "not_selected"


def test_reopening_an_open_one_says_so_and_changes_nothing(client_in, user):
    opportunity = OpportunityFactory(owner=user, stage="applied")
    response = client_in.post(reopen(opportunity), {"stage": "offer"}, follow=True)
    assert "is open already, at “Applied”" in response.text
    opportunity.refresh_from_db()
    assert opportunity.stage == "applied"


def test_reopen_is_a_post_and_another_users_is_a_404(client_in, other_user, closed):
    assert client_in.get(reopen(closed)).status_code == 405
    theirs = OpportunityFactory(owner=other_user, stage="declined")
    assert client_in.post(reopen(theirs), {"stage": "offer"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.stage == "declined"


def test_the_service_refuses_a_stage_that_is_not_open(closed):
    for stage in ("declined", "now"):
        with pytest.raises(ValueError, match="not an open stage"):
            reopen_opportunity(opportunity=closed, stage=stage)
    assert Opportunity.objects.get(pk=closed.pk).stage == "not_selected"
