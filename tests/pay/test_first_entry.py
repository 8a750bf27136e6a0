"""Issue 14, items 12 and 6: the first pay entered is scored at once, its floor and target
(and the arrangement preferences) asked on the pay page itself and saved with the pay;
and what the comparable figure assumed is said right under it, with links to change it."""

from decimal import Decimal

import pytest
from django.urls import reverse

from opportunities.models import Criterion, Opportunity, Profile, Score
from opportunities.pay.services import save_pay_settings
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

CONTRACT = {
    "arrangement": "contractor",
    "schedule": "full_time",
    "pay_basis": "hourly",
    "pay_amount": "55",
}
SCORING = {
    "settings-pay_floor": "30000",
    "settings-pay_target": "110000",
    "settings-employee_preference": "4",
    "settings-contractor_preference": "9",
    "settings-freelance_preference": "",
}


def pay_url(opportunity) -> str:
    return reverse("opportunities:compensation", args=[opportunity.pk])


def live_score(opportunity, kind: str) -> Score | None:
    return Score.objects.filter(
        evaluation__opportunity=opportunity,
        evaluation__frozen_at=None,
        criterion=Criterion.objects.get(owner=opportunity.owner, kind=kind),
    ).first()


def test_the_first_pay_page_asks_how_pay_should_be_scored(client_in, opportunity):
    page = client_in.get(pay_url(opportunity)).text
    assert 'data-testid="score-settings"' in page
    assert "How should Pay be scored?" in page
    for name in SCORING:
        assert f'name="{name}"' in page
    assert 'id="pay-error-settings-pay_floor"' in page


def test_once_a_floor_and_target_are_set_it_asks_no_more(client_in, user, opportunity):
    save_pay_settings(
        profile=Profile(owner=user, pay_floor=Decimal(30_000), pay_target=Decimal(110_000))
    )
    page = client_in.get(pay_url(opportunity)).text
    assert 'data-testid="score-settings"' not in page
    assert "settings-pay_floor" not in page


def test_the_preview_scores_with_the_floor_and_target_as_typed(
    client_in, user, opportunity, htmx_headers
):
    response = client_in.post(
        pay_url(opportunity),
        CONTRACT | SCORING | {"preview": "1"},
        headers=htmx_headers("pay-preview"),
    )
    assert response.status_code == 200
    fragment = response.text
    assert "<html" not in fragment
    # 96,525 comparable: (96,525 - 30,000) / 80,000 of the way from floor to target: 8
    assert 'data-testid="derived-pay">8 / 10' in fragment
    assert 'data-testid="derived-arrangement">9 / 10' in fragment
    assert not Profile.objects.filter(owner=user).exists()  # a preview saves nothing
    assert Opportunity.objects.get(pk=opportunity.pk).pay_basis == ""


def test_without_the_floor_the_preview_says_where_to_set_it(client_in, opportunity, htmx_headers):
    fragment = client_in.post(
        pay_url(opportunity), CONTRACT | {"preview": "1"}, headers=htmx_headers("pay-preview")
    ).text
    assert 'data-testid="not-derived-pay"' in fragment
    assert 'href="#score-settings">Set it below' in fragment


@pytest.mark.parametrize("htmx", [False, True])
def test_saving_the_first_pay_saves_the_settings_and_scores_it(
    client_in, user, opportunity, htmx_headers, htmx
):
    elsewhere = OpportunityFactory(
        owner=user, arrangement="employee", pay_basis="annual", pay_amount=Decimal(70_000)
    )
    headers = htmx_headers() if htmx else {}
    response = client_in.post(pay_url(opportunity), CONTRACT | SCORING, headers=headers)
    assert response.status_code in {200, 302}
    profile = Profile.objects.get(owner=user)
    assert (profile.pay_floor, profile.pay_target) == (30_000, 110_000)
    assert (profile.employee_preference, profile.contractor_preference) == (4, 9)
    assert profile.freelance_preference is None
    assert live_score(opportunity, "pay").value == 8
    assert live_score(opportunity, "arrangement").value == 9
    # The settings score every opportunity: 70,000 + 30% = 91,000, (91,000 - 30,000) / 80,000
    assert live_score(elsewhere, "pay").value == 8
    assert live_score(elsewhere, "arrangement").value == 4
    detail = client_in.get(reverse("opportunities:opportunity_detail", args=[opportunity.pk]))
    assert "Your pay settings are saved too" in detail.text


