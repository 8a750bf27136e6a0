"""The weight that would make the matrix fit the gut: on the comparison (this set's gut
ranking, with a what-if "Try it" that saves nothing) and on the criteria page (across every
gut ranking), with isolation and query counts."""

from __future__ import annotations

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opportunities.compare.services import save_gut_ranking
from opportunities.models import Criterion, GutRanking
from opportunities.weights.queries.gut import gut_reconciliation
from tests.factories import OpportunityFactory
from tests.weights.money_story import (
    CRITERIA,
    LEVEL,
    LIFE,
    by_name,
    compare_url,
    money_story,
    score,
    text,
)

pytestmark = pytest.mark.django_db

# With the money story's scores the matrix ranks Stay as I am (205 of 41 · 10 weighted
# points), Agency role (191), Startup (181); daily life at 4 rather than 8 puts the agency
# ahead of staying (175 against 173).


@pytest.fixture
def story(user):
    return money_story(user)


def gut_fit(response) -> str:
    content = response.content.decode()
    if 'data-testid="gut-fit"' not in content:
        return ""
    start = content.index('data-testid="gut-fit"')
    return text(content[start : content.index("</p>", start)])


# --- The comparison ----------------------------------------------------------------------------


def test_a_gut_ranking_one_weight_would_fit_is_named_with_a_try_it(client_in, story):
    agency, stay, _ = story
    save_gut_ranking(user=agency.owner_id, order=[agency.pk, stay.pk])
    response = client_in.get(compare_url(agency, stay))
    said = gut_fit(response)
    assert "Your gut ranking fits if Daily & weekly life weighed 4 rather than 8." in said
    life = by_name(agency.owner_id)[LIFE]
    try_it = compare_url(agency, stay, **{f"w{life.pk}": 4})
    assert f'href="{escape(try_it)}"' in response.content.decode()
    # Trying it: a what-if weight, not saved, under which the gut and the matrix agree.
    tried = client_in.get(try_it).content.decode()
    assert 'data-testid="gut-agrees"' in tried
    assert 'data-testid="what-if-banner"' in tried
    assert Criterion.objects.get(pk=life.pk).weight == 8


def test_a_change_that_only_comes_closer_says_how_much(client_in, story):
    agency, stay, startup = story
    save_gut_ranking(user=agency.owner_id, order=[startup.pk, stay.pk, agency.pk])
    said = gut_fit(client_in.get(compare_url(agency, stay, startup)))
    assert (
        "Your gut ranking comes closer if Daily & weekly life weighed 3 rather than 8: "
        "1 of 2 disagreements goes." in said
    )


def test_nothing_is_said_when_the_gut_agrees_or_no_weight_helps(client_in, story):
    agency, stay, startup = story
    save_gut_ranking(user=agency.owner_id, order=[stay.pk, agency.pk])
    assert gut_fit(client_in.get(compare_url(agency, stay))) == ""
    save_gut_ranking(user=agency.owner_id, order=[stay.pk, startup.pk, agency.pk])
    response = client_in.get(compare_url(agency, stay, startup))
    assert 'data-testid="disagreements"' in response.content.decode()
    assert gut_fit(response) == ""


def test_the_fit_follows_the_what_if_weights(client_in, story, htmx_headers):
    agency, stay, _ = story
    save_gut_ranking(user=agency.owner_id, order=[agency.pk, stay.pk])
    life = by_name(agency.owner_id)[LIFE]
    # Life at 6: the agency is still behind (183 against 189); life 4 or growth 8 would
    # bring them level (two points either way), and growth comes first.
    url = compare_url(agency, stay, **{f"w{life.pk}": 6})
    response = client_in.get(url, headers=htmx_headers("comparison"))
    assert "<html" not in response.content.decode()
    assert "fits if Personal growth weighed 8 rather than 6" in gut_fit(response)
    # Under a what-if that already agrees, nothing is said.
    url = compare_url(agency, stay, **{f"w{life.pk}": 2})
    assert gut_fit(client_in.get(url, headers=htmx_headers("comparison"))) == ""


# --- The criteria page -------------------------------------------------------------------------


def criteria_fit(client) -> str:
    content = client.get(CRITERIA).content.decode()
    start = content.index(">", content.index('id="gut-fit-all"')) + 1
    return text(content[start : content.index("</div>", start)]).strip()


def test_across_every_gut_ranking_on_the_criteria_page(client_in, story):
    agency, stay, startup = story
    save_gut_ranking(user=agency.owner_id, order=[agency.pk, stay.pk])
    save_gut_ranking(user=agency.owner_id, order=[agency.pk, startup.pk, stay.pk])
    said = criteria_fit(client_in)
    assert (
        "Across your 2 gut rankings, the matrix disagrees with your gut on 3 of 4 pairs; they "
        "would agree on all if Daily & weekly life weighed 4 rather than 8." in said
    )


