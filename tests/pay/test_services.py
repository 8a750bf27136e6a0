"""Comparable pay wired to the data: settings, each opportunity's pay, and the scores derived
from them (Pay from the comparable value, the arrangement from the user's preference).

Worked figures use the default assumptions: 1,800 billable hours a full-time contract
year, 25% contractor overhead, benefits at 30% of salary.
"""

from decimal import Decimal

import pytest

from opportunities.criteria.queries import active_criteria
from opportunities.criteria.services import set_archived
from opportunities.models import Criterion, Evaluation, Opportunity, Profile, Score
from opportunities.pay.core import pay_score
from opportunities.pay.queries import (
    comparable_pay,
    comparable_pay_by_opportunity,
    derive_pay_score,
    pay_examples,
    pay_profile,
)
from opportunities.pay.services import (
    refresh_derived_scores,
    save_compensation,
    save_pay_settings,
    use_derived_score,
)
from opportunities.pipeline.services import update_opportunity
from opportunities.scoring.core import compute_decision_score, rated_live
from opportunities.scoring.services import save_checkpoint, save_score
from tests.factories import OpportunityFactory

pytestmark = pytest.mark.django_db

FLOOR, TARGET = Decimal(30_000), Decimal(110_000)

CONTRACT_55 = {"arrangement": "contractor", "pay_basis": "hourly", "pay_amount": Decimal(55)}
# 55/h x 1,800 billable h = 99,000; less 25% overhead = 74,250; plus 30% benefits equivalent
CONTRACT_55_ANNUAL = Decimal(55) * 1800 * Decimal("0.75") * Decimal("1.30")
PART_TIME_SALARY = {
    "arrangement": "employee",
    "schedule": "part_time",
    "hours_per_week": Decimal(24),
    "pay_basis": "annual",
    "pay_amount": Decimal(42_000),
    "benefits_percent": Decimal(10),
}
# a part-time salary is taken as it is, plus the benefits stated: 42,000 + 10%
PART_TIME_ANNUAL = Decimal(42_000) + Decimal(4_200)


def settle(user, **fields) -> Profile:
    """Save pay settings through the service, as the settings page does."""
    profile = pay_profile(user)
    for name, value in fields.items():
        setattr(profile, name, value)
    save_pay_settings(profile=profile)
    return profile


def with_floor_and_target(user) -> Profile:
    return settle(
        user,
        pay_floor=FLOOR,
        pay_target=TARGET,
        employee_preference=4,
        contractor_preference=9,
    )


def kind(user, name: str) -> Criterion:
    return Criterion.objects.get(owner=user, kind=name)


def live_score(opportunity: Opportunity, criterion: Criterion) -> Score | None:
    return Score.objects.filter(
        evaluation__opportunity=opportunity, evaluation__frozen_at=None, criterion=criterion
    ).first()


def stored_total_is_fresh(opportunity: Opportunity) -> bool:
    live = Evaluation.objects.get(opportunity=opportunity, frozen_at=None)
    criteria = list(active_criteria(opportunity.owner_id))
    fresh = compute_decision_score(rated_live(criteria, Score.objects.filter(evaluation=live)))
    return (live.decision_score, live.scored_count) == (fresh.value, fresh.scored)


# --- Settings ---------------------------------------------------------------------------------


def test_settings_default_to_the_documented_assumptions_and_reading_never_writes(user):
    profile = pay_profile(user)
    assert profile.pk is None
    assert (profile.currency, profile.billable_hours_per_year) == ("USD", 1800)
    assert (profile.contractor_overhead_share, profile.employee_benefits_share) == (
        Decimal("0.25"),
        Decimal("0.30"),
    )
    assert (profile.employee_paid_time_off_days, profile.hours_per_day) == (25, 8)
    assert not Profile.objects.exists()


def test_saving_settings_stores_one_row_and_updates_it_after(user):
    settle(user, currency="EUR")
    settle(user, pay_floor=FLOOR, pay_target=TARGET)
    profile = Profile.objects.get(owner=user)
    assert (profile.currency, profile.pay_floor) == ("EUR", FLOOR)


