"""A story's entries as its pages show them, worked out once per entry in Python: the
days, the links and the body are ready to print, so the template's loop over up to 50
entries only looks values up (``{% url %}`` and filters there cost a reverse() and a
filter call per entry and per link)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import linebreaksbr, truncatechars
from django.utils.safestring import SafeString

from opportunities.models import Decision, TimelineEntry
from opportunities.web.links import url_maker

LONG_BODY = 280
"""A body longer than this shows an excerpt and opens to the whole of it."""


def _day_text() -> Callable[[date], str]:
    """``day|date:"j M Y"`` ("7 Mar 2026"), the month's name looked up once per month."""
    months: dict[int, str] = {}

    def text(day: date) -> str:
        month = months.get(day.month)
        if month is None:
            month = months[day.month] = date_filter(day, "M")
        return f"{day.day} {month} {day.year:04d}"

    return text


@dataclass(frozen=True, slots=True)
class StoryLine:
    """One entry of a story, ready to print."""

    entry: TimelineEntry
    kind: str
    kind_label: str
    title: str
    day_iso: str
    day_text: str
    person_name: str
    person_url: str
    body: SafeString | str
    """The whole body, line breaks kept ("" for none)."""
    excerpt: str
    """Its first 200 characters when it is long ("" when it is shown whole)."""
    checkpoint_url: str
    check_in_url: str
    decision_url: str
    edit_url: str
    delete_url: str
    this_decision: bool
    """The entry of the decision the page is about."""


def story_lines(
    entries: Iterable[TimelineEntry],
    *,
    editable: bool = False,
    back: str = "",
    decision: Decision | None = None,
) -> list[StoryLine]:
    """The entries in the order given. With ``editable``, each links to its edit page (and,
    written by hand, its delete page), going back to ``back``; ``decision`` marks that
    decision's own entry, which then does not link to it."""
    person_url = url_maker("opportunities:person_detail", 1)
    checkpoint_url = url_maker("opportunities:checkpoint_detail", 2)
    check_in_url = url_maker("opportunities:check_in", 2)
    decision_url = url_maker("opportunities:decision_detail", 1)
    edit_url = url_maker("opportunities:story_entry_edit", 2)
    delete_url = url_maker("opportunities:story_entry_delete", 2)
    query = f"?back={back}" if back else ""
    decision_pk = decision.pk if decision is not None else None
    kind_labels = {
        value: str(label) for value, label in TimelineEntry._meta.get_field("kind").flatchoices
    }
    day_text = _day_text()
    lines = []
    for entry in entries:
        body = entry.body
        person = entry.person
        day = entry.happened_on
        own = entry.kind == "decision" and entry.decision_id == decision_pk
        lines.append(
            StoryLine(
                entry=entry,
                kind=entry.kind,
                kind_label=kind_labels.get(entry.kind, entry.kind),
                title=entry.title,
                day_iso=day.isoformat(),
                day_text=day_text(day),
                person_name=person.name if person else "",
                person_url=person_url(entry.person_id) if person else "",
                body=linebreaksbr(body, autoescape=True) if body else "",
                excerpt=truncatechars(body, 200) if len(body) > LONG_BODY else "",
                checkpoint_url=(
                    checkpoint_url(entry.opportunity_id, entry.evaluation_id)
                    if entry.kind == "checkpoint" and entry.evaluation_id
                    else ""
                ),
                check_in_url=(
                    check_in_url(entry.decision_id, entry.check_in_id)
                    if entry.check_in_id and entry.decision_id
                    else ""
                ),
                decision_url=(
                    decision_url(entry.decision_id)
                    if entry.decision_id and entry.decision_id != decision_pk
                    else ""
                ),
                edit_url=(edit_url(entry.opportunity_id, entry.pk) + query if editable else ""),
                delete_url=(
                    delete_url(entry.opportunity_id, entry.pk) + query
                    if editable and entry.is_written_by_hand
                    else ""
                ),
                this_decision=decision is not None and own,
            )
        )
    return lines
