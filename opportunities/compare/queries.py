"""Reads of a comparison: the selected opportunities as options (live scores and
comparable pay), the criteria, the gut ranking, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from opportunities.compare.core import Option, selection_key
from opportunities.criteria.queries import active_criteria
from opportunities.models import Criterion, GutRanking, Opportunity, Owner, Profile, Score
from opportunities.pay.queries import COMPENSATION_FIELDS, comparable_pay, pay_profile


@dataclass(frozen=True, slots=True)
class ComparisonData:
    """Everything the comparison page reads, fetched in a fixed number of queries."""

    options: list[Option]
    """The open opportunities asked for, in the order asked, with their live scores and,
    when there are two or more to compare, their comparable pay."""
    archived: list[Opportunity]
    """Asked for, but archived: left out of comparisons."""
    unknown: int
    """Ids that are not one of the user's opportunities (deleted, mistyped, someone else's)."""
    open_opportunities: list[Opportunity]
    """Every open opportunity, to pick another selection from (and the closed ones
    selected: a closed one can still be compared when asked for by name)."""
    criteria: list[Criterion]
    gut_ranking: GutRanking | None
    """The newest gut ranking of exactly the selected opportunities."""
    ranges: dict[int, dict[Hashable, tuple[int, int]]] = field(default_factory=dict)
    """The "I'm unsure" ranges (low, high) of the selected options' live scores, by
    opportunity id and criterion id; only scores that have one."""
    profile: Profile | None = None
    """The user's pay settings, read with the comparable pay (when two or more are
    compared), for whatever else prices in money ("In money and hours")."""


def load_comparison(user: Owner, *, ids: Sequence[int], whole: bool = True) -> ComparisonData:
    """Fetch a comparison in five queries, however many opportunities and criteria it has.

    Without ``whole``, only what pricing two options in money reads (four queries): no
    other open opportunity to pick from, no gut ranking and no comparable pay.
    Someone else's opportunity is indistinguishable from one that does not exist.
    """
    wanted = set(ids)
    mine = {
        opportunity.pk: opportunity
        for opportunity in Opportunity.objects.for_user(user)
        .filter(Q(archived_at__isnull=True) | Q(pk__in=wanted) if whole else Q(pk__in=wanted))
        .only(
            "title", "organisation", "is_status_quo", "archived_at", "stage", *COMPENSATION_FIELDS
        )
    }
    found = [mine[key] for key in ids if key in mine]
    selected = [opportunity for opportunity in found if opportunity.archived_at is None]
    scores: dict[int, dict[Hashable, int | None]] = {o.pk: {} for o in selected}
    ranges: dict[int, dict[Hashable, tuple[int, int]]] = {}
    if selected:
        live = (
            Score.objects.for_user(user)
            .filter(evaluation__frozen_at__isnull=True, evaluation__opportunity__in=list(scores))
            .values_list("evaluation__opportunity_id", "criterion_id", "value", "low", "high")
        )
        for opportunity_id, criterion_id, value, low, high in live:
            scores[opportunity_id][criterion_id] = value
            if value is not None and low is not None and high is not None:
                ranges.setdefault(opportunity_id, {})[criterion_id] = (low, high)
    gut_ranking = None
    profile = None
    pay = {}
    if len(selected) >= 2 and not whole:
        profile = pay_profile(user)
    elif len(selected) >= 2:
        gut_ranking = (
            GutRanking.objects.for_user(user)
            .filter(selection=selection_key(scores))
            .only("order", "created_at")
            .first()
        )
        profile = pay_profile(user)
        pay = {opportunity.pk: comparable_pay(opportunity, profile) for opportunity in selected}
    return ComparisonData(
        options=[
            Option(
                key=opportunity.pk,
                title=opportunity.title,
                subtitle=opportunity.organisation,
                is_status_quo=opportunity.is_status_quo,
                scores=scores[opportunity.pk],
                pay=pay.get(opportunity.pk),
            )
            for opportunity in selected
        ],
        archived=[opportunity for opportunity in found if opportunity.archived_at is not None],
        unknown=len(wanted) - len(found),
        open_opportunities=[
            o
            for o in mine.values()
            if o.archived_at is None and (not o.is_closed or o.pk in wanted)
        ],
        criteria=list(active_criteria(user)),
        gut_ranking=gut_ranking,
        ranges=ranges,
        profile=profile,
    )
