"""Reads for the owner's side of asking friends: the rounds with their links, a round's
results (per criterion the owner's score beside the friends' median and spread, the
comments and gut answers, and what the friends' view would change in the ranking), and
the rounds on an opportunity's page. Each in a fixed number of queries, however many
friends, criteria and opportunities.

The results of a round count every answer given through its links, those of links since
revoked or reissued included: the answers are the friends', the links only carried them.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from opportunities.compare.core import ComparedCriterion, Option
from opportunities.criteria.queries import active_criteria
from opportunities.friends.core import (
    MAX_EXPIRY_DAYS,
    LinkState,
    Spread,
    WhatItWouldChange,
    link_state,
    outside_range,
    spread,
    what_it_would_change,
)
from opportunities.models import (
    Criterion,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    GutCheck,
    Opportunity,
    Owner,
    Person,
    Score,
)
from opportunities.people.queries import people_for

ROUNDS_PER_PAGE = 20
Asked = FriendRound.opportunities.through


# --- Links ---------------------------------------------------------------------------------------


def link_days(invitation: FriendInvitation) -> int:
    """How many days ``invitation``'s link was made to last: ``expires_at - created_at``
    (a new link for the same friend restarts both)."""
    days = round((invitation.expires_at - invitation.created_at) / timedelta(days=1))
    return min(max(days, 1), MAX_EXPIRY_DAYS)


@dataclass(frozen=True, slots=True)
class Link:
    """One friend's link as the owner's list shows it."""

    invitation: FriendInvitation
    state: LinkState

    @property
    def is_open(self) -> bool:
        return self.state == LinkState.OPEN

    @property
    def days(self) -> int:
        return link_days(self.invitation)


def links_of(
    invitations: Sequence[FriendInvitation], *, closed_at: datetime | None, now: datetime
) -> list[Link]:
    return [
        Link(
            invitation=invitation,
            state=link_state(
                now=now,
                expires_at=invitation.expires_at,
                revoked_at=invitation.revoked_at,
                closed_at=closed_at,
            ),
        )
        for invitation in invitations
    ]


def _asked_in_order(round_ids: Sequence[int]) -> dict[int, list[Opportunity]]:
    """The opportunities of each round, in the order they were asked about, in one query."""
    asked: dict[int, list[Opportunity]] = {pk: [] for pk in round_ids}
    for row in (
        Asked.objects.filter(friendround_id__in=list(round_ids))
        .select_related("opportunity")
        .only(
            "friendround_id",
            "opportunity__title",
            "opportunity__organisation",
            "opportunity__is_status_quo",
            "opportunity__archived_at",
            "opportunity__stage",
        )
        .order_by("pk")
    ):
        asked[row.friendround_id].append(row.opportunity)
    return asked


# --- The list of rounds --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RoundSummary:
    round: FriendRound
    opportunities: list[Opportunity]
    links: list[Link]

    @property
    def answered(self) -> int:
        return sum(1 for link in self.links if link.invitation.answered_at is not None)

    @property
    def open_links(self) -> int:
        return sum(1 for link in self.links if link.is_open)


def rounds_for(user: Owner) -> QuerySet[FriendRound]:
    """The user's rounds, newest first."""
    return FriendRound.objects.for_user(user).order_by("-created_at", "-pk")


def round_summaries(rounds: Sequence[FriendRound]) -> list[RoundSummary]:
    """``rounds`` (a page of them) with their opportunities and links, in two queries."""
    now = timezone.now()
    ids = [friend_round.pk for friend_round in rounds]
    asked = _asked_in_order(ids)
    links: dict[int, list[FriendInvitation]] = {pk: [] for pk in ids}
    for invitation in FriendInvitation.objects.filter(round_id__in=ids).order_by("pk"):
        links[invitation.round_id].append(invitation)
    return [
        RoundSummary(
            round=friend_round,
            opportunities=asked[friend_round.pk],
            links=links_of(links[friend_round.pk], closed_at=friend_round.closed_at, now=now),
        )
        for friend_round in rounds
    ]