def test_a_first_save_racing_another_updates_the_row_already_there(user):
    unsaved = pay_profile(user)  # read in one tab...
    Profile.objects.create(owner=user, currency="GBP")  # ...while another tab saved first
    unsaved.pay_floor, unsaved.pay_target = FLOOR, TARGET
    save_pay_settings(profile=unsaved)
    profile = Profile.objects.get(owner=user)
    assert (profile.currency, profile.pay_floor) == ("USD", FLOOR)


def test_examples_show_what_the_settings_mean(user):
    settle(user, employee_benefits_share=Decimal("0.20"))
    examples = pay_examples(pay_profile(user))
    salary_label, salary = examples[0]
    assert salary_label == "A salary of USD 50,000 a year, benefits not stated"
    assert salary.annual == Decimal(50_000) * Decimal("1.20")
    contract_label, contract = examples[1]
    assert contract_label == "A full-time contract at USD 50 an hour"
    # 50 x 1,800 x (1 - 25%) x (1 + 20%)
    assert contract.annual == Decimal(50) * 1800 * Decimal("0.75") * Decimal("1.20")


# --- Comparable pay of an opportunity ---------------------------------------------------------


def test_an_hourly_contract_is_worth_its_billable_hours(user):
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)
    pay = comparable_pay(opportunity, pay_profile(user))
    assert pay.breakdown.annual == CONTRACT_55_ANNUAL == Decimal(96_525)
    assert pay.breakdown.hourly == Decimal("53.63")  # 96,525 / 1,800 = 53.625, half up
    assert (pay.arrangement, pay.currency, pay.problem) == ("Subcontractor / contractor", "USD", "")


def test_an_offer_in_another_currency_uses_its_exchange_rate(user):
    opportunity = OpportunityFactory(
        owner=user,
        pay_basis="annual",
        pay_amount=Decimal(50_000),
        currency="EUR",
        exchange_rate=Decimal("1.10"),
    )
    pay = comparable_pay(opportunity, pay_profile(user))
    # EUR 50,000 x 1.10 = USD 55,000 of salary, plus the default 30% benefits
    assert pay.breakdown.annual == Decimal(50_000) * Decimal("1.10") * Decimal("1.30")
    assert "exchange rate" in pay.breakdown.lines[0].label


def test_an_offer_in_the_users_own_currency_ignores_a_stored_rate(user):
    settle(user, currency="EUR")
    opportunity = OpportunityFactory(
        owner=user,
        pay_basis="annual",
        pay_amount=Decimal(50_000),
        currency="EUR",
        exchange_rate=Decimal("1.10"),
    )
    pay = comparable_pay(opportunity, pay_profile(user))
    assert pay.breakdown.annual == Decimal(50_000) * Decimal("1.30")


def test_no_pay_entered_is_neither_a_value_nor_a_problem(user):
    pay = comparable_pay(OpportunityFactory(owner=user), pay_profile(user))
    assert (pay.breakdown, pay.problem, pay.entered) == (None, "", False)


def test_pay_made_unreadable_by_new_settings_says_why_instead_of_breaking(user):
    opportunity = OpportunityFactory(
        owner=user, pay_basis="annual", pay_amount=Decimal(40_000), paid_time_off_days=200
    )
    # 200 days of 8 of a 40-hour week were 40 weeks off; of 12 hours they are 60: too many.
    profile = settle(user, hours_per_day=Decimal(12))
    pay = comparable_pay(opportunity, profile)
    assert pay.breakdown is None
    assert "Paid time off must be shorter" in pay.problem
    derivation = derive_pay_score(pay, profile)
    assert (derivation.value, derivation.missing) == (None, "pay")


def test_comparable_pay_of_many_opportunities_costs_one_query(user, django_assert_num_queries):
    opportunities = [OpportunityFactory(owner=user, **CONTRACT_55) for _ in range(5)]
    with django_assert_num_queries(1):
        pay = comparable_pay_by_opportunity(user, opportunities)
    assert {p.breakdown.annual for p in pay.values()} == {CONTRACT_55_ANNUAL}


