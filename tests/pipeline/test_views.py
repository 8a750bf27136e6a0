import pytest
from django.test import Client
from django.urls import reverse

from opportunities.models import Evaluation, Opportunity, StageChange
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("opportunities:dashboard")
CREATE = reverse("opportunities:opportunity_create")


def detail(opportunity) -> str:
    return reverse("opportunities:opportunity_detail", args=[opportunity.pk])


def edit(opportunity) -> str:
    return reverse("opportunities:opportunity_edit", args=[opportunity.pk])


def delete(opportunity) -> str:
    return reverse("opportunities:opportunity_delete", args=[opportunity.pk])


VALID = {
    "title": "Part-time strategist",
    "organisation": "A marketing firm",
    "source": "informational_interview",
    "arrangement": "employee",
    "schedule": "part_time",
    "hours_per_week": "24",
    "stage": "lead",
}


@pytest.mark.parametrize(
    "url",
    [DASHBOARD, CREATE, "/opportunities/1/", "/opportunities/1/edit/", "/opportunities/1/delete/"],
)
def test_anonymous_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_htmx_request_gets_a_client_redirect_to_login(client, htmx_headers):
    response = client.get(DASHBOARD, headers=htmx_headers())
    assert response["HX-Redirect"].startswith(reverse("login"))


def test_empty_dashboard_invites_the_first_opportunity(client_in):
    response = client_in.get(DASHBOARD)
    assert "Nothing to weigh yet" in response.text
    assert "Add your first opportunity" in response.text


def test_dashboard_lists_only_my_opportunities_with_score_and_status_quo(client_in, user):
    mine = OpportunityFactory(owner=user, title="Mine")
    OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    OpportunityFactory(title="Someone else's secret role")
    response = client_in.get(DASHBOARD)
    assert mine.title in response.text
    assert "Status quo" in response.text
    assert "Someone else" not in response.text
    assert "0 of 7 scored" in response.text


def test_dashboard_query_count_does_not_grow_with_opportunities(
    client_in, user, django_assert_num_queries
):
    OpportunityFactory.create_batch(2, owner=user)
    # session, user, opportunities, live evaluations, pay settings (for comparable pay);
    # the journal's revisits due, the follow-ups due (people's and opportunities'), archive
    # and the check-ins due
    with django_assert_num_queries(9):
        client_in.get(DASHBOARD)
    OpportunityFactory.create_batch(30, owner=user)
    with django_assert_num_queries(9):
        response = client_in.get(DASHBOARD)
    assert response.text.count("of 7 scored") == 32


def test_create_saves_with_history_and_a_live_evaluation(client_in, user):
    response = client_in.post(CREATE, VALID)
    opportunity = Opportunity.objects.get(owner=user)
    assert response["Location"] == detail(opportunity)
    assert opportunity.hours_per_week == 24
    assert Evaluation.objects.filter(opportunity=opportunity, frozen_at=None).count() == 1
    assert list(StageChange.objects.filter(opportunity=opportunity).values_list("to_stage")) == [
        ("lead",)
    ]


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        ({"title": ""}, "This field is required"),
        ({"title": "x" * 10_000}, "Keep this to 200 characters"),
        ({"notes": "n" * 10_000}, "Keep this to 5000 characters"),
        ({"hours_per_week": "200"}, "less than or equal to 100"),
        ({"hours_per_week": "-3"}, "greater than or equal to 0.5"),
        ({"hours_per_week": "lots"}, "Enter a number"),
        ({"hours_per_week": ""}, "How many hours a week"),
        ({"source": "carrier pigeon"}, "Select a valid choice"),
        ({"stage": "<script>alert(1)</script>"}, "Select a valid choice"),
    ],
)
def test_create_rejects_bad_input_keeps_what_was_typed_and_saves_nothing(
    client_in, changes, field_message
):
    data = VALID | changes
    response = client_in.post(CREATE, data)
    assert response.status_code == 200
    assert field_message in response.text
    assert "Please correct the fields marked below" in response.text
    assert "<script>alert(1)</script>" not in response.text
    if changes.get("title") != "x" * 10_000 and "title" not in changes:
        assert 'value="Part-time strategist"' in response.text
    assert not Opportunity.objects.exists()


def test_a_second_status_quo_is_refused_with_a_clear_message(client_in, user):
    OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    response = client_in.post(CREATE, VALID | {"is_status_quo": "on"})
    assert response.status_code == 200
    assert "“Stay as I am” is already your status quo" in response.text
    assert Opportunity.objects.count() == 1


def test_posted_owner_is_ignored(client_in, user, other_user):
    client_in.post(CREATE, VALID | {"owner": other_user.pk, "owner_id": other_user.pk})
    assert Opportunity.objects.get().owner_id == user.pk


def test_edit_changes_stage_once_in_history(client_in, user):
    opportunity = OpportunityFactory(owner=user, stage="lead")
    client_in.post(edit(opportunity), VALID | {"stage": "applied"})
    client_in.post(edit(opportunity), VALID | {"stage": "applied", "notes": "Sent CV"})
    stages = list(
        StageChange.objects.filter(opportunity=opportunity).values_list("from_stage", "to_stage")
    )
    assert stages == [("", "lead"), ("lead", "applied")]


def test_another_users_opportunity_is_a_404_everywhere(client_in, other_user):
    theirs = OpportunityFactory(owner=other_user, title="Private")
    for url in (detail(theirs), edit(theirs), delete(theirs)):
        assert client_in.get(url).status_code == 404
    assert client_in.post(edit(theirs), VALID).status_code == 404
    assert client_in.post(delete(theirs)).status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Private"


def test_delete_asks_first_then_deletes(client_in, opportunity):
    page = client_in.get(delete(opportunity))
    assert "cannot be undone" in page.text
    assert Opportunity.objects.exists()
    response = client_in.post(delete(opportunity))
    assert response["Location"] == DASHBOARD
    assert not Opportunity.objects.exists()


def test_detail_plain_request_is_a_full_page(client_in, opportunity):
    response = client_in.get(detail(opportunity))
    assert "<html" in response.text
    assert 'id="score-summary"' in response.text


def test_detail_htmx_request_for_the_summary_is_the_fragment_only(
    client_in, opportunity, htmx_headers
):
    response = client_in.get(detail(opportunity), headers=htmx_headers("score-summary"))
    assert "<html" not in response.text
    assert response.text.strip().startswith('<section id="score-summary"')
    assert "HX-Request" in response["Vary"]


def test_unknown_opportunity_is_a_404(client_in):
    assert client_in.get("/opportunities/999999/").status_code == 404


def test_signed_in_pages_are_not_cached(client_in):
    assert "no-store" in client_in.get(DASHBOARD)["Cache-Control"]


def test_csp_header_is_strict(client_in):
    csp = client_in.get(DASHBOARD)["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'nonce-" in script_src
    assert "unsafe-inline" not in script_src
    assert "unsafe-eval" not in script_src
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp


def test_fresh_client_cannot_see_anything(opportunity):
    assert Client().get(detail(opportunity)).status_code == 302