def _count(queryset: QuerySet, by: str) -> Coalesce:
    counted = queryset.order_by().values(by).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def opportunity_rounds(opportunity: Opportunity, *, limit: int = 10) -> list[FriendRound]:
    """The newest rounds that asked about ``opportunity``, each with ``link_count`` and
    ``answer_count`` (the answers about this opportunity), in one query."""
    return list(
        FriendRound.objects.for_user(opportunity.owner_id)
        .filter(pk__in=Asked.objects.filter(opportunity=opportunity).values("friendround_id"))
        .annotate(
            link_count=_count(FriendInvitation.objects.filter(round=OuterRef("pk")), "round"),
            answer_count=_count(
                FriendAnswer.objects.filter(
                    invitation__round=OuterRef("pk"), opportunity=opportunity
                ),
                "opportunity",
            ),
        )
        .order_by("-created_at", "-pk")[:limit]
    )


# --- A round's results ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """One criterion of one opportunity: "You 8 · friends 5 (4-7), 3 answers"."""

    opportunity: Opportunity
    criterion: Criterion
    own: int | None
    friends: Spread
    comments: tuple[tuple[str, str], ...] = ()

    @property
    def flagged(self) -> bool:
        """The owner's score sits outside every friend's."""
        return outside_range(self.own, self.friends)

    @property
    def adoptable(self) -> bool:
        return self.friends.median is not None and self.friends.median != self.own

    @property
    def sentence(self) -> str:
        own = "–" if self.own is None else str(self.own)
        if self.friends.median is None:
            return f"You {own} · no score from friends yet"
        return f"You {own} · friends {self.friends.display}"

    @property
    def row_id(self) -> str:
        return f"result-{self.opportunity.pk}-{self.criterion.pk}"


@dataclass(frozen=True, slots=True)
class Gut:
    name: str
    gut: str
    reason: str

    @property
    def label(self) -> str:
        return str(GutCheck(self.gut).label) if self.gut in GutCheck.values else "No answer"


@dataclass(frozen=True, slots=True)
class OpportunityResults:
    opportunity: Opportunity
    answers: int
    criteria: list[CriterionResult]
    guts: list[Gut]


@dataclass(frozen=True, slots=True)
class RoundPage:
    """Everything a round's page shows."""

    round: FriendRound
    opportunities: list[Opportunity]
    links: list[Link]
    results: list[OpportunityResults]
    answered: int
    """How many friends have answered (about any opportunity of the round)."""
    change: WhatItWouldChange | None
    """What the friends' scores would change in the ranking; None without two options
    to rank or without a friend's score."""
    status_quo: Opportunity | None = None
    """The status quo, ranked beside the round's opportunities though not asked about."""
    criteria: list[Criterion] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        """What the friends' view changes: one criterion at a time, then all at once."""
        if self.change is None:
            return []
        return [change.sentence for change in self.change.changes]

    def row(self, opportunity_id: int, criterion_id: int) -> CriterionResult | None:
        for result in self.results:
            if result.opportunity.pk == opportunity_id:
                for row in result.criteria:
                    if row.criterion.pk == criterion_id:
                        return row
        return None


def _live_scores(owner: Owner, ids: Sequence[int]) -> dict[int, dict[Hashable, int | None]]:
    scores: dict[int, dict[Hashable, int | None]] = {pk: {} for pk in ids}
    for opportunity_id, criterion_id, value in (
        Score.objects.for_user(owner)
        .filter(evaluation__frozen_at__isnull=True, evaluation__opportunity__in=list(ids))
        .values_list("evaluation__opportunity_id", "criterion_id", "value")
    ):
        scores[opportunity_id][criterion_id] = value
    return scores


