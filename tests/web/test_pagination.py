"""``page_of``: the page Django's paginator would give, without counting a list that fits
on its first page."""

from __future__ import annotations

import pytest
from django.core.paginator import Paginator

from opportunities.models import Person
from opportunities.web.pagination import page_of
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

PER_PAGE = 3
NUMBERS = [None, "", "1", "2", "3", "0", "-1", "999", "abc", "1.5", "9" * 400]


def _shape(page) -> tuple:
    return (
        page.number,
        [person.name for person in page.object_list],
        page.paginator.count,
        page.paginator.num_pages,
        page.has_previous(),
        page.has_next(),
        page.start_index(),
        page.end_index(),
    )


@pytest.mark.parametrize("length", [0, 1, PER_PAGE, PER_PAGE + 1, 2 * PER_PAGE + 1])
def test_every_page_is_the_one_djangos_paginator_gives(length):
    owner = UserFactory()
    for n in range(length):
        PersonFactory(owner=owner, name=f"Person {n:02}")
    rows = Person.objects.filter(owner=owner).order_by("name")
    for number in NUMBERS:
        expected = Paginator(rows, PER_PAGE).get_page(number)
        assert _shape(page_of(rows, PER_PAGE, number)) == _shape(expected), number


def test_a_list_that_fits_its_first_page_is_read_in_one_query(django_assert_num_queries):
    owner = UserFactory()
    PersonFactory.create_batch(PER_PAGE, owner=owner)
    rows = Person.objects.filter(owner=owner).order_by("name")
    with django_assert_num_queries(1):
        page = page_of(rows, PER_PAGE, None)
        assert (page.paginator.count, page.paginator.num_pages, page.has_next()) == (3, 1, False)
        assert len(page.object_list) == PER_PAGE


def test_a_longer_list_is_counted_once_its_page_asks(django_assert_num_queries):
    owner = UserFactory()
    PersonFactory.create_batch(PER_PAGE + 1, owner=owner)
    rows = Person.objects.filter(owner=owner).order_by("name")
    with django_assert_num_queries(2):  # the first page and one more, then the count
        page = page_of(rows, PER_PAGE, "1")
        assert len(page.object_list) == PER_PAGE
        assert (page.paginator.num_pages, page.has_next()) == (2, True)
