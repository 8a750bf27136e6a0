"""The benchmark's friends: a round of asking friends per ordinary user, with its links.

Each ordinary user asks friends about two of their open opportunities. Five friends
have answered already (a rating of each of the first ``RATED`` criteria of both
options, a comment now and then, a gut answer): that is the owner's round page the
bench measures. The other links are fresh, for the friend's page and its submit.

A link is a token only its holder knows; the app stores its hash. The bench makes the
tokens itself (``core.new_token``), stores ``core.hash_token`` of each, as the app does,
and hands the tokens to the load generator in the manifest (a throwaway file of a
throwaway database).

The friend's page is rate-limited per link and per address (``friends.public_views``):
the bench gives every request of its rotation a link of its own and the load generator
a loopback address of its own (``bench.scenarios``), so a run stays far below both limits
with the limits as deployed.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from opportunities.friends.core import (
    DEFAULT_EXPIRY_DAYS,
    MAX_LINKS_PER_ROUND,
    hash_token,
    new_token,
)
from opportunities.models import (
    Criterion,
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    GutCheck,
    Opportunity,
)

ANSWERED = 5
"""Friends who have answered already, per round."""
ASKED_ABOUT = 2
"""Opportunities per round."""
RATED = 7
"""Criteria the friends rate (the first ones; with the defaults, the story's seven)."""
LINKS_WANTED = 600
"""Fresh links wanted per scenario over all users (``bench.scenarios.FRIEND_ROTATION``)."""
BATCH = 2000

COMMENTS = (
    "",
    "",
    "From what you told me about the team.",
    "Hard to say from outside.",
    "You lit up talking about this one.",
)
REASONS = (
    "It is what you have been asking for since last year.",
    "The hours would eat your weekends.",
    "I would wait for the offer in writing.",
)


@dataclass(slots=True)
class AskedFriends:
    """One user's round, for the manifest."""

    round: int
    opportunities: list[int]
    criteria: list[int]
    """The criteria the friends rate (the friend's page shows all the active ones)."""
    page_tokens: list[str] = field(default_factory=list)
    """Links nobody has used: the friend's page (GET)."""
    submit_tokens: list[str] = field(default_factory=list)
    """Links the submit scenario answers through (POST), again and again."""

    def as_dict(self) -> dict:
        return {
            "round": self.round,
            "answered": ANSWERED,
            "opportunities": self.opportunities,
            "criteria": self.criteria,
            "page_tokens": self.page_tokens,
            "submit_tokens": self.submit_tokens,
        }


def links_per_scenario(users: int) -> int:
    """Fresh links per user and scenario: ``LINKS_WANTED`` over all users, within what a
    round holds besides the friends who answered."""
    room = (MAX_LINKS_PER_ROUND - ANSWERED) // 2
    return max(1, min(room, math.ceil(LINKS_WANTED / max(1, users))))


def generate_friends(
    *,
    users: list,
    opportunities: list[Opportunity],
    criteria_by_user: dict[int, list[Criterion]],
    avoid: set[int],
    rng: random.Random,
    now: datetime,
) -> tuple[dict[int, AskedFriends], dict[str, int]]:
    """A round per user in ``users`` on two open opportunities (other than the status quo
    and those in ``avoid`` when the user has enough), in one bulk insert per table.
    Returns each user's round for the manifest, and the row counts."""
    candidates: dict[int, list[Opportunity]] = {}
    for opportunity in sorted(
        (o for o in opportunities if o.archived_at is None),
        key=lambda o: (o.is_status_quo or o.pk in avoid, o.is_status_quo, o.pk),
    ):
        candidates.setdefault(opportunity.owner_id, []).append(opportunity)
    asked = [user for user in users if len(candidates.get(user.pk, [])) >= ASKED_ABOUT]
    rounds = FriendRound.objects.bulk_create(
        [
            FriendRound(owner=user, message="Which of these would you take in my place?")
            for user in asked
        ],
        batch_size=BATCH,
    )
    Through = FriendRound.opportunities.through
    Through.objects.bulk_create(
        [
            Through(friendround_id=friend_round.pk, opportunity_id=opportunity.pk)
            for friend_round in rounds
            for opportunity in candidates[friend_round.owner_id][:ASKED_ABOUT]
        ],
        batch_size=BATCH,
    )
    fresh = links_per_scenario(len(asked))
    expires = now + timedelta(days=DEFAULT_EXPIRY_DAYS)
    invitations: list[FriendInvitation] = []
    manifest: dict[int, AskedFriends] = {}
    for friend_round in rounds:
        owner = friend_round.owner_id
        entry = manifest[owner] = AskedFriends(
            round=friend_round.pk,
            opportunities=[o.pk for o in candidates[owner][:ASKED_ABOUT]],
            criteria=[c.pk for c in criteria_by_user[owner][:RATED]],
        )

        def link(name: str, *, answered: bool, owner: int = owner, round_=friend_round) -> str:
            token = new_token()
            invitations.append(
                FriendInvitation(
                    owner_id=owner,
                    round=round_,
                    name=name,
                    token_hash=hash_token(token),
                    expires_at=expires,
                    answered_at=now - timedelta(hours=rng.randint(1, 72)) if answered else None,
                    last_used_at=now - timedelta(hours=1) if answered else None,
                )
            )
            return token

        for number in range(1, ANSWERED + 1):
            link(f"Friend {number}", answered=True)
        entry.page_tokens = [link(f"Visitor {n}", answered=False) for n in range(1, fresh + 1)]
        entry.submit_tokens = [link(f"Sender {n}", answered=False) for n in range(1, fresh + 1)]
    invitations = FriendInvitation.objects.bulk_create(invitations, batch_size=BATCH)

    answers: list[FriendAnswer] = []
    for invitation in invitations:
        if invitation.answered_at is None:
            continue
        for opportunity_id in manifest[invitation.owner_id].opportunities:
            answers.append(
                FriendAnswer(
                    owner_id=invitation.owner_id,
                    invitation=invitation,
                    opportunity_id=opportunity_id,
                    gut=rng.choice(GutCheck.values),
                    gut_reason=rng.choice(REASONS),
                )
            )
    answers = FriendAnswer.objects.bulk_create(answers, batch_size=BATCH)
    scores = []
    for answer in answers:
        leaning = rng.uniform(3, 8)
        for criterion_id in manifest[answer.owner_id].criteria:
            cant_say = rng.random() < 0.1
            scores.append(
                FriendScore(
                    owner_id=answer.owner_id,
                    answer=answer,
                    criterion_id=criterion_id,
                    value=None if cant_say else max(0, min(10, round(rng.gauss(leaning, 2)))),
                    cant_say=cant_say,
                    comment=rng.choice(COMMENTS),
                )
            )
    FriendScore.objects.bulk_create(scores, batch_size=BATCH)
    return manifest, {
        "friends' rounds": len(rounds),
        "friends' links": len(invitations),
        "friends' answers": len(answers),
        "friends' scores": len(scores),
    }