# --- Derived scores ---------------------------------------------------------------------------


def test_derived_scores_follow_pay_and_arrangement_from_the_start(user):
    with_floor_and_target(user)
    contract = OpportunityFactory(owner=user, **CONTRACT_55)
    salary = OpportunityFactory(owner=user, **PART_TIME_SALARY)

    # (96,525 - 30,000) / (110,000 - 30,000) = 0.83 of the way: 8
    assert pay_score(CONTRACT_55_ANNUAL, floor=FLOOR, target=TARGET) == 8
    assert live_score(contract, kind(user, "pay")).value == 8
    # (46,200 - 30,000) / 80,000 = 0.20: 2
    assert pay_score(PART_TIME_ANNUAL, floor=FLOOR, target=TARGET) == 2
    assert live_score(salary, kind(user, "pay")).value == 2
    assert live_score(contract, kind(user, "arrangement")).value == 9
    assert live_score(salary, kind(user, "arrangement")).value == 4
    for opportunity in (contract, salary):
        assert not live_score(opportunity, kind(user, "pay")).overridden
        assert stored_total_is_fresh(opportunity)


def test_changing_the_pay_updates_the_derived_score_and_the_total(user):
    with_floor_and_target(user)
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)
    opportunity.pay_amount = Decimal(30)  # 30 x 1,800 x 0.75 x 1.30 = 52,650: 2.8 -> 3
    changed = save_compensation(opportunity=opportunity)
    assert changed == 1
    assert live_score(opportunity, kind(user, "pay")).value == 3
    assert stored_total_is_fresh(opportunity)


def test_changing_the_settings_updates_every_derived_score(user):
    with_floor_and_target(user)
    contract = OpportunityFactory(owner=user, **CONTRACT_55)
    salary = OpportunityFactory(owner=user, **PART_TIME_SALARY)
    settle(user, pay_target=Decimal(60_000), employee_preference=6)
    # floor 30,000, target 60,000: the contract is above target (10), the salary at
    # (46,200 - 30,000) / 30,000 = 0.54 (5); the employee preference is now 6
    assert live_score(contract, kind(user, "pay")).value == 10
    assert live_score(salary, kind(user, "pay")).value == 5
    assert live_score(salary, kind(user, "arrangement")).value == 6
    assert stored_total_is_fresh(salary)


def test_save_pay_settings_counts_the_scores_it_changed(user):
    with_floor_and_target(user)
    OpportunityFactory(owner=user, **CONTRACT_55)
    OpportunityFactory(owner=user, **PART_TIME_SALARY)
    profile = pay_profile(user)
    profile.pay_floor = Decimal(0)
    # contract: 96,525 / 110,000 = 0.88 (9, was 8); salary 46,200 / 110,000 = 0.42 (4, was 2)
    assert save_pay_settings(profile=profile) == 2
    assert save_pay_settings(profile=profile) == 0


def test_an_arrangement_change_on_the_details_form_follows_too(user):
    with_floor_and_target(user)
    opportunity = OpportunityFactory(owner=user, **PART_TIME_SALARY)
    opportunity.arrangement = "contractor"
    update_opportunity(opportunity=opportunity, previous_stage=opportunity.stage)
    assert live_score(opportunity, kind(user, "arrangement")).value == 9


def test_a_score_set_by_hand_survives_new_inputs_until_cleared(user):
    with_floor_and_target(user)
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)
    pay = kind(user, "pay")
    save_score(opportunity=opportunity, criterion=pay, value=5)
    assert live_score(opportunity, pay).overridden

    opportunity.pay_amount = Decimal(30)
    save_compensation(opportunity=opportunity)
    settle(user, pay_floor=Decimal(0))
    assert live_score(opportunity, pay).value == 5

    derivation = use_derived_score(opportunity=opportunity, criterion=pay)
    # 52,650 / 110,000 = 0.48: 5 as well; a target of 60,000 tells them apart
    assert derivation.value == 5
    settle(user, pay_target=Decimal(60_000))  # 52,650 / 60,000 = 0.88: 9
    score = live_score(opportunity, pay)
    assert (score.value, score.overridden) == (9, False)
    assert stored_total_is_fresh(opportunity)


