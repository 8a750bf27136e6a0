"""Reads of an opportunity's story, each in one query however long the story grows: the
newest entries for the opportunity's page, the whole story a page at a time, and the
story around a decision."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from opportunities.models import Decision, Opportunity, TimelineEntry
from opportunities.timeline.display import StoryLine, story_lines

STORY_ON_PAGE = 50
"""How many of the newest entries the opportunity's page shows; the rest are a link away."""

STORY_PAGE_SIZE = 50
"""Entries per page of the whole story."""


def story_entries(
    opportunity: Opportunity | int, *, oldest_first: bool = False
) -> QuerySet[TimelineEntry]:
    """The entries of an opportunity's story, newest first (or oldest first), each with
    the person it names."""
    entries = TimelineEntry.objects.filter(opportunity=opportunity).select_related("person")
    if oldest_first:
        entries = entries.order_by("happened_on", "id")
    return entries


@dataclass(frozen=True, slots=True)
class StorySection:
    """The story on the opportunity's page: the newest entries, and whether there are more."""

    entries: list[StoryLine]
    more: bool


def story_section(opportunity: Opportunity) -> StorySection:
    """The newest ``STORY_ON_PAGE`` entries, in one query (one more is read to know
    whether the whole story is longer)."""
    entries = list(story_entries(opportunity)[: STORY_ON_PAGE + 1])
    return StorySection(
        entries=story_lines(entries[:STORY_ON_PAGE], editable=True),
        more=len(entries) > STORY_ON_PAGE,
    )


def entry_count(opportunity: Opportunity) -> int:
    return TimelineEntry.objects.filter(opportunity=opportunity).count()


@dataclass(frozen=True, slots=True)
class DecisionStory:
    """An opportunity's whole story, oldest first, told around one of its decisions."""

    before: list[StoryLine]
    """Up to the day of the decision, the decision's own entry included."""
    after: list[StoryLine]
    """What happened after that day."""


def decision_story(decision: Decision) -> DecisionStory:
    """The whole story of ``decision``'s opportunity in the order it happened, split at
    the day it was decided."""
    entries = list(story_entries(decision.opportunity_id, oldest_first=True))
    return DecisionStory(
        before=story_lines(
            (entry for entry in entries if entry.happened_on <= decision.decided_on),
            decision=decision,
        ),
        after=story_lines(
            (entry for entry in entries if entry.happened_on > decision.decided_on),
            decision=decision,
        ),
    )
