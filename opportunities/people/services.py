"""Writes to the people in a decision: adding, editing and removing someone, and marking
a check-in with them done."""

from __future__ import annotations

from opportunities.models import Owner, Person, owner_id_of
from opportunities.web.once import Once, Submission, create_once


def create_person(*, user: Owner, person: Person) -> Person:
    person.owner_id = owner_id_of(user)
    person.save()
    return person


def create_person_once(*, user: Owner, person: Person, submission: Submission) -> Once[Person]:
    """Add the person of a form, unless that form was sent before (see ``web.once``)."""
    return create_once(
        user=user,
        submission=submission,
        model=Person,
        create=lambda: create_person(user=user, person=person),
    )


def update_person(*, person: Person) -> Person:
    person.save()
    return person


def delete_person(*, person: Person) -> None:
    """Remove someone. The opportunities they were in and the conversations with them
    stay, without their name: an opportunity that arose from them no longer says so."""
    person.delete()


def clear_person_follow_up(*, person: Person) -> Person:
    """The check-in is done: the follow-up leaves the revisits due."""
    if person.follow_up_on is not None:
        person.follow_up_on = None
        person.save(update_fields=["follow_up_on", "updated_at"])
    return person
