"""The comparison "as my friends see it": friends' medians over every round (the latest
answer of each friend per option), the ranking recomputed with them under the weights in
effect, each option's rank under both, the sentences of what would change, and the link
to ask friends about the selection: on the page, in the htmx what-if fragment, and in a
query count that grows neither with friends nor with options."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opportunities.compare.views import GUT_SKIPPED
from opportunities.criteria.queries import active_criteria
from opportunities.friends.core import hash_token, new_token
from opportunities.friends.queries import friends_on_options
from opportunities.friends.services import MAX_OPPORTUNITIES_PER_ROUND
from opportunities.models import (
    FriendAnswer,
    FriendInvitation,
    FriendRound,
    FriendScore,
    Opportunity,
    Person,
)
from opportunities.scoring.services import save_score
from tests.factories import OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPARE = reverse("opportunities:compare")
EXPORT = reverse("opportunities:compare_export")


# --- Building friends' answers ------------------------------------------------------------------


def ask(owner, *opportunities: Opportunity) -> FriendRound:
    asked = FriendRound.objects.create(owner=owner)
    asked.opportunities.set(opportunities)
    return asked


def invite(asked: FriendRound, name: str, *, person: Person | None = None) -> FriendInvitation:
    return FriendInvitation.objects.create(
        owner=asked.owner,
        round=asked,
        person=person,
        name=name,
        token_hash=hash_token(new_token()),
        expires_at=timezone.now() + timedelta(days=14),
    )


def answer(
    invitation: FriendInvitation,
    opportunity: Opportunity,
    scores: dict | None = None,
    *,
    gut: str = "",
    at=None,
) -> FriendAnswer:
    """``scores`` by criterion: a whole score, None (not rated), or "can't say"."""
    said = FriendAnswer.objects.create(
        owner=invitation.owner, invitation=invitation, opportunity=opportunity, gut=gut
    )
    FriendScore.objects.bulk_create(
        FriendScore(
            owner=invitation.owner,
            answer=said,
            criterion=criterion,
            value=None if value == "can't say" else value,
            cant_say=value == "can't say",
            comment="because",
        )
        for criterion, value in (scores or {}).items()
    )
    if at is not None:
        FriendAnswer.objects.filter(pk=said.pk).update(updated_at=at)
    return said


def by_name(criteria) -> dict:
    return {criterion.name: criterion for criterion in criteria}


def score(opportunity: Opportunity, values: list[int], criteria) -> None:
    for criterion, value in zip(criteria, values, strict=True):
        save_score(opportunity=opportunity, criterion=criterion, value=value)


@pytest.fixture
def story(user, criteria):
    """The design story's three options under the default criteria (weights 8,7,6,6,8,4,7):
    Marketing 68.7, Freelancing 58.3, Stay as I am 57.8."""
    marketing = OpportunityFactory(owner=user, title="Marketing role")
    freelancing = OpportunityFactory(owner=user, title="Return to freelancing")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    score(marketing, [8, 6, 7, 8, 6, 4, 8], criteria)
    score(freelancing, [7, 7, 5, 5, 4, 9, 5], criteria)
    score(stay, [6, 5, 4, 4, 8, 9, 5], criteria)
    return marketing, freelancing, stay


@pytest.fixture
def friends_on_daily_life(user, story, criteria):
    """Two friends rate Freelancing's "Daily & weekly life" 1 and 2 (the owner: 4): their
    median 2 takes it from 58.3 to 54.8, below staying as I am (57.8)."""
    marketing, freelancing, _ = story
    daily = by_name(criteria)["Daily & weekly life"]
    asked = ask(user, marketing, freelancing)
    answer(invite(asked, "Ana"), freelancing, {daily: 1}, gut="no")
    answer(invite(asked, "Ben"), freelancing, {daily: 2})
    answer(invite(asked, "Ben's partner"), marketing, {}, gut="yes")  # a gut feeling only
    return asked


def compare_url(*opportunities, **params) -> str:
    query = "&".join(
        [f"ids={','.join(str(o.pk) for o in opportunities)}"]
        + [f"{key}={value}" for key, value in params.items()]
    )
    return f"{COMPARE}?{query}"


def skip_gut_ranking(client, *opportunities) -> None:
    session = client.session
    session[GUT_SKIPPED] = ["-".join(str(pk) for pk in sorted(o.pk for o in opportunities))]
    session.save()


# --- The medians --------------------------------------------------------------------------------


def test_friends_medians_spreads_and_counts(user, story, criteria):
    marketing, freelancing, stay = story
    growth, daily = by_name(criteria)["Personal growth"], by_name(criteria)["Daily & weekly life"]
    asked = ask(user, marketing, freelancing)
    answer(invite(asked, "Ana"), marketing, {growth: 4, daily: "can't say"}, gut="yes")
    answer(invite(asked, "Ben"), marketing, {growth: 7, daily: None})
    answer(invite(asked, "Cleo"), marketing, {growth: 5})
    answer(invite(asked, "Dan"), freelancing, {}, gut="unsure")

    said = friends_on_options(
        user, options=[o.pk for o in story], criteria=[c.pk for c in criteria]
    )

    assert said.answers == {marketing.pk: 3, freelancing.pk: 1}
    assert said.friends == 4
    growth_said = said.spreads[marketing.pk][growth.pk]
    assert (growth_said.median, growth_said.low, growth_said.high) == (5, 4, 7)
    assert growth_said.display == "5 (4\N{EN DASH}7), 3 answers"
    assert said.spreads[marketing.pk][daily.pk].cant_say == 1
    assert said.spreads[marketing.pk][daily.pk].median is None
    assert said.medians == {marketing.pk: {growth.pk: 5}}
    assert stay.pk not in said.answers


def test_an_even_count_rounds_the_middle_half_up(user, story, criteria):
    marketing = story[0]
    growth = by_name(criteria)["Personal growth"]
    asked = ask(user, marketing)
    for name, value in [("Ana", 4), ("Ben", 5)]:
        answer(invite(asked, name), marketing, {growth: value})

    said = friends_on_options(user, options=[marketing.pk], criteria=[growth.pk])

    assert said.medians == {marketing.pk: {growth.pk: 5}}  # 4.5 → 5


def test_each_friend_counts_once_per_option_with_their_latest_answer(user, story, criteria):
    marketing = story[0]
    growth = by_name(criteria)["Personal growth"]
    ana = Person.objects.create(owner=user, name="Ana Lima")
    earlier = timezone.now() - timedelta(days=20)
    first, second = ask(user, marketing), ask(user, marketing)
    # Ana, invited as a person in both rounds: her second answer replaces the first.
    answer(invite(first, "Ana", person=ana), marketing, {growth: 1}, at=earlier)
    answer(invite(second, "Ana L.", person=ana), marketing, {growth: 9})
    # Ben, by name only, in both rounds (spelt differently): his newer answer counts.
    answer(invite(first, "Ben"), marketing, {growth: 8})
    answer(invite(second, "ben"), marketing, {growth: 2}, at=earlier)
    # Another Ana, by name only: not the person Ana, so a friend of her own.
    answer(invite(second, "Ana"), marketing, {growth: 6})

    said = friends_on_options(user, options=[marketing.pk], criteria=[growth.pk])

    assert said.answers == {marketing.pk: 3}
    assert said.friends == 3
    growth_said = said.spreads[marketing.pk][growth.pk]
    assert (growth_said.median, growth_said.low, growth_said.high, growth_said.count) == (
        8,
        6,
        9,
        3,
    )


def test_a_newer_answer_saying_cant_say_replaces_an_older_score(user, story, criteria):
    marketing = story[0]
    growth = by_name(criteria)["Personal growth"]
    first, second = ask(user, marketing), ask(user, marketing)
    answer(invite(first, "Ana"), marketing, {growth: 3}, at=timezone.now() - timedelta(days=3))
    answer(invite(second, "Ana"), marketing, {growth: "can't say"})

    said = friends_on_options(user, options=[marketing.pk], criteria=[growth.pk])

    assert said.medians == {marketing.pk: {}}
    assert said.spreads[marketing.pk][growth.pk].cant_say == 1


def test_only_the_compared_criteria_and_options_of_this_user_count(
    user, other_user, story, criteria
):
    marketing, freelancing, _ = story
    growth, pay = by_name(criteria)["Personal growth"], by_name(criteria)["Pay"]
    asked = ask(user, marketing, freelancing)
    answer(invite(asked, "Ana"), marketing, {growth: 2, pay: 9})
    answer(invite(asked, "Ana's sister"), freelancing, {growth: 3})
    theirs = OpportunityFactory(owner=other_user)
    their_growth = next(c for c in other_user.criteria.all() if c.name == "Personal growth")
    answer(invite(ask(other_user, theirs), "Ana"), theirs, {their_growth: 10})

    said = friends_on_options(
        user, options=[marketing.pk, theirs.pk], criteria=[growth.pk, their_growth.pk]
    )

    assert said.medians == {marketing.pk: {growth.pk: 2}}
    assert said.answers == {marketing.pk: 1}


def test_the_medians_take_one_query_however_many_friends_and_rounds(
    user, story, criteria, django_assert_num_queries
):
    asked = [ask(user, *story) for _ in range(3)]
    for number in range(12):
        invitation = invite(asked[number % 3], f"Friend {number}")
        for option in story:
            answer(invitation, option, {c: (number + c.pk) % 11 for c in criteria})

    with django_assert_num_queries(1):
        said = friends_on_options(
            user, options=[o.pk for o in story], criteria=[c.pk for c in criteria]
        )
    assert said.answers == {option.pk: 12 for option in story}
    with django_assert_num_queries(0):
        assert not friends_on_options(user, options=[], criteria=[c.pk for c in criteria]).any


# --- The page -----------------------------------------------------------------------------------


def test_without_answers_the_page_offers_to_ask_friends(client_in, story):
    skip_gut_ranking(client_in, *story)

    response = client_in.get(compare_url(*story))

    html = response.content.decode()
    assert response.context["friends"] is None
    assert 'data-testid="friends-view"' not in html
    ids = ",".join(str(o.pk) for o in story)
    ask_url = f"{reverse('opportunities:friends_round_create')}?ids={ids}"
    assert f'href="{escape(ask_url)}" data-testid="ask-friends"' in html


def test_more_options_than_a_round_takes_are_not_offered_to_friends(client_in, user):
    made = [OpportunityFactory(owner=user) for _ in range(MAX_OPPORTUNITIES_PER_ROUND + 1)]
    skip_gut_ranking(client_in, *made)

    html = client_in.get(compare_url(*made)).content.decode()

    assert 'data-testid="ask-friends"' not in html
    assert f"up to {MAX_OPPORTUNITIES_PER_ROUND} opportunities at a time" in html
    ten = made[:MAX_OPPORTUNITIES_PER_ROUND]
    skip_gut_ranking(client_in, *ten)
    with_ten = client_in.get(compare_url(*ten)).content.decode()
    assert 'data-testid="ask-friends"' in with_ten


def test_the_ranking_as_friends_see_it_beside_the_owners(client_in, story, friends_on_daily_life):
    marketing, freelancing, stay = story
    skip_gut_ranking(client_in, *story)

    response = client_in.get(compare_url(*story))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="friends-view"' in html
    assert "As my friends see it" in html
    # The owner's own ranking is untouched.
    owners = [c.option.title for c in response.context["comparison"].ranking]
    assert owners == ["Marketing role", "Return to freelancing", "Stay as I am"]
    friends = response.context["friends"]
    assert [
        (row.column.option.title, row.column.rank, row.own_rank, row.answers)
        for row in friends["ranking"]
    ] == [
        ("Marketing role", 1, 1, 1),
        ("Stay as I am", 2, 3, 0),
        ("Return to freelancing", 3, 2, 2),
    ]
    assert [row.column.result.display for row in friends["ranking"]] == ["68.7", "57.8", "54.8"]
    assert friends["friends"] == 3
    assert friends["sentences"] == [
        "With your friends' Daily & weekly life scores, Return to freelancing falls below "
        "Stay as I am.",
        "With your friends' scores, Return to freelancing falls below Stay as I am.",
    ]
    for sentence in friends["sentences"]:
        assert escape(sentence) in html
    assert "3 friends answered." in html
    assert "your rank: 3" in html
    assert "no answers: your scores" in html
    assert "2 answers" in html
    ask_url = reverse("opportunities:friends_round_create")
    assert escape(f"{ask_url}?ids={marketing.pk},{freelancing.pk},{stay.pk}") in html


def test_what_if_weights_are_the_ones_friends_scores_are_weighed_with(
    client_in, story, criteria, friends_on_daily_life, htmx_headers
):
    daily = by_name(criteria)["Daily & weekly life"]
    url = compare_url(*story, **{f"w{daily.pk}": 0})

    response = client_in.get(url, headers=htmx_headers("comparison"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    # The fragment the what-if form swaps in (#comparison-answer) carries the section.
    answer_part = html[html.index('id="comparison-answer"') :]
    assert 'data-testid="friends-view"' in answer_part
    assert "under the what-if weights" in answer_part
    assert response.context["friends"]["sentences"] == [
        "With your friends' scores, the order stays as it is."
    ]
    assert escape("With your friends' scores, the order stays as it is.") in answer_part


def test_the_what_if_page_loaded_directly_shows_it_too(
    client_in, story, criteria, friends_on_daily_life
):
    skip_gut_ranking(client_in, *story)
    daily = by_name(criteria)["Daily & weekly life"]

    response = client_in.get(compare_url(*story, **{f"w{daily.pk}": 0}))

    html = response.content.decode()
    assert "<html" in html
    assert 'data-testid="friends-view"' in html
    assert escape("With your friends' scores, the order stays as it is.") in html
    ranks = [(r.column.rank, r.own_rank) for r in response.context["friends"]["ranking"]]
    assert ranks == [(1, 1), (2, 2), (3, 3)]


def test_the_htmx_fragment_changes_with_the_weights(
    client_in, story, criteria, friends_on_daily_life, htmx_headers
):
    """Freelancing stays above staying as I am on the strength of Values fit: at a weight
    of 9 friends' Daily & weekly life scores still take it below; at 5 it already is."""
    values = by_name(criteria)["Values fit"]
    falls = escape("Return to freelancing falls below Stay as I am.")

    heavier = client_in.get(
        compare_url(*story, **{f"w{values.pk}": 9}), headers=htmx_headers("comparison")
    )
    lighter = client_in.get(
        compare_url(*story, **{f"w{values.pk}": 5}), headers=htmx_headers("comparison")
    )

    assert falls in heavier.content.decode()
    assert falls not in lighter.content.decode()
    assert [(r.column.rank, r.own_rank) for r in lighter.context["friends"]["ranking"]] == [
        (1, 1),
        (2, 2),
        (3, 3),
    ]


