"""What the owner sees of a round's answers: per criterion their score beside the
friends' median and spread, the flag where they sit outside their friends' range, the
comments and gut answers, and what the friends' view would change in the ranking."""

from __future__ import annotations

import pytest
from django.utils.html import escape

from opportunities.friends.queries import round_page
from opportunities.scoring.services import save_score
from tests.factories import CriterionFactory, OpportunityFactory, UserFactory
from tests.friends.owner_helpers import CANT_SAY, answer, make_link, make_round, url

pytestmark = pytest.mark.django_db

GROWTH_SENTENCE = "With your friends' Growth scores, Agency role falls below Stay as I am."
ALL_AT_ONCE = "With your friends' scores, Agency role falls below Stay as I am."


@pytest.fixture
def owner(db):
    """Someone weighing two criteria: Growth (weight 8) and Pay (weight 5)."""
    return UserFactory(first_name="Robin")


@pytest.fixture
def growth(owner):
    return CriterionFactory(owner=owner, name="Growth", weight=8, position=1)


@pytest.fixture
def pay(owner):
    return CriterionFactory(owner=owner, name="Pay", weight=5, position=2)


def scored(owner, title, scores, **fields):
    opportunity = OpportunityFactory(owner=owner, title=title, **fields)
    for criterion, value in scores.items():
        save_score(opportunity=opportunity, criterion=criterion, value=value)
    return opportunity


@pytest.fixture
def story(owner, growth, pay):
    """Freelancing 83.8 > Agency role 78.5 > Stay as I am 57.7 by the owner's scores. The
    round asks about the first two; three friends answer about the agency role, and their
    Growth median (3) sinks it below staying as one is."""
    agency = scored(owner, "Agency role", {growth: 9, pay: 6})
    freelancing = scored(owner, "Freelancing", {growth: 8, pay: 9})
    stay = scored(owner, "Stay as I am", {growth: 5, pay: 7}, is_status_quo=True)
    friend_round = make_round(owner, agency, freelancing)
    ana, _ = make_link(friend_round, "Ana")
    ben, _ = make_link(friend_round, "Ben")
    cleo, _ = make_link(friend_round, "Cleo")
    make_link(friend_round, "Dan")  # has not answered
    answer(
        ana,
        agency,
        {growth: 2, pay: 6},
        comments={growth: "You'd be bored in a month <script>alert(1)</script>"},
        gut="no",
        reason="The commute would wear you down.",
    )
    answer(ben, agency, {growth: 3, pay: 7}, gut="unsure")
    answer(cleo, agency, {growth: 4, pay: CANT_SAY}, comments={pay: "No idea what they pay"})
    answer(cleo, freelancing, {growth: 8}, gut="yes", reason="It's you.")
    return friend_round, agency, freelancing, stay


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


def test_each_criterion_shows_the_owner_beside_the_friends_median_and_spread(story, growth, pay):
    friend_round, agency, _freelancing, _ = story
    page = round_page(friend_round)
    assert page.answered == 3
    agency_results, freelancing_results = page.results
    assert agency_results.opportunity == agency
    assert agency_results.answers == 3
    growth_row, pay_row = agency_results.criteria
    assert growth_row.sentence == "You 9 · friends 3 (2–4), 3 answers"
    assert (growth_row.friends.median, growth_row.friends.low, growth_row.friends.high) == (3, 2, 4)
    assert growth_row.flagged
    assert growth_row.adoptable
    assert growth_row.comments == (("Ana", "You'd be bored in a month <script>alert(1)</script>"),)
    # The median of 6 and 7 is rounded half up; Cleo could not say.
    assert pay_row.sentence == "You 6 · friends 7 (6–7), 2 answers"
    assert pay_row.friends.cant_say == 1
    assert not pay_row.flagged
    assert pay_row.comments == (("Cleo", "No idea what they pay"),)
    free_growth, free_pay = freelancing_results.criteria
    assert free_growth.sentence == "You 8 · friends 8, 1 answer"
    assert not free_growth.adoptable
    assert free_pay.sentence == "You 9 · no score from friends yet"
    assert [(gut.name, gut.label, gut.reason) for gut in agency_results.guts] == [
        ("Ana", "No", "The commute would wear you down."),
        ("Ben", "Unsure", ""),
    ]  # Cleo gave scores, and no gut answer


