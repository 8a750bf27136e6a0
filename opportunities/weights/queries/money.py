"""Reads for weights in money and hours: the Pay scale a user's weights are priced on, and
the two things the pages show with it (the arithmetic is ``weights.core``'s).

- :func:`pay_scale` reads the active Pay criterion and the pay floor, target, currency
  and full-time week of the user's settings (one query, none when the caller already
  holds the settings).
- :func:`money_check` puts the difference between two compared options in money and
  hours: each main lead, then the net (the comparison page, "In money and hours").
- :func:`point_prices` says what one point of each criterion is worth (the criteria page).

Neither of the last two queries anything: they arrange what the page already read.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from django.http import QueryDict

from opportunities.compare.core import Comparison, Option
from opportunities.compare.queries import ComparisonData
from opportunities.models import Criterion, CriterionKind, CurveShape, Owner, Profile
from opportunities.pay.queries import pay_profile
from opportunities.weights.core import (
    Exchange,
    NoExchange,
    PayScale,
    exchange,
    leads,
    net_worth,
    round_money,
)
from opportunities.weights.queries.gut import GutFit, selection_fit

PAIR_PARAMS = ("money_a", "money_b")
"""The query parameters naming the two options "In money and hours" compares."""

LEADS_SHOWN = 3
"""Leads said outright; the others wait behind "more"."""

type Problem = Literal["", "no-pay", "no-weight", "no-scale"]
type PairProblem = Literal["", "same", "unknown"]


def pay_scale(
    user: Owner, criteria: Sequence[Criterion], profile: Profile | None = None
) -> PayScale | None:
    """What prices a point: the active Pay criterion (among ``criteria``) with the pay
    floor and target, currency and full-time week of the user's settings (``profile``
    when the caller has them, so none is read twice). None without an active Pay
    criterion. A floor or target not set yet gives a scale of 0 to 0, which
    ``exchange`` turns down as ``no-scale``."""
    pay = next((c for c in criteria if c.kind == CriterionKind.PAY and c.archived_at is None), None)
    if pay is None:
        return None
    if profile is None:
        profile = pay_profile(user)
    floor, target = profile.pay_floor, profile.pay_target
    if floor is None or target is None:
        floor = target = Decimal(0)
    return PayScale(
        pay_criterion=pay.pk,
        floor=Decimal(floor),
        target=Decimal(target),
        currency=profile.currency,
        full_time_hours=Decimal(profile.full_time_hours_per_week),
        curved=pay.curve != CurveShape.LINEAR,
    )


def _hours(rates: Exchange, amount: Decimal) -> Decimal:
    """``amount`` a year as hours of a full-time week, to a tenth of an hour."""
    return rates.hours_a_week(abs(amount)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _problem(rates: Exchange | NoExchange) -> Problem:
    return rates.reason if isinstance(rates, NoExchange) else ""


# --- The comparison: two options in money and hours ---------------------------------------------


@dataclass(frozen=True, slots=True)
class MoneyLead:
    """``ahead``'s lead of ``points`` in ``criterion``, worth ``amount`` a year (rounded
    as a sentence says it), or ``hours`` of a full-time week."""

    criterion: str
    ahead: str
    points: int
    amount: Decimal
    hours: Decimal


@dataclass(frozen=True, slots=True)
class MoneyCheck:
    """Two compared options' difference in money and hours, or why it cannot be said."""

    first: Option
    second: Option
    choices: Sequence[Option]
    chosen: bool
    """The user picked this pair (it is kept in the page's address)."""
    pair_problem: PairProblem
    """``"same"``: the same option was asked for twice (the selects keep it, and nothing
    is worked out); ``"unknown"``: a pair was asked for that is not two options of this
    comparison (the leader and the runner-up are shown instead)."""
    problem: Problem
    pay_name: str = "Pay"
    scale: PayScale | None = None
    leads: tuple[MoneyLead, ...] = ()
    net: Decimal = Decimal(0)
    """How much the one ahead is ahead by, a year (rounded; 0 when level)."""
    net_hours: Decimal = Decimal(0)
    ahead: Option | None = None
    behind: Option | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    """The pair as query parameters, when chosen (for the page's address)."""

    @property
    def pay_point(self) -> Decimal | None:
        """A point of Pay: a tenth of the floor-to-target range."""
        if self.scale is None or self.problem:
            return None
        return (self.scale.target - self.scale.floor) / 10

    @property
    def shown(self) -> tuple[MoneyLead, ...]:
        return self.leads[:LEADS_SHOWN]

    @property
    def more(self) -> tuple[MoneyLead, ...]:
        return self.leads[LEADS_SHOWN:]


