"""Building rounds, links and friends' answers for the owner's side of asking friends."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from opportunities.friends.services import add_link, create_round
from opportunities.models import (
    Criterion,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    Opportunity,
)

CANT_SAY = "can't say"


def url(name: str, *args) -> str:
    return reverse(f"opportunities:{name}", args=args)


def make_round(user, *opportunities: Opportunity, **fields) -> FriendRound:
    return create_round(
        user=user,
        friend_round=FriendRound(**fields),
        opportunity_ids=[opportunity.pk for opportunity in opportunities],
    )


def make_link(friend_round: FriendRound, name: str, **kwargs) -> tuple[FriendInvitation, str]:
    """A link for ``name`` (no email sent unless asked): the invitation and its raw token."""
    kwargs.setdefault("send_email", False)
    issued = add_link(friend_round=friend_round, name=name, **kwargs)
    return issued.invitation, issued.token


def answer(
    invitation: FriendInvitation,
    opportunity: Opportunity,
    scores: dict[Criterion, int | str | None] | None = None,
    *,
    comments: dict[Criterion, str] | None = None,
    gut: str = "",
    reason: str = "",
) -> FriendAnswer:
    """What a friend said about one opportunity: scores (a number, ``CANT_SAY``, or None
    for a comment alone), comments, and their gut answer with its why."""
    given = FriendAnswer.objects.create(
        owner_id=invitation.owner_id,
        invitation=invitation,
        opportunity=opportunity,
        gut=gut,
        gut_reason=reason,
    )
    comments = comments or {}
    for criterion in {*(scores or {}), *comments}:
        value = (scores or {}).get(criterion)
        FriendScore.objects.create(
            owner_id=invitation.owner_id,
            answer=given,
            criterion=criterion,
            value=None if value == CANT_SAY else value,
            cant_say=value == CANT_SAY,
            comment=comments.get(criterion, ""),
        )
    FriendInvitation.objects.filter(pk=invitation.pk).update(answered_at=timezone.now())
    return given


def by_name(criteria, name: str) -> Criterion:
    return next(criterion for criterion in criteria if criterion.name == name)
