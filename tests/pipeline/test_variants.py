"""Variants (issue 16, item 4): "Duplicate as a variant" copies an opportunity with its
details, people, pay and live scores, so the same job can be weighed as employee and as
subcontractor; variants sit together on the dashboard and are compared side by side, and
each keeps its own pay and derived scores."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, Opportunity, Person, Score
from opportunities.pay.queries import pay_profile
from opportunities.pay.services import save_compensation, save_pay_settings
from opportunities.pipeline import views
from opportunities.pipeline.core import group_variants, variant_title
from opportunities.pipeline.services import duplicate_as_variant
from opportunities.scoring.services import live_evaluation, save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("opportunities:dashboard")


def duplicate_url(opportunity) -> str:
    return reverse("opportunities:opportunity_duplicate", args=[opportunity.pk])


def live_scores(opportunity) -> dict[str, tuple[int | None, str, bool]]:
    return {
        score.criterion.name: (score.value, score.note, score.overridden)
        for score in Score.objects.filter(evaluation=live_evaluation(opportunity)).select_related(
            "criterion"
        )
    }


def kind(user, name: str) -> Criterion:
    return Criterion.objects.get(owner=user, kind=name)


def settle(user) -> None:
    profile = pay_profile(user)
    profile.pay_floor, profile.pay_target = Decimal(30_000), Decimal(110_000)
    profile.employee_preference, profile.contractor_preference = 4, 9
    save_pay_settings(profile=profile)


@pytest.fixture
def role(user):
    """A part-time role as an employee, with pay, people and a few scores."""
    settle(user)
    opportunity = OpportunityFactory(
        owner=user,
        title="Part-time content strategist",
        organisation="Northwind Marketing",
        contact="Dana, the founder",
        source="informational_interview",
        arrangement="employee",
        schedule="part_time",
        hours_per_week=Decimal(24),
        location="Lisbon",
        workplace="hybrid",
        stage="interviewing",
        notes="Met the founder in November.",
        pay_basis="annual",
        pay_amount=Decimal(42_000),
        benefits_percent=Decimal(10),
    )
    dana = Person.objects.create(owner=user, name="Dana")
    opportunity.contacts.add(dana)
    by_name = {criterion.name: criterion for criterion in active_criteria(user)}
    save_score(opportunity=opportunity, criterion=by_name["Values fit"], value=8, note="close")
    save_score(opportunity=opportunity, criterion=by_name["Gut feeling"], value=7)
    return opportunity


# --- the pure rules -------------------------------------------------------------------------


def test_a_variant_is_titled_as_one_once_and_within_the_length():
    assert variant_title("Strategist") == "Strategist (variant)"
    assert variant_title("Strategist (variant)") == "Strategist (variant)"
    long = variant_title("x" * 200)
    assert len(long) == 200
    assert long.endswith("x (variant)")


def test_variants_follow_the_first_of_them_and_the_rest_keep_their_order():
    # (pk, variant_of): 1 and its variants 4 and 5; 2 alone; 6 and 7, variants of 3 (not listed)
    rows = [(5, 1), (2, None), (1, None), (6, 3), (4, 1), (7, 3)]
    grouped = group_variants(rows, key=lambda r: r[0], root=lambda r: r[1])
    assert [g.key for g in grouped] == [1, 5, 4, 2, 6, 7]
    assert [g.group for g in grouped] == [(1, 5, 4)] * 3 + [()] + [(6, 7)] * 2
    assert [g.is_variant for g in grouped] == [False, True, True, False, False, True]
    assert [g.heads_group for g in grouped] == [True, False, False, False, True, False]


# --- the service ----------------------------------------------------------------------------


def test_a_variant_copies_the_details_people_pay_and_scores(user, role):
    variant = duplicate_as_variant(opportunity=role)
    variant = Opportunity.objects.get(pk=variant.pk)
    assert variant.title == "Part-time content strategist (variant)"
    assert variant.variant_of_id == role.pk
    assert not variant.is_status_quo
    for name in (
        "organisation",
        "contact",
        "source",
        "arrangement",
        "schedule",
        "hours_per_week",
        "location",
        "workplace",
        "stage",
        "notes",
        "pay_basis",
        "pay_amount",
        "benefits_percent",
    ):
        assert getattr(variant, name) == getattr(role, name), name
    assert [p.name for p in variant.contacts.all()] == ["Dana"]
    assert live_scores(variant) == live_scores(role)
    assert live_scores(variant)["Values fit"] == (8, "close", False)
    # Pay and the arrangement were derived for the copy too, and the total stored.
    assert live_scores(variant)["Pay"][0] is not None
    assert live_evaluation(variant).decision_score == live_evaluation(role).decision_score
    assert live_evaluation(variant).decision_score is not None


def test_every_variant_points_at_the_first_so_a_job_is_one_group(role):
    first = duplicate_as_variant(opportunity=role)
    second = duplicate_as_variant(opportunity=first)
    assert second.variant_of_id == role.pk
    assert second.title == "Part-time content strategist (variant)"


def test_each_variant_keeps_its_own_pay_and_derived_scores(user, role):
    variant = duplicate_as_variant(opportunity=role)
    variant.arrangement = "contractor"
    variant.pay_basis, variant.pay_amount = "hourly", Decimal(55)
    variant.benefits_percent = None
    save_compensation(opportunity=variant)
    pay, arrangement = kind(user, "pay"), kind(user, "arrangement")
    mine, theirs = live_scores(variant), live_scores(role)
    assert mine[pay.name][0] != theirs[pay.name][0]
    assert (mine[arrangement.name][0], theirs[arrangement.name][0]) == (9, 4)
    assert live_evaluation(variant).decision_score != live_evaluation(role).decision_score
    assert Opportunity.objects.get(pk=role.pk).pay_amount == Decimal(42_000)


def test_a_score_set_by_hand_on_a_derived_criterion_stays_set_by_hand(user, role):
    pay = kind(user, "pay")
    save_score(opportunity=role, criterion=pay, value=9)
    variant = duplicate_as_variant(opportunity=role)
    assert live_scores(variant)[pay.name] == (9, "", True)


def test_the_status_quo_has_no_variants(user):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    with pytest.raises(ValueError, match="status quo"):
        duplicate_as_variant(opportunity=status_quo)


# --- the button -----------------------------------------------------------------------------


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_duplicate_leads_to_the_variants_form_to_rename_it(client_in, user, role, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_in.post(duplicate_url(role), headers=headers)
    variant = Opportunity.objects.get(owner=user, variant_of=role)
    edit = reverse("opportunities:opportunity_edit", args=[variant.pk])
    # A redirect answering htmx is an HX-Redirect (web.middleware); the browser goes there.
    assert response[("HX-Redirect" if htmx else "Location")] == edit
    response = client_in.get(edit)
    assert 'value="Part-time content strategist (variant)"' in response.text
    assert "Give it a title that says how it differs" in response.text


def test_duplicate_is_a_post(client_in, role):
    assert client_in.get(duplicate_url(role)).status_code == 405
    assert not Opportunity.objects.filter(variant_of=role).exists()


def test_the_same_button_sent_twice_makes_one_variant(client_in, user, role):
    token = "7b0c3f0e-3c5e-4c59-9b7c-0d6f1f5a3e21"
    client_in.post(duplicate_url(role), {"form_token": token})
    response = client_in.post(duplicate_url(role), {"form_token": token}, follow=True)
    assert Opportunity.objects.filter(variant_of=role).count() == 1
    assert "was already saved from this form" in response.text
    # Pressed again from a fresh page, it is a second variant, as meant.
    client_in.post(duplicate_url(role), {"form_token": "not-a-token" * 50})
    assert Opportunity.objects.filter(variant_of=role).count() == 2


def test_the_status_quo_is_not_offered_a_variant_and_refuses_one(client_in, user):
    status_quo = OpportunityFactory(owner=user, is_status_quo=True)
    page = client_in.get(status_quo.get_absolute_url()).text
    assert "Duplicate as a variant" not in page
    response = client_in.post(duplicate_url(status_quo), follow=True)
    assert "it has no stages to move through, and no variants" in response.text
    assert Opportunity.objects.filter(owner=user).count() == 1


def test_at_the_limit_no_variant_is_made_and_the_page_says_why(client_in, user, role, monkeypatch):
    monkeypatch.setattr(views, "MAX_OPPORTUNITIES", 1)
    response = client_in.post(duplicate_url(role), follow=True)
    assert "holds at most 1 opportunities" in response.text
    assert not Opportunity.objects.filter(variant_of=role).exists()


def test_another_users_opportunity_cannot_be_duplicated(client_in, other_user):
    theirs = OpportunityFactory(owner=other_user, title="Their secret role")
    assert client_in.post(duplicate_url(theirs)).status_code == 404
    assert Opportunity.objects.count() == 1


# --- where variants show --------------------------------------------------------------------


def test_the_dashboard_lists_variants_under_the_first_with_a_link_to_compare_them(
    client_in, user, role
):
    variant = duplicate_as_variant(opportunity=role)
    variant.title = "Strategist as subcontractor"
    variant.save()
    OpportunityFactory(owner=user, title="Something else")
    response = client_in.get(DASHBOARD)
    rows = [row.opportunity.title for row in response.context["opportunities"]]
    # The newest first, except that the variants of a job sit together, the original first.
    assert rows == ["Something else", role.title, "Strategist as subcontractor"]
    html = response.text
    assert html.count('data-testid="variant-badge"') == 1
    assert html.count('class="variant-row"') == 1
    compare = f"{reverse('opportunities:compare')}?ids={role.pk},{variant.pk}"
    assert f'href="{compare}" data-testid="compare-variants"' in html
    assert "Compare the 2 variants" in html


def test_the_opportunity_page_names_the_variants_and_compares_them(client_in, user, role):
    variant = duplicate_as_variant(opportunity=role)
    html = client_in.get(variant.get_absolute_url()).text
    assert 'data-testid="variants"' in html
    assert f'href="{role.get_absolute_url()}">{role.title}</a>' in html
    compare = f"{reverse('opportunities:compare')}?ids={role.pk},{variant.pk}"
    assert f'href="{compare}" data-testid="compare-variants"' in html
    assert "Compare with…" not in html
    alone = OpportunityFactory(owner=user, title="Alone")
    html = client_in.get(alone.get_absolute_url()).text
    assert 'data-testid="variants"' not in html
    assert f'?ids={alone.pk}">Compare with…' in html


def test_an_archived_variant_is_named_but_not_compared(client_in, user, role):
    variant = duplicate_as_variant(opportunity=role)
    third = duplicate_as_variant(opportunity=role)
    third.archived_at = third.created_at
    third.save()
    html = client_in.get(role.get_absolute_url()).text
    assert "(archived)" in html
    compare = f'{reverse("opportunities:compare")}?ids={role.pk},{variant.pk}"'
    assert compare in html


def test_the_variants_compare_side_by_side_each_with_its_own_pay(client_in, user, role):
    variant = duplicate_as_variant(opportunity=role)
    variant.arrangement, variant.pay_basis, variant.pay_amount = "contractor", "hourly", 55
    variant.benefits_percent = None
    save_compensation(opportunity=variant)
    response = client_in.get(
        reverse("opportunities:compare"), {"ids": f"{role.pk},{variant.pk}", "gut": "no"}
    )
    options = response.context["data"].options
    assert [option.key for option in options] == [role.pk, variant.pk]
    annual = [option.pay.breakdown.annual for option in options]
    assert annual[0] == Decimal("46200.00")  # 42,000 + 10% stated benefits
    # 24 of 40 hours: 55 x 1,800 x 24/40 billable hours x 0.75 after overhead x 1.30
    assert annual[1] == Decimal("57915.00")


def test_pages_with_variants_take_a_fixed_number_of_queries(
    client_in, user, role, django_assert_max_num_queries
):
    """The dashboard and the opportunity page read a job's variants in one query however
    many there are (the page: one more than before variants; the dashboard: none more)."""
    for _ in range(2):
        duplicate_as_variant(opportunity=role)
    with CaptureQueriesContext(connection) as few_on_dashboard:
        client_in.get(DASHBOARD)
    with CaptureQueriesContext(connection) as few_on_page:
        client_in.get(role.get_absolute_url())
    assert len(few_on_dashboard) <= 9  # 8, and the check-ins due
    assert len(few_on_page) <= 18  # 16, the rounds of asking friends, the questions
    for _ in range(10):
        duplicate_as_variant(opportunity=role)
    with django_assert_max_num_queries(len(few_on_dashboard)):
        response = client_in.get(DASHBOARD)
    assert response.text.count('data-testid="variant-badge"') == 12
    with django_assert_max_num_queries(len(few_on_page)):
        response = client_in.get(role.get_absolute_url())
    assert response.text.count("(variant)</a>") == 12
