"""The comparison page: selection in the URL, what-if weights, saving them, the gut ranking,
CSV export, and a query count that does not grow with the size of the comparison."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opportunities.compare.services import save_gut_ranking
from opportunities.compare.views import GUT_SKIPPED
from opportunities.models import Criterion, Evaluation, GutRanking, Opportunity, Score
from opportunities.scoring.services import refresh_live_scores, save_score
from tests.factories import CriterionFactory, OpportunityFactory, UserFactory

pytestmark = pytest.mark.django_db

COMPARE = reverse("opportunities:compare")
EXPORT = reverse("opportunities:compare_export")
SAVE_WEIGHTS = reverse("opportunities:compare_weights")
GUT = reverse("opportunities:compare_gut_ranking")


def compare_url(*opportunities, **params) -> str:
    query = "&".join(
        [f"ids={','.join(str(o.pk) for o in opportunities)}"]
        + [f"{key}={value}" for key, value in params.items()]
    )
    return f"{COMPARE}?{query}"


def score(opportunity: Opportunity, values: dict[str, int], criteria) -> None:
    by_name = {criterion.name: criterion for criterion in criteria}
    for name, value in values.items():
        save_score(opportunity=opportunity, criterion=by_name[name], value=value)


def build(owner, *, options: int, criteria: int) -> tuple[list[Opportunity], list[Criterion]]:
    """``options`` opportunities fully scored on ``criteria`` criteria (scores 0-10 spread)."""
    made_criteria = [
        CriterionFactory(owner=owner, weight=1 + index % 10) for index in range(criteria)
    ]
    made_options = [OpportunityFactory(owner=owner) for _ in range(options)]
    evaluations = Evaluation.objects.filter(opportunity__in=made_options)
    Score.objects.bulk_create(
        Score(owner=owner, evaluation=evaluation, criterion=criterion, value=(i * 7 + j * 3) % 11)
        for i, evaluation in enumerate(evaluations)
        for j, criterion in enumerate(made_criteria)
    )
    refresh_live_scores(owner)
    return made_options, made_criteria


@pytest.fixture
def story(user, criteria):
    """The three options of the design story, with the default criteria (weights 8,7,6,6,8,4,7).

    Weighted sums out of 46: Marketing 316 (68.7), Freelancing 268 (58.3), Stay 266 (57.8).
    """
    marketing = OpportunityFactory(owner=user, title="Marketing role")
    freelancing = OpportunityFactory(owner=user, title="Return to freelancing")
    stay = OpportunityFactory(owner=user, title="Stay as I am", is_status_quo=True)
    names = [c.name for c in criteria]
    score(marketing, dict(zip(names, [8, 6, 7, 8, 6, 4, 8], strict=True)), criteria)
    score(freelancing, dict(zip(names, [7, 7, 5, 5, 4, 9, 5], strict=True)), criteria)
    score(stay, dict(zip(names, [6, 5, 4, 4, 8, 9, 5], strict=True)), criteria)
    return marketing, freelancing, stay


def skip_gut_ranking(client, *opportunities) -> None:
    session = client.session
    session[GUT_SKIPPED] = ["-".join(str(pk) for pk in sorted(o.pk for o in opportunities))]
    session.save()


# --- The page --------------------------------------------------------------------------------


def test_signed_out_visitors_are_sent_to_log_in(client, story):
    response = client.get(compare_url(*story))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_matrix_shows_every_option_and_criterion_with_totals(client_in, story, criteria):
    skip_gut_ranking(client_in, *story)

    response = client_in.get(compare_url(*story))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html
    assert response.context["comparison"] is not None
    ranking = [c.option.title for c in response.context["comparison"].ranking]
    assert ranking == ["Marketing role", "Return to freelancing", "Stay as I am"]
    totals = [c.result.display for c in response.context["comparison"].columns]
    # Marketing: 10·(64+42+42+48+48+16+56)/46 = 3160/46 = 68.7
    assert totals == ["68.7", "58.3", "57.8"]
    for criterion in criteria:
        assert escape(criterion.name) in html
    assert 'data-testid="matrix"' in html
    assert "Against the status quo" in html
    assert "+10.9" in html  # Marketing against staying as I am
    assert 'id="chart-data"' in html
    assert "chart.umd.min.js" in html


def test_unscored_cells_are_shown_empty_not_zero(client_in, user, criteria):
    first, second = OpportunityFactory(owner=user), OpportunityFactory(owner=user)
    score(first, {"Pay": 6}, criteria)
    score(second, {"Pay": 4, "Values fit": 0}, criteria)
    skip_gut_ranking(client_in, first, second)

    response = client_in.get(compare_url(first, second))

    values_row = response.context["comparison"].rows[0]
    assert values_row.criterion.name == "Values fit"
    assert [cell.score for cell in values_row.cells] == [None, 0]
    assert response.content.decode().count("not scored</span>") == 6 + 5


def test_another_users_opportunity_is_never_shown(client_in, story, other_user):
    secret = OpportunityFactory(owner=other_user, title="Someone else's secret job")
    skip_gut_ranking(client_in, *story)

    response = client_in.get(compare_url(*story, secret))

    assert response.status_code == 200
    html = response.content.decode()
    assert "secret job" not in html
    assert [c.option.key for c in response.context["comparison"].columns] == [o.pk for o in story]
    assert "1 of the opportunities in this link was not found" in html


def test_only_another_users_opportunities_is_an_empty_comparison(client_in, user, other_user):
    theirs = [OpportunityFactory(owner=other_user, title=f"Theirs {n}") for n in range(2)]
    response = client_in.get(compare_url(*theirs))
    html = response.content.decode()
    assert response.context["comparison"] is None
    assert "Theirs" not in html
    assert "2 of the opportunities in this link were not found" in html


@pytest.mark.parametrize("ids", ["abc", "3;DROP", "1.5,x", "-2", "٣"])
def test_malformed_ids_get_a_clear_message(client_in, ids):
    response = client_in.get(f"{COMPARE}?ids={ids}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="selection-problems"' in html
    assert "not an opportunity id" in html or "not opportunity ids" in html


def test_huge_ids_are_malformed_not_a_server_error(client_in, story):
    skip_gut_ranking(client_in, *story)
    response = client_in.get(compare_url(*story) + ",99999999999999999999999999")
    assert response.status_code == 200
    assert response.context["comparison"] is not None
    assert "is not an opportunity id" in response.content.decode()


def test_archived_opportunities_are_left_out_and_named(client_in, story):
    marketing, freelancing, stay = story
    Opportunity.objects.filter(pk=stay.pk).update(archived_at=timezone.now())
    skip_gut_ranking(client_in, marketing, freelancing)

    response = client_in.get(compare_url(*story))

    assert [c.option.key for c in response.context["comparison"].columns] == [
        marketing.pk,
        freelancing.pk,
    ]
    assert "“Stay as I am” is archived, so it is left out" in response.content.decode()


def test_one_opportunity_offers_to_pick_others(client_in, story):
    marketing, freelancing, _ = story
    response = client_in.get(compare_url(marketing))
    html = response.content.decode()
    assert response.context["comparison"] is None
    assert "Compare “Marketing role” with…" in html
    assert f'value="{marketing.pk}" id="pick-{marketing.pk}" checked' in html
    assert f'value="{freelancing.pk}" id="pick-{freelancing.pk}" >' in html


def test_without_two_open_opportunities_the_page_says_what_to_do(client_in, user):
    OpportunityFactory(owner=user)
    response = client_in.get(COMPARE)
    html = response.content.decode()
    assert "Two options make a comparison" in html
    assert "Add an opportunity" in html


def test_ticked_checkboxes_redirect_to_the_shareable_link(client_in, story):
    marketing, freelancing, _ = story
    response = client_in.get(f"{COMPARE}?ids={marketing.pk}&ids={freelancing.pk}&w1=4")
    assert response.status_code == 302
    assert response["Location"] == f"{COMPARE}?ids={marketing.pk},{freelancing.pk}&w1=4"


def test_compare_all_open_ones_lists_every_open_opportunity(client_in, story, other_user):
    marketing, freelancing, stay = story
    Opportunity.objects.filter(pk=freelancing.pk).update(archived_at=timezone.now())
    OpportunityFactory(owner=other_user)

    response = client_in.get(reverse("opportunities:compare_open"))

    assert response.status_code == 302
    ids = parse_qs(urlsplit(response["Location"]).query)["ids"][0].split(",")
    assert sorted(ids) == sorted([str(marketing.pk), str(stay.pk)])


def test_dashboard_and_opportunity_page_lead_to_the_comparison(client_in, story):
    marketing = story[0]
    dashboard = client_in.get(reverse("opportunities:dashboard")).content.decode()
    assert f'name="ids" value="{marketing.pk}" form="compare-form"' in dashboard
    assert f'action="{COMPARE}"' in dashboard
    assert reverse("opportunities:compare_open") in dashboard
    detail = client_in.get(reverse("opportunities:opportunity_detail", args=[marketing.pk]))
    assert f"{COMPARE}?ids={marketing.pk}" in detail.content.decode()


def test_sensitivity_is_stated_in_plain_language(client_in, story, criteria):
    skip_gut_ranking(client_in, *story)
    response = client_in.get(compare_url(*story))
    html = response.content.decode()
    sensitivity = response.context["comparison"].sensitivity
    assert sensitivity.leader.option.title == "Marketing role"
    assert sensitivity.runner_up.option.title == "Return to freelancing"
    assert not sensitivity.close_call
    assert "“Marketing role” leads “Return to freelancing” by 10.4 points." in html
    # D = 316 - 268 = 48. The runner-up is ahead only on Pay (d = -1: ties at 7 + 48 = 55) and
    # the arrangement (d = -5: ties at 4 + 48/5 = 13.6), both beyond 10; lowering any other
    # weight to 0 cannot close 48 either. So no weight flips it, and no one-point score.
    assert sensitivity.flips == ()
    assert "No single weight from 0 to 10 would put “Return to freelancing” ahead" in html
    assert "No one-point change to a single score would flip it." in html


def test_a_weight_that_would_flip_the_order_is_named_with_a_link_to_try_it(
    client_in, user, criteria
):
    values = criteria[0]  # weight 8; Pay weighs 7
    first = OpportunityFactory(owner=user, title="Well paid")
    second = OpportunityFactory(owner=user, title="Meaningful")
    score(first, {"Values fit": 4, "Pay": 8}, criteria)  # (32 + 56) / 15 = 58.7
    score(second, {"Values fit": 9, "Pay": 5}, criteria)  # (72 + 35) / 15 = 71.3
    skip_gut_ranking(client_in, first, second)

    response = client_in.get(compare_url(first, second))

    # D = 8·5 + 7·(-3) = 19: Values fit ties them at 8 - 19/5 = 4.2, so at 4 the
    # well-paid one leads ((16 + 56)/11 > (36 + 35)/11). Pay would need 7 + 19/3 = 13.3.
    (flip,) = response.context["comparison"].sensitivity.flips
    assert (flip.criterion.key, flip.slider_weight) == (values.pk, 4)
    html = response.content.decode()
    assert (
        "“Well paid” would overtake “Meaningful” if <strong>Values fit</strong> weighed 4 "
        "instead of 8"
    ) in html
    # Where they tie is said in plain words (it was "(level at 4.2)").
    assert "(at a weight of 4.2 the two would tie)" in html
    assert "level at" not in html
    try_it = escape(compare_url(first, second, **{f"w{values.pk}": 4}))
    assert f'<a href="{try_it}" class="small no-print">Try it</a>' in html


def test_close_call_is_flagged(client_in, user, criteria):
    first, second = OpportunityFactory(owner=user, title="A"), OpportunityFactory(owner=user)
    score(first, {"Pay": 7, "Gut feeling": 6}, criteria)
    score(second, {"Pay": 6, "Gut feeling": 6}, criteria)
    skip_gut_ranking(client_in, first, second)
    response = client_in.get(compare_url(first, second))
    assert response.context["comparison"].sensitivity.close_call
    html = response.content.decode()
    assert 'data-testid="close-call"' in html
    # Plain words for what a close call means (it said "closer than sliders can be set").
    assert "A gap of 5 points or less is like half a point on every criterion" in html
    assert "sliders can be set" not in html


def test_many_ways_a_score_could_flip_it_show_three_and_the_rest_on_demand(
    client_in, user, criteria
):
    # Level on everything but the arrangement (weight 4 of 46): 0.9 points apart, so a point
    # either way on any of the 7 criteria, for either option, flips them: 14 statements.
    names = [criterion.name for criterion in criteria]
    ahead = OpportunityFactory(owner=user, title="Ahead")
    behind = OpportunityFactory(owner=user, title="Behind")
    score(ahead, dict.fromkeys(names, 5) | {"Employee vs. subcontractor": 6}, criteria)
    score(behind, dict.fromkeys(names, 5), criteria)
    skip_gut_ranking(client_in, ahead, behind)

    response = client_in.get(compare_url(ahead, behind))

    assert len(response.context["comparison"].sensitivity.nudges) == 14
    html = response.content.decode()
    shown = re.search(r'<ul data-testid="score-nudges">(.*?)</ul>', html, re.S).group(1)
    more = re.search(r'<details class="mb-2" data-testid="more-nudges">(.*?)</details>', html, re.S)
    assert shown.count("<li>") == 3
    # The heaviest criteria first: Values fit and Daily & weekly life weigh 8.
    assert "<li>Values fit for “Ahead”: 4 instead of 5</li>" in shown
    assert "<li>Values fit for “Behind”: 6 instead of 5</li>" in shown
    assert "<summary>11 more scores the order hangs on</summary>" in more.group(1)
    assert more.group(1).count("<li>") == 11


def test_the_answer_comes_before_the_what_if_sliders_and_the_matrix(client_in, story):
    """The order on a phone (and for a screen reader): ranking and how firm it is, then the
    sliders, then the matrix. From lg up, CSS puts the sliders in a column on the left."""
    skip_gut_ranking(client_in, *story)
    html = client_in.get(compare_url(*story)).content.decode()
    ranking = html.index('id="ranking-title"')
    firmness = html.index('id="fragility-title"')
    sliders = html.index('id="what-if-title"')
    matrix = html.index('data-testid="matrix"')
    assert ranking < firmness < sliders < matrix
    assert "{#" not in html, "a template comment leaked onto the page"
    # A slider redraws the matrix (its target) and picks the answer out of the same response.
    assert 'hx-target="#comparison"' in html
    assert 'hx-select-oob="#comparison-answer,#comparison-status:innerHTML"' in html
    # Without JavaScript the sliders are not live: the page says how to use them.
    assert '<span class="nojs-only">Set the sliders, then press Recompute:' in html
    assert '<span class="js-only">Move a slider:' in html


def test_every_matrix_row_has_its_name_in_the_first_column(client_in, story):
    """Each row's name sits alone in the first column, which stays put as the matrix scrolls
    sideways (the totals' names spanned three columns, and scrolled away)."""
    skip_gut_ranking(client_in, *story)
    html = client_in.get(compare_url(*story)).content.decode()
    for name in ("Decision score", "Coverage", "Rank", "Must-haves failed"):
        assert f'<th scope="row" class="criterion-head">{name}</th><td colspan="2"></td>' in html
    assert '<th scope="row" class="criterion-head">Against the status quo</th>' in html
    assert '<th scope="row" class="criterion-head">Comparable pay' in html
    assert 'colspan="3"' not in html
    assert "data-sticky-head" in html


# --- What-if weights -------------------------------------------------------------------------


def test_what_if_recompute_as_htmx_returns_only_the_fragment(
    client_in, story, criteria, htmx_headers
):
    pay = next(c for c in criteria if c.name == "Pay")
    skip_gut_ranking(client_in, *story)
    url = compare_url(*story, **{f"w{pay.pk}": 10, f"w{criteria[0].pk}": criteria[0].weight})

    response = client_in.get(url, headers=htmx_headers("comparison"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="comparison"')
    # The ranking and how firm it is, above the sliders: picked out by the form, with the
    # live region.
    assert '<div id="comparison-answer"' in html
    assert 'id="comparison-status"' in html
    assert 'id="ranking-title"' in html
    assert "hx-swap-oob" not in html
    assert "comparisonChanged" in response["HX-Trigger-After-Settle"]  # the chart redraws
    assert 'id="chart-data" hidden data-chart="{&quot;labels&quot;' in html  # the new chart numbers
    assert "What-if weights, not saved:" in html
    assert "Pay 10 (saved 7)" in html
    # The URL to show drops weights equal to the saved ones.
    ids = ",".join(str(o.pk) for o in story)
    assert response["HX-Replace-Url"] == f"{COMPARE}?ids={ids}&w{pay.pk}=10"
    assert Criterion.objects.get(pk=pay.pk).weight == 7


def test_what_if_weights_of_criteria_that_are_not_the_users_are_ignored(
    client_in, story, other_user, htmx_headers
):
    theirs = Criterion.objects.filter(owner=other_user).first()
    skip_gut_ranking(client_in, *story)
    url = compare_url(*story, **{f"w{theirs.pk}": 0, "w999999": 3})
    response = client_in.get(url, headers=htmx_headers("comparison"))
    assert response.status_code == 200
    assert response["HX-Replace-Url"] == compare_url(*story)
    assert "What-if weights, not saved" not in response.content.decode()


def test_what_if_url_loaded_directly_is_the_full_page(client_in, story, criteria):
    pay = next(c for c in criteria if c.name == "Pay")
    skip_gut_ranking(client_in, *story)

    response = client_in.get(compare_url(*story, **{f"w{pay.pk}": 0}))

    html = response.content.decode()
    assert "<html" in html
    assert f'name="w{pay.pk}" value="0"' in html  # the slider shows the what-if weight
    assert "saved weight 7" in html
    assert "Pay 0 (saved 7)" in html
    # Without Pay: Marketing 10·(316 - 42)/39 = 70.3
    assert response.context["comparison"].columns[0].result.display == "70.3"
    assert Criterion.objects.get(pk=pay.pk).weight == 7


def test_what_if_moves_the_ranking(client_in, story, criteria):
    """Make daily life and the arrangement count most, and staying as I am comes first."""
    by_name = {c.name: c for c in criteria}
    what_if = {
        f"w{by_name['Daily & weekly life'].pk}": 10,
        f"w{by_name['Employee vs. subcontractor'].pk}": 10,
        f"w{by_name['Professional development'].pk}": 0,
        f"w{by_name['Gut feeling'].pk}": 0,
    }
    skip_gut_ranking(client_in, *story)
    response = client_in.get(compare_url(*story, **what_if))
    # Out of 41: Stay 277 (67.6), Freelancing 265 (64.6), Marketing 248 (60.5).
    ranking = [c.option.title for c in response.context["comparison"].ranking]
    assert ranking == ["Stay as I am", "Return to freelancing", "Marketing role"]
    assert [c.result.display for c in response.context["comparison"].ranking] == [
        "67.6",
        "64.6",
        "60.5",
    ]


@pytest.mark.parametrize("raw", ["11", "-1", "x", "2.5"])
def test_unreadable_what_if_weight_falls_back_to_the_saved_one(client_in, story, criteria, raw):
    pay = next(c for c in criteria if c.name == "Pay")
    skip_gut_ranking(client_in, *story)
    response = client_in.get(compare_url(*story, **{f"w{pay.pk}": raw}))
    assert response.status_code == 200
    assert response.context["comparison"].weights[pay.pk] == 7
    assert "is not a whole number from 0 to 10, so your saved weight 7 is used" in (
        response.content.decode()
    )


def test_htmx_recompute_of_a_selection_that_fell_apart_reloads_the_page(
    client_in, story, htmx_headers
):
    _, freelancing, stay = story
    freelancing.delete()
    stay.delete()
    response = client_in.get(compare_url(*story), headers=htmx_headers("comparison"))
    assert response.status_code == 200
    assert response["HX-Redirect"] == compare_url(*story)


def test_save_these_weights_makes_them_the_users_and_rescores(client_in, story, criteria):
    marketing = story[0]
    pay = next(c for c in criteria if c.name == "Pay")
    data = {"ids": ",".join(str(o.pk) for o in story)}
    data |= {f"w{c.pk}": c.weight for c in criteria} | {f"w{pay.pk}": 0}

    response = client_in.post(SAVE_WEIGHTS, data, follow=True)

    assert response.redirect_chain[-1][0] == compare_url(*story)
    assert Criterion.objects.get(pk=pay.pk).weight == 0
    live = Evaluation.objects.live().get(opportunity=marketing)
    assert live.decision_score == pytest.approx(2740 / 39)
    assert "Weights saved: Pay 0 (was 7)" in response.content.decode()


def test_saving_invalid_weights_changes_nothing_and_says_why(client_in, story, criteria):
    pay, gut = criteria[1], criteria[6]
    data = {"ids": ",".join(str(o.pk) for o in story), f"w{pay.pk}": 3, f"w{gut.pk}": 12}

    response = client_in.post(SAVE_WEIGHTS, data)

    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert "Gut feeling (“12”)" in response.content.decode()
    weights = Criterion.objects.filter(owner=pay.owner_id).values_list("weight", flat=True)
    assert sorted(weights) == [4, 6, 6, 7, 7, 8, 8]


def test_saving_weights_never_touches_another_users_criteria(client_in, story, other_user):
    theirs = Criterion.objects.filter(owner=other_user).first()
    client_in.post(SAVE_WEIGHTS, {"ids": str(story[0].pk), f"w{theirs.pk}": 0})
    theirs.refresh_from_db()
    assert theirs.weight != 0


def test_saving_weights_needs_the_csrf_token(user, story, criteria):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(SAVE_WEIGHTS, {"ids": str(story[0].pk), f"w{criteria[1].pk}": 0})
    assert response.status_code == 403
    assert Criterion.objects.get(pk=criteria[1].pk).weight == 7


def test_saving_weights_with_the_csrf_token_from_the_page(user, story, criteria):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    skip_gut_ranking(client, *story)
    page = client.get(compare_url(*story, **{f"w{criteria[1].pk}": 0})).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = {"csrfmiddlewaretoken": token, "ids": ",".join(str(o.pk) for o in story)}
    data |= {f"w{c.pk}": c.weight for c in criteria} | {f"w{criteria[1].pk}": 0}
    response = client.post(SAVE_WEIGHTS, data)
    assert response.status_code == 302
    assert Criterion.objects.get(pk=criteria[1].pk).weight == 0


def test_save_weights_is_post_only(client_in):
    assert client_in.get(SAVE_WEIGHTS).status_code == 405


# --- Gut ranking first -----------------------------------------------------------------------


def test_gut_ranking_is_offered_before_the_matrix_the_first_time(client_in, story):
    response = client_in.get(compare_url(*story))
    html = response.content.decode()
    assert 'data-testid="gut-ranking-form"' in html
    assert 'data-testid="matrix"' not in html
    assert "Skip — show me the matrix" in html


def test_skipping_the_gut_ranking_shows_the_matrix_for_that_set(client_in, story):
    response = client_in.post(
        GUT, {"ids": ",".join(str(o.pk) for o in story), "skip": "1"}, follow=True
    )
    html = response.content.decode()
    assert 'data-testid="matrix"' in html
    assert not GutRanking.objects.exists()
    # Another set is offered the gut ranking afresh.
    again = client_in.get(compare_url(*story[:2])).content.decode()
    assert 'data-testid="gut-ranking-form"' in again


def test_gut_ranking_is_saved_and_the_disagreement_explained(client_in, user, story):
    marketing, freelancing, stay = story
    # The gut says: stay first, then freelancing, then the marketing role.
    data = {
        "ids": ",".join(str(o.pk) for o in story),
        f"place-{stay.pk}": 1,
        f"place-{freelancing.pk}": 2,
        f"place-{marketing.pk}": 3,
    }

    response = client_in.post(GUT, data, follow=True)

    ranking = GutRanking.objects.get()
    assert ranking.owner_id == user.pk
    assert ranking.order == [stay.pk, freelancing.pk, marketing.pk]
    assert ranking.selection == "-".join(str(pk) for pk in sorted(o.pk for o in story))
    html = response.content.decode()
    assert 'data-testid="gut-comparison"' in html
    assert 'data-testid="matrix"' in html
    gut = response.context["gut"]
    pairs = {(d.gut_higher.option.key, d.gut_lower.option.key) for d in gut.disagreements}
    assert pairs == {
        (stay.pk, freelancing.pk),
        (stay.pk, marketing.pk),
        (freelancing.pk, marketing.pk),
    }
    stay_vs_marketing = next(
        d
        for d in gut.disagreements
        if (d.gut_higher.option.key, d.gut_lower.option.key) == (stay.pk, marketing.pk)
    )
    # Where marketing is stronger, weighted: Personal growth 6·3, Professional development
    # 6·4, Gut feeling 7·3, Values fit 8·2, Pay 7·1.
    assert [c.name for c in stay_vs_marketing.criteria] == [
        "Professional development",
        "Gut feeling",
        "Personal growth",
        "Values fit",
        "Pay",
    ]
    assert (
        "You put “Stay as I am” above “Marketing role”, but the matrix puts “Marketing role” ahead"
        in html
    )
    assert ranking.created_at.strftime("%-d %B %Y") in html


def test_gut_ranking_with_two_options_in_one_place_is_re_rendered(client_in, story):
    data = {"ids": ",".join(str(o.pk) for o in story)} | {f"place-{o.pk}": 1 for o in story}
    response = client_in.post(GUT, data)
    assert response.status_code == 200
    assert "Two options share a place" in response.content.decode()
    assert not GutRanking.objects.exists()


def test_gut_ranking_of_someone_elses_opportunities_is_refused(client_in, other_user):
    theirs = [OpportunityFactory(owner=other_user) for _ in range(2)]
    data = {"ids": ",".join(str(o.pk) for o in theirs)} | {
        f"place-{o.pk}": n for n, o in enumerate(theirs, start=1)
    }
    response = client_in.post(GUT, data)
    assert response.status_code == 302
    assert not GutRanking.objects.exists()


def test_gut_ranking_is_not_offered_for_more_than_ten(client_in, user):
    many = [OpportunityFactory(owner=user) for _ in range(11)]
    page = client_in.get(compare_url(*many)).content.decode()
    assert 'data-testid="matrix"' in page
    assert "Rank them by feel" not in page
    data = {"ids": ",".join(str(o.pk) for o in many)} | {
        f"place-{o.pk}": n for n, o in enumerate(many, start=1)
    }
    response = client_in.post(GUT, data, follow=True)
    assert "A gut ranking orders 2 to 10 opportunities; nothing saved." in (
        response.content.decode()
    )
    assert not GutRanking.objects.exists()


def test_ranking_by_feel_again_is_offered_on_request(client_in, user, story):
    save_gut_ranking(user=user, order=[o.pk for o in story])
    assert 'data-testid="gut-comparison"' in client_in.get(compare_url(*story)).content.decode()
    html = client_in.get(compare_url(*story, gut="rank")).content.decode()
    assert 'data-testid="gut-ranking-form"' in html


# --- CSV export -------------------------------------------------------------------------------


def test_csv_export_of_the_matrix_as_shown(client_in, story, criteria, other_user):
    marketing = story[0]
    Opportunity.objects.filter(pk=marketing.pk).update(title='=HYPERLINK("http://evil")')
    secret = OpportunityFactory(owner=other_user, title="Secret")
    pay = criteria[1]
    ids = ",".join(str(o.pk) for o in [*story, secret])

    response = client_in.get(f"{EXPORT}?ids={ids}&w{pay.pk}=0")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="crossroads-comparison-'
    )
    text = response.content.decode("utf-8-sig")
    assert "Secret" not in text
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][4] == '\'=HYPERLINK("http://evil"): score'
    assert rows[2][:3] == ["Pay", "0", "7"]  # the what-if weight, and the saved one
    totals = next(row for row in rows if row[0] == "Decision score (0-100)")
    assert totals[4] == "70.3"
    assert rows[-4][0] == "Difference from the status quo"
    pay_rows = ["Comparable pay a year (USD)", "Per hour worked (USD)", "Arrangement"]
    assert [row[0] for row in rows[-3:]] == pay_rows


def test_csv_export_without_a_comparison_goes_back_to_the_page(client_in, story):
    response = client_in.get(f"{EXPORT}?ids={story[0].pk}")
    assert response.status_code == 302
    assert response["Location"] == f"{COMPARE}?ids={story[0].pk}"


# --- Speed ------------------------------------------------------------------------------------


def _login(client, owner) -> None:
    client.force_login(owner)


@pytest.mark.parametrize(("options", "criteria"), [(2, 3), (50, 20)])
def test_query_count_does_not_grow_with_the_comparison(
    client, django_assert_num_queries, options, criteria
):
    owner = UserFactory()
    made, _ = build(owner, options=options, criteria=criteria)
    save_gut_ranking(user=owner, order=[o.pk for o in made[:10]])
    _login(client, owner)
    url = compare_url(*made)

    # session, user, opportunities, criteria, scores, gut ranking, pay settings, friends'
    # answers ("as my friends see it")
    with django_assert_num_queries(8):
        response = client.get(url)

    comparison = response.context["comparison"]
    assert len(comparison.columns) == options
    assert len(comparison.rows) == criteria
    assert 'data-testid="matrix"' in response.content.decode()


def test_query_count_of_the_htmx_recompute_and_the_csv(client, django_assert_num_queries):
    owner = UserFactory()
    made, made_criteria = build(owner, options=50, criteria=20)
    _login(client, owner)
    url = compare_url(*made, **{f"w{made_criteria[0].pk}": 0})
    # as the page, the pay settings and friends' answers included; the CSV has the pay
    # rows too, but not what friends said
    with django_assert_num_queries(8):
        client.get(url, headers={"HX-Request": "true", "HX-Target": "comparison"})
    with django_assert_num_queries(7):
        client.get(url.replace(COMPARE, EXPORT))
