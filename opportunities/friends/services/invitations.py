"""Writes for the owner's side of asking friends: rounds, and the personal links in them.

A link is a random token (``core.new_token``) of which only the hash is stored. The raw
token leaves this module once, in the :class:`IssuedLink` returned to the view that shows
it, and, when the friend has an email address, sealed with the site's secret key in the
arguments of the email task (``friends.tasks``), queued once the transaction commits. It
is never stored or logged.

A link's length in days is kept implicitly as ``expires_at - created_at``: a new link for
the same friend (:func:`reissue_link`) is a new link, so it restarts ``created_at`` too.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.friends.core import (
    DEFAULT_EXPIRY_DAYS,
    MAX_LINKS_PER_ROUND,
    MAX_ROUNDS,
    expires_at,
    expiry_problem,
    hash_token,
    new_token,
    seal,
)
from opportunities.friends.queries.owner import link_days
from opportunities.models import (
    FriendInvitation,
    FriendRound,
    Opportunity,
    Owner,
    Person,
    owner_id_of,
)
from opportunities.models.limits import at_limit
from opportunities.web.once import Once, Submission, create_once

MAX_OPPORTUNITIES_PER_ROUND = 10
"""The most opportunities one round asks about: more than that is not a question a
friend answers in one sitting."""


class FriendsProblem(ValueError):
    """What the owner asked for cannot be done, said in words for them; ``field`` names
    the form field it is about (None: the form as a whole)."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --- Rounds -------------------------------------------------------------------------------------


def create_round(
    *,
    user: Owner,
    friend_round: FriendRound,
    opportunity_ids: Sequence[int],
    now: datetime | None = None,
) -> FriendRound:
    """Save ``friend_round`` (unsaved, as the form left it) asking about
    ``opportunity_ids``: 1 to ``MAX_OPPORTUNITIES_PER_ROUND`` of the user's opportunities,
    in the order given. ``now`` dates a round asked before it was recorded (the demo's)."""
    owner_id = owner_id_of(user)
    ids = list(dict.fromkeys(opportunity_ids))
    if not 1 <= len(ids) <= MAX_OPPORTUNITIES_PER_ROUND:
        raise FriendsProblem(
            f"A round asks about 1 to {MAX_OPPORTUNITIES_PER_ROUND} opportunities; "
            f"this one names {len(ids)}."
        )
    owned = set(
        Opportunity.objects.for_user(owner_id).filter(pk__in=ids).values_list("pk", flat=True)
    )
    if owned != set(ids):
        raise Opportunity.DoesNotExist("Not all of these opportunities are the user's.")
    if FriendRound.objects.for_user(owner_id).count() >= MAX_ROUNDS:
        raise FriendsProblem(
            at_limit("rounds of asking friends", MAX_ROUNDS, advice="delete old rounds")
        )
    friend_round.owner_id = owner_id
    friend_round.save()
    if now is not None:
        FriendRound.objects.filter(pk=friend_round.pk).update(created_at=now)
        friend_round.created_at = now
    Through = FriendRound.opportunities.through
    Through.objects.bulk_create(
        Through(friendround_id=friend_round.pk, opportunity_id=pk) for pk in ids
    )
    return friend_round


def create_round_once(
    *,
    user: Owner,
    friend_round: FriendRound,
    opportunity_ids: Sequence[int],
    submission: Submission,
) -> Once[FriendRound]:
    """Create the round of a form, unless that form was sent before (see ``web.once``)."""
    return create_once(
        user=user,
        submission=submission,
        model=FriendRound,
        create=lambda: create_round(
            user=user, friend_round=friend_round, opportunity_ids=opportunity_ids
        ),
    )


def close_round(*, friend_round: FriendRound) -> FriendRound:
    """No more answers: every link of the round opens on a page that says it is closed."""
    if friend_round.closed_at is None:
        friend_round.closed_at = timezone.now()
        friend_round.save(update_fields=["closed_at", "updated_at"])
    return friend_round


def reopen_problem(*, friend_round: FriendRound, now: datetime | None = None) -> str | None:
    """Why the round cannot be reopened, or None when it can: reopening lets links take
    answers again, so it is refused when every link has expired or been revoked (none
    would work again; a new link for a friend is the way to ask them again)."""
    moment = now or timezone.now()
    links = FriendInvitation.objects.filter(round=friend_round)
    if not links.exists():
        return None
    if links.filter(revoked_at__isnull=True, expires_at__gt=moment).exists():
        return None
    return (
        "Every link of this round has expired or been revoked, so reopening it would let "
        "no one answer. The answers stay here; to ask again, start a new round."
    )


