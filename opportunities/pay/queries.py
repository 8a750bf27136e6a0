"""Reads of comparable pay: a user's pay settings, an opportunity's pay on the common
footing, and the scores derived from it (Pay, the arrangement). The arithmetic is
``pay.core``'s; this module feeds it the stored values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from opportunities.curves.core import Curve, CurveError, pay_curve
from opportunities.models import Criterion, CriterionKind, Opportunity, Owner, Profile
from opportunities.models.base import owner_id_of
from opportunities.pay.core import (
    ANNUAL,
    CONTRACTOR,
    EMPLOYEE,
    FREELANCE,
    HOURLY,
    TRANSITION,
    ComparablePay,
    PayAssumptions,
    PayBreakdown,
    PayInputError,
    PayInputs,
    arrangement_score,
    check_plausible_offer,
    check_plausible_pay,
    comparable_annual_pay,
)
from opportunities.pay.currencies import format_money

COMPENSATION_FIELDS = [
    "arrangement",
    "schedule",
    "hours_per_week",
    "pay_basis",
    "pay_amount",
    "currency",
    "exchange_rate",
    "paid_weeks_per_year",
    "paid_time_off_days",
    "benefits_amount",
    "benefits_percent",
    "overhead_share",
    "utilisation",
    "project_weeks",
]
"""What the pay form edits: everything comparable pay and the derived scores read."""

PREFERENCE_FIELDS = ("employee_preference", "contractor_preference", "freelance_preference")
"""A user's 0-10 preference for each arrangement, on their :class:`Profile`."""


ARRANGEMENT_NOUNS: Mapping[str, str] = {
    EMPLOYEE: "being an employee",
    CONTRACTOR: "working as a subcontractor",
    FREELANCE: "freelancing",
    TRANSITION: "being in transition",
}


def pay_profile(user: Owner) -> Profile:
    """The user's pay settings: the documented defaults until they save their own.

    Reading never writes: a user who has not saved settings gets an unsaved
    ``Profile`` with the defaults, which :func:`save_pay_settings` stores.
    """
    owner_id = owner_id_of(user)
    return Profile.objects.filter(owner_id=owner_id).first() or Profile(owner_id=owner_id)


def pay_assumptions(profile: Profile) -> PayAssumptions:
    return PayAssumptions(
        full_time_hours_per_week=profile.full_time_hours_per_week,
        billable_hours_per_year=profile.billable_hours_per_year,
        contractor_overhead_share=profile.contractor_overhead_share,
        employee_benefits_share=profile.employee_benefits_share,
        hours_per_day=profile.hours_per_day,
        employee_paid_time_off_days=profile.employee_paid_time_off_days,
    )


def arrangement_preferences(profile: Profile) -> dict[str, int]:
    """The 0-10 preferences the user has stated, by arrangement."""
    stated = {
        EMPLOYEE: profile.employee_preference,
        CONTRACTOR: profile.contractor_preference,
        FREELANCE: profile.freelance_preference,
    }
    return {arrangement: value for arrangement, value in stated.items() if value is not None}


def offer_currency(opportunity: Opportunity, currency: str) -> str:
    """The currency the offer is stated in: its own, or the user's ``currency``."""
    return opportunity.currency or currency


def pay_inputs(opportunity: Opportunity, *, currency: str) -> PayInputs | None:
    """The opportunity's compensation as ``pay`` reads it; None while no pay is entered.

    ``currency`` is the user's: an offer in it (or with no currency of its own) needs
    no exchange rate, whatever rate is stored.
    """
    if not opportunity.pay_basis or opportunity.pay_amount is None:
        return None
    foreign = bool(opportunity.currency) and opportunity.currency != currency
    return PayInputs(
        arrangement=opportunity.arrangement,
        basis=opportunity.pay_basis,
        amount=opportunity.pay_amount,
        hours_per_week=opportunity.hours_per_week,
        exchange_rate=opportunity.exchange_rate if foreign else Decimal(1),
        paid_weeks_per_year=opportunity.paid_weeks_per_year,
        paid_time_off_days=opportunity.paid_time_off_days,
        benefits_amount=opportunity.benefits_amount,
        benefits_percent=opportunity.benefits_percent,
        overhead_share=opportunity.overhead_share,
        utilisation=opportunity.utilisation,
        project_weeks=opportunity.project_weeks,
    )


