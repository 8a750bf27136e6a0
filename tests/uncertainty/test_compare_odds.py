"""The comparison's plausible cases: how likely each option is to come out on top given the
unsure scores' ranges, what to find out next, and a query count that does not grow."""

import re
from html import unescape

import pytest
from django.urls import reverse

from opportunities.compare.services import save_gut_ranking
from opportunities.models import Score
from opportunities.scoring.services import save_score
from tests.compare.test_views import build, compare_url
from tests.factories import CriterionFactory, OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true", "HX-Target": "comparison"}


def set_range(opportunity, criterion, low, high):
    updated = Score.objects.filter(
        evaluation__opportunity=opportunity, evaluation__frozen_at__isnull=True, criterion=criterion
    ).update(low=low, high=high)
    assert updated == 1


@pytest.fixture
def two(client):
    """An agency role just ahead of staying as you are, its Growth a guess (2-10 around 6)."""
    owner = UserFactory()
    growth = CriterionFactory(owner=owner, name="Growth", weight=5)
    pay = CriterionFactory(owner=owner, name="Pay", weight=5)
    agency = OpportunityFactory(owner=owner, title="Agency role")
    stay = OpportunityFactory(owner=owner, title="Staying as you are", is_status_quo=True)
    for opportunity, values in ((agency, {growth: 6, pay: 6}), (stay, {growth: 5, pay: 6})):
        for criterion, value in values.items():
            save_score(opportunity=opportunity, criterion=criterion, value=value)
    save_gut_ranking(user=owner, order=[agency.pk, stay.pk])  # Straight to the matrix.
    client.force_login(owner)
    return client, agency, stay, growth, pay


def section(response) -> str:
    html = response.content.decode()
    match = re.search(r'<section class="card mb-3 odds".*?</section>', html, re.S)
    # Without the CSRF tokens of the "Add as a question" forms, which change every time.
    return (
        re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", unescape(match.group(0)))
        if match
        else ""
    )


def test_no_ranges_no_section(two):
    client, agency, stay, _, _ = two
    response = client.get(compare_url(agency, stay))
    assert response.status_code == 200
    assert response.context["odds"] is None
    assert 'data-testid="odds"' not in response.content.decode()


def test_ranges_show_the_chances_and_what_to_find_out(two):
    client, agency, stay, growth, _ = two
    set_range(agency, growth, 2, 10)
    response = client.get(compare_url(agency, stay))
    odds = response.context["odds"]
    simulation = odds["simulation"]
    assert sum(row.p_first for row in simulation.options) == pytest.approx(1)
    html = section(response)
    assert simulation.sentence in html
    assert simulation.sentence.startswith("Agency role comes out on top in ")
    assert "of the plausible cases; Staying as you are in " in simulation.sentence
    assert "Beats the status quo" in html
    assert "baseline" in html
    agency_odds = simulation.by_key[agency.pk]
    assert agency_odds.band is not None
    assert f"likely {agency_odds.band.low:.0f}–{agency_odds.band.high:.0f}" in html
    # The suggestion, with its "Add as a question" form.
    [item] = odds["find_out"]
    assert (item.option_key, item.criterion_key) == (agency.pk, growth.pk)
    assert item.suggestion.sentence.startswith(
        "Finding out about Growth at Agency role would settle most of it"
    )
    action = reverse("opportunities:question_add", args=[agency.pk])
    assert f'action="{action}"' in html
    assert 'name="text" value="What is the Growth like at Agency role, really?"' in html
    assert f'name="criterion" value="{growth.pk}"' in html
    assert f'name="next" value="{compare_url(agency, stay)}"' in html


def test_the_figures_are_the_same_on_every_reload(two):
    client, agency, stay, growth, _ = two
    set_range(agency, growth, 2, 10)
    first = section(client.get(compare_url(agency, stay)))
    assert first
    assert section(client.get(compare_url(agency, stay))) == first


def test_what_if_weights_move_the_chances(two):
    client, agency, stay, growth, pay = two
    set_range(agency, growth, 2, 10)
    plain = client.get(compare_url(agency, stay)).context["odds"]["simulation"]
    url = compare_url(agency, stay, **{f"w{growth.pk}": 10, f"w{pay.pk}": 1})
    response = client.get(url, headers=HTMX)
    assert response.status_code == 200
    moved = response.context["odds"]["simulation"]
    assert moved.by_key[agency.pk].p_first != plain.by_key[agency.pk].p_first
    # The fragment carries the section (it is inside #comparison-answer, swapped out of band).
    assert 'data-testid="odds"' in response.content.decode()
    assert moved.sentence in unescape(response.content.decode())
    # And the plain (no-JavaScript) request gives the same figures.
    assert client.get(url).context["odds"]["simulation"].options == moved.options