def reopen_round(*, friend_round: FriendRound, now: datetime | None = None) -> FriendRound:
    """Take answers again through the round's links that are still valid."""
    if friend_round.closed_at is None:
        return friend_round
    problem = reopen_problem(friend_round=friend_round, now=now)
    if problem:
        raise FriendsProblem(problem)
    friend_round.closed_at = None
    friend_round.save(update_fields=["closed_at", "updated_at"])
    return friend_round


def delete_round(*, friend_round: FriendRound) -> None:
    """Delete the round with its links and every answer given through them. Scores taken
    from friends stay (they are the owner's now), and so do their timeline entries."""
    friend_round.delete()


# --- Links ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IssuedLink:
    """A link just made: the one and only time its token is at hand."""

    invitation: FriendInvitation
    token: str
    emailed: bool
    """Whether an email with it was queued."""

    @property
    def url(self) -> str:
        return link_url(self.token)


def link_url(token: str) -> str:
    """The address a link opens: the site's, with the friend's page for ``token``."""
    return f"{settings.SITE_URL}{reverse('opportunities:friend_page', args=[token])}"


def _check_days(days: int) -> None:
    problem = expiry_problem(days)
    if problem:
        raise FriendsProblem(problem, field="days")


def _lock_open(round_id: int) -> None:
    """Lock the round's row (links added at the same moment are counted one after the
    other), and refuse a new link in a round closed meanwhile."""
    closed_at = (
        FriendRound.objects.select_for_update()
        .filter(pk=round_id)
        .values_list("closed_at", flat=True)
        .first()
    )
    if closed_at is not None:
        raise FriendsProblem(
            "This round is closed: reopen it first, so that a new link can be answered."
        )


def duplicate_problem(
    *, friend_round: FriendRound, person: Person | None, name: str, exclude: int | None = None
) -> FriendsProblem | None:
    """Whether the round already has a link for ``person`` or for someone called ``name``
    (one link per person per round)."""
    links = FriendInvitation.objects.filter(round=friend_round)
    if exclude is not None:
        links = links.exclude(pk=exclude)
    if person is not None and links.filter(person=person).exists():
        return FriendsProblem(
            f"{person.name} already has a link in this round. To send them a fresh one, "
            "use “New link” beside theirs.",
            field="person",
        )
    if links.filter(name=name).exists():
        return FriendsProblem(
            f"Someone called “{name}” already has a link in this round. Use “New link” "
            "beside theirs, or tell the two apart (“Ana S.”).",
            field="name",
        )
    return None


@transaction.atomic
def add_link(
    *,
    friend_round: FriendRound,
    name: str,
    email: str = "",
    person: Person | None = None,
    days: int = DEFAULT_EXPIRY_DAYS,
    send_email: bool = True,
    now: datetime | None = None,
) -> IssuedLink:
    """A personal link for one friend (``person``, one of the owner's people, or just a
    ``name``), lasting ``days``. When ``send_email`` and there is an ``email``, it is
    emailed to them once the transaction commits.

    Raises :class:`FriendsProblem` for a closed or full round, a length out of range, or a
    friend who already has a link in the round."""
    if person is not None and person.owner_id != friend_round.owner_id:
        raise Person.DoesNotExist("Not one of the owner's people.")
    name = (name or (person.name if person is not None else "")).strip()
    if not name:
        raise FriendsProblem("Give their name, or choose them from your people.", field="name")
    _check_days(days)
    _lock_open(friend_round.pk)
    if FriendInvitation.objects.filter(round=friend_round).count() >= MAX_LINKS_PER_ROUND:
        raise FriendsProblem(
            at_limit(
                "links",
                MAX_LINKS_PER_ROUND,
                of="a round",
                advice="start another round to ask more people",
            )
        )
    duplicate = duplicate_problem(friend_round=friend_round, person=person, name=name)
    if duplicate is not None:
        raise duplicate
    created = now or timezone.now()
    token = new_token()
    try:
        with transaction.atomic():
            invitation = FriendInvitation.objects.create(
                owner_id=friend_round.owner_id,
                round=friend_round,
                person=person,
                name=name,
                email=email,
                token_hash=hash_token(token),
                expires_at=expires_at(created, days),
            )
    except IntegrityError as exc:
        # Added in another tab at the same moment: the constraint caught what the check
        # above could not yet see.
        raise duplicate_problem(friend_round=friend_round, person=person, name=name) or (
            FriendsProblem("This friend already has a link in this round.")
        ) from exc
    if now is not None:
        FriendInvitation.objects.filter(pk=invitation.pk).update(created_at=created)
        invitation.created_at = created
    emailed = send_email and bool(email)
    if emailed:
        _queue_email(invitation.pk, token)
    return IssuedLink(invitation=invitation, token=token, emailed=emailed)