def check_offer(opportunity: Opportunity, profile: Profile) -> None:
    """Raise ``PayInputError`` (naming the field) when the opportunity's pay cannot be
    kept: implausible amounts (an hourly rate of a billion), a rate the wrong way round,
    inputs that contradict each other. The one rule the pay form and an import apply."""
    if opportunity.exchange_rate is not None and opportunity.exchange_rate <= 0:
        raise PayInputError(
            "The exchange rate must be more than 0 (at least 0.000001).", field="exchange_rate"
        )
    own, theirs = profile.currency, offer_currency(opportunity, profile.currency)
    inputs = pay_inputs(opportunity, currency=own)
    if inputs is None:  # no pay yet; stated benefits still have to make sense
        if opportunity.benefits_amount is not None:
            check_plausible_pay(
                opportunity.benefits_amount, basis=ANNUAL, currency=theirs, field="benefits_amount"
            )
        return
    check_plausible_offer(inputs, offer_currency=theirs, currency=own)
    comparable_annual_pay(inputs, assumptions=pay_assumptions(profile))


def check_settings(profile: Profile) -> None:
    """Raise ``PayInputError`` when the pay settings cannot work together (billable hours
    beyond the year, a full-time week of 0 hours...): ``pay`` checks its assumptions
    whenever it computes, so it computes once on a plain salary. The one rule the pay
    settings form and an import apply."""
    comparable_annual_pay(
        PayInputs(arrangement=EMPLOYEE, basis=ANNUAL, amount=Decimal(1)),
        assumptions=pay_assumptions(profile),
    )
    for name in ("pay_floor", "pay_target"):
        if (amount := getattr(profile, name)) is not None:
            check_plausible_pay(amount, basis=ANNUAL, currency=profile.currency, field=name)


REMEMBERED_BREAKDOWNS = 4096
"""Breakdowns each process keeps (about 1 KB each): the open opportunities of a few
dozen people, drawn on every dashboard and comparison."""


def remembered_breakdown(inputs: PayInputs, assumptions: PayAssumptions) -> PayBreakdown:
    """:func:`~opportunities.pay.core.comparable_annual_pay`, worked out once per process
    for the same offer under the same settings (it is pure, and its result frozen). The
    inputs' ``repr`` is part of the key: 37.5 and 37.50 hours are equal numbers that its
    wording writes differently."""
    return _breakdown((repr(inputs), repr(assumptions)), inputs, assumptions)


@lru_cache(maxsize=REMEMBERED_BREAKDOWNS)
def _breakdown(
    written: tuple[str, str], inputs: PayInputs, assumptions: PayAssumptions
) -> PayBreakdown:
    return comparable_annual_pay(inputs, assumptions=assumptions)


def comparable_pay(opportunity: Opportunity, profile: Profile) -> ComparablePay:
    """The comparable annual value, effective hourly value and breakdown of one opportunity."""
    arrangement, currency = opportunity.get_arrangement_display(), profile.currency
    inputs = pay_inputs(opportunity, currency=currency)
    if inputs is None:
        return ComparablePay(arrangement, currency)
    try:
        # Pay stored before the plausibility rule could be absurd: it is not compared.
        check_plausible_offer(
            inputs, offer_currency=offer_currency(opportunity, currency), currency=currency
        )
        breakdown = remembered_breakdown(inputs, pay_assumptions(profile))
    except PayInputError as error:
        return ComparablePay(arrangement, currency, problem=str(error))
    return ComparablePay(arrangement, currency, breakdown=breakdown)


def comparable_pay_by_opportunity(
    user: Owner, opportunities: Iterable[Opportunity]
) -> dict[int, ComparablePay]:
    """Comparable pay of many opportunities in one query (the settings), however many."""
    profile = pay_profile(user)
    return {opportunity.pk: comparable_pay(opportunity, profile) for opportunity in opportunities}


