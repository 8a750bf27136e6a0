"""What friends had said about one opportunity, summed up to be frozen with a checkpoint
(``Evaluation.friends``), and read back for the journal's pages.

The copy is made by ``friends.core.snapshot`` when a checkpoint is saved (a decision's
included, and each option it was weighed against): per active criterion of the owner,
the friends' median, range and counts with their comments, and each friend's gut answer.
A friend counts once per opportunity: one asked in two rounds (the same person, or the
same name) counts with their newest answer.

``read_frozen`` reads such a copy back, strictly: an import file's copies pass through it
too, so what the journal shows was shaped as ``snapshot`` shapes it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from opportunities.friends.core import SaidAbout, Spread, snapshot, spread
from opportunities.models import (
    Criterion,
    Evaluation,
    FriendAnswer,
    FriendInvitation,
    FriendScore,
    GutCheck,
    Owner,
)
from opportunities.models.limits import MAX_CRITERIA, control_character_problem

MAX_FROZEN_FRIENDS = 1_000
"""Friends one checkpoint remembers (the newest answers first): far more than ever answer
about one opportunity, and a bound on what an import file may claim."""

_NAME_LENGTH = FriendInvitation._meta.get_field("name").max_length
_COMMENT_LENGTH = FriendScore._meta.get_field("comment").max_length
_REASON_LENGTH = FriendAnswer._meta.get_field("gut_reason").max_length
_CRITERION_LENGTH = Criterion._meta.get_field("name").max_length


def _friend_key(person_id: int | None, name: str) -> tuple[str, object]:
    return ("person", person_id) if person_id is not None else ("name", name.strip().casefold())


def friends_said(
    opportunity_id: int, *, owner: Owner, criteria: Sequence[Criterion]
) -> dict[str, object]:
    """What friends had said about the opportunity by now, as ``snapshot`` freezes it,
    over ``criteria`` (the owner's active ones, in order): one query when no friend has
    answered, two when some have. Empty when none has."""
    rows = (
        FriendAnswer.objects.for_user(owner)
        .filter(opportunity_id=opportunity_id)
        .order_by("-updated_at", "-id")
        .values_list("id", "gut", "gut_reason", "invitation__name", "invitation__person_id")
    )
    kept: dict[tuple[str, object], tuple[int, str, str, str]] = {}
    for answer_id, gut, reason, name, person_id in rows:
        key = _friend_key(person_id, name)
        if key not in kept and len(kept) < MAX_FROZEN_FRIENDS:
            kept[key] = (answer_id, name, gut, reason.strip())
    if not kept:
        return {}
    answers = sorted(kept.values(), key=lambda answer: (answer[1].casefold(), answer[0]))
    order = {answer_id: (n, name) for n, (answer_id, name, *_) in enumerate(answers)}
    by_criterion: dict[int, list[tuple[int, str, int | None, bool, str]]] = {}
    for answer_id, criterion_id, value, cant_say, comment in FriendScore.objects.filter(
        answer_id__in=list(order), criterion_id__in=[c.pk for c in criteria]
    ).values_list("answer_id", "criterion_id", "value", "cant_say", "comment"):
        by_criterion.setdefault(criterion_id, []).append(
            (*order[answer_id], value, cant_say, comment.strip())
        )
    said = []
    for criterion in criteria:
        ratings = sorted(by_criterion.get(criterion.pk, []), key=lambda rating: rating[0])
        if not ratings:
            continue
        summed = spread(
            [value for *_, value, cant_say, _ in ratings if not cant_say],
            cant_say=sum(1 for *_, cant_say, _ in ratings if cant_say),
        )
        comments = tuple((name, comment) for _, name, *_, comment in ratings if comment)
        if summed.count or summed.cant_say or comments:
            said.append(SaidAbout(criterion=criterion.name, spread=summed, comments=comments))
    guts = [(name, gut, reason) for _, name, gut, reason in answers if gut or reason]
    return snapshot(said, guts)


# --- Read back ----------------------------------------------------------------------------------


class FrozenProblem(ValueError):
    """A frozen copy of what friends said is not shaped as ``snapshot`` shapes it."""


@dataclass(frozen=True, slots=True)
class CriterionThen:
    criterion: str
    spread: Spread
    comments: tuple[tuple[str, str], ...]


@dataclass(frozen=True, slots=True)
class GutThen:
    name: str
    gut: str
    """yes, no, unsure, or "" when the friend gave only a reason."""
    reason: str

    @property
    def label(self) -> str:
        return str(GutCheck(self.gut).label) if self.gut else "No answer"


@dataclass(frozen=True, slots=True)
class FriendsThen:
    """What friends had said about an opportunity when a checkpoint froze it."""

    criteria: tuple[CriterionThen, ...]
    guts: tuple[GutThen, ...]

    @property
    def comments(self) -> tuple[tuple[str, str, str], ...]:
        """Every comment as (criterion, friend's name, comment)."""
        return tuple(
            (item.criterion, name, comment)
            for item in self.criteria
            for name, comment in item.comments
        )

    @property
    def gut_summary(self) -> str:
        """ "2 yes, 1 unsure": the gut answers counted, in the choices' order."""
        counts = [
            (sum(1 for gut in self.guts if gut.gut == choice), label)
            for choice, label in GutCheck.choices
        ]
        return ", ".join(f"{count} {str(label).lower()}" for count, label in counts if count)


def _text(value: Any, *, what: str, longest: int | None, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise FrozenProblem(f"{what} is not text")
    if not empty and not value.strip():
        raise FrozenProblem(f"{what} is empty")
    if longest is not None and len(value) > longest:
        raise FrozenProblem(f"{what} is longer than {longest} characters")
    if problem := control_character_problem(value):
        raise FrozenProblem(f"{what}: {problem}")
    return value


def _whole(value: Any, *, what: str, low: int, high: int) -> int:
    if type(value) is not int or not low <= value <= high:
        raise FrozenProblem(f"{what} is not a whole number from {low} to {high}")
    return value


def _list(value: Any, *, what: str, longest: int) -> list[Any]:
    if not isinstance(value, list):
        raise FrozenProblem(f"{what} is not a list")
    if len(value) > longest:
        raise FrozenProblem(f"{what} holds {len(value):,}; a checkpoint keeps {longest:,}")
    return value


def _spread(item: dict[str, Any], what: str) -> Spread:
    count = _whole(item["count"], what=f"{what}'s count", low=0, high=MAX_FROZEN_FRIENDS)
    cant_say = _whole(item["cant_say"], what=f"{what}'s can't say", low=0, high=MAX_FROZEN_FRIENDS)
    points = [item[key] for key in ("low", "median", "high")]
    if count == 0:
        if any(point is not None for point in points):
            raise FrozenProblem(f"{what} has a median or a range without any score")
        return Spread(median=None, low=None, high=None, count=0, cant_say=cant_say)
    low, median, high = (
        _whole(point, what=f"{what}'s {key}", low=0, high=10)
        for point, key in zip(points, ("low", "median", "high"), strict=True)
    )
    if not low <= median <= high:
        raise FrozenProblem(f"{what}'s median is not within its range")
    return Spread(median=median, low=low, high=high, count=count, cant_say=cant_say)


_CRITERION_KEYS = {"criterion", "median", "low", "high", "count", "cant_say", "comments"}


def _criterion(item: Any, n: int) -> CriterionThen:
    what = f"criterion {n}"
    if not isinstance(item, dict) or set(item) != _CRITERION_KEYS:
        raise FrozenProblem(f"{what} is not shaped as Crossroads freezes it")
    name = _text(item["criterion"], what=f"{what}'s name", longest=_CRITERION_LENGTH, empty=False)
    comments = []
    for k, pair in enumerate(
        _list(item["comments"], what=f"{what}'s comments", longest=MAX_FROZEN_FRIENDS), start=1
    ):
        if not isinstance(pair, list) or len(pair) != 2:
            raise FrozenProblem(f"{what}, comment {k} is not a name and a comment")
        comments.append(
            (
                _text(pair[0], what=f"{what}, comment {k}'s name", longest=_NAME_LENGTH),
                _text(pair[1], what=f"{what}, comment {k}", longest=_COMMENT_LENGTH, empty=False),
            )
        )
    return CriterionThen(criterion=name, spread=_spread(item, what), comments=tuple(comments))


def _gut(item: Any, n: int) -> GutThen:
    what = f"gut answer {n}"
    if not isinstance(item, list) or len(item) != 3:
        raise FrozenProblem(f"{what} is not a name, an answer and a reason")
    gut = item[1]
    if gut != "" and gut not in GutCheck.values:
        raise FrozenProblem(f"{what} is neither yes, no nor unsure")
    return GutThen(
        name=_text(item[0], what=f"{what}'s name", longest=_NAME_LENGTH),
        gut=gut,
        reason=_text(item[2], what=f"{what}'s reason", longest=_REASON_LENGTH),
    )


def read_frozen(data: Any) -> FriendsThen | None:
    """``data`` (an ``Evaluation.friends``) read back; None when no friend had answered.
    Raises ``FrozenProblem`` saying what is wrong when it is not shaped as ``snapshot``
    shapes it, with text and numbers within the bounds the forms keep."""
    if data == {}:
        return None
    if not isinstance(data, dict) or set(data) != {"criteria", "guts"}:
        raise FrozenProblem("it is not shaped as Crossroads freezes what friends said")
    criteria = tuple(
        _criterion(item, n)
        for n, item in enumerate(
            _list(data["criteria"], what="its criteria", longest=MAX_CRITERIA), start=1
        )
    )
    guts = tuple(
        _gut(item, n)
        for n, item in enumerate(
            _list(data["guts"], what="its gut answers", longest=MAX_FROZEN_FRIENDS), start=1
        )
    )
    if not criteria and not guts:
        raise FrozenProblem("it holds nothing friends said; an empty copy is {}")
    return FriendsThen(criteria=criteria, guts=guts)


def friends_then(checkpoint: Evaluation) -> FriendsThen | None:
    """What friends had said when ``checkpoint`` was frozen (no query), or None when no
    friend had answered (or the copy cannot be read: the page shows nothing rather than
    fail)."""
    try:
        return read_frozen(checkpoint.friends)
    except FrozenProblem:
        return None
