"""Rebuilding the rounds of questions put to friends from an import file: each about
opportunities of the file, with its links and what friends answered through them.

A link comes back unusable: the file holds no token (nor its hash), so it gets the hash
of a fresh one nobody holds, and is revoked if it was not already, so the owner sees it
revoked and makes a new one for that friend."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from opportunities.accounts.queries import (
    FRIEND_ANSWER_FIELDS,
    FRIEND_ROUND_FIELDS,
    FRIEND_SCORE_FIELDS,
    INVITATION_FIELDS,
)
from opportunities.accounts.services.history import Links
from opportunities.accounts.services.reading import Problems, build_row, file_id, list_of
from opportunities.friends.core import MAX_LINKS_PER_ROUND, MAX_ROUNDS, hash_token, new_token
from opportunities.friends.services import MAX_OPPORTUNITIES_PER_ROUND
from opportunities.models import FriendAnswer, FriendInvitation, FriendRound, FriendScore
from opportunities.models.limits import MAX_CRITERIA


def import_friend_rounds(
    user: User, data: dict[str, Any], links: Links, problems: Problems
) -> None:
    """The file's rounds, their links (revoked, with a token nobody holds) and answers,
    each linked to what the file's ids became."""
    rows = list_of(
        data, "friend_rounds", where="the file", limit=MAX_ROUNDS, problems=problems, required=False
    )
    for n, round_data in enumerate(rows, start=1):
        where = f"friends' round {n}"
        asked = round_data.get("opportunities") if isinstance(round_data, dict) else None
        if not isinstance(asked, list) or any(file_id(i) is None for i in asked):
            problems.add(f"{where}, opportunities", "is not a list of opportunities")
            continue
        if not 1 <= len(set(asked)) <= MAX_OPPORTUNITIES_PER_ROUND:
            problems.add(
                f"{where}, opportunities",
                f"a round asks about 1 to {MAX_OPPORTUNITIES_PER_ROUND} opportunities; "
                f"this one, {len(set(asked))}",
            )
            continue
        if any(i not in links.opportunities for i in asked):
            problems.add(
                f"{where}, opportunities", "refers to an opportunity that is not in the file"
            )
            continue
        built = build_row(
            FriendRound,
            round_data,
            FRIEND_ROUND_FIELDS,
            where=where,
            problems=problems,
            owner_id=user.pk,
        )
        if built is None:
            continue
        _save_dated(built)
        opportunity_ids = {key: links.opportunities[key].pk for key in asked}
        built.opportunities.set(list(opportunity_ids.values()))
        invitations = list_of(
            round_data, "invitations", where=where, limit=MAX_LINKS_PER_ROUND, problems=problems
        )
        friends: set[object] = set()
        for m, link_data in enumerate(invitations, start=1):
            at = f"{where}, link {m}"
            if not isinstance(link_data, dict):
                problems.add(at, "is not an object")
                continue
            found, person_id = links.person(link_data.get("person"), where=at, problems=problems)
            invitation = build_row(
                FriendInvitation,
                link_data,
                INVITATION_FIELDS,
                where=at,
                problems=problems,
                owner_id=user.pk,
                round_id=built.pk,
                person_id=person_id,
                token_hash=hash_token(new_token()),
            )
            if invitation is None or not found:
                continue
            if {invitation.name, ("person", person_id)} & friends:
                problems.add(at, "is a second link for the same friend in this round")
                continue
            friends |= {invitation.name} | ({("person", person_id)} if person_id else set())
            invitation.revoked_at = invitation.revoked_at or timezone.now()
            _save_dated(invitation)
            _import_answers(user, link_data, invitation, opportunity_ids, links, at, problems)


def _save_dated(row: FriendRound | FriendInvitation) -> None:
    """Save ``row`` with the day it was made, as the file says (saving a new row stamps
    it now): a link's length is counted from it (see ``friends.services.invitations``)."""
    created_at = row.created_at
    row.save()
    if created_at is not None:
        type(row).objects.filter(pk=row.pk).update(created_at=created_at)
        row.created_at = created_at


def _import_answers(
    user: User,
    link_data: dict[str, Any],
    invitation: FriendInvitation,
    opportunity_ids: dict[int, int],
    links: Links,
    where: str,
    problems: Problems,
) -> None:
    """What one friend answered about each opportunity of the round, with their scores."""
    rows = list_of(link_data, "answers", where=where, limit=len(opportunity_ids), problems=problems)
    answered: set[int] = set()
    scores: list[FriendScore] = []
    for k, answer_data in enumerate(rows, start=1):
        at = f"{where}, answer {k}"
        key = file_id(answer_data.get("opportunity")) if isinstance(answer_data, dict) else None
        if key in answered:
            problems.add(at, "is a second answer about the same opportunity")
            continue
        if key is None or key not in opportunity_ids:
            problems.add(at, "refers to an opportunity its round did not ask about")
            continue
        answered.add(key)
        answer = build_row(
            FriendAnswer,
            answer_data,
            FRIEND_ANSWER_FIELDS,
            where=at,
            problems=problems,
            owner_id=user.pk,
            invitation_id=invitation.pk,
            opportunity_id=opportunity_ids[key],
        )
        if answer is None:
            continue
        answer.save()
        rated: set[int] = set()
        score_rows = list_of(answer_data, "scores", where=at, limit=MAX_CRITERIA, problems=problems)
        for j, score_data in enumerate(score_rows, start=1):
            ref = file_id(score_data.get("criterion")) if isinstance(score_data, dict) else None
            if ref in rated:
                problems.add(f"{at}, score {j}", "is a second score of the same criterion")
                continue
            if ref is None or ref not in links.criteria:
                problems.add(f"{at}, score {j}", "refers to a criterion that is not in the file")
                continue
            rated.add(ref)
            criterion = links.criteria[ref]
            if criterion is None:
                continue  # its criterion was refused, and said so
            score = build_row(
                FriendScore,
                score_data,
                FRIEND_SCORE_FIELDS,
                where=f"{at}, score {j}",
                problems=problems,
                owner_id=user.pk,
                answer_id=answer.pk,
                criterion_id=criterion.pk,
            )
            if score is not None:
                scores.append(score)
    FriendScore.objects.bulk_create(scores)
