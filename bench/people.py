"""The benchmark's people: each ordinary user has a few people in their decisions, linked
as the app links them.

``PEOPLE`` people per ordinary user (a mentor, a former colleague, a recruiter…). Each is a
contact of ``CONTACT_OF`` of the user's open opportunities; the first one is whom an
opportunity arose from (its lineage, ``arose_from_person``); every one has had
``CONVERSATIONS`` conversations written in the story with them ("With whom"), the first an
informational interview; the second has a follow-up that has come due and the third one
to come. The person's page (``people.views.person_detail``) thus shows opportunities they
are a contact of, one that arose from them, and the conversations with them.

Written in one bulk insert per table (people, contacts, story entries) and one bulk
update of the opportunities that arose from someone, whatever the number of users. The
opportunity with the long story is left alone, so its scenario measures what it did.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from opportunities.models import EntryKind, Opportunity, Person, Relationship, TimelineEntry

PEOPLE = 5
"""People per ordinary user."""
CONTACT_OF = 2
"""Open opportunities each person is a contact of."""
CONVERSATIONS = 3
"""Story entries with each person."""
BATCH = 2000

NAMES = (
    ("Amira Haddad", Relationship.MENTOR),
    ("Tom Becker", Relationship.COLLEAGUE),
    ("Julie Martin", Relationship.RECRUITER),
    ("Sofia Costa", Relationship.FRIEND),
    ("Kenji Mori", Relationship.CONTACT),
    ("Lena Vogel", Relationship.FAMILY),
)
TOPICS = (
    "Informational interview",
    "Coffee to talk it over",
    "A call about the team",
    "Lunch after the interview",
)


def generate_people(
    *,
    users: list,
    opportunities: list[Opportunity],
    avoid: set[int],
    rng: random.Random,
    today: date,
) -> tuple[dict[int, list[int]], dict[str, int]]:
    """``PEOPLE`` people for each of ``users``, linked to their open opportunities (other
    than the status quo and those in ``avoid``, when the user has any). Returns each
    user's people's ids for the manifest, and the row counts."""
    candidates: dict[int, list[Opportunity]] = {}
    for opportunity in opportunities:
        if opportunity.archived_at is None and not opportunity.is_status_quo:
            candidates.setdefault(opportunity.owner_id, []).append(opportunity)
    for owner, held in candidates.items():
        preferred = [o for o in held if o.pk not in avoid]
        candidates[owner] = preferred or held
    people = Person.objects.bulk_create(
        [_person(user, number, rng, today) for user in users for number in range(PEOPLE)],
        batch_size=BATCH,
    )
    contacts = []
    entries = []
    arose: list[Opportunity] = []
    for number, person in enumerate(people):
        held = candidates.get(person.owner_id, [])
        if not held:
            continue
        position = number % PEOPLE
        linked = [held[(position * CONTACT_OF + k) % len(held)] for k in range(CONTACT_OF)]
        contacts += [
            Opportunity.contacts.through(opportunity_id=o.pk, person_id=person.pk)
            for o in {o.pk: o for o in linked}.values()
        ]
        if position == 0:
            linked[0].arose_from_person_id = person.pk
            arose.append(linked[0])
        entries += [
            TimelineEntry(
                owner_id=person.owner_id,
                opportunity=linked[k % len(linked)],
                kind=EntryKind.CONVERSATION,
                happened_on=today - timedelta(days=rng.randint(1, 300)),
                title=TOPICS[0] if k == 0 else rng.choice(TOPICS[1:]),
                body=rng.choice(("", "They offered to introduce me to the team lead.")),
                person=person,
            )
            for k in range(CONVERSATIONS)
        ]
    Opportunity.contacts.through.objects.bulk_create(contacts, batch_size=BATCH)
    Opportunity.objects.bulk_update(arose, ["arose_from_person"], batch_size=BATCH)
    TimelineEntry.objects.bulk_create(entries, batch_size=BATCH)
    ids: dict[int, list[int]] = {}
    for person in people:
        ids.setdefault(person.owner_id, []).append(person.pk)
    return ids, {
        "people": len(people),
        "contacts": len(contacts),
        "conversations with people": len(entries),
    }


def _person(user, number: int, rng: random.Random, today: date) -> Person:
    name, relationship = NAMES[number % len(NAMES)]
    follow_up = {1: today - timedelta(days=3), 2: today + timedelta(days=20)}.get(number)
    return Person(
        owner=user,
        name=name,
        relationship=relationship,
        email=f"{name.split()[0].lower()}@example.com" if rng.random() < 0.5 else "",
        notes=rng.choice(("", "Knows the sector well.", "Met at a meetup last spring.")),
        follow_up_on=follow_up,
    )
