"""The demo's friends: what Sam and Priya said about the part-time role and its variant
through their personal links, the day before the decision (see ``load_demo``)."""

from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from opportunities.friends.services import (
    OpportunityAnswer,
    Rating,
    add_link,
    create_round,
    revoke_link,
    save_answers,
)
from opportunities.models import Criterion, FriendRound, GutCheck, Opportunity, Person

CANT_SAY = "?"
RATED = ("Values fit", "Personal growth", "Professional development", "Daily & weekly life", "Pay")
# What two friends said through their links, on the role and on the same job as a
# subcontractor (the variant): a gut answer and why, a score per criterion of ``RATED`` (or
# "I can't say", or nothing), and a few comments. They see the daily life of the two quite
# differently from the owner: that is what their view would change.
FRIENDS_SAID: dict[str, dict[str, Any]] = {
    "Sam": {
        "role": (
            GutCheck.YES,
            "You light up when you talk about it. Say yes.",
            (9, 8, 7, 8, CANT_SAY),
            {
                "Values fit": "It is your kind of work: explaining things well.",
                "Daily & weekly life": "Part-time still leaves your mornings for writing.",
            },
        ),
        "variant": (
            GutCheck.UNSURE,
            "The same job, but you would be back to chasing invoices.",
            (8, 7, 7, 4, None),
            {"Daily & weekly life": "Contracting means invoices and quiet months again."},
        ),
    },
    "Priya": {
        "role": (
            GutCheck.UNSURE,
            "The hours are real, even part-time; the learning too.",
            (7, 9, 8, 5, 5),
            {
                "Personal growth": "Agency pace: you would learn fast.",
                "Daily & weekly life": "Agencies run on deadlines; 24 hours rarely stay 24.",
            },
        ),
        "variant": (
            GutCheck.YES,
            "Keep your independence and still learn from them.",
            (7, 8, 7, 5, 6),
            {"Pay": "Bill for the meetings too."},
        ),
    },
}


def ask_friends(
    role: Opportunity,
    variant: Opportunity,
    *,
    people: list[Person],
    criteria: dict[str, Criterion],
    year: int,
) -> None:
    """Sam and Priya answer about the role and its variant through their links, made on
    12 April and long expired since (one that has not, the demo loaded soon after an
    April, is revoked: no link works without someone holding it)."""
    asked = timezone.make_aware(datetime.combine(date(year, 4, 12), time(10)))
    friend_round = create_round(
        user=role.owner_id,
        friend_round=FriendRound(
            message=(
                "I've been invited to interview for a part-time content strategist "
                "role, as an employee or as a subcontractor. Would you take it in my "
                "place? Be honest: I'm weighing it against staying as I am."
            ),
            share_pay=True,
        ),
        opportunity_ids=[role.pk, variant.pk],
        now=asked,
    )
    options = {"role": role, "variant": variant}
    for hours, person in enumerate(people, start=8):
        link = add_link(
            friend_round=friend_round, name="", person=person, send_email=False, now=asked
        )
        save_answers(
            invitation=link.invitation,
            answers=[
                OpportunityAnswer(
                    opportunity_id=options[option].pk,
                    gut=gut,
                    gut_reason=reason,
                    ratings=tuple(
                        Rating(
                            criterion_id=criteria[name].pk,
                            value=value if isinstance(value, int) else None,
                            cant_say=value == CANT_SAY,
                            comment=comments.get(name, ""),
                        )
                        for name, value in zip(RATED, values, strict=True)
                    ),
                )
                for option, (gut, reason, values, comments) in FRIENDS_SAID[person.name].items()
            ],
            now=asked + timedelta(hours=hours),
        )
        if link.invitation.expires_at > timezone.now():
            revoke_link(invitation=link.invitation)