def test_what_it_would_change_names_the_option_that_falls_below_the_status_quo(story):
    friend_round, _agency, _freelancing, stay = story
    page = round_page(friend_round)
    assert page.status_quo == stay
    assert page.sentences == [GROWTH_SENTENCE]
    assert page.change.all_at_once.sentence == ALL_AT_ONCE
    assert [c.option.title for c in page.change.owners.ranking] == [
        "Freelancing",
        "Agency role",
        "Stay as I am",
    ]
    assert [c.option.title for c in page.change.friends.ranking] == [
        "Freelancing",
        "Stay as I am",
        "Agency role",
    ]
    # Pay's friends' score (7 for 6) moves nothing: weighed, but not said.
    assert [c.criterion.name for c in page.change.by_criterion] == ["Growth", "Pay"]


def test_the_round_page_shows_it_all_escaped(owner_client, story):
    friend_round, *_ = story
    response = owner_client.get(url("friends_round", friend_round.pk))
    assert response.status_code == 200
    page = response.text
    assert escape("You 9 · friends 3 (2–4), 3 answers") in page
    assert 'data-testid="outside-range"' in page
    assert page.count('data-testid="outside-range"') == 1
    assert escape(GROWTH_SENTENCE) in page
    assert escape(ALL_AT_ONCE) in page
    assert "<script>alert(1)</script>" not in page
    assert escape("You'd be bored in a month <script>alert(1)</script>") in page
    assert "Use friends' 3" in page
    assert "1 can't say" in page or escape("1 can't say") in page
    assert escape("The commute would wear you down.") in page
    assert "✓ Yours is theirs" in page
    assert "Your status quo, Stay as I am, is ranked with your own scores" in page


def test_a_round_without_links_or_without_answers_says_so(owner_client, owner, growth):
    friend_round = make_round(owner, scored(owner, "Agency role", {growth: 7}))
    page = owner_client.get(url("friends_round", friend_round.pk)).text
    assert 'data-testid="no-links"' in page
    assert 'data-testid="what-it-would-change"' not in page
    make_link(friend_round, "Ana")
    page = owner_client.get(url("friends_round", friend_round.pk)).text
    assert "Nobody has answered yet — answers appear here as they come." in page


def test_one_opportunity_without_a_status_quo_has_no_ranking_to_change(owner_client, owner, growth):
    agency = scored(owner, "Agency role", {growth: 7})
    friend_round = make_round(owner, agency)
    ana, _ = make_link(friend_round, "Ana")
    answer(ana, agency, {growth: 3})
    page = round_page(friend_round)
    assert page.change is None
    text = owner_client.get(url("friends_round", friend_round.pk)).text
    assert "There is one opportunity here and no status quo" in text


def test_gut_answers_alone_change_nothing_and_say_so(owner_client, owner, growth):
    agency = scored(owner, "Agency role", {growth: 7})
    scored(owner, "Stay", {growth: 5}, is_status_quo=True)
    friend_round = make_round(owner, agency)
    ana, _ = make_link(friend_round, "Ana")
    answer(ana, agency, gut="yes", reason="Take it")
    assert round_page(friend_round).change is None
    text = owner_client.get(url("friends_round", friend_round.pk)).text
    assert "No friend has given a score yet, only gut answers" in text


def test_a_criterion_archived_since_is_left_out(story, growth):
    friend_round, *_ = story
    growth.archived_at = growth.updated_at
    growth.save()
    page = round_page(friend_round)
    assert [row.criterion.name for row in page.results[0].criteria] == ["Pay"]
    assert [change.criterion.name for change in page.change.by_criterion] == ["Pay"]
    # Pay alone: the agency role (6, friends 7) draws level with staying (7).
    assert page.sentences == ["With your friends' Pay scores, Agency role moves up."]


def test_the_round_page_takes_a_fixed_number_of_queries(
    owner_client, owner, story, growth, pay, django_assert_max_num_queries
):
    friend_round, agency, freelancing, _ = story
    # session, user, round; its opportunities, links, answers, scores; criteria, status
    # quo, live scores; the people to pick a friend from
    with django_assert_max_num_queries(11):
        owner_client.get(url("friends_round", friend_round.pk))
    more = [CriterionFactory(owner=owner, name=f"More {n}", position=3 + n) for n in range(6)]
    for n in range(12):
        link, _ = make_link(friend_round, f"Friend {n}")
        answer(
            link,
            agency,
            dict.fromkeys([growth, pay, *more], n % 11),
            comments={growth: f"comment {n}"},
            gut="yes",
        )
        answer(link, freelancing, {pay: 5}, gut="no")
    with django_assert_max_num_queries(11):
        response = owner_client.get(url("friends_round", friend_round.pk))
    assert response.text.count('data-testid="criterion-result"') == 2 * 8
