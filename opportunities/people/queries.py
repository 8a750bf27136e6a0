"""Reads of the people in a decision, of where opportunities came from, and of the
follow-ups that have come due: each in a fixed number of queries, never one per row."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from opportunities.models import Opportunity, Owner, Person, TimelineEntry
from opportunities.people.core import Origin, Step, origin_chain

Contacts = Opportunity.contacts.through


def people_for(user: Owner) -> QuerySet[Person]:
    """The user's people, by name: what a form offers to pick from."""
    return Person.objects.for_user(user).order_by("name", "pk")


def _count(queryset: QuerySet, *, by: str = "person") -> Coalesce:
    """How many rows of ``queryset`` (filtered on ``OuterRef("pk")``) each person has, as
    a subquery: counting three relations with joins would multiply their rows."""
    counted = queryset.order_by().values(by).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def people_list(user: Owner) -> list[Person]:
    """The people page: everyone, with how many opportunities and entries each is in, in
    one query."""
    return list(
        people_for(user).annotate(
            opportunity_count=_count(Contacts.objects.filter(person=OuterRef("pk"))),
            led_to_count=_count(
                Opportunity.objects.filter(arose_from_person=OuterRef("pk")),
                by="arose_from_person",
            ),
            entry_count=_count(TimelineEntry.objects.filter(person=OuterRef("pk"))),
        )
    )


def person_opportunities(person: Person) -> list[Opportunity]:
    """Every opportunity ``person`` is a contact of or that arose from them, in one query,
    with what their page shows of each. Each carries ``is_contact``."""
    contact = Exists(Contacts.objects.filter(person=person, opportunity=OuterRef("pk")))
    return list(
        Opportunity.objects.for_user(person.owner_id)
        .annotate(is_contact=contact)
        .filter(Q(is_contact=True) | Q(arose_from_person=person))
        .only("pk", "title", "organisation", "stage", "archived_at", "arose_from_person_id")
        .order_by("archived_at", "title", "pk")
    )


def person_entries(person: Person) -> QuerySet[TimelineEntry]:
    """The timeline entries with ``person`` (conversations and the like), newest first, with
    what their page shows of each and of its opportunity."""
    return (
        TimelineEntry.objects.for_user(person.owner_id)
        .filter(person=person)
        .select_related("opportunity")
        .only("pk", "kind", "happened_on", "title", "body", "opportunity", "opportunity__title")
        .order_by("-happened_on", "-pk")
    )


@dataclass(frozen=True, slots=True)
class Lineage:
    """Where an opportunity came from, what it led to, and the people in it."""

    arose_from: Opportunity | None
    arose_from_person: Person | None
    led_to: list[Opportunity]
    contacts: list[Person]

    def __bool__(self) -> bool:
        return bool(self.arose_from or self.arose_from_person or self.led_to or self.contacts)


def opportunity_lineage(opportunity: Opportunity) -> Lineage:
    """The lineage and people of an opportunity's page, in two queries."""
    owner = opportunity.owner_id
    related = list(
        Opportunity.objects.for_user(owner)
        .filter(Q(arose_from=opportunity) | Q(pk=opportunity.arose_from_id))
        .exclude(pk=opportunity.pk)
        .only("pk", "title", "organisation", "arose_from_id", "stage", "archived_at")
        .order_by("title", "pk")
    )
    contact = Exists(Contacts.objects.filter(opportunity=opportunity, person=OuterRef("pk")))
    people = list(
        people_for(owner)
        .annotate(is_contact=contact)
        .filter(Q(is_contact=True) | Q(pk=opportunity.arose_from_person_id))
    )
    return Lineage(
        arose_from=next((o for o in related if o.pk == opportunity.arose_from_id), None),
        arose_from_person=next(
            (p for p in people if p.pk == opportunity.arose_from_person_id), None
        ),
        led_to=[o for o in related if o.arose_from_id == opportunity.pk],
        contacts=[p for p in people if p.is_contact],
    )


def opportunity_parents(user: Owner) -> dict[int, int | None]:
    """Each of the user's opportunities and the one it arose from, in one query (to keep
    "arose from" free of loops)."""
    return dict(Opportunity.objects.for_user(user).values_list("pk", "arose_from_id"))


def origin_chains(user: Owner, opportunities: Iterable[Opportunity]) -> dict[int, tuple[Step, ...]]:
    """Where each of ``opportunities`` came from, as the dashboard shows it ("from …"), in
    one query, or none when none of them arose from anything."""
    wanted = [o.pk for o in opportunities if o.arose_from_id or o.arose_from_person_id]
    if not wanted:
        return {}
    own_person = Q(arose_from_person__owner=F("owner"))  # never a name from another account
    rows = (
        Opportunity.objects.for_user(user)
        .annotate(
            person_id=Case(When(own_person, then=F("arose_from_person_id"))),
            person_name=Case(When(own_person, then=F("arose_from_person__name"))),
        )
        .values_list("pk", "title", "arose_from_id", "person_id", "person_name")
    )
    titles: dict[int, str] = {}
    origins: dict[int, Origin] = {}
    for pk, title, arose_from_id, person_id, person_name in rows:
        titles[pk] = title
        if arose_from_id or person_id:
            origins[pk] = Origin(arose_from_id, person_id, person_name or "")
    return {pk: origin_chain(pk, origins, titles) for pk in wanted}


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A person to check in with, or an opportunity to chase up, whose day has come."""

    kind: Literal["person", "opportunity"]
    pk: int
    name: str
    due: date
    due_label: str
    """The day as the dashboard says it: "3 Mar", with the year when it is not this one."""


def follow_ups_due(user: Owner, *, today: date | None = None) -> list[FollowUp]:
    """The people and opportunities whose follow-up date has come, oldest first, in one
    query. Marking one done clears its date."""
    today = today or timezone.localdate()
    people = (
        Person.objects.for_user(user)
        .filter(follow_up_on__lte=today)
        .annotate(kind=Value("person"), label=F("name"), due=F("follow_up_on"))
        .order_by()
        .values_list("kind", "pk", "label", "due")
    )
    opportunities = (
        Opportunity.objects.for_user(user)
        .filter(follow_up_on__lte=today)
        .annotate(kind=Value("opportunity"), label=F("title"), due=F("follow_up_on"))
        .order_by()
        .values_list("kind", "pk", "label", "due")
    )
    rows = people.union(opportunities, all=True).order_by("due", "kind", "pk")
    return [
        FollowUp(
            kind, pk, label, due, date_format(due, "j M" if due.year == today.year else "j M Y")
        )
        for kind, pk, label, due in rows
    ]
