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

from django.db.models import Exists, OuterRef
from django.urls import reverse
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
    return CalendarFeed.objects.filter(token_hash=hash_token(token)).first()


def feed_of(user: Owner) -> CalendarFeed | None:
    """The user's feed, or None while it is off."""
    return CalendarFeed.objects.for_user(user).first()


def _check_in_events(owner: Owner) -> list[CalendarEvent]:
    check_ins = (
        CheckIn.objects.for_user(owner)
        .filter(done_on__isnull=True)
        .select_related("decision__opportunity", "kill_criterion")
        .order_by("due_on", "id")
    )
    events = []
    for check_in in check_ins:
        decision = check_in.decision
        title = decision.opportunity.title
        choice = decision.get_choice_display().lower()
        if check_in.kind == CheckInKind.KILL and check_in.kill_criterion is not None:
            summary = f"Reconsider? {title}"
            description = (
                f"You said you would reconsider “{choice}” on {title} if by this day: "
                f"{check_in.kill_criterion.condition}. Did it happen?"
            )
        else:
            summary = f"Check in: {title}, {check_in.get_kind_display()}"
            description = (
                f"Time to look back on your decision “{choice}” on {title} "
                f"({check_in.get_kind_display()}): how glad are you, and did your forecasts "
                "come true? It takes a minute."
            )
        events.append(
            CalendarEvent(
                uid=f"check-in-{check_in.pk}@{UID_DOMAIN}",
                day=check_in.due_on,
                summary=summary,
                description=description,
                path=reverse("opportunities:check_in", args=[decision.pk, check_in.pk]),
                stamp=check_in.updated_at,
            )
        )
    return events


def _kill_criterion_events(owner: Owner) -> list[CalendarEvent]:
    """Kill criteria not checked yet that no open check-in carries (one imported, or one
    whose check-in was done without checking it)."""
    open_check_in = CheckIn.objects.filter(kill_criterion=OuterRef("pk"), done_on__isnull=True)
    criteria = (
        KillCriterion.objects.for_user(owner)
        .filter(triggered__isnull=True)
        .exclude(Exists(open_check_in))
        .select_related("decision__opportunity")
        .order_by("check_on", "id")
    )
    return [
        CalendarEvent(
            uid=f"kill-criterion-{criterion.pk}@{UID_DOMAIN}",
            day=criterion.check_on,
            summary=f"Reconsider? {criterion.decision.opportunity.title}",
            description=(
                f"You said you would reconsider {criterion.decision.opportunity.title} if by "
                f"this day: {criterion.condition}. Did it happen?"
            ),
            path=reverse("opportunities:decision_detail", args=[criterion.decision_id]),
            stamp=criterion.decision.updated_at,
        )
        for criterion in criteria
    ]


def _revisit_events(owner: Owner) -> list[CalendarEvent]:
    decisions = (
        Decision.objects.for_user(owner)
        .filter(revisit_on__isnull=False)
        .select_related("opportunity")
        .order_by("revisit_on", "id")
    )
    events = []
    for decision in decisions:
        assert decision.revisit_on is not None  # filtered above; for the type checker
        title = decision.opportunity.title
        events.append(
            CalendarEvent(
                uid=f"revisit-{decision.pk}@{UID_DOMAIN}",
                day=decision.revisit_on,
                summary=f"Revisit: {title}",
                description=(
                    f"You asked to look back on your decision “"
                    f"{decision.get_choice_display().lower()}” on {title}: what happened, "
                    "and what did you learn?"
                ),
                path=reverse("opportunities:decision_detail", args=[decision.pk]),
                stamp=decision.updated_at,
            )
        )
    return events


def _follow_up_events(owner: Owner) -> list[CalendarEvent]:
    events = [
        CalendarEvent(
            uid=f"follow-up-person-{person.pk}@{UID_DOMAIN}",
            day=person.follow_up_on,
            summary=f"Follow up with {person.name}",
            description=f"A day you set to check in with {person.name}.",
            path=reverse("opportunities:person_detail", args=[person.pk]),
            stamp=person.updated_at,
        )
        for person in Person.objects.for_user(owner)
        .filter(follow_up_on__isnull=False)
        .only("name", "follow_up_on", "updated_at")
        .order_by("follow_up_on", "id")
        if person.follow_up_on is not None
    ]
    events += [
        CalendarEvent(
            uid=f"follow-up-opportunity-{opportunity.pk}@{UID_DOMAIN}",
            day=opportunity.follow_up_on,
            summary=f"Follow up: {opportunity.title}",
            description=f"A day you set to chase up {opportunity.title}.",
            path=reverse("opportunities:opportunity_detail", args=[opportunity.pk]),
            stamp=opportunity.updated_at,
        )
        for opportunity in Opportunity.objects.for_user(owner)
        .filter(follow_up_on__isnull=False)
        .only("title", "follow_up_on", "updated_at")
        .order_by("follow_up_on", "id")
        if opportunity.follow_up_on is not None
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