@dataclass(frozen=True, slots=True)
class Derivation:
    """What a derived criterion scores for one opportunity, and why, in words."""

    value: int | None
    reason: str
    missing: Literal["", "pay", "settings"] = ""
    """What the user could add for a score to be derived: the offer's pay or a setting."""


def pay_criterion_of(criteria: Iterable[Criterion]) -> Criterion | None:
    """The Pay criterion among ``criteria`` (the user's active ones), or None."""
    return next((c for c in criteria if c.kind == CriterionKind.PAY), None)


def pay_curve_of(criterion: Criterion | None, profile: Profile) -> Curve | None:
    """The curve Pay is scored on: from the pay floor (0) to the target (10), shaped as
    the Pay ``criterion`` says (a straight line without one). None until the floor and
    the target are both set. A shape that cannot be drawn (an imported oddity) falls
    back to the straight line rather than break a page."""
    if profile.pay_floor is None or profile.pay_target is None:
        return None
    if criterion is None:
        return pay_curve(floor=profile.pay_floor, target=profile.pay_target)
    try:
        return pay_curve(
            floor=profile.pay_floor,
            target=profile.pay_target,
            shape=criterion.curve,
            bend=criterion.curve_bend,
            threshold=criterion.curve_threshold,
        )
    except CurveError:
        return pay_curve(floor=profile.pay_floor, target=profile.pay_target)


def curve_phrase(curve: Curve, currency: str) -> str:
    """How a Pay reason names a curve that is not the straight line ("" for it)."""
    if curve.degenerate:
        return ""
    match curve.shape:
        case "saturating":
            return " on your “levels off” curve"
        case "threshold":
            enough = curve.best if curve.threshold is None else curve.threshold
            return f" on your “enough or not” curve, enough from {format_money(enough, currency)}"
        case _:
            return ""


def derive_pay_score(
    pay: ComparablePay, profile: Profile, *, criterion: Criterion | None = None
) -> Derivation:
    """Pay scored 0 at the user's floor and 10 at their target, from the comparable value,
    through the curve of the Pay ``criterion`` (a straight line without one, exactly
    ``pay.core.pay_score``)."""
    if pay.problem:
        return Derivation(None, f"its pay cannot be compared: {pay.problem}", "pay")
    if pay.breakdown is None:
        return Derivation(None, "no pay is entered for it yet", "pay")
    curve = pay_curve_of(criterion, profile)
    if curve is None or profile.pay_floor is None or profile.pay_target is None:
        return Derivation(None, "you have not set a pay floor and target yet", "settings")
    annual = pay.breakdown.annual
    currency = profile.currency
    return Derivation(
        curve.score(annual),
        f"{format_money(annual, currency)} comparable a year, scored from your floor "
        f"{format_money(profile.pay_floor, currency)} (0) to your target "
        f"{format_money(profile.pay_target, currency)} (10){curve_phrase(curve, currency)}",
    )


def derive_arrangement_score(opportunity: Opportunity, profile: Profile) -> Derivation:
    """The arrangement scored by the user's stated preference for it."""
    noun = ARRANGEMENT_NOUNS.get(opportunity.arrangement, opportunity.arrangement)
    value = arrangement_score(opportunity.arrangement, preferences=arrangement_preferences(profile))
    if value is None and opportunity.arrangement == TRANSITION:
        # No preference is kept for being between things: it is scored by hand.
        return Derivation(None, f"there is no preference for {noun} to derive it from")
    if value is None:
        return Derivation(None, f"you have not said how much you like {noun}", "settings")
    return Derivation(value, f"your preference for {noun} is {value} out of 10")


