"""The owner decides what counts: taking the friends' score for a criterion as their own.

The friends' score is their whole median (``core.spread``) in one round. It is saved
through the scoring services like a slider's move (so on a derived criterion, Pay or the
arrangement, it is then set by hand until the derived score is used again), and the
opportunity's story records it as an entry of its own (``EntryKind.FRIENDS``). Keeping
one's own score needs no write at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.friends.core import Spread, spread
from opportunities.models import (
    Criterion,
    EntryKind,
    FriendRound,
    FriendScore,
    Opportunity,
    Owner,
    Score,
    TimelineEntry,
    owner_id_of,
)
from opportunities.scoring.services import save_live_score


class AdoptProblem(ValueError):
    """The friends' score cannot be taken, said in words for the owner."""


@dataclass(frozen=True, slots=True)
class Adopted:
    criterion: str
    before: int | None
    after: int
    friends: Spread
    entry: TimelineEntry | None
    """The story's entry; None when the score already was the friends' (nothing written)."""
    set_by_hand: bool
    """A derived criterion's score is now set by hand."""

    @property
    def changed(self) -> bool:
        return self.entry is not None


def adoption_title(criterion: str, *, after: int, before: int | None) -> str:
    was = "not scored" if before is None else str(before)
    return f"Took my friends' {criterion} score: {after} (was {was})"[:200]


def _body(friends: Spread, *, asked_on: str, set_by_hand: str | None) -> str:
    answers = f"{friends.count} friend{'s' if friends.count != 1 else ''}"
    sentences = [f"The median of {answers}' scores, asked on {asked_on}"]
    if friends.count > 1 and friends.low != friends.high:
        sentences[0] += f" (they ranged from {friends.low} to {friends.high})"
    sentences[0] += "."
    if friends.cant_say:
        sentences.append(f"{friends.cant_say} said they could not say.")
    if set_by_hand:
        sentences.append(set_by_hand)
    return " ".join(sentences)


def friends_spread(*, friend_round: FriendRound, opportunity_id: int, criterion_id: int) -> Spread:
    """The friends' median and range for one criterion of one opportunity of the round."""
    rows = FriendScore.objects.filter(
        answer__invitation__round=friend_round,
        answer__opportunity_id=opportunity_id,
        criterion_id=criterion_id,
    ).values_list("value", "cant_say")
    ratings = list(rows)
    return spread(
        [value for value, cant_say in ratings if not cant_say],
        cant_say=sum(1 for _, cant_say in ratings if cant_say),
    )


@transaction.atomic
def adopt_friends_score(
    *,
    user: Owner,
    round_id: int,
    opportunity_id: int,
    criterion_id: int,
    expected: int | None = None,
) -> Adopted:
    """Make the friends' median in round ``round_id`` the owner's live score for one
    criterion of one opportunity of the round, and record it in the opportunity's story.

    ``expected`` is the score the owner was shown: if more answers have moved the
    median since, nothing is written and :class:`AdoptProblem` says so. Raises
    ``DoesNotExist`` (nothing written) for a round, an opportunity of the round or an
    active criterion that is not the user's."""
    owner_id = owner_id_of(user)
    friend_round = FriendRound.objects.for_user(owner_id).get(pk=round_id)
    asked = FriendRound.opportunities.through.objects.filter(
        friendround_id=friend_round.pk, opportunity_id=opportunity_id
    )
    if not asked.exists():
        raise Opportunity.DoesNotExist("Not an opportunity of this round.")
    criterion = Criterion.objects.for_user(owner_id).get(pk=criterion_id, archived_at__isnull=True)
    friends = friends_spread(
        friend_round=friend_round, opportunity_id=opportunity_id, criterion_id=criterion_id
    )
    if friends.median is None:
        raise AdoptProblem(f"No friend has given {criterion.name} a score here yet.")
    if expected is not None and expected != friends.median:
        raise AdoptProblem(
            f"More answers came in: your friends' {criterion.name} score is now "
            f"{friends.median}, not {expected}. Nothing was changed; see the new figures."
        )
    before = (
        Score.objects.filter(
            evaluation__opportunity_id=opportunity_id,
            evaluation__frozen_at__isnull=True,
            criterion_id=criterion_id,
        )
        .values_list("value", flat=True)
        .first()
    )
    if before == friends.median:
        return Adopted(
            criterion=criterion.name,
            before=before,
            after=friends.median,
            friends=friends,
            entry=None,
            set_by_hand=False,
        )
    saved = save_live_score(
        user=owner_id,
        opportunity_id=opportunity_id,
        criterion_id=criterion_id,
        value=friends.median,
    )
    by_hand_now = None
    if saved.set_by_hand_now and criterion.derived_from_offer:
        by_hand_now = (
            f"{criterion.name} is now set by hand, no longer derived, until the derived "
            "score is used again."
        )
    elif saved.set_by_hand_now and criterion.is_number:
        by_hand_now = (
            f"{criterion.name} is now set by hand, no longer scored from its number, until "
            "a new number is typed."
        )
    entry = TimelineEntry.objects.create(
        owner_id=owner_id,
        opportunity_id=opportunity_id,
        kind=EntryKind.FRIENDS,
        happened_on=timezone.localdate(),
        title=adoption_title(criterion.name, after=friends.median, before=before),
        body=_body(
            friends,
            asked_on=date_format(timezone.localtime(friend_round.created_at), "j F Y"),
            set_by_hand=by_hand_now,
        ),
    )
    return Adopted(
        criterion=criterion.name,
        before=before,
        after=friends.median,
        friends=friends,
        entry=entry,
        set_by_hand=saved.set_by_hand_now and criterion.derived_from_offer,
    )
