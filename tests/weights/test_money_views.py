"""Weights in money and hours on the comparison ("In money and hours") and on the criteria
page (what a point of each criterion is worth): sentences, what-if weights, the pair of
options, why there is no figure, hostile input, isolation and query counts."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from opportunities.compare.services import save_gut_ranking
from opportunities.compare.views import GUT_SKIPPED
from opportunities.models import Criterion, CurveShape
from opportunities.weights.queries.money import pay_scale
from tests.factories import OpportunityFactory, UserFactory
from tests.weights.money_story import (
    CRITERIA,
    GROWTH,
    LIFE,
    by_name,
    compare_url,
    money_story,
    set_pay_scale,
    text,
)

pytestmark = pytest.mark.django_db

AGENCY_LEAD = (
    "By your weights, Agency role's lead in Personal growth (+3) is worth USD 10,300 a year "
    "to you, or 5.1 hours of a full-time week."
)
STAY_LEAD = (
    "By your weights, Stay as I am's lead in Daily & weekly life (+4) is worth USD 18,300 a "
    "year to you, or 9.1 hours of a full-time week."
)
STAY_NET = (
    "Altogether Stay as I am is ahead by the equivalent of USD 8,000 a year (4.0 hours of a "
    "full-time week): Agency role would draw level paying that much more."
)


@pytest.fixture
def story(user):
    return money_story(user)


@pytest.fixture
def skip_gut(client_in):
    """The gut ranking is offered before the matrix the first time: skip it for any set."""

    def skip(*opportunities):
        session = client_in.session
        key = "-".join(str(pk) for pk in sorted(o.pk for o in opportunities))
        session[GUT_SKIPPED] = [*session.get(GUT_SKIPPED, []), key]
        session.save()

    return skip


def section(response) -> str:
    content = response.content.decode()
    start = content.index('id="money-check"')
    return text(content[start : content.index("</section>", start)])


# --- pay_scale ---------------------------------------------------------------------------------


def test_pay_scale_reads_the_pay_criterion_and_the_settings(user, criteria):
    set_pay_scale(user)
    scale = pay_scale(user, criteria)
    pay = by_name(user)["Pay"]
    assert scale is not None
    assert (scale.pay_criterion, scale.floor, scale.target, scale.currency) == (
        pay.pk,
        40_000,
        80_000,
        "USD",
    )
    assert scale.full_time_hours == 40
    assert not scale.curved


def test_pay_scale_is_none_without_an_active_pay_criterion(user, criteria):
    without_pay = [c for c in criteria if c.name != "Pay"]
    assert pay_scale(user, without_pay) is None


def test_pay_scale_without_floor_and_target_is_turned_down_as_no_scale(user, criteria):
    scale = pay_scale(user, criteria)  # nothing saved: the defaults, no floor or target
    assert scale is not None
    assert scale.floor == scale.target == 0


def test_pay_scale_says_when_pay_is_curved(user, criteria):
    Criterion.objects.filter(owner=user, name="Pay").update(curve=CurveShape.SATURATING)
    assert pay_scale(user, list(Criterion.objects.filter(owner=user))).curved


def test_pay_scale_reuses_the_settings_it_is_given(user, criteria, django_assert_num_queries):
    profile = set_pay_scale(user)
    with django_assert_num_queries(0):
        pay_scale(user, criteria, profile)


# --- The comparison ------------------------------------------------------------------------


def test_leader_and_runner_up_in_money_and_hours(client_in, story, skip_gut):
    agency, stay, _startup = story
    skip_gut(agency, stay)
    response = client_in.get(compare_url(agency, stay))
    said = section(response)
    assert "In money and hours" in said
    assert STAY_LEAD in said
    assert AGENCY_LEAD in said
    assert said.index(STAY_LEAD) < said.index(AGENCY_LEAD)  # the larger lead first
    assert STAY_NET in said
    assert (
        "A point of Pay is a tenth of the way from your pay floor to your target, USD 4,000" in said
    )
    assert "curve" not in said


def test_a_what_if_weight_changes_the_sentences(client_in, story, skip_gut, htmx_headers):
    agency, stay, _ = story
    skip_gut(agency, stay)
    life = by_name(agency.owner_id)[LIFE]
    url = compare_url(agency, stay, **{f"w{life.pk}": 0})
    said = section(client_in.get(url))
    assert "By your what-if weights, Agency role's lead in Personal growth (+3)" in said
    assert "Daily & weekly life" not in said
    assert "Altogether Agency role is ahead by the equivalent of USD 10,300 a year" in said
    # The same through the what-if slider's htmx request: the section comes back with the
    # answer (#comparison-answer), which the slider picks out of band.
    response = client_in.get(url, headers=htmx_headers("comparison"))
    assert "<html" not in response.text
    assert 'id="comparison-answer"' in response.text
    assert "Altogether Agency role is ahead by the equivalent of USD 10,300 a year" in text(
        response.text
    )


def test_choosing_another_pair_as_a_plain_request(client_in, story, skip_gut):
    agency, stay, startup = story
    skip_gut(agency, stay, startup)
    response = client_in.get(
        compare_url(agency, stay, startup, money_a=startup.pk, money_b=agency.pk)
    )
    said = section(response)
    # Startup: growth +1 (USD 3,400), daily life −2 (USD 9,100): agency ahead by 5,700.
    assert "Agency role's lead in Daily & weekly life (+2) is worth USD 9,100 a year" in said
    assert "Startup's lead in Personal growth (+1) is worth USD 3,400 a year" in said
    assert "Altogether Agency role is ahead by the equivalent of USD 5,700 a year" in said
    content = response.content.decode()
    assert f'<option value="{startup.pk}" selected>Startup</option>' in content
    # The chosen pair is kept by the what-if sliders: htmx sends the selects, and without
    # JavaScript the form carries them.
    assert 'hx-include="#money-pair-kept"' in content
    kept = content[content.index('<div id="money-pair-kept" hidden>') :]
    assert kept.startswith(
        f'<div id="money-pair-kept" hidden><input type="hidden" name="money_a" '
        f'value="{startup.pk}"><input type="hidden" name="money_b" value="{agency.pk}"></div>'
    )
    assert f'<input type="hidden" name="money_a" value="{startup.pk}">' in content


def test_choosing_another_pair_with_htmx_redraws_the_section_only(
    client_in, story, skip_gut, htmx_headers
):
    agency, stay, startup = story
    skip_gut(agency, stay, startup)
    life = by_name(agency.owner_id)[LIFE]
    url = compare_url(
        agency, stay, startup, **{f"w{life.pk}": 0, "money_a": agency.pk, "money_b": startup.pk}
    )
    response = client_in.get(url, headers=htmx_headers("money-check"))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.strip().startswith('<section id="money-check"')
    assert 'id="comparison"' not in content
    said = text(content)
    assert "Startup's lead in Personal growth (+1) is worth USD 3,400 a year" in said
    assert "Altogether Startup is ahead by the equivalent of USD 3,400 a year" in said
    # The address bar keeps the pair and the what-if weight.
    query = parse_qs(urlsplit(response["HX-Replace-Url"]).query)
    assert query["money_a"] == [str(agency.pk)]
    assert query["money_b"] == [str(startup.pk)]
    assert query[f"w{life.pk}"] == ["0"]


def test_the_default_pair_follows_the_ranking(client_in, story, skip_gut):
    agency, stay, startup = story
    skip_gut(agency, stay, startup)
    content = client_in.get(compare_url(agency, startup, stay)).content.decode()
    # Stay leads, the agency is the runner-up (startup third).
    assert f'<option value="{stay.pk}" selected>' in content
    assert f'<option value="{agency.pk}" selected>' in content
    assert '<div id="money-pair-kept" hidden></div>' in content


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("abc", "1"),
        ("-1", "2"),
        ("99999999999999999999999", "1"),
        ("<script>alert(1)</script>", "'; DROP TABLE"),
        ("１", "２"),  # full-width digits
        ("", "3"),
        ("1.5", "2e3"),
    ],
)
def test_a_hostile_pair_falls_back_to_the_top_two(client_in, story, skip_gut, first, second):
    agency, stay, _ = story
    skip_gut(agency, stay)
    response = client_in.get(compare_url(agency, stay, money_a=first, money_b=second))
    assert response.status_code == 200
    said = section(response)
    assert "are not both in this comparison, so the leader and the runner-up are weighed" in said
    assert STAY_NET in said
    assert "<script>alert" not in response.content.decode()


def test_the_same_option_twice_asks_for_two(client_in, story, skip_gut, htmx_headers):
    agency, stay, _ = story
    skip_gut(agency, stay)
    url = compare_url(agency, stay, money_a=agency.pk, money_b=agency.pk)
    for headers in ({}, htmx_headers("money-check")):
        response = client_in.get(url, headers=headers)
        assert response.status_code == 200
        said = section(response)
        assert "Choose two different options to weigh one against the other." in said
        assert "Altogether" not in said
        # What was chosen is kept in both selects.
        assert response.content.decode().count(f'<option value="{agency.pk}" selected>') == 2


def test_another_users_option_in_the_pair_is_never_shown(client_in, story, skip_gut):
    agency, stay, _ = story
    skip_gut(agency, stay)
    theirs = OpportunityFactory(owner=UserFactory(), title="SENTINEL-their-role")
    response = client_in.get(compare_url(agency, stay, money_a=theirs.pk, money_b=agency.pk))
    assert response.status_code == 200
    assert "SENTINEL-their-role" not in response.content.decode()
    assert "are not both in this comparison" in section(response)


def test_pay_weighing_nothing_says_so(client_in, story, skip_gut):
    agency, stay, _ = story
    skip_gut(agency, stay)
    Criterion.objects.filter(owner=agency.owner_id, name="Pay").update(weight=0)
    said = section(client_in.get(compare_url(agency, stay)))
    assert (
        "Pay weighs 0, so your weights put no price on anything — raise its weight to see one."
        in said
    )
    assert "USD" not in said


def test_a_what_if_pay_of_zero_says_so(client_in, story, skip_gut):
    agency, stay, _ = story
    skip_gut(agency, stay)
    pay = by_name(agency.owner_id)["Pay"]
    said = section(client_in.get(compare_url(agency, stay, **{f"w{pay.pk}": 0})))
    assert "Pay weighs 0 here, so your weights put no price on anything" in said


@pytest.mark.parametrize(("floor", "target"), [(None, None), (40_000, None), (80_000, 80_000)])
def test_without_a_pay_scale_it_asks_for_one(client_in, story, skip_gut, floor, target):
    agency, stay, _ = story
    skip_gut(agency, stay)
    set_pay_scale(agency.owner_id, floor, target)
    response = client_in.get(compare_url(agency, stay))
    said = section(response)
    assert "Set a pay floor and target to see your weights in money" in said
    assert "Altogether" not in said
    assert f'href="{reverse("opportunities:pay_settings")}"' in response.content.decode()


def test_without_a_pay_criterion_it_says_so(client_in, story, skip_gut):
    agency, stay, _ = story
    skip_gut(agency, stay)
    pay = by_name(agency.owner_id)["Pay"]
    Criterion.objects.filter(pk=pay.pk).update(archived_at="2026-01-01T00:00:00Z")
    said = section(client_in.get(compare_url(agency, stay)))
    assert "You have no active Pay criterion, so your weights put no price on anything." in said


def test_a_curved_pay_says_the_figure_is_an_average(client_in, story, skip_gut):
    agency, stay, _ = story
    skip_gut(agency, stay)
    Criterion.objects.filter(owner=agency.owner_id, name="Pay").update(curve=CurveShape.SATURATING)
    said = section(client_in.get(compare_url(agency, stay)))
    assert (
        "these figures are the average over your floor-to-target range, USD 40,000 to USD 80,000"
        in said
    )
    assert STAY_NET in said


def test_level_options_are_said_to_be_level(client_in, user, skip_gut):
    set_pay_scale(user)
    one = OpportunityFactory(owner=user, title="One")
    two = OpportunityFactory(owner=user, title="Two")
    skip_gut(one, two)
    said = section(client_in.get(compare_url(one, two)))
    assert "Altogether One and Two come out level by your weights" in said


def test_comparison_queries_do_not_grow_with_money_and_gut(
    client_in, story, skip_gut, htmx_headers, django_assert_num_queries
):
    agency, stay, startup = story
    save_gut_ranking(user=agency.owner_id, order=[startup.pk, agency.pk, stay.pk])
    url = compare_url(agency, stay, startup, money_a=startup.pk, money_b=agency.pk)
    # session, user, opportunities, criteria, scores, gut ranking, pay settings (read once,
    # for comparable pay and for money), friends' answers: as before this section.
    with django_assert_num_queries(8):
        response = client_in.get(url)
    assert "Startup's lead" in section(response)
    # Another pair redraws the section only: no gut ranking, no friends' answers.
    with django_assert_num_queries(6):
        client_in.get(url, headers=htmx_headers("money-check"))
    with django_assert_num_queries(8):
        client_in.get(url, headers=htmx_headers("comparison"))


# --- The criteria page -----------------------------------------------------------------------


def test_criteria_page_prices_a_point_of_each_criterion(client_in, user):
    set_pay_scale(user)
    said = text(client_in.get(CRITERIA).content.decode())
    assert (
        "Your weights trade 1 point of Personal growth for USD 3,400 a year (1.7 hours of a "
        "full-time week)." in said
    )
    assert (
        "Your weights trade 1 point of Daily & weekly life for USD 4,600 a year (2.3 hours of "
        "a full-time week)." in said
    )
    assert "A point of Pay is USD 4,000 a year: a tenth of the way from your pay floor" in said
    assert "Your weights in money:" in said
    assert "USD 40,000 scores 0, USD 80,000 scores 10" in said


def test_criteria_page_links_to_adjust(client_in, user):
    set_pay_scale(user)
    content = client_in.get(CRITERIA).content.decode()
    summary = content[content.index('id="money-summary"') :]
    summary = summary[: summary.index("</div>")]
    assert f'href="{reverse("opportunities:pay_settings")}"' in summary
    assert f'href="{reverse("opportunities:swing")}"' in summary


def test_a_criterion_weighing_nothing_is_worth_nothing(client_in, user):
    set_pay_scale(user)
    Criterion.objects.filter(owner=user, name=GROWTH).update(weight=0)
    said = text(client_in.get(CRITERIA).content.decode())
    assert "Personal growth weighs 0, so by your weights a point of it is worth nothing" in said


def test_criteria_page_without_a_scale_asks_for_one(client_in, user):
    said = text(client_in.get(CRITERIA).content.decode())
    assert "Set a pay floor and target to see your weights in money" in said
    assert "Your weights trade" not in said


def test_moving_a_weight_slider_moves_the_money_lines(client_in, user, htmx_headers):
    set_pay_scale(user)
    criteria = by_name(user)
    growth, pay = criteria[GROWTH], criteria["Pay"]
    url = reverse("opportunities:criterion_weight", args=[growth.pk])
    response = client_in.post(url, {"weight": "7"}, headers=htmx_headers("weight-summary"))
    content = response.content.decode()
    assert "<html" not in content
    for criterion in criteria.values():
        assert f'id="money-{criterion.pk}"' in content
    assert 'id="money-summary"' in content
    assert 'id="gut-fit-all"' in content
    assert "Your weights trade 1 point of Personal growth for USD 4,000 a year" in text(content)
    # Pay to 0: nothing can be priced, and the summary says why.
    url = reverse("opportunities:criterion_weight", args=[pay.pk])
    response = client_in.post(url, {"weight": "0"}, headers=htmx_headers("weight-summary"))
    said = text(response.content.decode())
    assert "Pay weighs 0, so your weights put no price on anything" in said
    assert "Your weights trade" not in said
    # The page's sliders pick every money line out of the answer.
    page = client_in.get(CRITERIA).content.decode()
    assert f"#money-{growth.pk}" in page
    assert "#money-summary,#gut-fit-all" in page


def test_a_bad_weight_keeps_the_money_lines_as_saved(client_in, user, htmx_headers):
    set_pay_scale(user)
    growth = by_name(user)[GROWTH]
    url = reverse("opportunities:criterion_weight", args=[growth.pk])
    for bad in ("11", "-1", "abc", "", "9" * 40):
        response = client_in.post(url, {"weight": bad}, headers=htmx_headers("weight-summary"))
        assert response.status_code == 200
        assert "Your weights trade 1 point of Personal growth for USD 3,400 a year" in text(
            response.content.decode()
        )


def test_another_users_criterion_weight_is_a_404(client_in, other_user, htmx_headers):
    theirs = Criterion.objects.filter(owner=other_user).first()
    url = reverse("opportunities:criterion_weight", args=[theirs.pk])
    assert client_in.post(url, {"weight": "3"}, headers=htmx_headers()).status_code == 404


def test_criteria_page_query_count(client_in, user, htmx_headers, django_assert_max_num_queries):
    set_pay_scale(user)
    # session, user, criteria, pay settings, gut rankings, the latest swing answers
    with django_assert_max_num_queries(6):
        client_in.get(CRITERIA)
    growth = by_name(user)[GROWTH]
    url = reverse("opportunities:criterion_weight", args=[growth.pk])
    # ... and the slider's save (the criterion, the update, the live scores, the weights'
    # version: 13 with the savepoints), then the page's reads above bar the session and user
    with django_assert_max_num_queries(20):
        client_in.post(url, {"weight": "4"}, headers=htmx_headers("weight-summary"))