def test_leaving_the_settings_empty_saves_the_pay_alone(client_in, user, opportunity):
    empty = dict.fromkeys(SCORING, "")
    response = client_in.post(pay_url(opportunity), CONTRACT | empty)
    assert response.status_code == 302
    assert Opportunity.objects.get(pk=opportunity.pk).pay_amount == 55
    assert not Profile.objects.filter(owner=user).exists()
    assert live_score(opportunity, "pay") is None


def test_only_the_settings_asked_are_written(client_in, user, opportunity):
    """Another tab changed the overhead meanwhile: saving the floor keeps it."""
    profile = Profile.objects.create(owner=user)
    Profile.objects.filter(pk=profile.pk).update(contractor_overhead_share=Decimal("0.2"))
    client_in.post(pay_url(opportunity), CONTRACT | SCORING)
    profile.refresh_from_db()
    assert profile.contractor_overhead_share == Decimal("0.2")
    assert profile.pay_floor == 30_000


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"settings-pay_target": "20000"}, "pay_target", "The target must be above the floor."),
        ({"settings-pay_target": ""}, "pay_target", "Set both a floor and a target"),
        ({"settings-pay_floor": "1e5"}, "pay_floor", "in digits"),
        ({"settings-pay_target": "900000000"}, "pay_target", "check for extra zeros"),
        ({"settings-contractor_preference": "11"}, "contractor_preference", "whole number 0-10"),
        ({"settings-employee_preference": "abc"}, "employee_preference", "whole number 0-10"),
    ],
)
@pytest.mark.parametrize("htmx", [False, True])
def test_bad_settings_save_nothing_and_keep_what_was_typed(
    client_in, user, opportunity, htmx_headers, changes, field, message, htmx
):
    data = CONTRACT | SCORING | changes
    headers = htmx_headers() if htmx else {}
    response = client_in.post(pay_url(opportunity), data, headers=headers)
    assert response.status_code == 200
    errors = response.context["settings_form"].errors
    assert list(errors) == [field]
    assert message in errors[field][0]
    assert 'data-testid="not-saved"' in response.text
    for name, typed in (SCORING | changes).items():
        if typed:
            assert f'name="{name}" value="{typed}"' in response.text
    assert Opportunity.objects.get(pk=opportunity.pk).pay_basis == ""
    assert not Profile.objects.filter(owner=user).exists()


def test_bad_settings_land_in_their_slot_in_the_preview(client_in, opportunity, htmx_headers):
    fragment = client_in.post(
        pay_url(opportunity),
        CONTRACT | SCORING | {"settings-pay_target": "20000", "preview": "1"},
        headers=htmx_headers("pay-preview"),
    ).text
    slot = fragment.split('id="pay-error-settings-pay_target"')[1].split("</div>")[0]
    assert "The target must be above the floor." in slot


# --- item 6: the assumptions, where the number is -------------------------------------------------


def test_the_figure_says_what_it_assumed_with_links_to_change_it(client_in, user):
    part_time = OpportunityFactory(
        owner=user,
        arrangement="employee",
        schedule="part_time",
        hours_per_week=Decimal(20),
        pay_basis="hourly",
        pay_amount=Decimal(28),
    )
    url = pay_url(part_time)
    for page in (
        client_in.get(url).text,
        client_in.get(reverse("opportunities:opportunity_detail", args=[part_time.pk])).text,
    ):
        assert "USD 29,120" in page
        assert "USD 37,856" not in page
        assert 'data-testid="pay-assumed"' in page
        assert f'href="{url}#id_paid_weeks_per_year">52 paid weeks a year (time off paid)' in page
        assert f'href="{url}#id_benefits_percent">no benefits (none stated for a part-time' in page


def test_a_settings_assumption_links_to_the_settings(client_in, user):
    contract = OpportunityFactory(
        owner=user, arrangement="contractor", pay_basis="hourly", pay_amount=Decimal(55)
    )
    page = client_in.get(pay_url(contract)).text
    settings = reverse("opportunities:pay_settings")
    assert f'href="{settings}#id_employee_benefits_share">a benefits equivalent of 30%' in page
    assert f'href="{pay_url(contract)}#id_overhead_share">25% overhead (your default)' in page