def test_another_users_friends_are_not_shown(client_in, user, other_user, story):
    theirs = OpportunityFactory(owner=other_user)
    their_criterion = other_user.criteria.first()
    answer(invite(ask(other_user, theirs), "Spy"), theirs, {their_criterion: 0}, gut="no")
    skip_gut_ranking(client_in, *story)

    response = client_in.get(compare_url(*story, theirs))

    assert response.context["friends"] is None
    assert "Spy" not in response.content.decode()


def test_answers_about_an_option_not_compared_are_left_out(client_in, user, story, criteria):
    marketing, freelancing, _ = story
    elsewhere = OpportunityFactory(owner=user, title="Elsewhere")
    answer(invite(ask(user, elsewhere), "Ana"), elsewhere, {criteria[0]: 0})
    skip_gut_ranking(client_in, marketing, freelancing)

    response = client_in.get(compare_url(marketing, freelancing))

    assert response.context["friends"] is None


def test_friends_hostile_text_never_reaches_the_comparison(client_in, user, story, criteria):
    marketing = story[0]
    asked = ask(user, marketing)
    invitation = invite(asked, "<script>alert(1)</script>")
    said = answer(invitation, marketing, {criteria[0]: 3})
    FriendAnswer.objects.filter(pk=said.pk).update(gut_reason="<img src=x onerror=alert(1)>")
    skip_gut_ranking(client_in, *story)

    html = client_in.get(compare_url(*story)).content.decode()

    assert 'data-testid="friends-view"' in html
    assert "<script>alert(1)</script>" not in html
    assert "onerror" not in html