def _option_key(raw: str | None) -> int | None:
    text = (raw or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        return None
    return int(text)


def read_pair(
    params: QueryDict | Mapping[str, str], keys: Sequence[int]
) -> tuple[tuple[int, int] | None, PairProblem]:
    """The pair of options asked for (None when nothing usable was), and what was wrong
    with it: ``"same"`` (one option twice: the pair is returned, to be shown as asked),
    ``"unknown"`` (not two of ``keys``: None), or ``""``."""
    raw = [params.get(name) for name in PAIR_PARAMS]
    if all(not value for value in raw):
        return None, ""
    first, second = (_option_key(value) for value in raw)
    if first is None or second is None or not {first, second} <= set(keys):
        return None, "unknown"
    return (first, second), "same" if first == second else ""


def money_check(
    *,
    options: Sequence[Option],
    default_pair: tuple[int, int],
    names: Mapping[Hashable, str],
    weights: Mapping[Hashable, int],
    scale: PayScale | None,
    params: QueryDict | Mapping[str, str],
) -> MoneyCheck:
    """The difference between two of ``options`` under ``weights`` (what-if ones
    included) in money and hours: the pair in ``params`` when it names two of them,
    otherwise ``default_pair`` (the leader and the runner-up)."""
    by_key = {option.key: option for option in options}
    asked, pair_problem = read_pair(params, list(by_key))
    a, b = asked or default_pair
    first, second = by_key[a], by_key[b]
    rates = exchange(weights, scale)
    check = MoneyCheck(
        first=first,
        second=second,
        choices=options,
        chosen=asked is not None,
        pair_problem=pair_problem,
        problem=_problem(rates),
        pay_name=names.get(scale.pay_criterion, "Pay") if scale is not None else "Pay",
        scale=scale,
        query=dict(zip(PAIR_PARAMS, (str(a), str(b)), strict=True)) if asked else {},
    )
    if not isinstance(rates, Exchange) or pair_problem == "same":
        return check
    titles: dict[Hashable, str] = {first.key: first.title, second.key: second.title}
    found = leads((first.key, first.scores), (second.key, second.scores), rates)
    net = net_worth(first.scores, second.scores, rates)
    rounded = round_money(abs(net))
    ahead, behind = (first, second) if net > 0 else (second, first)
    return replace(
        check,
        leads=tuple(
            MoneyLead(
                criterion=names[lead.criterion],
                ahead=titles[lead.ahead],
                points=lead.points,
                amount=round_money(lead.amount),
                hours=_hours(rates, lead.amount),
            )
            for lead in found
        ),
        net=rounded,
        net_hours=_hours(rates, net),
        ahead=ahead if rounded else None,
        behind=behind if rounded else None,
    )


def for_comparison(
    user: Owner, data: ComparisonData, comparison: Comparison, params: QueryDict
) -> tuple[MoneyCheck, GutFit | None]:
    """The comparison page's two checks on its weights (what-if ones included), from what
    it has read (no query of its own): two options in money and hours (the leader and
    the runner-up unless ``params`` name two), and how the matrix fits the set's own gut
    ranking, with the weight that would make it fit better."""
    money = comparison_money(user, data, comparison, params)
    order = data.gut_ranking.order if data.gut_ranking is not None else []
    fit = None
    if {option.key for option in data.options} == set(order):
        names: dict[Hashable, str] = {c.key: c.name for c in comparison.criteria}
        fit = selection_fit(order, data.options, dict(comparison.weights), names)
    return money, fit


def comparison_money(
    user: Owner, data: ComparisonData, comparison: Comparison, params: QueryDict
) -> MoneyCheck:
    """Two compared options in money and hours (the first check of :func:`for_comparison`,
    all that redrawing the section for another pair needs). The default pair is the top
    two of the ranking: the leader and the runner-up whenever two options have a score
    (options without one are ranked last), which needs no sensitivity analysis."""
    pair = comparison.ranking[:2]
    return money_check(
        options=data.options,
        default_pair=(pair[0].option.key, pair[1].option.key),
        names={c.key: c.name for c in comparison.criteria},
        weights=dict(comparison.weights),
        scale=pay_scale(user, data.criteria, data.profile),
        params=params,
    )


# --- The criteria page: what a point of each criterion is worth ---------------------------------


@dataclass(frozen=True, slots=True)
class PointPrice:
    """One point of a criterion is worth ``amount`` a year, or ``hours`` of a full-time week."""

    amount: Decimal
    hours: Decimal


@dataclass(frozen=True, slots=True)
class PointPrices:
    """What one point of each criterion is worth by the saved weights, or why it cannot
    be said."""

    problem: Problem
    scale: PayScale | None
    by_criterion: Mapping[Hashable, PointPrice]


def point_prices(criteria: Sequence[Criterion], scale: PayScale | None) -> PointPrices:
    weights: dict[Hashable, int] = {criterion.pk: criterion.weight for criterion in criteria}
    rates = exchange(weights, scale)
    if not isinstance(rates, Exchange):
        return PointPrices(problem=_problem(rates), scale=scale, by_criterion={})
    return PointPrices(
        problem="",
        scale=scale,
        by_criterion={
            key: PointPrice(amount=round_money(amount), hours=_hours(rates, amount))
            for key, amount in rates.per_point.items()
        },
    )
