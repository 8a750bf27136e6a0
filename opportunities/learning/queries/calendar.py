"""The private calendar feed: which feed a secret address opens, the dates it carries, and
the iCalendar text a calendar app reads.

The feed holds all-day events for what is coming up in Crossroads: check-ins not done
yet, kill criteria not checked yet (when no check-in carries them already), decisions'
revisit dates, and follow-ups with people and on opportunities. Each event has a UID made
of what it is and its row's id, so a calendar app that reads the feed again updates the
event rather than adding a second one; each links back to its page in the app.

What the feed shows is what anyone holding its address can read: dates, titles, names and
a kill criterion's condition. Never a rationale, a score, a note or a reflection.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Exists, Model, OuterRef
from icalendar import Calendar, Event, vDuration

from opportunities.friends.core import hash_token, looks_like_token
from opportunities.models import (
    CalendarFeed,
    CheckIn,
    CheckInKind,
    Decision,
    KillCriterion,
    Opportunity,
    Owner,
    Person,
)
from opportunities.web.data_version import with_counters
from opportunities.web.links import url_maker

PRODUCT_ID = "-//Crossroads//Your dates//EN"
CALENDAR_NAME = "Crossroads"
REFRESH = timedelta(hours=1)
"""How often a calendar app is asked to read the feed again (it may read less often)."""

UID_DOMAIN = "crossroads"
"""The right-hand side of every event's UID: constant, so a UID never depends on the
address the feed was read from."""


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One all-day event of the feed, as plain values."""

    uid: str
    day: date
    summary: str
    description: str
    path: str
    """The page in the app, as a path; the view makes it an absolute address."""
    stamp: datetime
    """When what the event says last changed (its row's timestamp): stable across reads."""


def feed_for_token(token: str) -> CalendarFeed | None:
    """The feed ``token`` opens, or None. Anything without a token's shape is refused
    before any query; a token is looked up only by its hash, the one thing stored."""
    if not looks_like_token(token):
        return None
    # With its owner's page counters, for the feed kept between reads (web.page_cache).
    return with_counters(CalendarFeed.objects.filter(token_hash=hash_token(token))).first()


def feed_of(user: Owner) -> CalendarFeed | None:
    """The user's feed, or None while it is off."""
    return CalendarFeed.objects.for_user(user).first()


def _labels(model: type[Model], name: str) -> dict[str, str]:
    """``get_<name>_display`` without the instance: each value's label."""
    choices = getattr(model._meta.get_field(name), "flatchoices", ())
    return {str(value): str(label) for value, label in choices}


def _check_in_events(owner: Owner) -> list[CalendarEvent]:
    rows = (
        CheckIn.objects.for_user(owner)
        .filter(done_on__isnull=True)
        .order_by("due_on", "id")
        .values_list(
            "pk",
            "kind",
            "due_on",
            "updated_at",
            "decision_id",
            "decision__choice",
            "decision__opportunity__title",
            "kill_criterion_id",
            "kill_criterion__condition",
        )
    )
    choices, kinds = _labels(Decision, "choice"), _labels(CheckIn, "kind")
    path = url_maker("opportunities:check_in", 2)
    events = []
    for pk, kind, due_on, stamp, decision, choice, title, kill, condition in rows:
        choice = choices.get(choice, choice).lower()
        if kind == CheckInKind.KILL and kill is not None:
            summary = f"Reconsider? {title}"
            description = (
                f"You said you would reconsider “{choice}” on {title} if by this day: "
                f"{condition}. Did it happen?"
            )
        else:
            label = kinds.get(kind, kind)
            summary = f"Check in: {title}, {label}"
            description = (
                f"Time to look back on your decision “{choice}” on {title} "
                f"({label}): how glad are you, and did your forecasts "
                "come true? It takes a minute."
            )
        events.append(
            CalendarEvent(
                uid=f"check-in-{pk}@{UID_DOMAIN}",
                day=due_on,
                summary=summary,
                description=description,
                path=path(decision, pk),
                stamp=stamp,
            )
        )
    return events


