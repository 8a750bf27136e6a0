"""The private calendar feed: turning it on (a secret address, shown once), renewing it
(the old address dies at once), turning it off, and noting when a calendar app read it.

Only the token's SHA-256 is stored (``friends.core.hash_token``): a copy of the database
opens no one's feed, and the address cannot be shown again, only replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from opportunities.friends.core import hash_token, new_token
from opportunities.models import CalendarFeed, Owner, owner_id_of
from opportunities.web import secret_links

USE_RECORDED_EVERY = timedelta(hours=1)
"""``last_used_at`` is written at most this often: a calendar app reading the feed every
few minutes costs one UPDATE an hour, not one a read."""


@dataclass(frozen=True, slots=True)
class IssuedFeed:
    """A feed just turned on or renewed: the one and only time its token is at hand."""

    feed: CalendarFeed
    token: str


@transaction.atomic
def issue_feed(*, user: Owner) -> IssuedFeed:
    """Turn the feed on with a fresh secret address, or give it a new one: whatever
    address it had stops working at once."""
    owner_id = owner_id_of(user)
    token = new_token()
    now = timezone.now()
    renewed = CalendarFeed.objects.filter(owner_id=owner_id).update(
        token_hash=hash_token(token), created_at=now, last_used_at=None
    )
    if not renewed:
        try:
            with transaction.atomic():
                CalendarFeed.objects.create(owner_id=owner_id, token_hash=hash_token(token))
        except IntegrityError:  # turned on at the same moment in another tab: this one wins
            CalendarFeed.objects.filter(owner_id=owner_id).update(
                token_hash=hash_token(token), created_at=now, last_used_at=None
            )
    return IssuedFeed(feed=CalendarFeed.objects.get(owner_id=owner_id), token=token)


@transaction.atomic
def turn_off_feed(*, user: Owner) -> bool:
    """Turn the feed off: its address stops working. Whether there was one to turn off."""
    deleted, _ = CalendarFeed.objects.for_user(user).delete()
    return bool(deleted)


def record_use(feed: CalendarFeed, *, now: datetime | None = None) -> bool:
    """Note that the feed was read, at most once per ``USE_RECORDED_EVERY``: no query at
    all when the note is recent, else one UPDATE. Whether it wrote."""
    return secret_links.record_use(feed, now=now or timezone.now(), every=USE_RECORDED_EVERY)
