"""Pages of a list as Django's paginator makes them, without counting a list that fits on
its first page.

``Paginator.get_page`` counts the rows (``COUNT(*)``), then reads the page's: two queries.
Most lists here (a person's conversations, a year of decisions, the rounds of asking
friends) fit on their first page, so that page reads one row more than it shows: when that
row is missing, what it read is the whole list and its count, in one query. Only a list
longer than a page is counted, as before, when the page asks how many pages there are.
"""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

FIRST = (None, "", "1")
"""What asks for the first page: no number, or 1."""


def page_of(rows: QuerySet, per_page: int, number: str | None) -> Page:
    """The page ``number`` of ``rows`` (an ordered queryset), as ``Paginator.get_page``
    answers it: the first page for a number that is not one, the last for one past the
    end."""
    if number not in FIRST:
        return Paginator(rows, per_page).get_page(number)
    head = list(rows[: per_page + 1])
    if len(head) <= per_page:
        return Paginator(head, per_page).page(1)
    return Page(head[:per_page], 1, Paginator(rows, per_page))
