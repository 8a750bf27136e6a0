"""Comparable pay in the browser's terms: the pay form and its live preview (as htmx and as
plain requests), the pay settings, "use the derived score", and pay on the opportunity
page, the dashboard and the comparison."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opportunities.compare.services import save_gut_ranking
from opportunities.models import Criterion, Opportunity, Profile, Score
from opportunities.pay.queries import COMPENSATION_FIELDS
from opportunities.pay.services import save_compensation, save_pay_settings
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

SETTINGS = reverse("opportunities:pay_settings")
DASHBOARD = reverse("opportunities:dashboard")

CONTRACT = {
    "arrangement": "contractor",
    "schedule": "full_time",
    "pay_basis": "hourly",
    "pay_amount": "55",
}
PART_TIME = {
    "arrangement": "employee",
    "schedule": "part_time",
    "hours_per_week": "24",
    "pay_basis": "annual",
    "pay_amount": "42,000",
    "benefits_percent": "10",
}
SETTINGS_FORM = {
    "currency": "USD",
    "pay_floor": "30000",
    "pay_target": "110000",
    "employee_preference": "4",
    "contractor_preference": "9",
    "freelance_preference": "",
    "full_time_hours_per_week": "40",
    "hours_per_day": "8",
    "billable_hours_per_year": "1800",
    "contractor_overhead_share": "25",
    "employee_benefits_share": "30",
    "employee_paid_time_off_days": "25",
}


def pay_url(opportunity) -> str:
    return reverse("opportunities:compensation", args=[opportunity.pk])


def detail_url(opportunity) -> str:
    return reverse("opportunities:opportunity_detail", args=[opportunity.pk])


def derive_url(opportunity, criterion) -> str:
    return reverse("opportunities:use_derived_score", args=[opportunity.pk, criterion.pk])


def stored(opportunity) -> dict:
    return Opportunity.objects.values(*COMPENSATION_FIELDS, "updated_at").get(pk=opportunity.pk)


def kind(user, name: str) -> Criterion:
    return Criterion.objects.get(owner=user, kind=name)


def live_score(opportunity, criterion) -> Score | None:
    return Score.objects.filter(
        evaluation__opportunity=opportunity, evaluation__frozen_at=None, criterion=criterion
    ).first()


@pytest.fixture
def settled(user) -> Profile:
    """Floor 30,000 and target 110,000; subcontracting 9, being an employee 4."""
    profile = Profile(
        owner=user,
        pay_floor=Decimal(30_000),
        pay_target=Decimal(110_000),
        employee_preference=4,
        contractor_preference=9,
    )
    save_pay_settings(profile=profile)
    return profile


# --- Access -------------------------------------------------------------------------------------


def test_pages_need_a_login(client, opportunity):
    for url in (pay_url(opportunity), SETTINGS):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_users_opportunity_is_a_404(client_in, other_user, criteria):
    theirs = OpportunityFactory(owner=other_user, title="Their secret role")
    assert client_in.get(pay_url(theirs)).status_code == 404
    assert client_in.post(pay_url(theirs), CONTRACT).status_code == 404
    assert client_in.post(pay_url(theirs), CONTRACT | {"preview": "1"}).status_code == 404
    their_pay = kind(other_user, "pay")
    assert client_in.post(derive_url(theirs, their_pay)).status_code == 404
    assert stored(theirs)["pay_basis"] == ""


# --- The pay form -------------------------------------------------------------------------------


def test_the_page_shows_the_form_and_the_pay_as_saved(client_in, user):
    opportunity = OpportunityFactory(
        owner=user, arrangement="contractor", pay_basis="hourly", pay_amount=Decimal(55)
    )
    response = client_in.get(pay_url(opportunity))
    assert response.status_code == 200
    page = response.text
    assert "<html" in page
    assert 'name="pay_amount"' in page
    assert 'value="55"' in page  # 55.00 as a person would type it
    assert "As saved" in page
    assert "USD 96,525" in page  # 55 x 1,800 x 0.75 x 1.30
    assert "USD 53.63" in page  # per hour worked: 96,525 / 1,800
    assert 'data-testid="as-salary">USD 74,250<' in page  # 96,525 / 1.30
    assert 'data-testid="as-contract-rate">USD 55.00<' in page
    assert "1,800 billable hours" in page
    assert 'hx-post="' in page
    assert 'hx-sync="this:replace"' in page
    assert not Profile.objects.exists()  # looking at the page writes nothing


def test_an_opportunity_without_pay_says_so(client_in, opportunity):
    response = client_in.get(pay_url(opportunity))
    assert 'data-testid="no-pay"' in response.text
    assert 'data-testid="derived-scores"' in response.text


def test_percentages_are_typed_and_shown_as_percentages(client_in, user):
    opportunity = OpportunityFactory(owner=user)
    client_in.post(pay_url(opportunity), CONTRACT | {"overhead_share": "20", "utilisation": "85"})
    saved = stored(opportunity)
    assert (saved["overhead_share"], saved["utilisation"]) == (Decimal("0.2"), Decimal("0.85"))
    page = client_in.get(pay_url(opportunity)).text
    assert 'name="overhead_share" value="20"' in page
    assert 'name="utilisation" value="85"' in page


def test_preview_as_htmx_answers_with_the_breakdown_only_and_saves_nothing(
    client_in, opportunity, settled, htmx_headers
):
    before = stored(opportunity)
    response = client_in.post(
        pay_url(opportunity), CONTRACT | {"preview": "1"}, headers=htmx_headers("pay-preview")
    )
    assert response.status_code == 200
    fragment = response.text
    assert "<html" not in fragment
    assert 'id="pay-preview"' in fragment
    assert "As entered — not saved yet" in fragment
    assert "USD 96,525" in fragment
    # (96,525 - 30,000) / (110,000 - 30,000) = 0.83: 8; subcontracting 9
    assert 'data-testid="derived-pay">8 / 10' in fragment
    assert 'data-testid="derived-arrangement">9 / 10' in fragment
    assert "<input" not in fragment  # never the fields being typed in
    assert "<select" not in fragment
    assert 'id="pay-error-pay_amount"' in fragment  # every field's messages, out of band
    assert stored(opportunity) == before


def test_the_form_picks_every_message_out_of_the_preview(client_in, opportunity, htmx_headers):
    page = client_in.get(pay_url(opportunity)).text
    picked = re.search(r'hx-select-oob="([^"]+)"', page).group(1).split(",")
    assert "#pay-form-errors" in picked
    fragment = client_in.post(
        pay_url(opportunity), CONTRACT | {"preview": "1"}, headers=htmx_headers("pay-preview")
    ).text
    slots = re.findall(r'id="(pay-error-[\w-]+|pay-form-errors)"', fragment)
    assert sorted(picked) == sorted(f"#{slot}" for slot in slots)
    # Every field, the form's own, and the five settings asked on a first pay entry.
    assert len(slots) == len(COMPENSATION_FIELDS) + 1 + 5
    assert "#pay-error-settings-pay_floor" in picked


def test_preview_without_javascript_is_the_whole_page_and_saves_nothing(client_in, opportunity):
    before = stored(opportunity)
    response = client_in.post(pay_url(opportunity), PART_TIME | {"preview": "1"})
    assert response.status_code == 200
    assert "<html" in response.text
    assert "USD 46,200" in response.text  # 42,000 + 10%
    assert "As entered — not saved yet" in response.text
    assert 'data-testid="not-saved"' not in response.text
    assert stored(opportunity) == before


def test_saving_stores_the_pay_and_the_derived_scores_follow(client_in, user, settled):
    opportunity = OpportunityFactory(owner=user)
    response = client_in.post(pay_url(opportunity), PART_TIME)
    assert response.status_code == 302
    assert response["Location"] == detail_url(opportunity)
    saved = stored(opportunity)
    assert (saved["pay_amount"], saved["benefits_percent"]) == (Decimal(42_000), Decimal(10))
    assert (saved["schedule"], saved["hours_per_week"]) == ("part_time", Decimal(24))
    # 46,200: (46,200 - 30,000) / 80,000 = 0.20 -> 2; being an employee: 4
    assert live_score(opportunity, kind(user, "pay")).value == 2
    assert live_score(opportunity, kind(user, "arrangement")).value == 4
    page = client_in.get(response["Location"]).text
    assert "Pay saved: USD 46,200 comparable a year." in page


def test_saving_from_htmx_is_redirected_by_the_middleware(client_in, opportunity, htmx_headers):
    response = client_in.post(pay_url(opportunity), CONTRACT, headers=htmx_headers())
    assert response["HX-Redirect"] == detail_url(opportunity)
    assert stored(opportunity)["pay_amount"] == 55


def test_fields_that_do_not_apply_are_neither_checked_nor_kept(client_in, user):
    opportunity = OpportunityFactory(owner=user, benefits_percent=Decimal(5))
    data = CONTRACT | {"benefits_percent": "-5", "paid_weeks_per_year": "abc", "project_weeks": "x"}
    assert client_in.post(pay_url(opportunity), data).status_code == 302
    saved = stored(opportunity)
    assert (saved["benefits_percent"], saved["paid_weeks_per_year"]) == (None, None)
    assert saved["project_weeks"] is None


def test_an_employee_ignores_contract_fields(client_in, opportunity):
    data = PART_TIME | {"overhead_share": "500", "utilisation": "-1"}
    assert client_in.post(pay_url(opportunity), data).status_code == 302
    assert (stored(opportunity)["overhead_share"], stored(opportunity)["utilisation"]) == (
        None,
        None,
    )


@pytest.mark.parametrize("currency", ["", "usd", " USD "])
def test_the_users_own_currency_needs_no_exchange_rate(client_in, opportunity, currency):
    data = CONTRACT | {"currency": currency, "exchange_rate": "nonsense"}
    assert client_in.post(pay_url(opportunity), data).status_code == 302
    saved = stored(opportunity)
    assert (saved["currency"], saved["exchange_rate"]) == ("", Decimal(1))


def test_another_currency_is_converted_with_its_rate(client_in, opportunity):
    data = PART_TIME | {
        "schedule": "full_time",
        "hours_per_week": "",
        "currency": "eur",
        "exchange_rate": "1.10",
        "benefits_percent": "",
    }
    response = client_in.post(pay_url(opportunity), data | {"preview": "1"})
    # EUR 42,000 x 1.10 = USD 46,200 of salary, plus the default 30% benefits: 60,060
    assert "USD 60,060" in response.text
    assert "42,000.00 a year in the offer&#x27;s currency × 1.1 exchange rate" in response.text
    client_in.post(pay_url(opportunity), data)
    saved = stored(opportunity)
    assert (saved["currency"], saved["exchange_rate"]) == ("EUR", Decimal("1.1"))


BAD_INPUT = [
    ("pay_amount", {"pay_amount": "-55"}, "Pay cannot be negative."),
    ("pay_amount", {"pay_amount": "1e20"}, "Write the number out in digits"),
    ("pay_amount", {"pay_amount": "1e6"}, "Write the number out in digits"),
    ("pay_amount", {"pay_amount": "1000000000"}, "more than USD 5,000 an hour: check for extra"),
    ("pay_amount", {"pay_amount": "5000.01"}, "more than USD 5,000 an hour"),
    ("pay_amount", {"pay_amount": "9" * 400}, "That is more than 9,999,999,999"),
    ("pay_amount", {"pay_amount": "fifty"}, "Enter a number, such as 42000 or 37.5."),
    ("pay_amount", {"pay_amount": "NaN"}, "Enter a number"),
    ("pay_amount", {"pay_amount": ""}, "Enter the amount paid."),
    ("hours_per_week", {"hours_per_week": "0"}, "Enter at least half an hour a week."),
    ("hours_per_week", {"hours_per_week": "200"}, "Enter at most 100 hours a week."),
    ("hours_per_week", {"schedule": "part_time"}, "How many hours a week"),
    ("currency", {"currency": "€€€€", "exchange_rate": "1.1"}, "three-letter ISO 4217"),
    ("currency", {"currency": "<b>"}, "three-letter ISO 4217"),
    ("currency", {"currency": "XYZ", "exchange_rate": "2"}, "three-letter ISO 4217"),
    ("exchange_rate", {"currency": "EUR", "exchange_rate": "0"}, "must be more than 0"),
    ("exchange_rate", {"currency": "EUR", "exchange_rate": "1000000"}, "below 1,000,000"),
    ("exchange_rate", {"currency": "EUR", "exchange_rate": "1e9"}, "in digits"),
    (
        "exchange_rate",
        {"currency": "JPY", "pay_amount": "3000", "exchange_rate": "150"},
        "At this exchange rate that is USD 450,000 an hour, more than USD 5,000",
    ),
    ("exchange_rate", {"currency": "EUR"}, "How many USD is one EUR? Enter the exchange rate."),
    ("pay_basis", {"pay_basis": ""}, "Choose what the amount pays for"),
    ("pay_basis", {"pay_basis": "weekly"}, "Select a valid choice"),
    ("arrangement", {"arrangement": "boss"}, "Select a valid choice"),
    (
        "project_weeks",
        {"pay_basis": "project", "pay_amount": "20000"},
        "Enter how many weeks the project lasts.",
    ),
    ("project_weeks", {"pay_basis": "project", "project_weeks": "0"}, "more than 0 weeks"),
    ("utilisation", {"utilisation": "0"}, "Utilisation must be more than 0%."),
    ("overhead_share", {"overhead_share": "100"}, "below 100% of what you bill"),
    (
        "paid_time_off_days",
        {
            "arrangement": "employee",
            "pay_basis": "annual",
            "pay_amount": "40000",
            "paid_weeks_per_year": "10",
            "paid_time_off_days": "60",  # 12 weeks off in 10 paid weeks
        },
        "Paid time off must be shorter than the paid weeks of the year.",
    ),
]


@pytest.mark.parametrize(("field", "changes", "message"), BAD_INPUT, ids=lambda v: str(v)[:40])
def test_bad_input_gets_a_message_on_its_field_and_nothing_is_saved(
    client_in, user, field, changes, message
):
    opportunity = OpportunityFactory(
        owner=user, arrangement="employee", pay_basis="annual", pay_amount=Decimal(40_000)
    )
    before = stored(opportunity)
    response = client_in.post(pay_url(opportunity), CONTRACT | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert any(message in error for error in errors[field]), errors[field]
    assert 'data-testid="not-saved"' in response.text
    assert 'data-testid="pay-preview-invalid"' in response.text
    assert stored(opportunity) == before


@pytest.mark.parametrize(("field", "changes", "message"), BAD_INPUT[:6], ids=lambda v: str(v)[:40])
def test_bad_input_in_the_preview_lands_in_its_fields_message_slot(
    client_in, opportunity, htmx_headers, field, changes, message
):
    response = client_in.post(
        pay_url(opportunity), CONTRACT | changes | {"preview": "1"}, headers=htmx_headers()
    )
    assert response.status_code == 200
    fragment = response.text
    slot = fragment.split(f'id="pay-error-{field}"')[1].split("</div>")[0]
    assert message[:20] in slot
    assert "Correct the marked fields" in fragment


def test_an_edit_saved_elsewhere_meanwhile_is_not_overwritten(client_in, user):
    opportunity = OpportunityFactory(owner=user)
    page = client_in.get(pay_url(opportunity))
    loaded = page.context["form"]["loaded_version"].value()
    Opportunity.objects.filter(pk=opportunity.pk).update(
        pay_basis="daily", pay_amount=400, updated_at=timezone.now()
    )
    opportunity.refresh_from_db()
    before = stored(opportunity)
    response = client_in.post(pay_url(opportunity), CONTRACT | {"loaded_version": loaded})
    assert response.status_code == 200
    assert "changed in another tab" in response.text
    assert stored(opportunity) == before


def test_the_preview_says_so_too_when_an_edit_was_saved_elsewhere(
    client_in, opportunity, htmx_headers
):
    loaded = client_in.get(pay_url(opportunity)).context["form"]["loaded_version"].value()
    Opportunity.objects.filter(pk=opportunity.pk).update(updated_at=timezone.now())
    data = CONTRACT | {"loaded_version": loaded, "preview": "1"}
    fragment = client_in.post(pay_url(opportunity), data, headers=htmx_headers()).text
    errors = fragment.split('id="pay-form-errors"')[1].split("</div>\n        </div>")[0]
    assert "changed in another tab" in errors


def test_csrf_is_required_for_the_preview_and_sent_as_the_htmx_header(user, opportunity):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    data = CONTRACT | {"preview": "1"}
    headers = {"HX-Request": "true"}
    assert client.post(pay_url(opportunity), data, headers=headers).status_code == 403
    token = str(client.get(pay_url(opportunity)).context["csrf_token"])
    response = client.post(pay_url(opportunity), data, headers=headers | {"X-CSRFToken": token})
    assert response.status_code == 200
    assert "USD 96,525" in response.text


@pytest.mark.parametrize("others", [1, 30])
def test_page_and_preview_queries_do_not_grow_with_other_opportunities(
    client_in, user, settled, others, htmx_headers, django_assert_num_queries
):
    opportunity = OpportunityFactory(owner=user)
    OpportunityFactory.create_batch(others, owner=user, **{"pay_basis": "hourly", "pay_amount": 50})
    # session, user, opportunity, settings, derived criteria, their scores, other options
    with django_assert_num_queries(7):
        response = client_in.get(pay_url(opportunity))
    assert response.text.count("USD 135,200") == others  # 50 x 40 h x 52 weeks, + 30%
    # ... and the model's check of the hours (a savepoint, the check, its release)
    with django_assert_num_queries(10):
        client_in.post(pay_url(opportunity), CONTRACT | {"preview": "1"}, headers=htmx_headers())


@pytest.mark.parametrize("others", [1, 30])
def test_saving_costs_the_same_however_many_opportunities(
    client_in, user, settled, others, django_assert_num_queries
):
    opportunity = OpportunityFactory(owner=user)
    OpportunityFactory.create_batch(others, owner=user)
    # session, user, opportunity, settings, the model's check of the hours (3); in a
    # savepoint: the update, then in another the derived scores: criteria, live evaluation,
    # its scores, insert Pay, update the arrangement, store the total (6); the page-cache
    # counter (the message goes in its cookie)
    with django_assert_num_queries(19):
        client_in.post(pay_url(opportunity), CONTRACT)


def test_against_other_options_best_paid_first(client_in, user):
    salary = OpportunityFactory(owner=user, title="The salary", **{"pay_basis": "annual"})
    salary.pay_amount = Decimal(60_000)
    save_compensation(opportunity=salary)
    OpportunityFactory(owner=user, title="No pay yet")
    contract = OpportunityFactory(owner=user, title="The contract")
    response = client_in.post(pay_url(contract), CONTRACT | {"preview": "1"})
    options = [option.title for option in response.context["options"]]
    # 96,525 for the contract above 78,000 for the salary (60,000 + 30%)
    assert options == ["The contract", "The salary", "No pay yet"]
    assert "compare/?ids=" in response.context["compare_url"]


# --- Pay settings -------------------------------------------------------------------------------


def test_settings_page_shows_the_defaults_their_sources_and_examples(client_in):
    response = client_in.get(SETTINGS)
    assert response.status_code == 200
    page = response.text
    assert 'name="billable_hours_per_year" value="1800"' in page
    assert 'name="contractor_overhead_share" value="25"' in page  # shown as a percentage
    assert "IRS Topic No. 554" in page
    assert "Employer Costs for Employee Compensation" in page
    assert "Working Time Directive" in page
    assert "USD 65,000" in page  # a 50,000 salary with 30% benefits
    assert 'aria-current="page">Pay settings<' in page
    assert not Profile.objects.exists()


def test_saving_settings_re_derives_the_scores(client_in, user):
    contract = OpportunityFactory(owner=user, arrangement="contractor")
    contract.pay_basis, contract.pay_amount = "hourly", Decimal(55)
    save_compensation(opportunity=contract)
    assert live_score(contract, kind(user, "pay")) is None
    response = client_in.post(SETTINGS, SETTINGS_FORM)
    assert response.status_code == 302
    profile = Profile.objects.get(owner=user)
    assert (profile.pay_floor, profile.contractor_overhead_share) == (30_000, Decimal("0.25"))
    assert live_score(contract, kind(user, "pay")).value == 8
    assert live_score(contract, kind(user, "arrangement")).value == 9
    page = client_in.get(response["Location"]).text
    assert "Pay settings saved; 2 derived scores updated." in page


def test_settings_take_a_lower_case_currency(client_in, user):
    client_in.post(SETTINGS, SETTINGS_FORM | {"currency": " eur "})
    assert Profile.objects.get(owner=user).currency == "EUR"


SETTINGS_BAD_INPUT = [
    ("pay_target", {"pay_target": ""}, "Set both a floor and a target, or neither."),
    ("pay_floor", {"pay_floor": ""}, "Set both a floor and a target, or neither."),
    ("pay_target", {"pay_target": "30000"}, "The target must be above the floor."),
    ("pay_floor", {"pay_floor": "-1"}, "The floor cannot be negative."),
    ("currency", {"currency": "€€€€"}, "three-letter ISO 4217"),
    ("currency", {"currency": ""}, "Enter your currency"),
    ("employee_preference", {"employee_preference": "11"}, "whole number 0-10"),
    ("contractor_overhead_share", {"contractor_overhead_share": "100"}, "below 100%"),
    ("hours_per_day", {"hours_per_day": "0"}, "Enter from 1 to 24 hours."),
    ("billable_hours_per_year", {"billable_hours_per_year": "3000"}, "at most a full-time week"),
    (
        "employee_paid_time_off_days",
        {"employee_paid_time_off_days": "300"},  # 300 x 8 / 40 = 60 weeks
        "shorter than the year",
    ),
]


@pytest.mark.parametrize(("field", "changes", "message"), SETTINGS_BAD_INPUT)
def test_bad_settings_get_a_message_on_their_field_and_nothing_is_saved(
    client_in, user, field, changes, message
):
    response = client_in.post(SETTINGS, SETTINGS_FORM | changes)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == [field], errors
    assert any(message in error for error in errors[field]), errors[field]
    assert 'data-testid="not-saved"' in response.text
    assert not Profile.objects.exists()
    assert "USD 65,000" in response.text  # the examples show the settings in force


# --- Derived scores on the opportunity page ----------------------------------------------------


def test_the_opportunity_page_shows_its_pay_and_how_each_score_is_derived(client_in, user, settled):
    opportunity = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    page = client_in.get(detail_url(opportunity)).text
    assert 'data-testid="pay-section"' in page
    assert 'data-testid="header-pay">USD 96,525 a year<' in page
    assert "Edit pay" in page
    assert (
        "Derived: USD 96,525 comparable a year, scored from your floor USD 30,000 (0) to "
        "your target USD 110,000 (10)." in page
    )
    assert "Derived: your preference for working as a subcontractor is 9 out of 10." in page
    pay = kind(user, "pay")
    assert f'id="derive-{pay.pk}"' in page
    assert f'action="{derive_url(opportunity, pay)}"' in page


def test_a_score_set_by_hand_offers_the_derived_one(client_in, user, settled):
    opportunity = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    pay = kind(user, "pay")
    save_score(opportunity=opportunity, criterion=pay, value=3)
    page = client_in.get(detail_url(opportunity)).text
    assert "Set by hand; from its inputs it would be 8." in page
    assert f'form="derive-{pay.pk}"' in page


def test_without_pay_or_settings_the_page_says_what_is_missing(client_in, user, opportunity):
    page = client_in.get(detail_url(opportunity)).text
    assert "Not derived, as no pay is entered for it yet:" in page
    assert f'href="{pay_url(opportunity)}">add the pay<' in page
    assert "Not derived, as you have not said how much you like being an employee:" in page
    assert "Add the pay" in page


def test_moving_a_derived_slider_says_it_is_now_set_by_hand(client_in, user, settled, htmx_headers):
    opportunity = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    pay = kind(user, "pay")
    url = reverse("opportunities:score_save", args=[opportunity.pk, pay.pk])
    response = client_in.post(url, {f"{pay.pk}-value": "5"}, headers=htmx_headers())
    assert "Set by hand; from its inputs it would be 8." in response.text
    assert f'form="derive-{pay.pk}"' in response.text
    assert live_score(opportunity, pay).overridden


def test_a_note_on_a_derived_score_keeps_it_derived(client_in, user, settled, htmx_headers):
    opportunity = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    pay = kind(user, "pay")
    url = reverse("opportunities:score_save", args=[opportunity.pk, pay.pk])
    data = {f"{pay.pk}-value": "8", f"{pay.pk}-note": "fair for the hours"}
    response = client_in.post(url, data, headers=htmx_headers())
    # Still derived: the line saying so stays on the page as it is, not sent again.
    assert "✓ Saved" in response.text
    assert f'id="score-derivation-{pay.pk}"' not in response.text
    score = live_score(opportunity, pay)
    assert (score.note, score.overridden) == ("fair for the hours", False)
    assert "Derived: USD 96,525 comparable a year" in client_in.get(detail_url(opportunity)).text


def test_the_derivation_line_is_sent_only_when_the_score_becomes_set_by_hand(
    client_in, user, settled, htmx_headers, django_assert_num_queries
):
    opportunity = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    pay = kind(user, "pay")
    url = reverse("opportunities:score_save", args=[opportunity.pk, pay.pk])
    line = f'id="score-derivation-{pay.pk}"'
    # The save's 9 queries, then the opportunity and the pay settings for the new line.
    with django_assert_num_queries(11):
        first = client_in.post(url, {f"{pay.pk}-value": "5"}, headers=htmx_headers())
    assert line in first.text
    assert "Set by hand; from its inputs it would be 8." in first.text
    with django_assert_num_queries(9):
        again = client_in.post(url, {f"{pay.pk}-value": "6"}, headers=htmx_headers())
    assert line not in again.text
    assert (
        "Set by hand; from its inputs it would be 8." in client_in.get(detail_url(opportunity)).text
    )


def test_saving_every_score_without_javascript_keeps_unmoved_derived_scores(
    client_in, user, settled, criteria
):
    opportunity = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    data = {f"{c.pk}-value": str(live_score(opportunity, c).value) for c in criteria if c.kind}
    data |= {f"{c.pk}-value": "5" for c in criteria if not c.kind}
    client_in.post(reverse("opportunities:scores_save", args=[opportunity.pk]), data)
    assert not Score.objects.filter(overridden=True).exists()


def test_use_the_derived_score_hands_it_back_to_its_inputs(client_in, user, settled):
    opportunity = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    pay = kind(user, "pay")
    save_score(opportunity=opportunity, criterion=pay, value=3)
    response = client_in.post(derive_url(opportunity, pay))
    assert response.status_code == 302
    assert response["Location"] == detail_url(opportunity)
    score = live_score(opportunity, pay)
    assert (score.value, score.overridden) == (8, False)
    page = client_in.get(response["Location"]).text
    assert "Pay follows its inputs again: 8" in page


def test_use_the_derived_score_with_nothing_to_derive_says_so(client_in, user, opportunity):
    pay = kind(user, "pay")
    save_score(opportunity=opportunity, criterion=pay, value=3)
    response = client_in.post(derive_url(opportunity, pay), follow=True)
    assert "there is nothing to derive it from yet" in response.text
    assert live_score(opportunity, pay).value is None


def test_use_the_derived_score_is_only_for_derived_criteria_and_only_posted(
    client_in, opportunity, criteria
):
    manual = next(c for c in criteria if not c.kind)
    assert client_in.post(derive_url(opportunity, manual)).status_code == 404
    pay = next(c for c in criteria if c.kind == "pay")
    assert client_in.get(derive_url(opportunity, pay)).status_code == 405


# --- Dashboard and comparison -------------------------------------------------------------------


def test_the_dashboard_shows_comparable_pay_and_arrangement(client_in, user):
    OpportunityFactory(owner=user, title="Contract", **CONTRACT | {"pay_amount": Decimal(55)})
    OpportunityFactory(owner=user, title="Nothing yet")
    page = client_in.get(DASHBOARD).text
    assert "USD 96,525" in page
    assert "Subcontractor / contractor" in page
    assert "add the pay" in page


def test_the_comparison_matrix_shows_comparable_pay_and_arrangement(client_in, user):
    contract = OpportunityFactory(owner=user, **CONTRACT | {"pay_amount": Decimal(55)})
    salary = OpportunityFactory(
        owner=user,
        **{k: v for k, v in PART_TIME.items() if k != "pay_amount"},
        pay_amount=Decimal(42_000),
    )
    save_gut_ranking(user=user, order=[contract.pk, salary.pk])
    url = f"{reverse('opportunities:compare')}?ids={contract.pk},{salary.pk}"
    for headers in ({}, {"HX-Request": "true", "HX-Target": "comparison"}):
        page = client_in.get(url, headers=headers).text
        assert page.count('data-testid="matrix-pay"') == 2
        assert "USD 96,525" in page
        assert "USD 46,200" in page
        assert "Subcontractor / contractor" in page
        assert "Employee" in page