def derivations(
    opportunity: Opportunity,
    profile: Profile,
    *,
    pay: ComparablePay | None = None,
    pay_criterion: Criterion | None = None,
) -> dict[str, Derivation]:
    """The derived score of each kind of derived criterion, for one opportunity; Pay
    through the curve of ``pay_criterion`` (the active Pay criterion; a straight line
    without one)."""
    if pay is None:
        pay = comparable_pay(opportunity, profile)
    return {
        CriterionKind.PAY: derive_pay_score(pay, profile, criterion=pay_criterion),
        CriterionKind.ARRANGEMENT: derive_arrangement_score(opportunity, profile),
    }


@dataclass(frozen=True, slots=True)
class OpportunityPay:
    """An opportunity's comparable pay and the scores derived from it, for its page."""

    pay: ComparablePay
    derived: Mapping[str, Derivation]
    """By criterion kind."""


def opportunity_pay(
    opportunity: Opportunity, *, criteria: Iterable[Criterion] | None = None
) -> OpportunityPay:
    """``criteria`` are the user's active ones, when the caller has them (else the Pay
    criterion is looked up: one more query)."""
    profile = pay_profile(opportunity.owner_id)
    pay = comparable_pay(opportunity, profile)
    pay_criterion = (
        active_pay_criterion(opportunity.owner_id)
        if criteria is None
        else pay_criterion_of(criteria)
    )
    return OpportunityPay(
        pay=pay, derived=derivations(opportunity, profile, pay=pay, pay_criterion=pay_criterion)
    )


def active_pay_criterion(user: Owner) -> Criterion | None:
    """The user's active Pay criterion (its curve), in one query."""
    return (
        Criterion.objects.for_user(user)
        .filter(archived_at__isnull=True, kind=CriterionKind.PAY)
        .order_by("position", "id")
        .first()
    )


@dataclass(frozen=True, slots=True)
class DerivedScoreState:
    """A derived criterion's live score on one opportunity: derived, or set by hand."""

    opportunity: Opportunity
    derivation: Derivation
    overridden: bool


def derived_score_state(
    user: Owner, *, opportunity_id: int, kind: str, overridden: bool
) -> DerivedScoreState:
    """The line under the slider of a derived criterion (of ``kind``) after a save moved
    it off its derived value (``overridden`` as the save reported it)."""
    opportunity = Opportunity.objects.for_user(user).get(pk=opportunity_id)
    pay_criterion, profile = None, None
    if kind == CriterionKind.PAY:
        # Pay's line needs its curve: read with the settings, in the one query they took.
        pay_criterion = (
            Criterion.objects.for_user(user)
            .filter(archived_at__isnull=True, kind=CriterionKind.PAY)
            .select_related("owner__profile")
            .order_by("position", "id")
            .first()
        )
        if pay_criterion is not None:
            profile = getattr(pay_criterion.owner, "profile", None) or Profile(
                owner_id=pay_criterion.owner_id
            )
    if profile is None:
        profile = pay_profile(user)
    derivation = derivations(opportunity, profile, pay_criterion=pay_criterion)[kind]
    return DerivedScoreState(opportunity, derivation, overridden)


PAY_EXAMPLES: tuple[tuple[str, PayInputs], ...] = (
    (
        "A salary of {amount} a year, benefits not stated",
        PayInputs(arrangement=EMPLOYEE, basis=ANNUAL, amount=Decimal(50_000)),
    ),
    (
        "A full-time contract at {amount} an hour",
        PayInputs(arrangement=CONTRACTOR, basis=HOURLY, amount=Decimal(50)),
    ),
    (
        "Freelancing 20 hours a week at {amount} an hour",
        PayInputs(
            arrangement=FREELANCE, basis=HOURLY, amount=Decimal(50), hours_per_week=Decimal(20)
        ),
    ),
)
"""Offers that show what the settings mean, e.g. where to put a pay floor and target."""


def pay_examples(profile: Profile) -> list[tuple[str, PayBreakdown]]:
    """:data:`PAY_EXAMPLES` worked out under the user's settings, in their currency."""
    assumptions = pay_assumptions(profile)
    return [
        (
            label.format(amount=format_money(inputs.amount, profile.currency)),
            comparable_annual_pay(inputs, assumptions=assumptions),
        )
        for label, inputs in PAY_EXAMPLES
    ]
