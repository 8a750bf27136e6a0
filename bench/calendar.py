"""The benchmark's calendar feeds: each ordinary user has turned theirs on.

A feed's address is a token only its holder knows; the app stores its hash. The bench
makes the tokens itself (``friends.core.new_token``), stores ``hash_token`` of each as the
app does (``learning.services.calendar``), and hands the tokens to the load generator in
the manifest (a throwaway file of a throwaway database).

What each feed carries is what the user already holds (their decisions' revisit dates,
follow-ups, any check-ins): nothing else is added, so the other scenarios measure the data
they measured before. The feed is rate-limited per feed and per address
(``learning.views.feed``): the scenario gives every request of its rotation a loopback
address of its own (``bench.scenarios``), and spreads its reads over every user's feed.
"""

from __future__ import annotations

from opportunities.friends.core import hash_token, new_token
from opportunities.models import CalendarFeed


def generate_feeds(users: list) -> tuple[dict[int, str], dict[str, int]]:
    """A calendar feed for each of ``users``, in one bulk insert. Returns each user's
    token for the manifest, and the row count."""
    tokens = {user.pk: new_token() for user in users}
    CalendarFeed.objects.bulk_create(
        [CalendarFeed(owner=user, token_hash=hash_token(tokens[user.pk])) for user in users]
    )
    return tokens, {"calendar feeds": len(tokens)}
