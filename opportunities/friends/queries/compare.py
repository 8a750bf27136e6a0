"""What friends said about the options of a comparison, summed up for "as my friends see
it": per option and criterion the friends' whole median and spread, from every round that
asked about the option, in one query however many options, criteria, rounds and friends.

A friend asked in several rounds counts once per option: their latest answer on it (a
friend who changed their mind has the last word). A friend is the person the link was
made for, or, for a link made for a name only, that name (ignoring case).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass
from datetime import datetime

from opportunities.friends.core import Spread, spread
from opportunities.models import FriendAnswer, Owner

type FriendKey = tuple[str, object]


@dataclass(frozen=True, slots=True)
class FriendsOnOptions:
    """Friends' answers on some options, summed up (only options someone answered about)."""

    answers: dict[int, int]
    """How many friends answered about each option (with a score or not)."""
    friends: int
    """How many friends answered about any of them."""
    spreads: dict[int, dict[Hashable, Spread]]
    """By option, then criterion: the friends' median, range and counts (criteria where a
    friend gave a score or said "I can't say")."""

    @property
    def medians(self) -> dict[int, dict[Hashable, int]]:
        """By option, then criterion, the friends' whole median where they gave a score: the
        ``medians`` that ``core.what_it_would_change`` takes."""
        return {
            option: {
                criterion: said.median
                for criterion, said in by_criterion.items()
                if said.median is not None
            }
            for option, by_criterion in self.spreads.items()
        }

    @property
    def any(self) -> bool:
        return bool(self.answers)


def _friend(person_id: int | None, name: str) -> FriendKey:
    return ("person", person_id) if person_id is not None else ("name", name.casefold())


def friends_on_options(
    user: Owner, *, options: Collection[int], criteria: Collection[Hashable]
) -> FriendsOnOptions:
    """What friends said about ``options`` (the user's) on ``criteria``, in one query.

    Scores on other criteria (archived ones, say) are left out; an answer about an option
    counts toward ``answers`` even when it holds only a gut feeling."""
    if not options:
        return FriendsOnOptions(answers={}, friends=0, spreads={})
    rows = (
        FriendAnswer.objects.for_user(user)
        .filter(opportunity_id__in=list(options))
        .order_by()
        .values_list(
            "pk",
            "opportunity_id",
            "updated_at",
            "invitation__person_id",
            "invitation__name",
            "scores__criterion_id",
            "scores__value",
            "scores__cant_say",
        )
    )
    latest: dict[tuple[int, FriendKey], tuple[datetime, int]] = {}
    said: dict[int, list[tuple[int | None, int | None, bool]]] = {}
    for answer, option, updated, person, name, criterion, value, cant_say in rows:
        key = (option, _friend(person, name))
        if key not in latest or (updated, answer) > latest[key]:
            latest[key] = (updated, answer)
        said.setdefault(answer, []).append((criterion, value, bool(cant_say)))

    wanted = set(criteria)
    answers: dict[int, int] = {}
    values: dict[int, dict[Hashable, list[int | None]]] = {}
    cant_says: dict[int, dict[Hashable, int]] = {}
    for (option, _), (_, latest_answer) in latest.items():
        answers[option] = answers.get(option, 0) + 1
        for rated, rating, unsure in said[latest_answer]:
            if rated is None or rated not in wanted:
                continue  # an answer with no scores, or a criterion not compared
            if unsure:
                counted = cant_says.setdefault(option, {})
                counted[rated] = counted.get(rated, 0) + 1
                values.setdefault(option, {}).setdefault(rated, [])
            elif rating is not None:
                values.setdefault(option, {}).setdefault(rated, []).append(rating)
    return FriendsOnOptions(
        answers=answers,
        friends=len({friend for _, friend in latest}),
        spreads={
            option: {
                criterion: spread(ratings, cant_say=cant_says.get(option, {}).get(criterion, 0))
                for criterion, ratings in by_criterion.items()
            }
            for option, by_criterion in values.items()
        },
    )