def test_the_same_value_or_a_note_alone_leaves_a_score_derived(user):
    with_floor_and_target(user)
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)
    pay = kind(user, "pay")
    save_score(opportunity=opportunity, criterion=pay, value=8, note="as derived")
    save_score(opportunity=opportunity, criterion=pay, value=8)
    score = live_score(opportunity, pay)
    assert (score.value, score.note, score.overridden) == (8, "as derived", False)


def test_a_derived_score_with_nothing_left_to_derive_from_is_unscored(user):
    with_floor_and_target(user)
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)
    save_score(opportunity=opportunity, criterion=kind(user, "arrangement"), value=3)
    opportunity.pay_basis, opportunity.pay_amount = "", None
    save_compensation(opportunity=opportunity)
    settle(user, contractor_preference=None)
    assert live_score(opportunity, kind(user, "pay")).value is None
    assert live_score(opportunity, kind(user, "arrangement")).value == 3  # set by hand


def test_clearing_an_override_with_nothing_to_derive_leaves_it_unscored(user):
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)  # no floor and target yet
    pay = kind(user, "pay")
    save_score(opportunity=opportunity, criterion=pay, value=6)
    derivation = use_derived_score(opportunity=opportunity, criterion=pay)
    assert (derivation.value, derivation.missing) == (None, "settings")
    score = live_score(opportunity, pay)
    assert (score.value, score.overridden) == (None, False)


def test_only_derived_criteria_can_use_a_derived_score(user, criteria):
    opportunity = OpportunityFactory(owner=user)
    manual = next(c for c in criteria if not c.kind)
    with pytest.raises(ValueError, match="scored by hand"):
        use_derived_score(opportunity=opportunity, criterion=manual)


def test_checkpoints_keep_their_scores_whatever_the_inputs_do(user):
    with_floor_and_target(user)
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)
    checkpoint = save_checkpoint(opportunity=opportunity, label="After the interview")
    settle(user, pay_floor=Decimal(90_000), pay_target=Decimal(100_000))
    frozen = Score.objects.get(evaluation=checkpoint, criterion=kind(user, "pay"))
    assert frozen.value == 8
    assert live_score(opportunity, kind(user, "pay")).value == 7  # 6,525 / 10,000


def test_restoring_an_archived_derived_criterion_brings_it_up_to_date(user):
    with_floor_and_target(user)
    opportunity = OpportunityFactory(owner=user, **CONTRACT_55)
    pay = kind(user, "pay")
    set_archived(criterion=pay, archived=True)
    settle(user, pay_target=Decimal(60_000))  # archived: not refreshed, still 8
    assert live_score(opportunity, pay).value == 8
    set_archived(criterion=pay, archived=False)
    assert live_score(opportunity, pay).value == 10


def test_other_users_are_never_touched(user, other_user):
    with_floor_and_target(other_user)
    theirs = OpportunityFactory(owner=other_user, **CONTRACT_55)
    with_floor_and_target(user)
    settle(user, pay_target=Decimal(60_000))
    assert live_score(theirs, kind(other_user, "pay")).value == 8


@pytest.mark.parametrize("count", [2, 30])
def test_refreshing_costs_the_same_however_many_opportunities(
    user, count, django_assert_num_queries
):
    for _ in range(count):
        OpportunityFactory(owner=user, **CONTRACT_55)
    Profile.objects.create(owner=user, pay_floor=FLOOR, pay_target=TARGET, contractor_preference=9)
    # savepoint; criteria, settings, live evaluations with their opportunities, their
    # scores; insert the new scores, store the totals; release
    with django_assert_num_queries(8):
        assert refresh_derived_scores(user) == 2 * count
    Profile.objects.filter(owner=user).update(pay_target=Decimal(60_000))
    # ... and when they are updated rather than created
    with django_assert_num_queries(8):
        assert refresh_derived_scores(user) == count
    assert {s.value for s in Score.objects.filter(criterion=kind(user, "pay"))} == {10}