def test_only_the_newest_ranking_of_a_set_counts(client_in, story):
    agency, stay, _ = story
    old = save_gut_ranking(user=agency.owner_id, order=[stay.pk, agency.pk])
    GutRanking.objects.filter(pk=old.pk).update(created_at=timezone.now() - timezone.timedelta(9))
    save_gut_ranking(user=agency.owner_id, order=[agency.pk, stay.pk])
    said = criteria_fit(client_in)
    assert "In your gut ranking, the matrix disagrees with your gut on 1 of 1 pair;" in said


def test_archived_and_deleted_options_leave_their_rankings(client_in, story):
    agency, stay, startup = story
    save_gut_ranking(user=agency.owner_id, order=[agency.pk, startup.pk, stay.pk])
    startup.archived_at = timezone.now()
    startup.save(update_fields=["archived_at"])
    # Left: agency above stay, one pair, still against the matrix.
    assert "on 1 of 1 pair;" in criteria_fit(client_in)
    gone = OpportunityFactory(owner=agency.owner, title="Gone")
    score(gone, LEVEL)
    save_gut_ranking(user=agency.owner_id, order=[gone.pk, stay.pk])
    gone.delete()
    assert "In your gut ranking, the matrix disagrees with your gut on 1 of 1 pair;" in (
        criteria_fit(client_in)
    )


def test_nothing_is_said_on_the_criteria_page_when_the_gut_agrees(client_in, story):
    agency, stay, _ = story
    save_gut_ranking(user=agency.owner_id, order=[stay.pk, agency.pk])
    assert criteria_fit(client_in) == ""


def test_no_single_weight_helping_is_said_too(client_in, story):
    agency, stay, startup = story
    save_gut_ranking(user=agency.owner_id, order=[stay.pk, startup.pk, agency.pk])
    said = criteria_fit(client_in)
    assert "the matrix disagrees with your gut on 1 of 3 pairs;" in said
    assert "no single weight change would bring them closer" in said


def test_moving_a_weight_redraws_the_gut_fit(client_in, story, htmx_headers):
    agency, stay, _ = story
    save_gut_ranking(user=agency.owner_id, order=[agency.pk, stay.pk])
    life = by_name(agency.owner_id)[LIFE]
    url = reverse_weight(life)
    response = client_in.post(url, {"weight": "3"}, headers=htmx_headers("weight-summary"))
    content = response.content.decode()
    assert '<div id="gut-fit-all"' in content
    assert "disagrees" not in text(content)  # at 3 the matrix agrees with the gut


def reverse_weight(criterion) -> str:
    return reverse("opportunities:criterion_weight", args=[criterion.pk])


def test_another_users_gut_rankings_never_count(client_in, story, other_user):
    theirs = [OpportunityFactory(owner=other_user) for _ in range(2)]
    score(theirs[0], {"Values fit": 9})
    score(theirs[1], {"Values fit": 1})
    save_gut_ranking(user=other_user, order=[theirs[1].pk, theirs[0].pk])
    assert (
        gut_reconciliation(story[0].owner, list(Criterion.objects.filter(owner=story[0].owner)))
        is None
    )
    assert criteria_fit(client_in) == ""
    # Even a ranking of theirs forged into this user's rows reads none of their scores.
    GutRanking.objects.create(
        owner=story[0].owner, selection="x", order=[theirs[1].pk, theirs[0].pk]
    )
    assert criteria_fit(client_in) == ""


def test_criteria_page_queries_with_gut_rankings(client_in, story, django_assert_max_num_queries):
    agency, stay, startup = story
    for order in ([agency, stay], [startup, agency, stay], [stay, startup]):
        save_gut_ranking(user=agency.owner_id, order=[o.pk for o in order])
    # session, user, criteria, pay settings, gut rankings, their options' live scores, the
    # latest swing answers
    with django_assert_max_num_queries(7):
        said = criteria_fit(client_in)
    assert "Across your 3 gut rankings" in said
    more = [OpportunityFactory(owner=agency.owner) for _ in range(20)]
    for index, option in enumerate(more):
        score(option, {"Values fit": index % 11})
    for first, second in itertools.pairwise(more):
        save_gut_ranking(user=agency.owner_id, order=[second.pk, first.pk])
    with django_assert_max_num_queries(7):
        criteria_fit(client_in)


def test_gut_reconciliation_is_none_without_gut_rankings(user, criteria, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert gut_reconciliation(user, criteria) is None