@transaction.atomic
def reissue_link(
    *,
    invitation: FriendInvitation,
    days: int | None = None,
    send_email: bool = True,
    now: datetime | None = None,
) -> IssuedLink:
    """A new link for the same friend: the old one stops working at once, their answers
    stay, and the new one lasts ``days`` (None: as long as the old one was made to). A
    revoked link comes back to life this way."""
    _lock_open(invitation.round_id)
    length = link_days(invitation) if days is None else days
    _check_days(length)
    created = now or timezone.now()
    token = new_token()
    invitation.token_hash = hash_token(token)
    invitation.created_at = created
    invitation.expires_at = expires_at(created, length)
    invitation.revoked_at = None
    invitation.last_used_at = None
    invitation.emailed_at = None
    invitation.save(
        update_fields=[
            "token_hash",
            "created_at",
            "expires_at",
            "revoked_at",
            "last_used_at",
            "emailed_at",
        ]
    )
    emailed = send_email and bool(invitation.email)
    if emailed:
        _queue_email(invitation.pk, token)
    return IssuedLink(invitation=invitation, token=token, emailed=emailed)


def revoke_link(*, invitation: FriendInvitation, now: datetime | None = None) -> FriendInvitation:
    """The link stops working at once; the friend's answers stay."""
    if invitation.revoked_at is None:
        invitation.revoked_at = now or timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


# --- The invitation email ------------------------------------------------------------------------


def _queue_email(invitation_id: int, token: str) -> None:
    """Queue the email of a link once the transaction commits, its token sealed (see
    ``core.seal``) so that the queued task's stored arguments open no one's page."""
    # Imported here: the task calls back into this module (deliver_invitation).
    from opportunities.friends.tasks import send_invitation

    nonce = os.urandom(16)
    sealed = seal(token, key=settings.SECRET_KEY.encode(), nonce=nonce)
    transaction.on_commit(partial(send_invitation.enqueue, invitation_id, sealed, nonce.hex()))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def deliver_invitation(*, invitation_id: int, token: str, now: datetime | None = None) -> bool:
    """Email a friend their link (the email task's work), unless it no longer works: a
    new link was made meanwhile (its hash is not this token's), or it was revoked, has
    expired or the round closed. Returns whether an email was sent."""
    moment = now or timezone.now()
    invitation = (
        FriendInvitation.objects.select_related("round__owner")
        .filter(pk=invitation_id, token_hash=hash_token(token))
        .first()
    )
    if (
        invitation is None
        or not invitation.email
        or invitation.revoked_at is not None
        or invitation.round.closed_at is not None
        or moment >= invitation.expires_at
    ):
        return False
    owner = invitation.round.owner
    who = _one_line(owner.first_name or owner.get_username())
    titles = list(
        FriendRound.opportunities.through.objects.filter(friendround_id=invitation.round_id)
        .order_by("pk")
        .values_list("opportunity__title", flat=True)
    )
    until = date_format(timezone.localtime(invitation.expires_at), "j F Y")
    parts = [f"Hello {invitation.name},"]
    if invitation.round.message:
        parts.append(invitation.round.message)
    parts += [
        f"{who} would like your view on: {'; '.join(titles)}.",
        f"Your personal link, which works until {until}:\n{link_url(token)}",
        "No account is needed: open the link, give your scores and your gut answer, and "
        "send. You can change your answer while the link works. Please keep the link to "
        "yourself: it is yours alone.",
    ]
    send_mail(
        subject=f"{who} asks what you think",
        message="\n\n".join(parts),
        from_email=None,
        recipient_list=[invitation.email],
    )
    FriendInvitation.objects.filter(pk=invitation.pk, token_hash=invitation.token_hash).update(
        emailed_at=timezone.now()
    )
    return True
