"""The page "How well I judge": empty for a newcomer, honest with a small sample (counts,
no percentages), rates with their interval once there are enough, the predictors and
the tendencies, a fixed number of queries however much there is, and only the user's
own decisions counted."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from opportunities.learning.core import MIN_RESCORES, MIN_SAMPLE
from opportunities.learning.queries.judgement import judgement, predictions
from opportunities.models import CheckIn, Forecast, Resolution
from tests.learning.judgement_helpers import check_in, decide, forecasts, seasoned
from tests.security.endpoints import SENTINEL, build_world

pytestmark = pytest.mark.django_db

URL = reverse("opportunities:judgement")
QUERIES = 6
"""Session, user, the forecasts, the check-ins done (and a spare for the layout)."""


def page(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(QUERIES):
        response = client.get(URL)
    assert response.status_code == 200
    return response


# --- Empty, small, enough -----------------------------------------------------------------------


def test_a_newcomer_sees_what_the_page_will_show_and_how_to_get_there(
    client_in, django_assert_max_num_queries
):
    response = page(client_in, django_assert_max_num_queries)
    html = response.text
    assert 'data-testid="judgement-empty"' in html
    assert "commit step" in html
    assert "check-in" in html
    assert reverse("opportunities:journal") in html
    assert reverse("opportunities:dashboard") in html
    assert f"from {MIN_SAMPLE} cases on" in html
    assert "<canvas" not in html
    assert "chart.umd" not in html


def test_forecasts_only_waiting_keep_the_page_empty_and_say_so(client_in, user):
    decision = decide(user)
    forecasts(decision, "", Resolution.UNKNOWN)
    html = client_in.get(URL).text
    assert 'data-testid="judgement-empty"' in html
    assert "2 forecasts waiting" in html


def test_a_small_sample_shows_counts_and_withholds_rates(
    client_in, user, django_assert_max_num_queries
):
    decision = decide(user)
    forecasts(decision, Resolution.TRUE, Resolution.TRUE, Resolution.FALSE, probability=85)
    forecasts(decision, Resolution.UNKNOWN, "", "", probability=40)
    html = page(client_in, django_assert_max_num_queries).text
    assert "3</strong> forecasts resolved" in html
    assert "3 waiting" in html
    assert "1 “can't tell yet”" in html
    assert (
        f'2 of 3 <span class="text-body-secondary small">(3 of {MIN_SAMPLE} needed for a rate)'
        in html
    )
    assert "Brier score 0.26" in html  # (0.15² + 0.15² + 0.85²) / 3 = 0.2558
    assert "over 3 forecasts" in html
    assert "says more about luck" in html
    assert "<canvas" not in html  # No band has enough for a point on the chart.
    result = judgement(user)
    assert [b.rate.count for b in result.bands] == [0, 0, 0, 0, 3]
    assert result.bands[4].rate.value is None


def test_enough_in_a_band_gives_its_rate_interval_and_chart(
    client_in, user, django_assert_max_num_queries
):
    decision = decide(user)
    forecasts(decision, *[Resolution.TRUE] * 4, Resolution.FALSE, probability=80)
    html = page(client_in, django_assert_max_num_queries).text
    assert "4 of 5: <strong>80%</strong>" in html
    assert "likely 38%–96%" in html
    assert 'data-chart="calibration"' in html
    assert 'id="calibration-chart-data"' in html
    assert "js/judgement.js" in html
    chart = judgement(user).chart
    assert chart["labels"] == ["80–100 %"]
    assert chart["came_true"] == [80.0]
    assert chart["counts"] == [5]
    assert chart["likely"] == [[37.6, 96.4]]


def test_forecasts_are_split_by_template_and_own_words(client_in, user):
    decision = decide(user)
    other = decide(user)
    forecasts(decision, *[Resolution.TRUE] * 5, probability=90, template="glad_6m")
    forecasts(other, Resolution.FALSE, Resolution.FALSE, probability=70)
    html = client_in.get(URL).text
    assert "I&#x27;m still glad I did it at 6 months" in html
    assert "In your own words" in html
    kinds = {kind.label: kind for kind in judgement(user).kinds}
    glad = kinds["I'm still glad I did it at 6 months"]
    assert glad.rate.count == 5
    assert glad.brier == pytest.approx(0.01)
    assert kinds["In your own words"].brier is None  # 2 of 5 needed.
    assert list(kinds) == ["I'm still glad I did it at 6 months", "In your own words"]


def test_fifty_resolved_forecasts_take_as_many_queries_as_two(
    client_in, user, django_assert_max_num_queries
):
    decision = decide(user)
    forecasts(decision, Resolution.TRUE, Resolution.FALSE, probability=30)
    check_in(decision, glad=7, rescored={"1": {"name": "Pay", "expected": 6, "lived": 5}})
    with django_assert_max_num_queries(QUERIES) as few:
        client_in.get(URL)
    for n in range(12):
        more = decide(user, matrix=50 + n, gut="yes" if n % 2 else "no", friends=n / 12)
        forecasts(more, *[Resolution.TRUE, Resolution.FALSE] * 2, probability=n * 8)
        check_in(more, glad=n % 11, rescored={"1": {"name": "Pay", "expected": 8, "lived": 5}})
        check_in(more, glad=(n + 3) % 11, kind="6m")
    assert judgement(user).resolved == 50
    with django_assert_max_num_queries(QUERIES) as many:
        html = client_in.get(URL).text
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "<strong>50</strong> forecasts resolved" in html


# --- Predictors ---------------------------------------------------------------------------------


def history(user, rows):
    for glad, matrix, gut, friends in rows:
        check_in(decide(user, matrix=matrix, gut=gut, friends=friends), glad=glad)


def test_the_best_predictor_is_named_over_its_decisions(client_in, user):
    # The gut follows gladness; the matrix does not.
    history(
        user,
        [
            (1, 90, "no", None),
            (2, 40, "no", None),
            (5, 80, "unsure", None),
            (6, 30, "unsure", None),
            (9, 60, "yes", None),
            (10, 50, "yes", None),
        ],
    )
    html = client_in.get(URL).text
    assert (
        "Your gut has foreseen how glad you were better than the matrix, over 6 decisions." in html
    )
    assert "best so far" in html
    # The friends said nothing: counted, and what is missing said.
    assert f"0 of {MIN_SAMPLE} needed" in html


def test_too_few_decisions_with_a_check_in_say_how_many_more(client_in, user):
    history(user, [(3, 60, "yes", 0.5), (8, 70, "no", 0.2)])
    html = client_in.get(URL).text
    assert "3 more decisions with a check-in needed" in html
    assert 'data-testid="best-predictor"' not in html


def test_the_latest_check_in_with_a_glad_score_is_the_outcome(user):
    decision = decide(user, matrix=70)
    check_in(decision, glad=2, kind="3m", done_on=dt.date(2026, 1, 1))
    check_in(decision, glad=9, kind="6m", done_on=dt.date(2026, 4, 1))
    check_in(decision, glad=None, kind="12m", done_on=dt.date(2026, 9, 1))
    undone = decide(user, matrix=40)  # Scheduled check-ins never done count for nothing.
    assert undone.pk
    result = judgement(user)
    assert result.cases == 1
    assert result.comparison.records[0].count == 1


def test_predictions_read_the_frozen_shape_and_ignore_anything_malformed():
    frozen = {
        "version": 1,
        "matrix": {"score": 72.5, "rank": 1, "of": 3, "p_first": 0.64},
        "gut": {"answer": "unsure", "value": 0.5},
        "friends": {"take_it": 3, "answered": 4, "share": 0.75},
    }
    assert predictions(frozen) == {"matrix": 72.5, "gut": 0.5, "friends": 0.75}
    assert predictions({}) == {"matrix": None, "gut": None, "friends": None}
    assert predictions({}, "yes")["gut"] == 1.0  # The decision's own gut check.
    for junk in (
        None,
        "text",
        [1, 2],
        {"matrix": "72", "gut": {"answer": "maybe"}, "friends": {"share": 3}},
        {"matrix": {"score": True}, "gut": 7, "friends": {"share": float("nan")}},
        {"matrix": {"score": 101}, "gut": [], "friends": []},
    ):
        assert predictions(junk) == {"matrix": None, "gut": None, "friends": None}


def test_malformed_frozen_data_never_breaks_the_page(client_in, user):
    decision = decide(user, predictors={"matrix": ["x"], "gut": {"answer": None}})
    check_in(
        decision,
        glad=5,
        rescored={
            "1": "eight",
            "2": {"name": "<script>x</script>", "expected": 12, "lived": 3},
            "3": {"name": 5, "expected": True, "lived": 2},
            "4": {"expected": 8, "lived": 4},
        },
    )
    CheckIn.objects.filter(decision=decision, kind="6m").update(
        done_on=dt.date(2026, 2, 1), rescored=["not", "a", "dict"]
    )
    response = client_in.get(URL)
    assert response.status_code == 200
    assert "<script>x</script>" not in response.text
    result = judgement(user)
    assert [(t.name, t.tendency.count) for t in result.tendencies] == [("A criterion", 1)]


# --- Tendencies ---------------------------------------------------------------------------------


def test_a_criterion_overrated_before_deciding_is_said(client_in, user):
    for expected in (8, 9, 7):
        check_in(
            decide(user),
            glad=6,
            rescored={"5": {"name": "Personal growth", "expected": expected, "lived": 6}},
        )
    html = client_in.get(URL).text
    assert "You tend to overrate Personal growth before deciding by about 2 points." in html


def test_too_few_rescores_give_counts_only(client_in, user):
    for _ in range(MIN_RESCORES - 1):
        check_in(decide(user), rescored={"5": {"name": "Daily life", "expected": 9, "lived": 3}})
    html = client_in.get(URL).text
    assert "You tend to" not in html
    assert f"Daily life: re-scored 2 times (2 of {MIN_RESCORES} needed)" in html


def test_a_criterion_goes_by_its_newest_name(user):
    for day, name in ((dt.date(2026, 1, 1), "Growth"), (dt.date(2026, 3, 1), "Learning")):
        check_in(
            decide(user),
            done_on=day,
            rescored={"5": {"name": name, "expected": 8, "lived": 5}},
        )
    assert [t.name for t in judgement(user).tendencies] == ["Learning"]


# --- Only the user's own, and the way in ----------------------------------------------------------


def test_another_users_forecasts_and_check_ins_are_not_counted(client_in, user, other_user):
    mine = decide(user)
    forecasts(mine, Resolution.TRUE, probability=60)
    theirs = decide(other_user, matrix=80, gut="yes")
    forecasts(theirs, *[Resolution.FALSE] * 9, probability=90)
    check_in(theirs, glad=3, rescored={"7": {"name": "Their secret", "expected": 9, "lived": 1}})
    assert Forecast.objects.count() == 10
    result = judgement(user)
    assert result.resolved == 1
    assert result.cases == 0
    assert result.tendencies == []
    html = client_in.get(URL).text
    assert "<strong>1</strong> forecast resolved" in html
    assert "Their secret" not in html


def test_only_safe_methods_and_only_signed_in(client_in):
    assert client_in.head(URL).status_code == 200
    assert client_in.post(URL).status_code == 405
    response = Client().get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_the_journal_links_to_the_page(client_in):
    assert URL in client_in.get(reverse("opportunities:journal")).text


def test_the_security_worlds_planted_judgement_shows_on_its_owners_page(client):
    """The security suite's world plants a re-scored criterion named with its sentinel:
    its owner sees it here, so the walk proves nobody else does."""
    world = build_world()
    client.force_login(world.user)
    html = client.get(URL).text
    assert f"{SENTINEL} criterion" in html
    assert 'data-testid="brier"' in html


def test_a_seasoned_journal_shows_every_part(client_in, user, django_assert_max_num_queries):
    seasoned(user)
    html = page(client_in, django_assert_max_num_queries).text
    assert "<strong>20</strong> forecasts resolved" in html
    assert "2 waiting" in html
    assert "8 of 12: <strong>67%</strong>" in html  # The 85 % forecasts.
    assert "4 of 8: <strong>50%</strong>" in html  # The 55 % ones.
    assert "Your gut has foreseen how glad you were better than the matrix" in html
    assert "You tend to overrate Personal growth before deciding by about 2 points." in html


def test_a_lone_predictor_with_enough_decisions_is_said_to_be_the_only_one(client_in, user):
    history(user, [(g, 10 * g, None, None) for g in (2, 4, 5, 7, 9)])
    html = client_in.get(URL).text
    assert (
        "Only the matrix can be judged so far: over 5 decisions, it agreed with how glad you "
        "were at +1.00." in html
    )