def _kill_criterion_events(owner: Owner) -> list[CalendarEvent]:
    """Kill criteria not checked yet that no open check-in carries (one imported, or one
    whose check-in was done without checking it)."""
    open_check_in = CheckIn.objects.filter(kill_criterion=OuterRef("pk"), done_on__isnull=True)
    rows = (
        KillCriterion.objects.for_user(owner)
        .filter(triggered__isnull=True)
        .exclude(Exists(open_check_in))
        .order_by("check_on", "id")
        .values_list(
            "pk",
            "check_on",
            "condition",
            "decision_id",
            "decision__updated_at",
            "decision__opportunity__title",
        )
    )
    path = url_maker("opportunities:decision_detail", 1)
    return [
        CalendarEvent(
            uid=f"kill-criterion-{pk}@{UID_DOMAIN}",
            day=check_on,
            summary=f"Reconsider? {title}",
            description=(
                f"You said you would reconsider {title} if by this day: {condition}. Did it happen?"
            ),
            path=path(decision),
            stamp=stamp,
        )
        for pk, check_on, condition, decision, stamp, title in rows
    ]


def _revisit_events(owner: Owner) -> list[CalendarEvent]:
    rows = (
        Decision.objects.for_user(owner)
        .filter(revisit_on__isnull=False)
        .order_by("revisit_on", "id")
        .values_list("pk", "revisit_on", "choice", "updated_at", "opportunity__title")
    )
    choices = _labels(Decision, "choice")
    path = url_maker("opportunities:decision_detail", 1)
    return [
        CalendarEvent(
            uid=f"revisit-{pk}@{UID_DOMAIN}",
            day=revisit_on,
            summary=f"Revisit: {title}",
            description=(
                f"You asked to look back on your decision “"
                f"{choices.get(choice, choice).lower()}” on {title}: what happened, "
                "and what did you learn?"
            ),
            path=path(pk),
            stamp=stamp,
        )
        for pk, revisit_on, choice, stamp, title in rows
        if revisit_on is not None  # filtered above; for the type checker
    ]


def _follow_up_events(owner: Owner) -> list[CalendarEvent]:
    person_path = url_maker("opportunities:person_detail", 1)
    events = [
        CalendarEvent(
            uid=f"follow-up-person-{pk}@{UID_DOMAIN}",
            day=day,
            summary=f"Follow up with {name}",
            description=f"A day you set to check in with {name}.",
            path=person_path(pk),
            stamp=stamp,
        )
        for pk, name, day, stamp in Person.objects.for_user(owner)
        .filter(follow_up_on__isnull=False)
        .order_by("follow_up_on", "id")
        .values_list("pk", "name", "follow_up_on", "updated_at")
        if day is not None
    ]
    opportunity_path = url_maker("opportunities:opportunity_detail", 1)
    events += [
        CalendarEvent(
            uid=f"follow-up-opportunity-{pk}@{UID_DOMAIN}",
            day=day,
            summary=f"Follow up: {title}",
            description=f"A day you set to chase up {title}.",
            path=opportunity_path(pk),
            stamp=stamp,
        )
        for pk, title, day, stamp in Opportunity.objects.for_user(owner)
        .filter(follow_up_on__isnull=False)
        .order_by("follow_up_on", "id")
        .values_list("pk", "title", "follow_up_on", "updated_at")
        if day is not None
    ]
    return events


def calendar_events(owner: Owner) -> list[CalendarEvent]:
    """Everything the feed of ``owner`` carries, by day (five queries, however many)."""
    events = [
        *_check_in_events(owner),
        *_kill_criterion_events(owner),
        *_revisit_events(owner),
        *_follow_up_events(owner),
    ]
    return sorted(events, key=lambda event: (event.day, event.uid))


def render_calendar(events: Iterable[CalendarEvent], *, site: str) -> bytes:
    """The iCalendar text of ``events``; ``site`` (``https://host``) makes each event's
    path an absolute address."""
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    calendar.add("x-wr-caldesc", "Check-ins, kill criteria, revisits and follow-ups")
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.stamp)
        event.add("dtstart", item.day)
        event.add("dtend", item.day + timedelta(days=1))
        event.add("summary", item.summary)
        url = f"{site}{item.path}"
        event.add("description", f"{item.description}\n\n{url}")
        event.add("url", url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
