"""What a personal link shares with the friend holding it, and nothing more.

The friend's page reads through here only: the link found by its token's hash, the
opportunities of its round as the owner chose to share them (the description and the
hand-written notes of their story, the pay), the owner's active criteria, the friend's
own earlier answer, and (only once they have answered, and only if the owner allowed it)
the owner's live scores. Each read is one query, however many opportunities and criteria
the round has.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from opportunities.criteria.queries import active_criteria
from opportunities.friends.core import LinkState, hash_token, link_state, looks_like_token
from opportunities.models import (
    WRITTEN_BY_HAND,
    Criterion,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    Opportunity,
    Score,
    TimelineEntry,
)
from opportunities.pay.core import ComparablePay
from opportunities.pay.queries import COMPENSATION_FIELDS, comparable_pay_by_opportunity

NOTES_PER_OPPORTUNITY = 50
"""The newest hand-written notes of an opportunity's story shown to a friend; the rest
are summed up as a count."""

OPPORTUNITY_FIELDS = (
    "title",
    "organisation",
    "arrangement",
    "schedule",
    "hours_per_week",
    "location",
    "workplace",
    "notes",
    "is_status_quo",
    *COMPENSATION_FIELDS,
)
"""What is read of an opportunity for a friend: what the page may show, and what
comparable pay is worked out from. Never its contact, its people or its scores."""


def invitation_for_token(token: str) -> FriendInvitation | None:
    """The link ``token`` opens, with its round and owner, or None.

    Anything without a token's shape is refused before any query; a token is looked up
    only by its hash, the one thing stored."""
    if not looks_like_token(token):
        return None
    return (
        FriendInvitation.objects.select_related("round", "owner")
        .filter(token_hash=hash_token(token))
        .first()
    )


def state_of(invitation: FriendInvitation, *, now: datetime) -> LinkState:
    """Whether the link still takes answers, and if not, why."""
    return link_state(
        now=now,
        expires_at=invitation.expires_at,
        revoked_at=invitation.revoked_at,
        closed_at=invitation.round.closed_at,
    )


def owner_name(invitation: FriendInvitation) -> str:
    """How the friend's page names the person who asked: their first name, or their
    username when they gave none (never their full name or address)."""
    return invitation.owner.first_name.strip() or invitation.owner.username


@dataclass(frozen=True, slots=True)
class SharedNote:
    """A hand-written entry of an opportunity's story, without the people it names."""

    happened_on: date
    kind: str
    title: str
    body: str


@dataclass(frozen=True, slots=True)
class SharedOpportunity:
    opportunity: Opportunity
    """Only ``OPPORTUNITY_FIELDS`` are loaded; the page shows what the round shares."""
    notes: list[SharedNote] = field(default_factory=list)
    """The newest hand-written notes of its story (empty unless the description is shared)."""
    more_notes: int = 0
    """How many older notes are not shown."""
    pay: ComparablePay | None = None
    """Comparable pay, only when the round shares pay."""


@dataclass(frozen=True, slots=True)
class SharedPage:
    """Everything the friend's page shows, read in a fixed number of queries."""

    invitation: FriendInvitation
    round: FriendRound
    owner_name: str
    opportunities: list[SharedOpportunity]
    criteria: list[Criterion]
    answers: dict[int, FriendAnswer]
    """The friend's earlier answer per opportunity id, each with its ``scores`` loaded."""
    owner_scores: dict[tuple[int, int], int | None] | None
    """The owner's live score by (opportunity id, criterion id): None unless the round
    shares them and the friend has answered."""

    @property
    def answered(self) -> bool:
        return self.invitation.answered_at is not None


def round_opportunities(round_: FriendRound) -> list[Opportunity]:
    """The round's opportunities: the options in the order they were added to
    Crossroads, staying as you are last."""
    return list(
        Opportunity.objects.filter(friend_rounds=round_, owner_id=round_.owner_id)
        .only(*OPPORTUNITY_FIELDS)
        .order_by("is_status_quo", "pk")
    )


def _notes(opportunity_ids: list[int]) -> dict[int, list[SharedNote]]:
    rows = (
        TimelineEntry.objects.filter(opportunity_id__in=opportunity_ids, kind__in=WRITTEN_BY_HAND)
        .order_by("-happened_on", "-id")
        .values_list("opportunity_id", "happened_on", "kind", "title", "body")
    )
    labels = dict(TimelineEntry._meta.get_field("kind").flatchoices)
    notes: dict[int, list[SharedNote]] = defaultdict(list)
    for opportunity_id, happened_on, kind, title, body in rows:
        notes[opportunity_id].append(
            SharedNote(happened_on, str(labels.get(kind, kind)), title, body)
        )
    return notes


def friends_answers(invitation: FriendInvitation) -> dict[int, FriendAnswer]:
    """The friend's answers by opportunity id, each with its scores (two queries)."""
    return {
        answer.opportunity_id: answer
        for answer in FriendAnswer.objects.filter(invitation=invitation).prefetch_related("scores")
    }


def owners_live_scores(
    opportunity_ids: list[int], criteria: list[Criterion]
) -> dict[tuple[int, int], int | None]:
    rows = Score.objects.filter(
        evaluation__frozen_at__isnull=True,
        evaluation__opportunity_id__in=opportunity_ids,
        criterion_id__in=[criterion.pk for criterion in criteria],
    ).values_list("evaluation__opportunity_id", "criterion_id", "value")
    return {(opportunity_id, criterion_id): value for opportunity_id, criterion_id, value in rows}


def sheet_of(invitation: FriendInvitation) -> tuple[list[Opportunity], list[Criterion]]:
    """What a sent sheet is read against: the round's opportunities and the owner's
    active criteria (two queries), none of what the page only shows."""
    round_ = invitation.round
    return round_opportunities(round_), list(active_criteria(round_.owner_id))


def shared_page(invitation: FriendInvitation) -> SharedPage:
    """What the link shares, as the round allows: see the module's notes."""
    round_ = invitation.round
    opportunities = round_opportunities(round_)
    ids = [opportunity.pk for opportunity in opportunities]
    notes = _notes(ids) if round_.share_description and ids else {}
    pay = comparable_pay_by_opportunity(round_.owner_id, opportunities) if round_.share_pay else {}
    criteria = list(active_criteria(round_.owner_id))
    answered = invitation.answered_at is not None
    return SharedPage(
        invitation=invitation,
        round=round_,
        owner_name=owner_name(invitation),
        opportunities=[
            SharedOpportunity(
                opportunity=opportunity,
                notes=notes.get(opportunity.pk, [])[:NOTES_PER_OPPORTUNITY],
                more_notes=max(0, len(notes.get(opportunity.pk, [])) - NOTES_PER_OPPORTUNITY),
                pay=pay.get(opportunity.pk),
            )
            for opportunity in opportunities
        ],
        criteria=criteria,
        answers=friends_answers(invitation),
        owner_scores=(
            owners_live_scores(ids, criteria) if round_.share_scores and answered and ids else None
        ),
    )
