"""A friend's answer through their link: saved whole, in one transaction, or not at all.

The friend may change it until the link expires, is revoked or the round closes; each
send replaces what they said before about the same things. A rating left with nothing in
it (no score, no "I can't say", no comment) is not kept, and neither is an opportunity
they said nothing about.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import reduce

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce

from opportunities.models import FriendAnswer, FriendInvitation, FriendScore
from opportunities.web.secret_links import record_use


@dataclass(frozen=True, slots=True)
class Rating:
    criterion_id: int
    value: int | None
    cant_say: bool
    comment: str

    @property
    def is_empty(self) -> bool:
        return self.value is None and not self.cant_say and not self.comment


@dataclass(frozen=True, slots=True)
class OpportunityAnswer:
    """What the friend said about one opportunity of the round."""

    opportunity_id: int
    gut: str
    gut_reason: str
    ratings: tuple[Rating, ...]

    @property
    def is_empty(self) -> bool:
        return not self.gut and not self.gut_reason and all(r.is_empty for r in self.ratings)


class LinkNoLongerOpen(Exception):
    """The link was revoked, expired or its round closed while the answer was on its way."""


USE_RECORDED_EVERY = timedelta(minutes=1)
"""How often a friend's look at their page is written down: the owner's list shows it to
the minute, and a friend reloading costs one UPDATE a minute, not one a look (each is a
write, which retires the owner's cached pages)."""


def touch(invitation: FriendInvitation, *, now: datetime) -> bool:
    """Record that the link was used, at most once per ``USE_RECORDED_EVERY``: no query
    when the note is recent, else one UPDATE. Whether it wrote."""
    return record_use(invitation, now=now, every=USE_RECORDED_EVERY)


def save_answers(
    *, invitation: FriendInvitation, answers: Sequence[OpportunityAnswer], now: datetime
) -> None:
    """Keep the friend's answers: one per opportunity, one rating per criterion, each
    replacing what they said before; what is now empty is removed.

    ``answers`` must hold only the round's opportunities and the owner's criteria (the
    friend's page reads no others). Raises ``LinkNoLongerOpen``, saving nothing, when the
    link stopped taking answers in the meantime: the check and the write are one
    statement, so a revoke that lands first always wins."""
    with transaction.atomic():
        still_open = FriendInvitation.objects.filter(
            pk=invitation.pk,
            revoked_at__isnull=True,
            expires_at__gt=now,
            round__closed_at__isnull=True,
        ).update(last_used_at=now, answered_at=Coalesce("answered_at", now))
        if not still_open:
            raise LinkNoLongerOpen
        _replace(invitation, answers)
    invitation.last_used_at = now
    if invitation.answered_at is None:
        invitation.answered_at = now


def _replace(invitation: FriendInvitation, answers: Sequence[OpportunityAnswer]) -> None:
    owner_id = invitation.owner_id
    kept = [answer for answer in answers if not answer.is_empty]
    gone = [answer.opportunity_id for answer in answers if answer.is_empty]
    if gone:
        FriendAnswer.objects.filter(invitation=invitation, opportunity_id__in=gone).delete()
    if not kept:
        return
    rows = FriendAnswer.objects.bulk_create(
        [
            FriendAnswer(
                owner_id=owner_id,
                invitation=invitation,
                opportunity_id=answer.opportunity_id,
                gut=answer.gut,
                gut_reason=answer.gut_reason,
            )
            for answer in kept
        ],
        update_conflicts=True,
        unique_fields=["invitation", "opportunity"],
        update_fields=["gut", "gut_reason", "updated_at"],
    )
    answer_ids = {row.opportunity_id: row.pk for row in rows}
    cleared = [
        Q(answer_id=answer_ids[answer.opportunity_id], criterion_id__in=criteria)
        for answer in kept
        if (criteria := [r.criterion_id for r in answer.ratings if r.is_empty])
    ]
    if cleared:
        FriendScore.objects.filter(reduce(operator.or_, cleared)).delete()
    scores = [
        FriendScore(
            owner_id=owner_id,
            answer_id=answer_ids[answer.opportunity_id],
            criterion_id=rating.criterion_id,
            value=None if rating.cant_say else rating.value,
            cant_say=rating.cant_say,
            comment=rating.comment,
        )
        for answer in kept
        for rating in answer.ratings
        if not rating.is_empty
    ]
    if scores:
        FriendScore.objects.bulk_create(
            scores,
            update_conflicts=True,
            unique_fields=["answer", "criterion"],
            update_fields=["value", "cant_say", "comment"],
        )
