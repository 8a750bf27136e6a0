"""A round's links as its page writes them: each date, count and address worked out once
in Python, so the page's loop over up to fifty links stays flat (a ``|date`` filter, a
``{% url %}`` or a number in the loop cost more than all the rest of a row)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils.dateformat import format as date_format
from django.utils.timesince import timesince
from django.utils.timezone import localtime

from opportunities.friends.core import LinkState
from opportunities.friends.queries import Link
from opportunities.web.links import url_maker


@dataclass(frozen=True, slots=True)
class Moment:
    """A moment as the page writes it: ``datetime`` (ISO, local) and the words shown."""

    iso: str
    day: str


def moment(value: datetime) -> Moment:
    """As ``|date:'c'`` and ``|date:'j M Y'`` would write ``value`` (in local time;
    ``dateformat`` straight, as the filter ends up calling it for a format of its own)."""
    local = localtime(value)
    return Moment(iso=local.isoformat(), day=date_format(local, "j M Y"))


def maybe(value: datetime | None) -> Moment | None:
    return None if value is None else moment(value)


@dataclass(frozen=True, slots=True)
class LinkRow:
    """One friend's link on the round's page."""

    pk: str
    state: LinkState
    name: str
    email: str
    emailed: str
    """The day it was emailed ("3 Mar"), or empty."""
    answered: Moment | None
    revoked: Moment | None
    expires: Moment
    last_used: Moment | None
    last_used_at: str
    """When it was last opened, to the minute ("3 Mar 2027, 14:05"), or empty."""
    last_used_ago: str
    """"2 days" (ago), or empty."""
    days: str
    """How many days the link was made for."""
    reissue_url: str
    revoke_url: str
    reissuing: bool
    """Whether this is the link whose "New link" form came back with an error."""


def link_rows(round_pk: int, links: list[Link], *, reissuing: int | None) -> list[LinkRow]:
    """``links`` (the round's, as ``queries.round_page`` reads them) ready to write out;
    ``reissuing``, the link whose new link was refused, if any."""
    reissue = url_maker("opportunities:friends_link_reissue", 2)
    revoke = url_maker("opportunities:friends_link_revoke", 2)
    rows = []
    for link in links:
        invitation = link.invitation
        pk = str(invitation.pk)
        last_used = invitation.last_used_at
        rows.append(
            LinkRow(
                pk=pk,
                state=link.state,
                name=invitation.name,
                email=invitation.email,
                emailed=date_format(localtime(invitation.emailed_at), "j M")
                if invitation.emailed_at
                else "",
                answered=maybe(invitation.answered_at),
                revoked=maybe(invitation.revoked_at),
                expires=moment(invitation.expires_at),
                last_used=maybe(last_used),
                last_used_at=date_format(localtime(last_used), "j M Y, H:i") if last_used else "",
                last_used_ago=timesince(last_used) if last_used else "",
                days=str(link.days),
                reissue_url=reissue(round_pk, pk),
                revoke_url=revoke(round_pk, pk),
                reissuing=invitation.pk == reissuing,
            )
        )
    return rows