def test_the_csv_is_the_owners_matrix_alone(client_in, story, friends_on_daily_life):
    response = client_in.get(compare_url(*story).replace(COMPARE, EXPORT))

    assert response.status_code == 200
    body = response.content.decode()
    assert "friends" not in body.lower()


# --- Speed ------------------------------------------------------------------------------------


def many_friends(owner, options: list[Opportunity], friends: int) -> None:
    criteria = list(active_criteria(owner))
    rounds = [ask(owner, *options[:10]), ask(owner, *options[10:20] or options[:10])]
    for number in range(friends):
        invitation = invite(rounds[number % 2], f"Friend {number}")
        for option in options:
            answer(invitation, option, {c: (number * 3 + c.pk) % 11 for c in criteria})


@pytest.mark.parametrize(("options", "friends"), [(2, 1), (20, 8)])
def test_query_count_does_not_grow_with_options_or_friends(
    client, django_assert_num_queries, options, friends
):
    owner = UserFactory()
    for position in range(5):
        owner.criteria.create(name=f"Criterion {position}", weight=5, position=position)
    made = [OpportunityFactory(owner=owner) for _ in range(options)]
    for number, option in enumerate(made):
        score(option, [(number + k) % 11 for k in range(5)], list(active_criteria(owner)))
    many_friends(owner, made, friends)
    client.force_login(owner)
    session = client.session
    session[GUT_SKIPPED] = ["-".join(str(pk) for pk in sorted(o.pk for o in made))]
    session.save()
    url = compare_url(*made)

    # session, user, opportunities, criteria, scores, gut ranking, pay settings, friends
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["friends"]["ranking"]) == options
    with django_assert_num_queries(8):
        client.get(url, headers={"HX-Request": "true", "HX-Target": "comparison"})
    with django_assert_num_queries(7):  # the CSV leaves friends out
        client.get(url.replace(COMPARE, EXPORT))