def round_page(friend_round: FriendRound, *, now: datetime | None = None) -> RoundPage:
    """A round's links and results, in seven queries however many friends answered."""
    owner = friend_round.owner_id
    moment = now or timezone.now()
    opportunities = _asked_in_order([friend_round.pk])[friend_round.pk]
    invitations = list(FriendInvitation.objects.filter(round=friend_round).order_by("pk"))
    names = {invitation.pk: invitation.name for invitation in invitations}
    answers = list(
        FriendAnswer.objects.filter(invitation__round=friend_round)
        .order_by("invitation_id", "pk")
        .values_list("invitation_id", "opportunity_id", "gut", "gut_reason")
    )
    ratings: dict[tuple[int, int], list[tuple[str, int | None, bool, str]]] = {}
    for invitation_id, opportunity_id, criterion_id, value, cant_say, comment in (
        FriendScore.objects.filter(answer__invitation__round=friend_round)
        .order_by("answer__invitation_id", "pk")
        .values_list(
            "answer__invitation_id",
            "answer__opportunity_id",
            "criterion_id",
            "value",
            "cant_say",
            "comment",
        )
    ):
        ratings.setdefault((opportunity_id, criterion_id), []).append(
            (names.get(invitation_id, ""), value, cant_say, comment)
        )
    criteria = list(active_criteria(owner))
    ids = [opportunity.pk for opportunity in opportunities]
    status_quo = (
        Opportunity.objects.for_user(owner)
        .filter(is_status_quo=True, archived_at__isnull=True)
        .exclude(pk__in=ids)
        .only("title", "organisation", "is_status_quo")
        .first()
    )
    ranked = [*opportunities, *([status_quo] if status_quo is not None else [])]
    own = _live_scores(owner, [opportunity.pk for opportunity in ranked])

    results = []
    for opportunity in opportunities:
        rows = []
        for criterion in criteria:
            said = ratings.get((opportunity.pk, criterion.pk), [])
            rows.append(
                CriterionResult(
                    opportunity=opportunity,
                    criterion=criterion,
                    own=own[opportunity.pk].get(criterion.pk),
                    friends=spread(
                        [value for _, value, cant_say, _ in said if not cant_say],
                        cant_say=sum(1 for _, _, cant_say, _ in said if cant_say),
                    ),
                    comments=tuple((name, text) for name, _, _, text in said if text.strip()),
                )
            )
        given = [
            (invitation_id, gut, reason)
            for invitation_id, opportunity_id, gut, reason in answers
            if opportunity_id == opportunity.pk
        ]
        results.append(
            OpportunityResults(
                opportunity=opportunity,
                answers=len(given),
                criteria=rows,
                guts=[
                    Gut(name=names.get(invitation_id, ""), gut=gut, reason=reason)
                    for invitation_id, gut, reason in given
                    if gut or reason.strip()
                ],
            )
        )

    medians: dict[int, dict[Hashable, int]] = {
        result.opportunity.pk: {
            row.criterion.pk: row.friends.median
            for row in result.criteria
            if row.friends.median is not None
        }
        for result in results
    }
    change = None
    if len(ranked) >= 2 and any(medians.values()):
        change = what_it_would_change(
            [
                Option(
                    key=opportunity.pk,
                    title=opportunity.title,
                    subtitle=opportunity.organisation,
                    is_status_quo=opportunity.is_status_quo,
                    scores=own[opportunity.pk],
                )
                for opportunity in ranked
            ],
            [
                ComparedCriterion(
                    key=criterion.pk,
                    name=criterion.name,
                    weight=criterion.weight,
                    saved_weight=criterion.weight,
                    minimum=criterion.minimum,
                )
                for criterion in criteria
            ],
            medians,
        )
    return RoundPage(
        round=friend_round,
        opportunities=opportunities,
        links=links_of(invitations, closed_at=friend_round.closed_at, now=moment),
        results=results,
        answered=len({invitation_id for invitation_id, *_ in answers}),
        change=change,
        status_quo=status_quo,
        criteria=criteria,
    )


def people_to_invite(user: Owner) -> QuerySet[Person]:
    """What the add-a-link form offers to pick from: the user's people, by name."""
    return people_for(user).only("owner", "name", "email")


def asked_opportunities(user: Owner, ids: Sequence[int]) -> list[Opportunity]:
    """The user's opportunities among ``ids`` that a round may ask about (open or
    closed, not archived), in the order given."""
    found = {
        opportunity.pk: opportunity
        for opportunity in Opportunity.objects.for_user(user)
        .filter(pk__in=list(ids), archived_at__isnull=True)
        .only("title", "organisation", "is_status_quo", "stage", "archived_at")
    }
    return [found[pk] for pk in ids if pk in found]


def owns_opportunity(user: Owner, pk: int) -> bool:
    return Opportunity.objects.for_user(user).filter(pk=pk).exists()


def open_opportunities(user: Owner) -> list[Opportunity]:
    """The opportunities to pick from when a round is started from nowhere in particular:
    every one not archived, open ones first."""
    return sorted(
        Opportunity.objects.for_user(user)
        .filter(archived_at__isnull=True)
        .only("title", "organisation", "is_status_quo", "stage", "archived_at"),
        key=lambda opportunity: (opportunity.is_closed, opportunity.title.casefold()),
    )