def test_a_close_call_the_ranges_make_clear(two):
    client, agency, stay, growth, _ = two
    # 6 vs 5 on Growth is a 5-point gap: a close call. The agency's Growth can only be
    # better (6-9), the status quo's only worse (3-5): the agency wins every case.
    set_range(agency, growth, 6, 9)
    set_range(stay, growth, 3, 5)
    response = client.get(compare_url(agency, stay))
    assert response.context["comparison"].sensitivity.close_call
    html = unescape(response.content.decode())
    assert (
        "A close call the ranges make clear: Agency role wins in over 99 % of the plausible cases."
        in html
        or "A close call the ranges make clear: Agency role wins in 100 %" in html
    )
    assert 'data-testid="ranges-note"' in html


def test_a_clear_lead_the_ranges_make_shaky(client):
    owner = UserFactory()
    growth = CriterionFactory(owner=owner, name="Growth", weight=5)
    leader = OpportunityFactory(owner=owner, title="Leader")
    other = OpportunityFactory(owner=owner, title="Other")
    save_score(opportunity=leader, criterion=growth, value=9)
    save_score(opportunity=other, criterion=growth, value=7)
    set_range(leader, growth, 1, 9)
    set_range(other, growth, 6, 9)
    save_gut_ranking(user=owner, order=[leader.pk, other.pk])
    client.force_login(owner)
    response = client.get(compare_url(leader, other))
    assert not response.context["comparison"].sensitivity.close_call
    assert "A clear lead the ranges make shaky: Leader wins in only" in unescape(
        response.content.decode()
    )


def test_another_users_ranges_never_show(two, client):
    _, agency, stay, growth, _ = two
    set_range(agency, growth, 2, 10)
    intruder = UserFactory()
    client.force_login(intruder)
    response = client.get(compare_url(agency, stay))
    assert response.context["odds"] is None
    assert "Agency role" not in response.content.decode()


def test_add_as_a_question_posts_to_the_opportunity_and_comes_back(two):
    client, agency, stay, growth, _ = two
    set_range(agency, growth, 2, 10)
    page = compare_url(agency, stay)
    [item] = client.get(page).context["odds"]["find_out"]
    response = client.post(
        reverse("opportunities:question_add", args=[item.option_key]),
        {"text": item.question, "criterion": item.criterion_key, "next": page},
    )
    assert response.status_code == 302
    assert response["Location"] == page
    assert agency.questions.filter(text=item.question, criterion=growth).exists()


@pytest.mark.parametrize(("options", "criteria"), [(2, 3), (50, 20)])
def test_query_count_with_ranges_does_not_grow(
    client, django_assert_num_queries, options, criteria
):
    owner = UserFactory()
    made, made_criteria = build(owner, options=options, criteria=criteria)
    Score.objects.filter(evaluation__opportunity__in=made, value__gte=1, value__lte=9).update(
        low=1, high=10
    )
    client.force_login(owner)
    url = compare_url(*made)
    # session, user, opportunities, criteria, scores (with their ranges), gut ranking, pay
    # settings, friends' answers: the plausible cases add none.
    with django_assert_num_queries(8):
        response = client.get(url)
    assert response.context["odds"] is not None
    assert len(response.context["odds"]["rows"]) == options
    with django_assert_num_queries(8):
        client.get(f"{url}&w{made_criteria[0].pk}=0", headers=HTMX)


def test_a_score_whose_ranges_reach_further_down_is_said_to_lie_above_its_likely_range(two):
    """Ranges that sit below the scores (8 in 2-8, 6 in 1-6) put the likely decision score
    below the score as given: the comparison and the opportunity's summary say why."""
    client, agency, stay, growth, pay = two
    save_score(opportunity=agency, criterion=growth, value=8)
    set_range(agency, growth, 2, 8)
    set_range(agency, pay, 1, 6)
    text = section(client.get(compare_url(agency, stay)))
    assert "below your score: your ranges reach further down than up" in text
    page = client.get(reverse("opportunities:opportunity_detail", args=[agency.pk])).text
    assert 'data-testid="band-lean"' in page


def test_ranges_around_the_score_say_nothing_of_a_lean(two):
    client, agency, stay, growth, _ = two
    set_range(agency, growth, 4, 8)
    text = section(client.get(compare_url(agency, stay)))
    assert "likely" in text
    assert "band-lean" not in text
